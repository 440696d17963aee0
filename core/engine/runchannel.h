#pragma once

#include "agentbackend.h"
#include "outputchunk.h"

#include <QList>
#include <QMutex>

#include <atomic>
#include <functional>

namespace mc {

// The thread-safe meeting point of one run's pool thread and the main thread:
// the worker numbers and queues output chunks; the main thread is woken once
// per batch (not once per chunk) and takes them all.
class RunChannel final : public RunSink
{
public:
    RunChannel(QString runId, QString taskId, std::function<void()> wake);

    void output(const QString &type, const QString &content) override;
    bool cancelled() const override { return m_cancelled.load(std::memory_order_acquire); }
    void cancel() { m_cancelled.store(true, std::memory_order_release); }
    QList<OutputChunk> take();
    const QString &runId() const { return m_runId; }

private:
    const QString m_runId;
    const QString m_taskId;
    const std::function<void()> m_wake;
    std::atomic<bool> m_cancelled{false};
    QMutex m_mutex;
    QList<OutputChunk> m_pending;
    qint64 m_nextSeq = 1;
};

} // namespace mc
