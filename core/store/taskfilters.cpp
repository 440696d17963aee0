// The task list's filters and counts (status, assignee, tags, the cursor):
// each shaped so its index is read in list order and stops at the limit.
#include "taskrepository.h"

#include "apierror.h"
#include "listcursor.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mc {

TaskRepository::Filter TaskRepository::filter(const QString &status, const QString &assigneeId,
                                               const QStringList &tags)
{
    QStringList conditions;
    Filter f;
    if (!status.isEmpty()) {
        conditions.append(u"status = ?"_s);
        f.binds.append(status);
    }
    if (!assigneeId.isEmpty()) {
        conditions.append(u"id IN (SELECT task_id FROM task_assignees WHERE agent_id = ?)"_s);
        f.binds.append(assigneeId);
    }
    if (!tags.isEmpty()) {
        // One placeholder per tag (portable SQL; the route allows at most 100 tags).
        conditions.append(u"id IN (SELECT task_id FROM task_tags WHERE tag IN (%1))"_s.arg(placeholders(tags.size())));
        for (const QString &t : tags)
            f.binds.append(t);
    }
    f.where = conditions.isEmpty() ? QString() : u"WHERE "_s + conditions.join(u" AND "_s);
    return f;
}

qint64 TaskRepository::countMatching(const QString &status, const QString &assigneeId, const QStringList &tags)
{
    // Kept by triggers (schema version 4): a lookup, however many tasks there are.
    const auto counter = [this](const QString &name) { return m_store.counter(name); };
    const int filters = int(!status.isEmpty()) + int(!assigneeId.isEmpty()) + int(!tags.isEmpty());
    if (filters == 0)
        return m_store.count(u"SELECT COALESCE(SUM(n), 0) FROM counters WHERE name >= 'status:' AND name < 'status;'"_s);
    if (filters == 1 && !status.isEmpty())
        return counter(u"status:"_s + status);
    if (filters == 1 && !assigneeId.isEmpty())
        return counter(u"assignee:"_s + assigneeId);
    if (filters == 1 && tags.size() == 1)
        return counter(u"tag:"_s + tags.first());
    if (filters == 1)
        return countAnyTag(distinct(tags));
    // Several kinds of filter together: counted from the rows (not flat; rare).
    const Filter f = filter(status, assigneeId, tags);
    return m_store.count(u"SELECT COUNT(*) FROM tasks "_s + f.where, f.binds);
}

qint64 TaskRepository::countAnyTag(const QStringList &tags)
{
    QVariantList binds;
    for (const QString &t : tags)
        binds.append(QString(u"tag:"_s + t));
    for (const QString &t : tags)
        binds.append(t);
    return m_store.count(m_store.dialect().anyTagCount(placeholders(tags.size())), binds);
}

TaskRepository::Filter TaskRepository::orderedFilter(const QString &status, const QString &assigneeId,
                                                      const QStringList &tags, const ListCursor &after, int limit)
{
    const bool linkOnly = status.isEmpty() && (assigneeId.isEmpty() != tags.isEmpty());
    if (!linkOnly) {
        // No filter or a status: idx_tasks_updated / idx_tasks_status_updated are read in order.
        // Several kinds of filter together: the matches are sorted (not flat; rare).
        Filter f = filter(status, assigneeId, tags);
        if (after.valid) {
            f.where += (f.where.isEmpty() ? u"WHERE "_s : u" AND "_s)
                    + u"updated_at <= ? AND (updated_at < ? OR rowid < ?)"_s;
            f.binds << after.updatedAt << after.updatedAt << after.rowid;
        }
        return f;
    }
    // One link filter: each tag (or the assignee) reads its link index in list
    // order and stops at the limit; those few keys (the link rows carry their
    // task's updated_at and rowid) are merged and cut to the limit before any
    // task row is read, so a page reads `limit` rows however many tags.
    const QString table = tags.isEmpty() ? u"task_assignees"_s : u"task_tags"_s;
    const QString column = tags.isEmpty() ? u"agent_id"_s : u"tag"_s;
    const QStringList values = tags.isEmpty() ? QStringList{assigneeId} : distinct(tags);
    const QString cursor = after.valid ? u" AND updated_at <= ? AND (updated_at < ? OR task_rowid < ?)"_s : QString();
    QStringList parts;
    Filter f;
    for (const QString &value : values) {
        parts.append(u"SELECT updated_at, task_rowid FROM (SELECT updated_at, task_rowid FROM %1 WHERE %2 = ?%3 "
                     "ORDER BY updated_at DESC, task_rowid DESC LIMIT ?) AS link"_s.arg(table, column, cursor));
        f.binds << value;
        if (after.valid)
            f.binds << after.updatedAt << after.updatedAt << after.rowid;
        f.binds << limit;
    }
    QString keys = parts.first();
    if (parts.size() > 1) {
        keys = parts.join(u" UNION "_s) + u" ORDER BY updated_at DESC, task_rowid DESC LIMIT ?"_s;
        f.binds << limit;
    }
    // By the tasks' rowid: one b-tree descent per task, not two.
    f.where = u"WHERE rowid IN (SELECT task_rowid FROM ("_s + keys + u") AS page)"_s;
    return f;
}

RawPage TaskRepository::listJson(const QString &status, const QString &assigneeId, const QStringList &tags, int limit,
                                 const std::optional<QString> &after)
{
    const QString key = u"tasks\x1f"_s + status + u'\x1f' + assigneeId + u'\x1f' + tags.join(u'\x1e') + u'\x1f'
            + QString::number(limit) + u'\x1f' + (after ? u"cursor:"_s + *after : QString());
    return m_store.cachedPage(key, [&] {
        const ListCursor cursor = after ? ListCursor::decode(*after) : ListCursor();
        if (after && !after->isEmpty() && !cursor.valid)
            throw ApiError::validation({QJsonObject{{u"type"_s, u"value_error"_s},
                                                    {u"loc"_s, QJsonArray{u"query"_s, u"after"_s}},
                                                    {u"msg"_s, u"Not a cursor this server gave out"_s},
                                                    {u"input"_s, after->left(200)}}});
        Filter f = orderedFilter(status, assigneeId, tags, cursor, limit);
        RawPage page;
        page.count = countMatching(status, assigneeId, tags);
        f.binds.append(limit);
        ListCursor last;
        page.items = m_store.fetchManyJson(taskTable(), f.where + u" ORDER BY updated_at DESC, rowid DESC LIMIT ?"_s,
                                           f.binds, &last, &page.rows);
        page.paged = after.has_value();
        if (last.valid && page.rows == limit)
            page.nextCursor = last.encode();
        return page;
    });
}

} // namespace mc
