#include "queuerepository.h"

#include "apierror.h"
#include "clock.h"
#include "fieldspec.h"
#include "projectrepository.h"
#include "taskrepository.h"

#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
constexpr qint64 kMaxRetryDelayS = 3600;
const QString kOrder = u"held, priority_rank, queued_us, task_id"_s;

int priorityRank(const QString &priority)
{
    static const QStringList order{u"urgent"_s, u"high"_s, u"medium"_s, u"low"_s};
    const qsizetype i = order.indexOf(priority);
    return i < 0 ? 2 : int(i);
}

bool projectRuns(const QString &status)
{
    return status == u"approved"_s || status == u"executing"_s || status == u"paused"_s;
}
} // namespace

qint64 QueueRepository::enqueue(const QString &taskId, const QString &agentId, int attempt, const QString &notBefore)
{
    return m_store.write([&] {
        const QJsonObject task = m_store.tasks().get(taskId);
        if (contains(taskId))
            throw ApiError::conflict(u"Task is already queued"_s);
        const QString projectId = task.value(u"project_id"_s).toString();
        const bool held = !projectId.isEmpty()
                && m_store.text(u"SELECT status FROM projects WHERE id = ?"_s, {projectId}) == u"paused"_s;
        m_lastQueuedUs = std::max(nowMicros(), m_lastQueuedUs + 1);
        // Another instance may queue it between the check and the insert.
        QSqlQuery &q = m_store.exec(
                u"INSERT INTO task_queue (task_id, agent_id, priority_rank, queued_at, queued_us, attempt, not_before, held) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"_s,
                {taskId, agentId, priorityRank(task.value(u"priority"_s).toString()), isoFromMicros(m_lastQueuedUs),
                 m_lastQueuedUs, attempt, notBefore.isEmpty() ? QVariant() : QVariant(notBefore), held ? 1 : 0});
        if (q.numRowsAffected() == 0)
            throw ApiError::conflict(u"Task is already queued"_s);
        const qint64 at = position(taskId);
        m_store.markQueued({{u"task_id"_s, taskId}, {u"agent_id"_s, agentId}, {u"position"_s, at}});
        m_store.markTaskChanged(taskId);
        return at;
    });
}

bool QueueRepository::contains(const QString &taskId)
{
    return m_store.count(u"SELECT COUNT(*) FROM task_queue WHERE task_id = ?"_s, {taskId}) > 0;
}

qint64 QueueRepository::position(const QString &taskId)
{
    if (!contains(taskId))
        return 0;
    // Row values compare in index order: the rows ahead of this one, plus one.
    return 1 + m_store.count(u"SELECT COUNT(*) FROM task_queue q, task_queue me WHERE me.task_id = ? AND (q.held, q.priority_rank, q.queued_us, q.task_id) < (me.held, me.priority_rank, me.queued_us, me.task_id)"_s,
                             {taskId});
}

qint64 QueueRepository::size()
{
    return m_store.count(u"SELECT COUNT(*) FROM task_queue"_s);
}

bool QueueRepository::remove(const QString &taskId, const QString &reason)
{
    return m_store.write([&] {
        if (!contains(taskId))
            return false;
        m_store.exec(u"DELETE FROM task_queue WHERE task_id = ?"_s, {taskId});
        m_store.markDequeued(taskId, reason);
        m_store.markTaskChanged(taskId);
        return true;
    });
}

void QueueRepository::removeForAgent(const QString &agentId)
{
    QStringList tasks;
    QSqlQuery &q = m_store.exec(u"SELECT task_id FROM task_queue WHERE agent_id = ?"_s, {agentId});
    while (q.next())
        tasks.append(q.value(0).toString());
    q.finish();
    for (const QString &taskId : std::as_const(tasks))
        remove(taskId, u"deleted"_s);
}

