#include "taskrepository.h"

#include "agentrepository.h"
#include "apierror.h"
#include "clock.h"
#include "fieldspec.h"
#include "queuerepository.h"
#include "runrepository.h"

#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kNotFound = u"Task not found"_s;

constexpr int kMaxAttempts = 10;
constexpr int kMaxRetryDelayS = 3600;

// The queue options of a task body (part B): 422 when out of range.
void checkRunOptions(const QJsonObject &body)
{
    const auto inRange = [&](const QString &key, int min, int max) {
        const QJsonValue v = body.value(key);
        if (!v.isDouble() || (v.toInteger() >= min && v.toInteger() <= max))
            return;
        throw ApiError::invalid({u"body"_s, key}, v.toInteger() < min ? u"greater_than_equal"_s : u"less_than_equal"_s,
                                v.toInteger() < min ? u"Input should be greater than or equal to %1"_s.arg(min)
                                                    : u"Input should be less than or equal to %1"_s.arg(max),
                                v);
    };
    inRange(u"max_attempts"_s, 1, kMaxAttempts);
    inRange(u"retry_delay_s"_s, 0, kMaxRetryDelayS);
}

} // namespace

QList<QJsonObject> TaskRepository::forProject(const QString &projectId)
{
    return m_store.fetchMany(taskTable(), u"WHERE project_id = ? ORDER BY created_at, rowid"_s, {projectId});
}

QJsonObject TaskRepository::get(const QString &id)
{
    return m_store.fetchOr404(taskTable(), id, kNotFound);
}

void TaskRepository::replaceLinks(const QString &id, const QStringList &assignees, const QStringList &tags)
{
    m_store.exec(u"DELETE FROM task_assignees WHERE task_id = ?"_s, {id});
    for (const QString &a : assignees)
        m_store.exec(u"INSERT INTO task_assignees(task_id, agent_id) VALUES(?, ?) ON CONFLICT DO NOTHING"_s, {id, a});
    m_store.exec(u"DELETE FROM task_tags WHERE task_id = ?"_s, {id});
    for (const QString &t : tags)
        m_store.exec(u"INSERT INTO task_tags(task_id, tag) VALUES(?, ?) ON CONFLICT DO NOTHING"_s, {id, t});
}

void TaskRepository::notifyAssigned(const QJsonObject &task, const QStringList &agentIds)
{
    const QString title = task.value(u"title"_s).toString();
    for (const QString &agentId : agentIds) {
        m_store.notify(agentId, u"task_assigned"_s, u"You were assigned to: %1"_s.arg(title),
                       QJsonValue(), task.value(u"id"_s));
    }
}

void TaskRepository::checkBlockers(const QString &id, const QStringList &blockers)
{
    for (const QString &blockerId : blockers) {
        if (blockerId == id || m_store.fetch(taskTable(), blockerId).isEmpty()) {
            throw ApiError::invalid({u"body"_s, u"blocked_by"_s}, u"value_error"_s,
                                    blockerId == id ? u"A task cannot be blocked by itself: %1"_s.arg(id)
                                                    : u"Unknown task in blocked_by: %1"_s.arg(blockerId),
                                    QJsonArray::fromStringList(blockers));
        }
    }
    // A cycle: id would wait for a blocker that (through its own blockers) waits for id.
    QHash<QString, QString> cameFrom;   // task -> the task it blocks on the path from id
    QStringList pending;
    for (const QString &b : blockers) {
        if (!cameFrom.contains(b)) {
            cameFrom.insert(b, id);
            pending.append(b);
        }
    }
    while (!pending.isEmpty()) {
        const QString current = pending.takeFirst();
        const QStringList next = toStringList(QJsonDocument::fromJson(
                m_store.text(u"SELECT blocked_by FROM tasks WHERE id = ?"_s, {current}).toUtf8()).array());
        for (const QString &n : next) {
            if (n == id) {
                QStringList path{id};
                for (QString at = current; at != id; at = cameFrom.value(at))
                    path.insert(1, at);
                path.append(id);
                throw ApiError::invalid({u"body"_s, u"blocked_by"_s}, u"value_error"_s,
                                        u"Dependency cycle: "_s + path.join(u" → "_s),
                                        QJsonArray::fromStringList(blockers));
            }
            if (!cameFrom.contains(n)) {
                cameFrom.insert(n, current);
                pending.append(n);
            }
        }
    }
}

