#include "messagerepository.h"

#include "agentrepository.h"
#include "clock.h"
#include "taskrepository.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace mc {

QStringList MessageRepository::extractMentions(const QString &content)
{
    static const QRegularExpression mention(uR"((?<![\w@])@(\w+))"_s,
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
    page.count = m_store.count(u"SELECT COUNT(*) FROM messages WHERE task_id = ?"_s, {taskId});
    for (const QJsonObject &m : m_store.fetchMany(
                 messageTable(), u"WHERE task_id = ? ORDER BY created_at, rowid LIMIT ?"_s, {taskId, limit}))
        page.items.append(m);
    return page;
}

QJsonObject MessageRepository::post(const QString &taskId, const QJsonObject &body)
{
    return m_store.write([&] {
        const QJsonObject task = m_store.tasks().get(taskId);
        const QString content = body.value(u"content"_s).toString();
        // The API requires a sender (PocketPaw's request model does); the window posts as "human".
        const QJsonValue from = body.value(u"from_agent_id"_s).toString(u"human"_s);
        const QStringList mentions = extractMentions(content);
        const QString id = newId();
        const QJsonObject message{{u"id"_s, id},
                                  {u"task_id"_s, taskId},
                                  {u"from_agent_id"_s, from},
                                  {u"content"_s, content},
                                  {u"attachment_ids"_s, body.value(u"attachment_ids"_s).toArray()},
                                  {u"mentions"_s, QJsonArray::fromStringList(mentions)},
                                  {u"created_at"_s, nowIso()},
                                  {u"metadata"_s, body.value(u"metadata"_s).toObject()}};
        m_store.insert(messageTable(), message);

        QString senderName = from.toString();
        const QList<QJsonObject> agents = m_store.agents().all();
        for (const QJsonObject &a : agents) {
            if (a.value(u"id"_s) == from)
                senderName = a.value(u"name"_s).toString();
        }
        const QString title = task.value(u"title"_s).toString();
        m_store.logActivity(u"message_sent"_s, u"%1 commented on '%2'"_s.arg(senderName, title), from,
                            taskId);
        const bool all = mentions.contains(u"all"_s);
        for (const QJsonObject &a : agents) {
            const QString agentId = a.value(u"id"_s).toString();
            if (agentId == from.toString())
                continue;
            if (all || mentions.contains(a.value(u"name"_s).toString().toLower())) {
                m_store.notify(agentId, u"mention"_s,
                               u"%1 mentioned you on '%2': %3"_s.arg(senderName, title, content.left(200)),
                               id, taskId);
            }
        }
        return message;
    });
}

} // namespace mc
