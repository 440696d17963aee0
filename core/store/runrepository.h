#pragma once

#include "outputchunk.h"
#include "store.h"

#include <limits>

namespace mc {

// Runs (API.md part B) and their durable, sequence-numbered output.
class RunRepository final
{
public:
    explicit RunRepository(Store &store) : m_store(store) {}

    QJsonObject create(const QString &taskId, const QString &agentId);
    // False, and nothing changed, when the run is no longer `running` (another
    // instance took it over as interrupted after this one's lease expired).
    bool finish(const QString &runId, const QString &status, const QJsonValue &error,
                const QJsonObject &usage);
    // Group commit: one transaction for the whole batch; run counters and the
    // tasks' active_description (latest output) updated once per batch.
    void appendOutput(const QList<OutputChunk> &chunks);
    QJsonObject get(const QString &runId);
    // Newest first, at most `limit` (negative: all); count is every run of the task.
    Page listForTask(const QString &taskId, int limit = -1);
    Page output(const QString &runId, qint64 afterSeq, int limit);
    // Chunks with seq in (afterSeq, upToSeq], oldest first, at most `limit`.
    QList<OutputChunk> chunksAfter(const QString &runId, qint64 afterSeq, qint64 upToSeq,
                                   qsizetype limit = std::numeric_limits<qsizetype>::max());
    // The highest stored seq of a run (0 when it has no output).
    qint64 lastSeq(const QString &runId);
    // Inside the caller's write(): a run's output, or that of every run of a task.
    void removeOutput(const QString &runId);
    void removeOutputOfTask(const QString &taskId);
    QString latestRunId(const QString &taskId);
    // Every run `running` now, on any instance sharing the database, oldest first.
    QList<QJsonObject> running();
    // Marks runs left `running` by a previous process as interrupted; returns
    // them. With instance ids, only the runs of those instances (and, with
    // `unowned`, those that name no instance); without, every running run.
    QList<QJsonObject> recoverInterrupted(const QStringList &instanceIds = {}, bool unowned = true);
    // Runs, tokens and cost summed over all runs, or one agent's / task's
    // (column "agent_id" or "task_id").
    QJsonObject usageTotals(const QString &column = {}, const QString &id = {});

private:
    struct OpenBatch;
    OpenBatch lastBatch(const QString &runId);

    Store &m_store;
};

} // namespace mc
