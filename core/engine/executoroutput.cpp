// The executor's output path on the main thread: chunks taken from the runs'
// channels, announced, and handed to the writer thread in batches; memory
// held until the writer committed them.
#include "executor.h"

#include "handoff.h"
#include "outputwriter.h"
#include "runchannel.h"

namespace mc {

namespace {
constexpr qsizetype kFlushChunks = 1024;   // a batch commits in ~5 ms: the longest a main-thread write waits
constexpr qsizetype kDrainSlice = 256;
// Output held in memory until committed: bounded in bytes (65536 chunks of
// 64 KiB would be 8 GiB of text while the disk is full).
constexpr qint64 kMaxUnpersistedBytes = 64 * 1024 * 1024;
} // namespace

void Executor::drain(const QString &taskId, bool force)
{
    auto it = m_active.find(taskId);
    if (it == m_active.end())
        return;
    // When the writer falls behind, stop taking output: the run queues fill and
    // the agents wait on their pipes, so memory stays bounded.
    if (!force && m_unpersistedBytes > kMaxUnpersistedBytes) {
        m_drainTimer.start(5);
        return;
    }
    // A bounded slice per turn of the event loop: sockets get flushed and HTTP
    // requests answered between slices, however fast the agent prints.
    bool more = false;
    const QList<OutputChunk> chunks = it->channel->take(kDrainSlice, &more);
    // The rest waits for a zero timer, not a posted event: timers come after
    // sockets and other timers in the event loop, so a run printing at full
    // speed cannot starve the HTTP server or the GUI.
    if (more && !m_drainTimer.isActive())
        m_drainTimer.start(0);
    if (chunks.isEmpty())
        return;
    for (const OutputChunk &chunk : chunks) {
        it->lastSeq = chunk.seq;
        m_unpersistedBytes += RunChannel::footprint(chunk.content);
        Q_EMIT taskOutput(chunk);
    }
    m_unpersisted.append(chunks);
    if (m_unpersisted.size() - m_sent >= kFlushChunks)
        flushOutput();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void Executor::flushOutput()
{
    m_flushTimer.stop();
    if (m_sent >= m_unpersisted.size() || !m_writer)
        return;
    const QList<OutputChunk> batch = m_unpersisted.mid(m_sent);
    const quint64 id = m_nextBatch++;
    m_batches.insert(id, batch.size());
    m_sent = m_unpersisted.size();
    runOn(m_writer, [writer = m_writer, id, batch] { writer->write(id, batch); });
}

void Executor::onWritten(quint64 batchId, bool ok)
{
    if (!m_batches.contains(batchId))
        return;   // superseded by syncOutput() or a retry
    if (!ok) {
        // Resend everything not yet committed (INSERT OR IGNORE keeps it exact).
        m_batches.clear();
        m_sent = 0;
        m_flushTimer.start(500);
        return;
    }
    // Batches are committed in order, so this one is the oldest in flight.
    const qsizetype size = m_batches.take(batchId);
    forgetPersisted(size);
    m_sent -= size;
}

void Executor::forgetPersisted(qsizetype count)
{
    for (qsizetype i = 0; i < count; ++i)
        m_unpersistedBytes -= RunChannel::footprint(m_unpersisted.at(i).content);
    m_unpersisted.remove(0, count);
}

void Executor::syncOutput()
{
    flushOutput();
    if (!m_writer)
        return;
    // A barrier: every batch queued before it has been written when it returns.
    runOnAndWait(m_writer, [] {});
    if (!m_writer->failed()) {
        forgetPersisted(m_sent);
        m_sent = 0;
        m_batches.clear();
    }
}

} // namespace mc
