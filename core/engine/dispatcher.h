#pragma once

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace mc {

class Executor;
class Store;

// Starts queued tasks (API.md part B "Queue"): whenever a slot frees, the
// queue changes, a task's state changes or a retry falls due, the head of the
// durable queue starts through Executor::start -- the run path of
// POST /tasks/{id}/run, with its events and its 409/429 rules. Lives on the
// main thread, where capacity is decided.
class Dispatcher final : public QObject
{
    Q_OBJECT

public:
    Dispatcher(Store &store, Executor &executor, QObject *parent = nullptr);

    // POST /tasks/{id}/run with "queue": true: starts at once when a slot is
    // free (the 200 of A.5), else queues (202 body with the position).
    // 409 when the task is already running or queued.
    QJsonObject runOrQueue(const QString &taskId, const QString &agentId, int *status);
    // Stops a running task (here or, on a shared database, on another
    // instance) or takes a queued one out of the queue.
    QJsonObject stop(const QString &taskId);
    // DELETE /queue/{task_id}: 404 when the task is not queued.
    void cancel(const QString &taskId);
    // Queues ready auto-run tasks, then fills free slots from the queue.
    void dispatchNow();
    // A pass is coming (coalesced on the event loop).
    void schedule();
    // Executor::isRunning, for QueueRepository::enqueueReady.
    std::function<bool(const QString &)> stillRunning() const;

private:
    bool upstreamsDone(const QString &taskId);
    void fillSlots(const QString &now);
    void armDueTimer(const QString &now);

    Store &m_store;
    Executor &m_executor;
    QTimer m_kick;       // zero-delay, coalesces triggers into one pass
    QTimer m_dueTimer;   // at the earliest not_before
    bool m_sweepAll = true;     // the first pass looks at every waiting task
    QSet<QString> m_changed;    // tasks changed since the last pass
    bool m_inPass = false;
};

} // namespace mc