int QueueRepository::claimForRun(const QString &taskId, bool fromQueue)
{
    int attempt = 1;
    // The row stays locked until the run's transaction ends: of the instances
    // that read the same head, one claims it; the others wait for its commit
    // and find the row gone (and meanwhile head() skips it).
    QSqlQuery &q = m_store.exec(u"SELECT attempt FROM task_queue WHERE task_id = ?"_s + m_store.dialect().forUpdate(),
                                {taskId});
    const bool queued = q.next();
    if (queued)
        attempt = std::max(1, q.value(0).toInt());
    q.finish();
    if (fromQueue && !queued)
        throw ApiError::conflict(u"Task is no longer queued"_s);
    if (queued)
        remove(taskId, u"started"_s);
    const QString projectId = m_store.text(u"SELECT project_id FROM tasks WHERE id = ?"_s, {taskId});
    if (!projectId.isEmpty()
        && m_store.text(u"SELECT status FROM projects WHERE id = ?"_s, {projectId}) == u"approved"_s)
        m_store.projects().setStatus(projectId, u"executing"_s);
    return attempt;
}

std::optional<QueueRepository::Head> QueueRepository::head(const QString &now)
{
    QSqlQuery &q = m_store.exec(u"SELECT task_id, agent_id FROM task_queue WHERE held = 0 AND (not_before IS NULL OR not_before <= ?) ORDER BY "_s
                                        + kOrder + u" LIMIT 1"_s + m_store.dialect().skipLocked(),
                                {now});
    std::optional<Head> head;
    if (q.next())
        head = Head{q.value(0).toString(), q.value(1).toString()};
    q.finish();
    return head;
}

QString QueueRepository::nextDue(const QString &now)
{
    return m_store.text(u"SELECT MIN(not_before) FROM task_queue WHERE not_before > ? AND held = 0"_s, {now});
}

QJsonObject QueueRepository::list(int limit)
{
    QJsonArray items;
    QSqlQuery &q = m_store.exec(u"SELECT task_id, agent_id, queued_at, attempt, not_before FROM task_queue ORDER BY "_s
                                        + kOrder + u" LIMIT ?"_s,
                                {limit});
    while (q.next()) {
        items.append(QJsonObject{{u"task_id"_s, q.value(0).toString()},
                                 {u"agent_id"_s, q.value(1).toString()},
                                 {u"position"_s, items.size() + 1},
                                 {u"queued_at"_s, q.value(2).toString()},
                                 {u"attempt"_s, q.value(3).toInt()},
                                 {u"not_before"_s, q.value(4).isNull() ? QJsonValue() : QJsonValue(q.value(4).toString())}});
    }
    q.finish();
    return {{u"queue"_s, items}, {u"count"_s, size()}};
}

void QueueRepository::setHeldForProject(const QString &projectId, bool held)
{
    m_store.exec(u"UPDATE task_queue SET held = ? WHERE task_id IN (SELECT id FROM tasks WHERE project_id = ?)"_s,
                 {held ? 1 : 0, projectId});
}

void QueueRepository::setPriority(const QString &taskId, const QString &priority)
{
    m_store.exec(u"UPDATE task_queue SET priority_rank = ? WHERE task_id = ?"_s, {priorityRank(priority), taskId});
}

