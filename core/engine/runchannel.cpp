#include "runchannel.h"

#include "clock.h"

using namespace Qt::StringLiterals;

namespace mc {

RunChannel::RunChannel(QString runId, QString taskId, std::function<void()> wake, QString separator)
    : m_runId(std::move(runId))
    , m_taskId(std::move(taskId))
    , m_wake(std::move(wake))
    , m_deliverable(std::move(separator))
{
}

void RunChannel::output(const QString &type, const QString &content)
{
    append(type, content, type == u"message"_s);
}

void RunChannel::notice(const QString &content)
{
    append(u"message"_s, content, false);
}

void RunChannel::append(const QString &type, const QString &content, bool answer)
{
    OutputChunk chunk{m_runId, m_taskId, 0, type, content, nowIso()};
    const qint64 bytes = footprint(content);
    bool wasEmpty = false;
    {
        std::unique_lock lock(m_mutex);
        // One chunk always fits, however large: it cannot wait for room that never comes.
        while (!m_pending.isEmpty() && m_pendingBytes + bytes > maxQueuedBytes && !cancelled())
            m_drained.wait_for(lock, std::chrono::milliseconds(100));
        chunk.seq = m_nextSeq++;
        if (answer)
            m_deliverable.append(chunk.content);
        wasEmpty = m_pending.isEmpty();
        m_pending.append(std::move(chunk));
        m_pendingBytes += bytes;
    }
    if (wasEmpty)
        m_wake();
}

QList<OutputChunk> RunChannel::take(qsizetype max, bool *more)
{
    std::lock_guard lock(m_mutex);
    QList<OutputChunk> taken;
    if (m_pending.size() <= max) {
        taken = std::exchange(m_pending, {});
        m_pendingBytes = 0;
    } else {
        taken = m_pending.first(max);
        m_pending.remove(0, max);
        for (const OutputChunk &c : std::as_const(taken))
            m_pendingBytes -= footprint(c.content);
    }
    *more = !m_pending.isEmpty();
    m_drained.notify_all();
    return taken;
}

bool RunChannel::isEmpty()
{
    std::lock_guard lock(m_mutex);
    return m_pending.isEmpty();
}

QString RunChannel::deliverable()
{
    std::lock_guard lock(m_mutex);
    return m_deliverable.text();
}

void RunChannel::cancel()
{
    m_cancelled.store(true, std::memory_order_release);
    std::lock_guard lock(m_mutex);
    m_drained.notify_all();
}

} // namespace mc
