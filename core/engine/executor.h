#pragma once

#include "agentbackend.h"
#include "outputchunk.h"
#include "store.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QMap>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <limits>
#include <memory>

namespace mc {

class OutputWriter;
class RunChannel;
struct RunEnd;

// Runs tasks on a pool capped at the concurrency limit (API.md A.5). Capacity
// is checked and reserved here, on the main thread, where every run request
// arrives; tryStart() is the second guard. Output is numbered per run,
// broadcast as it arrives and written to the store in batches (group commit).
class Executor final : public QObject
{
    Q_OBJECT

public:
    Executor(Store &store, int maxConcurrent, QObject *parent = nullptr);
    ~Executor() override;

    // Starts a run; throws ApiError 404 / 409 / 422 / 429 (and changes nothing then).
    // "Already running" holds for runs of every instance sharing the database;
    // the 429 counts this instance's runs. A start from the queue claims the
    // task's queue row: 409 when another instance took it first.
    QJsonObject start(const QString &taskId, const QString &agentId, bool fromQueue = false);
    // Asks a run to stop -- one of this instance, or, on a shared database, one
    // of another instance (asked through the change feed, "stop <run> <task>");
    // throws ApiError 404 when the task is running nowhere.
    void stop(const QString &taskId);
    // Another instance asked for this run's stop (RemoteRelay): stopped as
    // stop() does, when it is this instance's; otherwise nothing.
    void stopRun(const QString &runId, const QString &taskId);
    // Stops every run of this instance (as stop() does, one by one).
    void stopAll();
    QJsonArray runningTasks();
    int running() const { return int(m_active.size()); }
    int maxConcurrent() const { return m_max; }
    bool isRunning(const QString &taskId) const;
    // Here, or on another instance sharing the database.
    bool isRunningAnywhere(const QString &taskId);
    QString activeRunId(const QString &taskId) const;
    // Stored + not yet stored output of a task's run (its current or latest
    // run when runId is empty) after a sequence number, in order.
    QList<OutputChunk> replay(const QString &taskId, const QString &runId, qint64 afterSeq,
                              qsizetype maxChunks = std::numeric_limits<qsizetype>::max());
    // Runs left `running` by a dead process become `interrupted` (their tasks
    // blocked, auto-run ones queued again): every running run, or only those of
    // the given instances (and, with `unowned`, those that name none).
    int recoverInterrupted(const QStringList &instanceIds = {}, bool unowned = true);
    // A run of another instance sharing the database started, printed or ended
    // (RemoteRelay): announced as this instance's own are, to the server and windows.
    void announceRemoteStart(const QJsonObject &data) { Q_EMIT taskStarted(data); }
    void announceRemoteOutput(const OutputChunk &chunk) { Q_EMIT taskOutput(chunk); }
    void announceRemoteEnd(const QJsonObject &data) { Q_EMIT taskCompleted(data); }
    // Stops every run, waits up to graceMs, records them as stopped.
    void shutdown(int graceMs = 5000);
    void setDefaultTimeouts(int timeoutS, int idleTimeoutS);
    void setSecrets(QStringList secrets) { m_secrets = std::move(secrets); }
    // Hands buffered output to the writer thread (returns at once).
    void flushOutput();
    // Flushes and waits until everything handed over is committed.
    void syncOutput();

Q_SIGNALS:
    void taskStarted(const QJsonObject &data);
    void taskOutput(const mc::OutputChunk &chunk);
    void taskCompleted(const QJsonObject &data);
    void runningChanged(int running, int maxConcurrent);

private:
    struct ActiveRun
    {
        QString runId;
        QString taskId;
        QString agentId;
        QString agentName;
        QString title;
        std::shared_ptr<RunChannel> channel;
        qint64 lastSeq = 0;
        bool finishing = false;   // its end is with the writer
    };

    void drain(const QString &taskId, bool force = false);
    void onWritten(quint64 batchId, bool ok);
    void forgetPersisted(qsizetype count);   // the oldest `count` unpersisted chunks were committed
    void stopWriter();
    void finish(const QString &taskId, const RunOutcome &outcome);
    void trimMemory();
    void recordEnd(const RunEnd &end);
    void onEndRecorded(const RunEnd &end, const QList<Store::Change> &changes);
    void recordStart(const ActiveRun &run, bool fromQueue);
    void claimTask(const ActiveRun &run, bool fromQueue);
    bool runningAnywhere(const QString &taskId);
    QString workingDirFor(const QJsonObject &task, const QJsonObject &config);

    Store &m_store;
    int m_max;
    int m_timeoutS = 3600;
    int m_idleTimeoutS = 600;
    QThreadPool m_pool;
    QHash<QString, ActiveRun> m_active;      // by task id
    // Output not yet known to be committed, oldest first; the first m_sent of
    // them are with the writer, in the batches of m_batches (id -> size).
    QList<OutputChunk> m_unpersisted;
    qint64 m_unpersistedBytes = 0;
    qsizetype m_sent = 0;
    QMap<quint64, qsizetype> m_batches;
    quint64 m_nextBatch = 1;
    QThread m_writerThread;
    OutputWriter *m_writer = nullptr;
    QTimer m_flushTimer;
    QTimer m_drainTimer;
    QTimer m_trimTimer;   // memory goes back to the system a second after the last run
    QStringList m_secrets;
    bool m_shuttingDown = false;
};

} // namespace mc

Q_DECLARE_METATYPE(mc::OutputChunk)
