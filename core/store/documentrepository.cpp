#include "documentrepository.h"

#include "clock.h"
#include "fieldspec.h"
#include "taskrepository.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kNotFound = u"Document not found"_s;

// An agent's name as PocketPaw's activity feed shows it; "Unknown" for anyone else.
QString agentName(Store &store, const QJsonValue &agentId)
{
    const QJsonObject agent = agentId.isString() ? store.fetch(agentTable(), agentId.toString()) : QJsonObject();
    return agent.isEmpty() ? u"Unknown"_s : agent.value(u"name"_s).toString();
}
}

Page DocumentRepository::list(const QString &type, const QString &taskId, const QStringList &tags,
                              int limit)
{
    QStringList conditions;
    QVariantList binds;
    if (!type.isEmpty()) {
        conditions.append(u"type = ?"_s);
        binds.append(type);
    }
    if (!taskId.isEmpty()) {
        conditions.append(u"task_id = ?"_s);
        binds.append(taskId);
    }
    if (!tags.isEmpty()) {
        conditions.append(u"id IN (SELECT document_id FROM document_tags WHERE tag IN (%1))"_s.arg(m_store.dialect().jsonArrayValues()));
        binds.append(jsonArrayText(tags));
    }
    const QString where = conditions.isEmpty() ? QString() : u"WHERE "_s + conditions.join(u" AND "_s);
    Page page;
    page.count = m_store.countWhere(u"documents"_s, where, binds);
    binds.append(limit);
    for (const QJsonObject &d : m_store.fetchMany(
                 documentTable(), where + u" ORDER BY updated_at DESC, rowid DESC LIMIT ?"_s, binds))
        page.items.append(d);
    return page;
}

QJsonObject DocumentRepository::create(const QJsonObject &body, const QString &activityMessage)
{
    return m_store.write([&] {
        const QJsonValue taskId = body.value(u"task_id"_s);
        if (taskId.isString())
            m_store.tasks().get(taskId.toString());
        QStringList tags;
        for (const QString &t : toStringList(body.value(u"tags"_s))) {
            if (!tags.contains(t))
                tags.append(t);
        }
        const QString now = nowIso();
        const QString id = newId();
        const auto opt = [&](const QString &key) {
            return body.value(key).isString() ? body.value(key) : QJsonValue();
        };
        const QJsonObject doc{{u"id"_s, id},
                              {u"title"_s, body.value(u"title"_s)},
                              {u"content"_s, body.value(u"content"_s).toString()},
                              {u"type"_s, body.value(u"type"_s).toString(u"draft"_s)},
                              {u"task_id"_s, opt(u"task_id"_s)},
                              {u"author_id"_s, opt(u"author_id"_s)},
                              {u"tags"_s, QJsonArray::fromStringList(tags)},
                              {u"version"_s, 1},
                              {u"created_at"_s, now},
                              {u"updated_at"_s, now},
                              {u"metadata"_s, body.value(u"metadata"_s).toObject()}};
        m_store.insert(documentTable(), doc);
        for (const QString &t : tags)
            m_store.exec(u"INSERT INTO document_tags(document_id, tag) VALUES(?, ?)"_s, {id, t});
        m_store.logActivity(u"document_created"_s,
                            !activityMessage.isEmpty()
                                    ? activityMessage
                                    : u"%1 created document: %2"_s.arg(agentName(m_store, doc.value(u"author_id"_s)),
                                                                       doc.value(u"title"_s).toString()),
                            doc.value(u"author_id"_s), doc.value(u"task_id"_s), id);
        m_store.markDocumentChanged(id);
        return doc;
    });
}

QJsonObject DocumentRepository::get(const QString &id)
{
    return m_store.fetchOr404(documentTable(), id, kNotFound);
}

QJsonObject DocumentRepository::update(const QString &id, const QString &content, const QJsonValue &editorId)
{
    return m_store.write([&] {
        const QJsonObject before = get(id);
        const int version = before.value(u"version"_s).toInt() + 1;
        m_store.update(documentTable(), id,
                       {{u"content"_s, content}, {u"version"_s, version}, {u"updated_at"_s, nowIso()}});
        m_store.logActivity(u"document_updated"_s,
                            u"%1 updated document: %2 (v%3)"_s.arg(agentName(m_store, editorId), before.value(u"title"_s).toString())
                                    .arg(version),
                            editorId.isString() ? editorId : QJsonValue(), before.value(u"task_id"_s), id);
        m_store.markDocumentChanged(id);
        return get(id);
    });
}

void DocumentRepository::remove(const QString &id)
{
    m_store.write([&] {
        get(id);
        m_store.exec(u"DELETE FROM documents WHERE id = ?"_s, {id});
        m_store.markDocumentChanged(id);
    });
}

QJsonObject DocumentRepository::attach(const QString &taskId, const QString &documentId)
{
    return m_store.write([&] {
        m_store.tasks().get(taskId);
        get(documentId);
        m_store.update(documentTable(), documentId, {{u"task_id"_s, taskId}, {u"updated_at"_s, nowIso()}});
        m_store.markDocumentChanged(documentId);
        return get(documentId);
    });
}

QList<DocumentRepository::Head> DocumentRepository::headsForTask(const QString &taskId, int limit)
{
    QList<Head> heads;
    QSqlQuery &q = m_store.exec(
            u"SELECT id, title, version, updated_at, %1 FROM documents "
            "WHERE task_id = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?"_s.arg(
                    m_store.dialect().jsonField(u"metadata"_s, u"run_id"_s)),
            {taskId, limit});
    while (q.next())
        heads.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(), q.value(3).toString(),
                      q.value(4).toString()});
    q.finish();
    return heads;
}

QString DocumentRepository::taskIdOf(const QString &id)
{
    return m_store.text(u"SELECT task_id FROM documents WHERE id = ?"_s, {id});
}

QString DocumentRepository::contentPrefix(const QString &id, qsizetype maxChars, qsizetype *totalChars)
{
    QSqlQuery &q = m_store.exec(u"SELECT substr(content, 1, ?), length(content) FROM documents WHERE id = ?"_s,
                                {maxChars, id});
    const bool found = q.next();
    const QString prefix = found ? q.value(0).toString() : QString();
    if (totalChars)
        *totalChars = found ? q.value(1).toLongLong() : 0;
    q.finish();
    return prefix;
}

} // namespace mc