void TaskRepository::editList(const QString &taskId, const QString &column, const QString &value, bool present)
{
    const QJsonObject task = m_store.fetch(taskTable(), taskId);
    if (task.isEmpty())
        return;
    QStringList values = toStringList(task.value(column));
    if (present == values.contains(value))
        return;
    if (present)
        values.append(value);
    else
        values.removeAll(value);
    m_store.update(taskTable(), taskId, {{column, QJsonArray::fromStringList(values)}});
}

void TaskRepository::linkBlockers(const QString &id, const QStringList &blockers, const QStringList &previous)
{
    // `blocks` mirrors `blocked_by` both ways.
    for (const QString &old : previous) {
        if (!blockers.contains(old))
            editList(old, u"blocks"_s, id, false);
    }
    for (const QString &blockerId : blockers)
        editList(blockerId, u"blocks"_s, id, true);
}

QJsonObject TaskRepository::create(const QJsonObject &body)
{
    return m_store.write([&] {
        const QJsonValue projectId = body.value(u"project_id"_s);
        if (projectId.isString() && m_store.fetch(projectTable(), projectId.toString()).isEmpty())
            throw ApiError::notFound(u"Project not found"_s);
        const QStringList assignees = distinct(toStringList(body.value(u"assignee_ids"_s)));
        for (const QString &agentId : assignees)
            m_store.agents().get(agentId);
        const QStringList tags = distinct(toStringList(body.value(u"tags"_s)));
        const QStringList blockedBy = distinct(toStringList(body.value(u"blocked_by"_s)));
        checkRunOptions(body);
        const QString now = nowIso();
        const QString id = newId();
        checkBlockers(id, blockedBy);
        auto opt = [&](const QString &key) {
            const QJsonValue v = body.value(key);
            return v.isUndefined() ? QJsonValue() : v;
        };
        const QJsonObject task{
            {u"id"_s, id},
            {u"title"_s, body.value(u"title"_s)},
            {u"description"_s, body.value(u"description"_s).toString()},
            {u"status"_s, assignees.isEmpty() ? u"inbox"_s : u"assigned"_s},
            {u"priority"_s, body.value(u"priority"_s).toString(u"medium"_s)},
            {u"assignee_ids"_s, QJsonArray::fromStringList(assignees)},
            {u"creator_id"_s, opt(u"creator_id"_s)},
            {u"parent_task_id"_s, opt(u"parent_task_id"_s)},
            {u"blocked_by"_s, QJsonArray::fromStringList(blockedBy)},
            {u"tags"_s, QJsonArray::fromStringList(tags)},
            {u"due_date"_s, opt(u"due_date"_s)},
            {u"started_at"_s, QJsonValue()},
            {u"completed_at"_s, QJsonValue()},
            {u"created_at"_s, now},
            {u"updated_at"_s, now},
            {u"metadata"_s, body.value(u"metadata"_s).toObject()},
            {u"project_id"_s, opt(u"project_id"_s)},
            {u"task_type"_s, body.value(u"task_type"_s).toString(u"agent"_s)},
            {u"blocks"_s, QJsonArray()},
            {u"active_description"_s, QString()},
            {u"estimated_minutes"_s, opt(u"estimated_minutes"_s)},
            {u"auto_run"_s, body.value(u"auto_run"_s).toBool(false)},
            {u"max_attempts"_s, body.value(u"max_attempts"_s).toInt(1)},
            {u"retry_delay_s"_s, body.value(u"retry_delay_s"_s).toInt(30)}};
        m_store.insert(taskTable(), task);
        replaceLinks(id, assignees, tags);
        linkBlockers(id, blockedBy, {});
        m_store.logActivity(u"task_created"_s, u"Created task: %1"_s.arg(task.value(u"title"_s).toString()),
                            task.value(u"creator_id"_s), id);
        notifyAssigned(task, assignees);
        m_store.markTaskChanged(id);
        return task;
    });
}

