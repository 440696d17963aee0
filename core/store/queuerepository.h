#pragma once

#include "store.h"

#include <QSet>

#include <functional>
#include <optional>

namespace mc {

// The durable run queue (API.md part B "Queue"): rows of task_queue, in the
// order priority (urgent first), then time queued. Every method runs inside
// the caller's transaction when there is one; mc_task_queued and
// mc_task_dequeued are announced after commit.
class QueueRepository final
{
public:
    explicit QueueRepository(Store &store) : m_store(store) {}

    struct Head
    {
        QString taskId;
        QString agentId;
    };

    // Queues a task (409 "Task is already queued" when it is); returns its position.
    qint64 enqueue(const QString &taskId, const QString &agentId, int attempt = 1, const QString &notBefore = {});
    bool contains(const QString &taskId);
    qint64 position(const QString &taskId);   // 1-based; 0 when not queued
    qint64 size();
    // Removes a task's row; reason is started, cancelled or deleted. False when not queued.
    bool remove(const QString &taskId, const QString &reason);
    void removeForAgent(const QString &agentId);
    // A run of the task starts (inside the run's transaction): its row leaves
    // the queue and its project, if approved, is executing. Returns the attempt
    // the run is (1 when the task was not queued). With `fromQueue`, the row
    // must still be there: 409 when another instance claimed it first.
    int claimForRun(const QString &taskId, bool fromQueue = false);
    // The first row due at `now` (an ISO time) and not held (O(log n) on the
    // order index); on PostgreSQL, rows other instances are claiming are skipped.
    std::optional<Head> head(const QString &now);
    // The earliest not_before after `now` among rows not held (empty if none).
    // Given the same `now` as head(), every row is either due there or here:
    // none falls between the two reads and is forgotten.
    QString nextDue(const QString &now);
    // {"queue": [...], "count": n}
    QJsonObject list(int limit);
    // Rows of a paused project's tasks stay in the queue but are not dispatched.
    void setHeldForProject(const QString &projectId, bool held);
    void setPriority(const QString &taskId, const QString &priority);
    // Queues every auto_run task that has an assignee and whose blocked_by
    // tasks are all done, with its first assignee. Returns (task, agent) pairs.
    // An upstream whose run is still being wound up (stillRunning) does not
    // count as done yet: its mc_task_completed comes before a dependent starts.
    // Without `changed`, every waiting auto-run task is looked at (start-up,
    // heartbeat); with it, only those tasks and the tasks they block.
    QList<Head> enqueueReady(const std::function<bool(const QString &)> &stillRunning = {},
                             const QSet<QString> *changed = nullptr);
    // Inside the transaction that records a run's end: an error is retried
    // while attempts are left; a project's status follows its tasks.
    void afterRunEnd(const QString &runId, const QString &taskId, const QString &agentId, const QString &status);
    // A run cut short by Mission Control stopping (a crash or a quit), not by
    // the agent: an auto-run task goes back to the queue as the same attempt.
    void requeueInterrupted(const QString &runId, const QString &taskId, const QString &agentId);
    // Every task in `blockers` is done (or gone) and no longer winding up its run.
    bool upstreamsDone(const QStringList &blockers, const std::function<bool(const QString &)> &stillRunning = {});

private:
    void finishProjectIfDone(const QString &projectId);

    Store &m_store;
    qint64 m_lastQueuedUs = 0;
};

} // namespace mc
