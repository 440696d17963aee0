#include "runchannel.h"

#include "clock.h"

namespace mc {

RunChannel::RunChannel(QString runId, QString taskId, std::function<void()> wake)
    : m_runId(std::move(runId))
    , m_taskId(std::move(taskId))
    , m_wake(std::move(wake))
{
}

void RunChannel::output(const QString &type, const QString &content)
{
    OutputChunk chunk{m_runId, m_taskId, 0, type, content, nowIso()};
    bool wasEmpty = false;
    {
        QMutexLocker lock(&m_mutex);
        chunk.seq = m_nextSeq++;
        wasEmpty = m_pending.isEmpty();
        m_pending.append(std::move(chunk));
    }
    if (wasEmpty)
        m_wake();
}

QList<OutputChunk> RunChannel::take()
{
    QMutexLocker lock(&m_mutex);
    return std::exchange(m_pending, {});
}

} // namespace mc