void TaskRepository::applyStatus(const QJsonObject &task, const QString &status, QJsonObject &changes)
{
    changes.insert(u"status"_s, status);
    const QString now = nowIso();
    if (status == u"in_progress"_s && task.value(u"started_at"_s).isNull())
        changes.insert(u"started_at"_s, now);
    if (status == u"done"_s && task.value(u"completed_at"_s).isNull())
        changes.insert(u"completed_at"_s, now);
}

void TaskRepository::logStatusChange(const QJsonObject &task, const QString &status,
                                     const QJsonValue &agentId, const QString &message)
{
    const QString text = !message.isEmpty()
            ? message
            : u"Task '%1' moved from %2 to %3"_s.arg(task.value(u"title"_s).toString(),
                                                     task.value(u"status"_s).toString(), status);
    m_store.logActivity(status == u"done"_s ? u"task_completed"_s : u"task_updated"_s, text, agentId,
                        task.value(u"id"_s));
}

QJsonObject TaskRepository::update(const QString &id, const QJsonObject &patch)
{
    return m_store.write([&] {
        const QJsonObject before = get(id);
        QJsonObject changes;
        static const QStringList editable{u"title"_s,    u"description"_s, u"priority"_s,
                                          u"tags"_s,     u"due_date"_s,    u"task_type"_s,
                                          u"metadata"_s, u"blocked_by"_s,  u"estimated_minutes"_s,
                                          u"parent_task_id"_s, u"auto_run"_s,  u"max_attempts"_s,
                                          u"retry_delay_s"_s};
        checkRunOptions(patch);
        for (const QString &key : editable) {
            if (patch.contains(key) && !patch.value(key).isNull())
                changes.insert(key, patch.value(key));
        }
        const QString status = patch.value(u"status"_s).toString();
        const bool statusChanged = !status.isEmpty() && status != before.value(u"status"_s).toString();
        if (!status.isEmpty())
            applyStatus(before, status, changes);
        if (changes.contains(u"tags"_s)) {
            const QStringList tags = distinct(toStringList(changes.value(u"tags"_s)));
            changes.insert(u"tags"_s, QJsonArray::fromStringList(tags));
            replaceLinks(id, toStringList(before.value(u"assignee_ids"_s)), tags);
        }
        if (changes.contains(u"blocked_by"_s)) {
            const QStringList blockers = distinct(toStringList(changes.value(u"blocked_by"_s)));
            checkBlockers(id, blockers);
            changes.insert(u"blocked_by"_s, QJsonArray::fromStringList(blockers));
            linkBlockers(id, blockers, toStringList(before.value(u"blocked_by"_s)));
        }
        if (changes.contains(u"priority"_s))
            m_store.queue().setPriority(id, changes.value(u"priority"_s).toString());
        changes.insert(u"updated_at"_s, nowIso());
        m_store.update(taskTable(), id, changes);
        if (statusChanged) {
            logStatusChange(before, status, QJsonValue());
        } else if (changes.size() > 1) {
            m_store.logActivity(u"task_updated"_s,
                                u"Task updated: %1"_s.arg(changes.value(u"title"_s).toString(
                                        before.value(u"title"_s).toString())),
                                QJsonValue(), id);
        }
        m_store.markTaskChanged(id);
        return get(id);
    });
}

void TaskRepository::remove(const QString &id)
{
    m_store.write([&] {
        const QJsonObject task = get(id);
        m_store.queue().remove(id, u"deleted"_s);
        // Nothing keeps waiting for, or mirroring, a task that is gone.
        for (const QString &blocker : toStringList(task.value(u"blocked_by"_s)))
            editList(blocker, u"blocks"_s, id, false);
        for (const QString &dependent : toStringList(task.value(u"blocks"_s)))
            editList(dependent, u"blocked_by"_s, id, false);
        m_store.runs().removeOutputOfTask(id);
        m_store.exec(u"DELETE FROM runs WHERE task_id = ?"_s, {id});
        m_store.exec(u"DELETE FROM tasks WHERE id = ?"_s, {id});
        m_store.markTaskRemoved(id);
    });
}