QList<QueueRepository::Head> QueueRepository::enqueueReady(const std::function<bool(const QString &)> &stillRunning,
                                                        const QSet<QString> *changed)
{
    struct Candidate
    {
        QString id;
        QStringList assignees;
        QStringList blockers;
    };
    QList<Candidate> candidates;
    const QString ready = u"SELECT id, assignee_ids, blocked_by FROM tasks t WHERE auto_run = 1 AND status IN ('inbox', 'assigned') AND NOT EXISTS (SELECT 1 FROM task_queue q WHERE q.task_id = t.id)"_s;
    const auto read = [&candidates](QSqlQuery &q) {
        while (q.next()) {
            candidates.append({q.value(0).toString(),
                               toStringList(QJsonDocument::fromJson(q.value(1).toByteArray()).array()),
                               toStringList(QJsonDocument::fromJson(q.value(2).toByteArray()).array())});
        }
        q.finish();
    };
    if (!changed) {
        read(m_store.exec(ready + u" ORDER BY created_at, id"_s));
    } else {
        // Only what a change can have made ready: the changed tasks and the
        // tasks they block (their dependents), not every waiting task.
        QSet<QString> ids = *changed;
        for (const QString &id : *changed) {
            const QString blocks = m_store.text(u"SELECT blocks FROM tasks WHERE id = ?"_s, {id});
            for (const QString &dependent : toStringList(QJsonDocument::fromJson(blocks.toUtf8()).array()))
                ids.insert(dependent);
        }
        QStringList ordered(ids.cbegin(), ids.cend());
        ordered.sort();
        for (const QString &id : std::as_const(ordered))
            read(m_store.exec(ready + u" AND id = ?"_s, {id}));
    }
    QList<Head> queued;
    for (const Candidate &c : std::as_const(candidates)) {
        if (c.assignees.isEmpty() || (stillRunning && stillRunning(c.id))
            || m_store.count(u"SELECT COUNT(*) FROM agents WHERE id = ?"_s, {c.assignees.constFirst()}) == 0)
            continue;
        if (!upstreamsDone(c.blockers, stillRunning))
            continue;
        try {
            m_store.write([&] { enqueue(c.id, c.assignees.constFirst()); });
        } catch (const StoreError &) {
            // Another instance sharing the database queued it first.
            if (!m_store.isShared() || !contains(c.id))
                throw;
            continue;
        } catch (const ApiError &e) {
            if (e.status() != 409)
                throw;
            continue;
        }
        queued.append({c.id, c.assignees.constFirst()});
    }
    return queued;
}

bool QueueRepository::upstreamsDone(const QStringList &blockers, const std::function<bool(const QString &)> &stillRunning)
{
    // An upstream that ended in error or was stopped is not done: it does not release its dependents.
    return std::all_of(blockers.cbegin(), blockers.cend(), [&](const QString &blocker) {
        const QString status = m_store.text(u"SELECT status FROM tasks WHERE id = ?"_s, {blocker});
        return status.isEmpty() || (status == u"done"_s && !(stillRunning && stillRunning(blocker)));
    });
}

void QueueRepository::requeueInterrupted(const QString &runId, const QString &taskId, const QString &agentId)
{
    if (!m_store.fetch(taskTable(), taskId).value(u"auto_run"_s).toBool() || contains(taskId))
        return;
    const int attempt = int(m_store.count(u"SELECT attempt FROM runs WHERE id = ?"_s, {runId}));
    enqueue(taskId, agentId, qMax(1, attempt));
}

void QueueRepository::afterRunEnd(const QString &runId, const QString &taskId, const QString &agentId,
                                  const QString &status)
{
    const QJsonObject task = m_store.fetch(taskTable(), taskId);
    if (task.isEmpty())
        return;
    const QString projectId = task.value(u"project_id"_s).toString();
    const QString projectStatus = projectId.isEmpty()
            ? QString()
            : m_store.text(u"SELECT status FROM projects WHERE id = ?"_s, {projectId});
    if (status == u"error"_s) {
        const int attempt = int(m_store.count(u"SELECT attempt FROM runs WHERE id = ?"_s, {runId}));
        const int maxAttempts = task.value(u"max_attempts"_s).toInt(1);
        if (attempt < maxAttempts && !contains(taskId)) {
            // retry_delay_s doubled per attempt made, capped at an hour.
            const qint64 base = std::clamp<qint64>(task.value(u"retry_delay_s"_s).toInteger(30), 0, kMaxRetryDelayS);
            const qint64 delayS = std::min(kMaxRetryDelayS, base << std::min(attempt - 1, 12));
            enqueue(taskId, agentId, attempt + 1, isoFromMicros(nowMicros() + delayS * 1000000));
        } else if (projectRuns(projectStatus)) {
            m_store.projects().setStatus(projectId, u"failed"_s);
        }
    } else if (status == u"completed"_s && projectRuns(projectStatus)) {
        finishProjectIfDone(projectId);
    }
}

void QueueRepository::finishProjectIfDone(const QString &projectId)
{
    const qint64 open = m_store.count(u"SELECT COUNT(*) FROM tasks WHERE project_id = ? AND status NOT IN ('done', 'skipped')"_s,
                                      {projectId});
    if (open == 0)
        m_store.projects().setStatus(projectId, u"completed"_s);
}

} // namespace mc
