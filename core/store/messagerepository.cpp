#include "messagerepository.h"

#include "agentrepository.h"
#include "clock.h"
#include "taskrepository.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace mc {

QStringList MessageRepository::extractMentions(const QString &content)
{
    static const QRegularExpression mention(uR"((?<![\w@])@(\w+))"_qs,
                                            QRegularExpression::UseUnicodePropertiesOption);
    QStringList names;
    auto it = mention.globalMatch(content);
    while (it.hasNext()) {
        const QString name = it.next().captured(1).toLower();
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

Page MessageRepository::listForTask(const QString &taskId, int limit)
{
    m_store.tasks().get(taskId);
    Page page;
    page.count = m_store.count(u"SELECT COUNT(*) FROM messages WHERE task_id = ?"_qs, {taskId});
    for (const QJsonObject &m : m_store.fetchMany(
                 messageTable(), u"WHERE task_id = ? ORDER BY created_at, rowid LIMIT ?"_qs, {taskId, limit}))
        page.items.append(m);
    return page;
}

QJsonObject MessageRepository::post(const QString &taskId, const QJsonObject &body)
{
    return m_store.write([&] {
        const QJsonObject task = m_store.tasks().get(taskId);
        const QString content = body.value(u"content"_qs).toString();
        // The API requires a sender (PocketPaw's request model does); the window posts as "human".
        const QJsonValue from = body.value(u"from_agent_id"_s).toString(u"human"_s);
        const QStringList mentions = extractMentions(content);
        const QString id = newId();
        const QJsonObject message{{u"id"_qs, id},
                                  {u"task_id"_qs, taskId},
                                  {u"from_agent_id"_qs, from},
                                  {u"content"_qs, content},
                                  {u"attachment_ids"_qs, body.value(u"attachment_ids"_qs).toArray()},
                                  {u"mentions"_qs, QJsonArray::fromStringList(mentions)},
                                  {u"created_at"_qs, nowIso()},
                                  {u"metadata"_qs, body.value(u"metadata"_qs).toObject()}};
        m_store.insert(messageTable(), message);

        QString senderName = from.toString();
        const QList<QJsonObject> agents = m_store.agents().all();
        for (const QJsonObject &a : agents) {
            if (a.value(u"id"_qs) == from)
                senderName = a.value(u"name"_qs).toString();
        }
        const QString title = task.value(u"title"_qs).toString();
        m_store.logActivity(u"message_sent"_qs, u"%1 commented on '%2'"_qs.arg(senderName, title), from,
                            taskId);
        const bool all = mentions.contains(u"all"_qs);
        for (const QJsonObject &a : agents) {
            const QString agentId = a.value(u"id"_qs).toString();
            if (agentId == from.toString())
                continue;
            if (all || mentions.contains(a.value(u"name"_qs).toString().toLower())) {
                m_store.notify(agentId, u"mention"_qs,
                               u"%1 mentioned you on '%2': %3"_qs.arg(senderName, title, content.left(200)),
                               id, taskId);
            }
        }
        return message;
    });
}

} // namespace mc