void TaskRepository::removeForProject(const QString &projectId)
{
    for (const QJsonObject &task : forProject(projectId))
        remove(task.value(u"id"_s).toString());
}

QJsonObject TaskRepository::assign(const QString &id, const QStringList &agentIds)
{
    return m_store.write([&] {
        const QJsonObject before = get(id);
        QStringList assignees = toStringList(before.value(u"assignee_ids"_s));
        QStringList added;
        for (const QString &agentId : distinct(agentIds)) {
            m_store.agents().get(agentId);   // 404 for an unknown agent
            if (assignees.contains(agentId))
                continue;
            assignees.append(agentId);
            added.append(agentId);
        }
        QJsonObject changes{{u"assignee_ids"_s, QJsonArray::fromStringList(assignees)},
                            {u"updated_at"_s, nowIso()}};
        if (before.value(u"status"_s).toString() == u"inbox"_s && !assignees.isEmpty())
            changes.insert(u"status"_s, u"assigned"_s);
        m_store.update(taskTable(), id, changes);
        replaceLinks(id, assignees, toStringList(before.value(u"tags"_s)));
        // One activity per new assignee, worded as PocketPaw words it.
        for (const QString &agentId : std::as_const(added)) {
            m_store.logActivity(u"task_assigned"_s,
                                u"%1 assigned to: %2"_s.arg(m_store.agents().get(agentId).value(u"name"_s).toString(),
                                                            before.value(u"title"_s).toString()),
                                agentId, id);
        }
        if (!added.isEmpty())
            notifyAssigned(before, added);
        m_store.markTaskChanged(id);
        return get(id);
    });
}

QJsonObject TaskRepository::setAssignees(const QString &id, const QStringList &agentIds)
{
    return m_store.write([&] {
        const QStringList wanted = distinct(agentIds);
        const QJsonObject before = assign(id, wanted);
        const QStringList kept = toStringList(before.value(u"assignee_ids"_s));
        QStringList remaining;
        for (const QString &agentId : kept) {
            if (wanted.contains(agentId))
                remaining.append(agentId);
        }
        if (remaining == kept)
            return before;
        m_store.update(taskTable(), id, {{u"assignee_ids"_s, QJsonArray::fromStringList(remaining)},
                                         {u"updated_at"_s, nowIso()}});
        replaceLinks(id, remaining, toStringList(before.value(u"tags"_s)));
        m_store.logActivity(u"task_updated"_s, u"Task updated: %1"_s.arg(before.value(u"title"_s).toString()),
                            QJsonValue(), id);
        m_store.markTaskChanged(id);
        return get(id);
    });
}

QJsonObject TaskRepository::setStatus(const QString &id, const QString &status, const QJsonValue &agentId,
                                      const QString &activityMessage)
{
    return m_store.write([&] {
        const QJsonObject before = get(id);
        QJsonObject changes{{u"updated_at"_s, nowIso()}};
        applyStatus(before, status, changes);
        m_store.update(taskTable(), id, changes);
        logStatusChange(before, status, agentId.isString() ? agentId : QJsonValue(), activityMessage);
        m_store.markTaskChanged(id);
        return get(id);
    });
}

void TaskRepository::markRunning(const QString &id)
{
    m_store.write([&] {
        const QJsonObject task = get(id);
        QJsonObject changes{{u"updated_at"_s, nowIso()}, {u"active_description"_s, QString()}};
        applyStatus(task, u"in_progress"_s, changes);
        m_store.update(taskTable(), id, changes);
        m_store.markTaskChanged(id);
    });
}

void TaskRepository::setActiveDescription(const QString &id, const QJsonValue &text)
{
    m_store.write([&] {
        m_store.exec(u"UPDATE tasks SET active_description = ? WHERE id = ?"_s,
                     {text.toString(), id});
        m_store.markTaskChanged(id);
    });
}

} // namespace mc
