#include "executor.h"

#include "instanceid.h"

#include "runprocesses.h"

#include "handoff.h"
#include "outputwriter.h"

#include "agentrepository.h"
#include "apierror.h"
#include "backendregistry.h"
#include "clock.h"
#include "projectrepository.h"
#include "promptbuilder.h"
#include "queuerepository.h"
#include "runend.h"
#include "runprocesses.h"
#include "runchannel.h"
#include "runrepository.h"
#include "runtask.h"
#include "sanitize.h"
#include "runlimits.h"
#include "store.h"
#include "taskrepository.h"

#include <QCoreApplication>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <QDir>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcEngine, "mc.engine")

namespace mc {

namespace {
constexpr int kFlushIntervalMs = 25;
constexpr int kTrimAfterIdleMs = 1000;
constexpr int kRetryEndMs = 500;

QString backendName(const QJsonObject &agent)
{
    return agent.value(u"backend"_s).toString();
}

// What a backend leaves out between two message chunks (see DeliverableText):
// the agent CLIs send text blocks without the blank line between them; the
// command and HTTP backends stream the text itself, line breaks included.
QString pieceSeparator(const QString &backend)
{
    if (backend == u"claude_code"_s || backend == u"claude_agent_sdk"_s || backend == u"codex"_s)
        return u"\n\n"_s;
    return {};
}
} // namespace

Executor::Executor(Store &store, int maxConcurrent, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_max(qMax(1, maxConcurrent))
{
    qRegisterMetaType<OutputChunk>();
    m_pool.setMaxThreadCount(m_max);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &Executor::flushOutput);
    m_trimTimer.setSingleShot(true);
    m_trimTimer.setInterval(kTrimAfterIdleMs);
    connect(&m_trimTimer, &QTimer::timeout, this, &Executor::trimMemory);
    m_drainTimer.setSingleShot(true);
    m_drainTimer.setInterval(0);
    connect(&m_drainTimer, &QTimer::timeout, this, [this] {
        const QStringList tasks = m_active.keys();
        for (const QString &taskId : tasks)
            drain(taskId);
    });
    m_writer = new OutputWriter(store.location());
    m_writer->moveToThread(&m_writerThread);
    m_writerThread.setObjectName(u"mc-output-writer"_s);
    connect(m_writer, &OutputWriter::written, this, &Executor::onWritten);
    m_writerThread.start();
    runOnAndWait(m_writer, [writer = m_writer] { writer->open(); });
}

Executor::~Executor()
{
    shutdown(2000);
    stopWriter();
}

void Executor::stopWriter()
{
    if (!m_writer)
        return;
    syncOutput();
    OutputWriter *writer = std::exchange(m_writer, nullptr);
    // The writer's connection is closed and the object deleted on its own thread.
    runOnAndWait(writer, [writer] { delete writer; });
    m_writerThread.quit();
    m_writerThread.wait();
}

void Executor::setDefaultTimeouts(int timeoutS, int idleTimeoutS)
{
    m_timeoutS = timeoutS;
    m_idleTimeoutS = idleTimeoutS;
}

bool Executor::isRunning(const QString &taskId) const
{
    return m_active.contains(taskId);
}

QString Executor::activeRunId(const QString &taskId) const
{
    return m_active.value(taskId).runId;
}

QString Executor::workingDirFor(const QJsonObject &task, const QJsonObject &config)
{
    const QString configured = config.value(u"cwd"_s).toString();
    if (!configured.isEmpty())
        return configured;
    const QString projectId = task.value(u"project_id"_s).toString();
    const QString dir = projectId.isEmpty()
            ? QDir(m_store.dataDir()).filePath(u"workspaces/"_s + task.value(u"id"_s).toString())
            : m_store.projects().folderPath(projectId);
    QDir().mkpath(dir);
    return dir;
}

QJsonObject Executor::start(const QString &taskId, const QString &agentId, bool fromQueue)
{
    if (m_shuttingDown)
        throw ApiError(503, u"Mission Control is shutting down"_s);
    const QJsonObject task = m_store.tasks().get(taskId);
    const QJsonObject agent = m_store.agents().get(agentId);
    const QString backend = backendName(agent);
    if (!backends::isKnown(backend)) {
        throw ApiError::invalid({u"body"_s, u"agent_id"_s}, u"value_error"_s,
                                u"Agent backend '%1' cannot be run by this build; known backends: %2"_s.arg(
                                        agent.value(u"backend"_s).toString(), backends::known().join(u", "_s)),
                                agentId);
    }
    if (isRunningAnywhere(taskId))
        throw ApiError::conflict(u"Task is already running"_s);
    if (m_active.size() >= m_max)
        throw ApiError(429, u"Maximum concurrent tasks (%1) reached"_s.arg(m_max));

    const QJsonObject config = agent.value(u"metadata"_s).toObject().value(u"backend_config"_s).toObject();
    RunSpec spec;
    spec.runId = newId();
    spec.taskId = taskId;
    spec.agent = agent;
    spec.config = config;
    spec.workingDir = workingDirFor(task, config);
    spec.prompt = buildPrompt(m_store, task, agent, spec.workingDir);
    spec.timeoutS = runSeconds(config.value(u"timeout_s"_s), m_timeoutS);
    spec.idleTimeoutS = runSeconds(config.value(u"idle_timeout_s"_s), m_idleTimeoutS);

    ActiveRun run;
    run.runId = spec.runId;
    run.taskId = taskId;
    run.agentId = agentId;
    run.agentName = agent.value(u"name"_s).toString();
    run.title = task.value(u"title"_s).toString();
    run.channel = std::make_shared<RunChannel>(run.runId, taskId, [this, taskId] {
        runOn(this, [this, taskId] { drain(taskId); });
    }, pieceSeparator(backend));
    auto *job = new RunTask(backends::create(backend), spec, run.channel, [this, taskId](RunOutcome outcome) {
        runOn(this, [this, taskId, outcome] { finish(taskId, outcome); });
    });
    job->recordBaselineIn(m_store.dataDir());
    // The store rows come first: a worker's first output must find its run.
    m_trimTimer.stop();
    m_active.insert(taskId, run);
    try {
        recordStart(run, fromQueue);
    } catch (...) {
        m_active.remove(taskId);   // nothing was stored (a full disk): nothing runs
        delete job;
        throw;
    }
    handOver(job);   // RunTask::run() takes it over on the pool thread
    // Never more than m_max runs are active (checked above), but a run's end
    // reaches this thread before its worker has left run(): a run started at
    // once after it (the queue's head, a quick re-run) waits in the pool's own
    // queue for that worker, which is on its way back.
    m_pool.start(job);
    Q_EMIT runningChanged(running(), m_max);
    return {{u"success"_s, true},
            {u"message"_s, u"Task execution started"_s},
            {u"status"_s, u"started"_s},
            {u"task_id"_s, taskId},
            {u"agent_id"_s, agentId},
            {u"agent_name"_s, run.agentName},
            {u"run_id"_s, run.runId}};
}

void Executor::claimTask(const ActiveRun &run, bool fromQueue)
{
    m_store.write([&] {
        // The run's row is the task's claim: one `running` run per task,
        // whichever instance runs it (a unique index in the schema).
        m_store.insert(runTable(), {{u"id"_s, run.runId},
                                    {u"task_id"_s, run.taskId},
                                    {u"agent_id"_s, run.agentId},
                                    {u"status"_s, u"running"_s},
                                    {u"started_at"_s, nowIso()},
                                    {u"output_chunks"_s, 0},
                                    {u"output_bytes"_s, 0}});
        // Claimed in the run's own transaction: a crash either keeps the
        // task queued or has its run, never both and never neither.
        const int attempt = m_store.queue().claimForRun(run.taskId, fromQueue);
        m_store.exec(u"UPDATE runs SET attempt = ?, instance_id = ? WHERE id = ?"_s,
                     {attempt, thisInstanceId(), run.runId});
        m_store.tasks().markRunning(run.taskId);
        m_store.agents().setWorking(run.agentId, u"active"_s, run.taskId);
        m_store.markRemote(u"started "_s + run.runId);
    });
}

bool Executor::isRunningAnywhere(const QString &taskId)
{
    return m_active.contains(taskId) || (m_store.isShared() && runningAnywhere(taskId));
}

bool Executor::runningAnywhere(const QString &taskId)
{
    return m_store.count(u"SELECT COUNT(*) FROM runs WHERE task_id = ? AND status = 'running'"_s, {taskId}) > 0;
}

void Executor::recordStart(const ActiveRun &run, bool fromQueue)
{
    try {
        claimTask(run, fromQueue);
    } catch (const StoreError &) {
        // The claim's unique index: another instance's run of the task
        // committed first (it is visible once this transaction is over).
        if (runningAnywhere(run.taskId))
            throw ApiError::conflict(u"Task is already running"_s);
        throw;
    }
    Q_EMIT taskStarted({{u"task_id"_s, run.taskId},
                        {u"agent_id"_s, run.agentId},
                        {u"agent_name"_s, run.agentName},
                        {u"task_title"_s, run.title},
                        {u"run_id"_s, run.runId},
                        {u"timestamp"_s, nowIso()}});
    try {
        m_store.write([&] {
            m_store.logActivity(u"task_updated"_s, u"%1 started working on '%2'"_s.arg(run.agentName, run.title),
                                run.agentId, run.taskId, QJsonValue(), {{u"run_id"_s, run.runId}});
        });
    } catch (const StoreError &e) {
        // The run is stored and announced: it goes on without its activity.
        qCWarning(lcEngine) << "logging the start of run" << run.runId << "failed:" << e.message();
    }
}

void Executor::finish(const QString &taskId, const RunOutcome &outcome)
{
    auto it = m_active.find(taskId);
    if (it == m_active.end() || it->finishing)
        return;
    while (!it->channel->isEmpty())
        drain(taskId, true);
    it->finishing = true;
    RunEnd end;
    end.runId = it->runId;
    end.taskId = taskId;
    end.agentId = it->agentId;
    end.agentName = it->agentName;
    end.title = it->title;
    end.status = outcome.status == RunOutcome::Status::Completed ? u"completed"_s
            : outcome.status == RunOutcome::Status::Stopped      ? u"stopped"_s
                                                                 : u"error"_s;
    if (end.status == u"error"_s)
        end.error = sanitizeError(outcome.error, m_secrets);
    end.usage = outcome.usage;
    end.byShutdown = m_shuttingDown && end.status == u"stopped"_s;
    // Built here from the message chunks only, whatever the backend assembled.
    end.deliverable = it->channel->deliverable();
    // The writer records the end after the run's last output, on its own
    // connection; the run counts as running until that is committed, so nobody
    // sees a finished run whose task still says in_progress.
    flushOutput();
    recordEnd(end);
}

void Executor::recordEnd(const RunEnd &end)
{
    runOn(m_writer, [this, writer = m_writer, end] {
        const std::optional<QList<Store::Change>> changes = writer->recordEnd(end);
        runOn(this, [this, end, changes] {
            if (changes) {
                onEndRecorded(end, *changes);
            } else if (m_writer && !m_shuttingDown) {
                // The store failed (a full disk, a lost connection): the run
                // counts as running until its end is stored; try again. At
                // shutdown it stays `running` and becomes `interrupted` on the
                // next start.
                QTimer::singleShot(kRetryEndMs, this, [this, end] {
                    if (m_writer)
                        recordEnd(end);
                });
            }
        });
    });
}

void Executor::onEndRecorded(const RunEnd &end, const QList<Store::Change> &changes)
{
    if (m_active.remove(end.taskId) == 0)
        return;
    Q_EMIT taskCompleted(completedEvent(end));
    m_store.announce(changes);
    Q_EMIT runningChanged(running(), m_max);
    if (m_active.isEmpty())
        m_trimTimer.start();
}

void Executor::trimMemory()
{
    if (m_unpersisted.isEmpty())
        m_unpersisted = {};   // its capacity (up to 64k chunks) too
#ifdef __GLIBC__
    // A streaming burst leaves freed buffers in malloc's arenas (output chunks,
    // WebSocket send buffers once clients caught up); hand them back to the
    // system. That takes tens of milliseconds after a big burst, so the writer
    // thread does it, not the GUI's.
    if (m_active.isEmpty() && m_writer)
        runOn(m_writer, [] { malloc_trim(0); });
#endif
}

void Executor::stop(const QString &taskId)
{
    auto it = m_active.find(taskId);
    if (it != m_active.end())
        return it->channel->cancel();
    m_store.tasks().get(taskId);
    // A run of another instance sharing the database: that instance hears the
    // request through the change feed (RemoteRelay) and stops it as its own.
    // Only a run of another live instance: this instance's own run that has
    // just ended, or a dead instance's run its lease will interrupt, is not
    // running for anyone to stop.
    const QString remoteRunId = m_store.isShared()
            ? m_store.text(u"SELECT r.id FROM runs r JOIN instances i ON i.id = r.instance_id "
                           "WHERE r.task_id = ? AND r.status = 'running' AND r.instance_id <> ? AND i.expires_at > ?"_s,
                           {taskId, thisInstanceId(), nowIso()})
            : QString();
    if (remoteRunId.isEmpty())
        throw ApiError::notFound(u"Task is not currently running"_s);
    m_store.write([&] { m_store.markRemote(u"stop "_s + remoteRunId + u' ' + taskId); });
}

void Executor::stopRun(const QString &runId, const QString &taskId)
{
    auto it = m_active.find(taskId);
    if (it != m_active.end() && it->runId == runId)
        it->channel->cancel();
}

void Executor::stopAll()
{
    for (const ActiveRun &run : std::as_const(m_active))
        run.channel->cancel();
}

QJsonArray Executor::runningTasks()
{
    QJsonArray out;
    const auto add = [&](const QString &taskId, const QString &title, const QString &agentId, const QString &runId) {
        const QJsonObject task = m_store.fetch(taskTable(), taskId);
        out.append(QJsonObject{{u"task_id"_s, taskId},
                               {u"title"_s, title.isEmpty() ? task.value(u"title"_s).toString() : title},
                               {u"status"_s, task.value(u"status"_s).toString(u"in_progress"_s)},
                               {u"assignee_ids"_s, task.value(u"assignee_ids"_s).toArray()},
                               {u"agent_id"_s, agentId},
                               {u"run_id"_s, runId}});
    };
    for (const ActiveRun &run : std::as_const(m_active))
        add(run.taskId, run.title, run.agentId, run.runId);
    // Runs of other instances sharing the database: the board is one.
    for (const QJsonObject &run : m_store.runs().running()) {
        const QString taskId = run.value(u"task_id"_s).toString();
        if (!m_active.contains(taskId))
            add(taskId, QString(), run.value(u"agent_id"_s).toString(), run.value(u"id"_s).toString());
    }
    return out;
}

QList<OutputChunk> Executor::replay(const QString &taskId, const QString &runId, qint64 afterSeq, qsizetype maxChunks)
{
    QString id = runId;
    if (id.isEmpty())
        id = m_active.contains(taskId) ? m_active.value(taskId).runId : m_store.runs().latestRunId(taskId);
    if (id.isEmpty() || maxChunks <= 0)
        return {};
    // Sequence numbers are contiguous per run: a page is a range of them.
    const qint64 upTo = maxChunks >= std::numeric_limits<qint64>::max() - afterSeq
            ? std::numeric_limits<qint64>::max()
            : afterSeq + qint64(maxChunks);
    QList<OutputChunk> chunks = m_store.runs().chunksAfter(id, afterSeq, upTo);
    const qint64 storedUpTo = chunks.isEmpty() ? afterSeq : chunks.constLast().seq;
    for (const OutputChunk &c : std::as_const(m_unpersisted)) {
        if (c.runId == id && c.seq > storedUpTo && c.seq <= upTo)
            chunks.append(c);
    }
    for (OutputChunk &c : chunks)
        c.taskId = taskId;
    return chunks;
}

int Executor::recoverInterrupted(const QStringList &instanceIds, bool unowned)
{
    const QList<QJsonObject> runs = m_store.runs().recoverInterrupted(instanceIds, unowned);
    // What those runs started and what outlived the crash (tools in their own
    // sessions, grandchildren) still carries the run's id: end it.
    QStringList runIds;
    for (const QJsonObject &run : runs)
        runIds.append(run.value(u"id"_s).toString());
    if (const int ended = runprocesses::endAll(runIds))
        qCInfo(lcEngine) << ended << "leftover process(es) of interrupted runs ended";
    for (const QJsonObject &run : runs) {
        const QString taskId = run.value(u"task_id"_s).toString();
        const QString agentId = run.value(u"agent_id"_s).toString();
        try {
            m_store.write([&] {
                const QJsonObject task = m_store.fetch(taskTable(), taskId);
                if (!task.isEmpty()) {
                    m_store.tasks().setStatus(taskId, u"blocked"_s, agentId,
                                              u"Run of '%1' was interrupted when Mission Control stopped; the task is blocked until it is run again"_s
                                                      .arg(task.value(u"title"_s).toString()));
                    m_store.tasks().setActiveDescription(taskId, QJsonValue());
                }
                m_store.agents().setWorking(agentId, u"idle"_s, QJsonValue());
                // The crash was not the agent's failure.
                if (!task.isEmpty())
                    m_store.queue().requeueInterrupted(run.value(u"id"_s).toString(), taskId, agentId);
            });
        } catch (const std::exception &e) {
            qCWarning(lcEngine) << "recovering run" << run.value(u"id"_s).toString() << "failed:" << e.what();
        }
    }
    return int(runs.size());
}

void Executor::shutdown(int graceMs)
{
    m_shuttingDown = true;
    for (const ActiveRun &run : std::as_const(m_active))
        run.channel->cancel();
    if (!m_active.isEmpty())
        m_pool.waitForDone(graceMs);
    // The workers' completions were posted to this thread; take them now.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    const QStringList left = m_active.keys();
    for (const QString &taskId : left)
        finish(taskId, RunOutcome::stopped());
    syncOutput();
    // The writer has recorded every end; announce them.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

} // namespace mc
