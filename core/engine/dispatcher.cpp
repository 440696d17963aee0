#include "dispatcher.h"

#include "apierror.h"
#include "backendregistry.h"
#include "clock.h"
#include "executor.h"
#include "fieldspec.h"
#include "queuerepository.h"
#include "store.h"
#include "taskrepository.h"

#include <QJsonArray>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcDispatch, "mc.dispatch")

namespace mc {

namespace {
constexpr qint64 kMaxTimerMs = 3600 * 1000;
constexpr qsizetype kMaxTargetedSweep = 256;
}

Dispatcher::Dispatcher(Store &store, Executor &executor, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_executor(executor)
{
    m_kick.setSingleShot(true);
    m_kick.setInterval(0);
    connect(&m_kick, &QTimer::timeout, this, &Dispatcher::dispatchNow);
    m_dueTimer.setSingleShot(true);
    connect(&m_dueTimer, &QTimer::timeout, this, &Dispatcher::schedule);
    // A slot freed, or a task's state changed (a run ended, an upstream is done,
    // an assignee or auto_run was set, a project was approved or resumed).
    connect(&executor, &Executor::runningChanged, this, [this](int running, int max) {
        if (running < max)
            schedule();
    });
    connect(&store, &Store::taskChanged, this, [this](const QString &taskId) {
        if (m_changed.size() < kMaxTargetedSweep)
            m_changed.insert(taskId);
        else
            m_sweepAll = true;   // a bulk change: one full sweep is cheaper
        schedule();
    });
    connect(&store, &Store::taskQueued, this, &Dispatcher::schedule);
    // A run's end is announced once its worker is done: only then do its
    // dependents count it as done (the store's change came before).
    connect(&executor, &Executor::taskCompleted, this, [this](const QJsonObject &event) {
        m_changed.insert(event.value(u"task_id"_s).toString());
        schedule();
    });
}

std::function<bool(const QString &)> Dispatcher::stillRunning() const
{
    return [executor = &m_executor](const QString &taskId) { return executor->isRunning(taskId); };
}

void Dispatcher::schedule()
{
    if (!m_kick.isActive())
        m_kick.start();
}

QJsonObject Dispatcher::runOrQueue(const QString &taskId, const QString &agentId, int *status)
{
    const QJsonObject task = m_store.tasks().get(taskId);
    if (m_executor.isRunningAnywhere(taskId))
        throw ApiError::conflict(u"Task is already running"_s);
    if (m_store.queue().contains(taskId))
        throw ApiError::conflict(u"Task is already queued"_s);
    if (m_executor.running() < m_executor.maxConcurrent())
        return m_executor.start(taskId, agentId);
    // Validated as a start would be (404, 422 for a backend this build cannot run).
    const QJsonObject agent = m_store.fetchOr404(agentTable(), agentId, u"Agent not found"_s);
    if (!backends::isKnown(agent.value(u"backend"_s).toString()))
        return m_executor.start(taskId, agentId);   // its 422, naming the backends this build knows
    const qint64 position = m_store.queue().enqueue(taskId, agentId);
    *status = 202;
    return {{u"success"_s, true},
            {u"message"_s, u"Task queued"_s},
            {u"status"_s, u"queued"_s},
            {u"task_id"_s, taskId},
            {u"agent_id"_s, agentId},
            {u"agent_name"_s, agent.value(u"name"_s).toString()},
            {u"position"_s, position}};
}

QJsonObject Dispatcher::stop(const QString &taskId)
{
    if (!m_executor.isRunningAnywhere(taskId) && m_store.queue().remove(taskId, u"cancelled"_s)) {
        return {{u"status"_s, u"stopped"_s},
                {u"task_id"_s, taskId},
                {u"message"_s, u"Task removed from the queue"_s}};
    }
    m_executor.stop(taskId);
    return {{u"status"_s, u"stopped"_s}, {u"task_id"_s, taskId}, {u"message"_s, u"Task execution stopped"_s}};
}

void Dispatcher::cancel(const QString &taskId)
{
    if (!m_store.queue().remove(taskId, u"cancelled"_s)) {
        m_store.tasks().get(taskId);
        throw ApiError::notFound(u"Task is not queued"_s);
    }
}

void Dispatcher::dispatchNow()
{
    if (m_inPass)
        return schedule();
    m_inPass = true;
    // One reading of the clock for the whole pass: a retry that becomes due
    // between head() and nextDue() would otherwise be neither dispatched nor
    // timed, and wait for an unrelated event.
    const QString now = nowIso();
    try {
        const QSet<QString> changed = std::exchange(m_changed, {});
        if (std::exchange(m_sweepAll, false))
            m_store.queue().enqueueReady(stillRunning());
        else if (!changed.isEmpty())
            m_store.queue().enqueueReady(stillRunning(), &changed);
        fillSlots(now);
    } catch (const std::exception &e) {
        qCWarning(lcDispatch) << "dispatching failed:" << e.what();
    }
    m_inPass = false;
    armDueTimer(now);
}

bool Dispatcher::upstreamsDone(const QString &taskId)
{
    // Only auto-run tasks wait for their upstreams; a task queued by hand
    // runs when its turn comes, as a direct run would.
    const QJsonObject task = m_store.fetch(taskTable(), taskId);
    return !task.value(u"auto_run"_s).toBool()
            || m_store.queue().upstreamsDone(toStringList(task.value(u"blocked_by"_s)), stillRunning());
}

void Dispatcher::fillSlots(const QString &now)
{
    while (m_executor.running() < m_executor.maxConcurrent()) {
        const auto head = m_store.queue().head(now);
        if (!head)
            return;
        if (!upstreamsDone(head->taskId)) {
            // Given a new blocker while it waited: it goes back to waiting,
            // and is queued again once that blocker is done.
            m_store.queue().remove(head->taskId, u"cancelled"_s);
            continue;
        }
        try {
            m_executor.start(head->taskId, head->agentId, true);
        } catch (const ApiError &e) {
            if (e.status() == 429 || e.status() == 503)
                return;   // its slot is not free yet: the run's end triggers the next pass
            if (e.status() == 409) {
                // Already running (set back to a runnable status while its run
                // goes on): that run is its turn; the rest of the queue goes on.
                m_store.queue().remove(head->taskId, u"cancelled"_s);
                continue;
            }
            // The agent or the task cannot run (deleted, unknown backend): the
            // task leaves the queue and is blocked, so no sweep queues it again.
            const QString why = e.detail().isString() ? e.detail().toString()
                                                      : e.detail().toArray().first().toObject().value(u"msg"_s).toString();
            qCWarning(lcDispatch) << "queued task" << head->taskId << "cannot start:" << why;
            m_store.write([&] {
                m_store.queue().remove(head->taskId, u"cancelled"_s);
                if (!m_store.fetch(taskTable(), head->taskId).isEmpty())
                    m_store.tasks().setStatus(head->taskId, u"blocked"_s, QJsonValue(),
                                              u"Queued run could not start: "_s + why.left(200));
            });
        }
    }
}

void Dispatcher::armDueTimer(const QString &now)
{
    const QString due = m_store.queue().nextDue(now);
    if (due.isEmpty()) {
        m_dueTimer.stop();
        return;
    }
    // Rounded up, so the pass it starts finds the row due.
    const qint64 ms = qBound<qint64>(0, (microsFromIso(due).value_or(0) - nowMicros()) / 1000 + 1, kMaxTimerMs);
    m_dueTimer.start(int(ms));
}

} // namespace mc
