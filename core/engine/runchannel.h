#pragma once

#include "agentbackend.h"
#include "deliverabletext.h"
#include "outputchunk.h"

#include <QList>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace mc {

// The thread-safe meeting point of one run's pool thread and the main thread:
// the worker numbers and queues output chunks; the main thread is woken once
// per batch (not once per chunk) and takes them in slices. When the main
// thread falls behind, output() blocks the worker -- and so, through the full
// pipe, the agent -- instead of letting the queue grow without bound. The bound
// is in bytes: 2048 chunks of 64 KiB would be 256 MiB per run.
// std::mutex rather than QMutex: ThreadSanitizer sees pthread locks, not the
// futexes of an uninstrumented Qt, so the channel can be checked under TSan.
class RunChannel final : public RunSink
{
public:
    // separator: see DeliverableText.
    RunChannel(QString runId, QString taskId, std::function<void()> wake, QString separator = {});

    void output(const QString &type, const QString &content) override;
    void notice(const QString &content) override;
    bool cancelled() const override { return m_cancelled.load(std::memory_order_acquire); }
    void cancel();
    // Up to `max` chunks, oldest first; *more says whether some are left.
    QList<OutputChunk> take(qsizetype max, bool *more);

    static constexpr qint64 maxQueuedBytes = 4 * 1024 * 1024;
    // What a queued chunk of this content costs in memory (text + bookkeeping).
    static qint64 footprint(const QString &content) { return content.size() * qint64(sizeof(QChar)) + 256; }
    const QString &runId() const { return m_runId; }
    bool isEmpty();
    // The deliverable built from the message chunks so far.
    QString deliverable();

private:
    void append(const QString &type, const QString &content, bool answer);

    const QString m_runId;
    const QString m_taskId;
    const std::function<void()> m_wake;
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::condition_variable m_drained;
    QList<OutputChunk> m_pending;
    qint64 m_pendingBytes = 0;
    DeliverableText m_deliverable;
    qint64 m_nextSeq = 1;
};

} // namespace mc
