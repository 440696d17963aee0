#include "documentrepository.h"

#include "clock.h"
#include "fieldspec.h"
#include "taskrepository.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kNotFound = u"Document not found"_qs;

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
        conditions.append(u"type = ?"_qs);
        binds.append(type);
    }
    if (!taskId.isEmpty()) {
        conditions.append(u"task_id = ?"_qs);
        binds.append(taskId);
    }
    if (!tags.isEmpty()) {
        conditions.append(u"id IN (SELECT document_id FROM document_tags WHERE tag IN (SELECT value FROM json_each(?)))"_s);
        binds.append(jsonArrayText(tags));
    }
    const QString where = conditions.isEmpty() ? QString() : u"WHERE "_qs + conditions.join(u" AND "_qs);
    Page page;
    page.count = m_store.count(u"SELECT COUNT(*) FROM documents "_qs + where, binds);
    binds.append(limit);
    for (const QJsonObject &d : m_store.fetchMany(
                 documentTable(), where + u" ORDER BY updated_at DESC, rowid DESC LIMIT ?"_qs, binds))
        page.items.append(d);
    return page;
}

QJsonObject DocumentRepository::create(const QJsonObject &body, const QString &activityMessage)
{
    return m_store.write([&] {
        const QJsonValue taskId = body.value(u"task_id"_qs);
        if (taskId.isString())
            m_store.tasks().get(taskId.toString());
        QStringList tags;
        for (const QString &t : toStringList(body.value(u"tags"_qs))) {
            if (!tags.contains(t))
                tags.append(t);
        }
        const QString now = nowIso();
        const QString id = newId();
        const auto opt = [&](const QString &key) {
            return body.value(key).isString() ? body.value(key) : QJsonValue();
        };
        const QJsonObject doc{{u"id"_qs, id},
                              {u"title"_qs, body.value(u"title"_qs)},
                              {u"content"_qs, body.value(u"content"_qs).toString()},
                              {u"type"_qs, body.value(u"type"_qs).toString(u"draft"_qs)},
                              {u"task_id"_qs, opt(u"task_id"_qs)},
                              {u"author_id"_qs, opt(u"author_id"_qs)},
                              {u"tags"_qs, QJsonArray::fromStringList(tags)},
                              {u"version"_qs, 1},
                              {u"created_at"_qs, now},
                              {u"updated_at"_qs, now},
                              {u"metadata"_qs, body.value(u"metadata"_qs).toObject()}};
        m_store.insert(documentTable(), doc);
        for (const QString &t : tags)
            m_store.exec(u"INSERT INTO document_tags(document_id, tag) VALUES(?, ?)"_qs, {id, t});
        m_store.logActivity(u"document_created"_s,
                            !activityMessage.isEmpty()
                                    ? activityMessage
                                    : u"%1 created document: %2"_s.arg(agentName(m_store, doc.value(u"author_id"_s)),
                                                                       doc.value(u"title"_s).toString()),
                            doc.value(u"author_id"_qs), doc.value(u"task_id"_qs), id);
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
        const int version = before.value(u"version"_qs).toInt() + 1;
        m_store.update(documentTable(), id,
                       {{u"content"_qs, content}, {u"version"_qs, version}, {u"updated_at"_qs, nowIso()}});
        m_store.logActivity(u"document_updated"_qs,
                            u"%1 updated document: %2 (v%3)"_s.arg(agentName(m_store, editorId), before.value(u"title"_s).toString())
                                    .arg(version),
                            editorId.isString() ? editorId : QJsonValue(), before.value(u"task_id"_qs), id);
        m_store.markDocumentChanged(id);
        return get(id);
    });
}

void DocumentRepository::remove(const QString &id)
{
    m_store.write([&] {
        get(id);
        m_store.exec(u"DELETE FROM documents WHERE id = ?"_qs, {id});
        m_store.markDocumentChanged(id);
    });
}

QJsonObject DocumentRepository::attach(const QString &taskId, const QString &documentId)
{
    return m_store.write([&] {
        m_store.tasks().get(taskId);
        get(documentId);
        m_store.update(documentTable(), documentId, {{u"task_id"_qs, taskId}, {u"updated_at"_qs, nowIso()}});
        m_store.markDocumentChanged(documentId);
        return get(documentId);
    });
}

QList<DocumentRepository::Head> DocumentRepository::headsForTask(const QString &taskId, int limit)
{
    QList<Head> heads;
    QSqlQuery &q = m_store.exec(
            u"SELECT id, title, version, updated_at, json_extract(metadata, '$.run_id') FROM documents "
            u"WHERE task_id = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?"_s,
            {taskId, limit});
    while (q.next())
        heads.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(), q.value(3).toString(),
                      q.value(4).toString()});
    q.finish();
    return heads;
}

QString DocumentRepository::taskIdOf(const QString &id)
{
    return m_store.text(u"SELECT task_id FROM documents WHERE id = ?"_qs, {id});
}

QString DocumentRepository::contentPrefix(const QString &id, qsizetype maxChars, qsizetype *totalChars)
{
    QSqlQuery &q = m_store.exec(u"SELECT substr(content, 1, ?), length(content) FROM documents WHERE id = ?"_qs,
                                {maxChars, id});
    const bool found = q.next();
    const QString prefix = found ? q.value(0).toString() : QString();
    if (totalChars)
        *totalChars = found ? q.value(1).toLongLong() : 0;
    q.finish();
    return prefix;
}

} // namespace mc
