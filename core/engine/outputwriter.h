#pragma once

#include "outputchunk.h"
#include "store.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

namespace mc {

struct RunEnd;

// Persists run output on its own thread with its own SQLite connection, one
// transaction per batch (group commit), so the main thread -- HTTP, WebSocket,
// GUI -- never waits for the disk while agents stream. A run's end is recorded
// here too, in order after its output: the deliverable can be a megabyte, and
// the main thread would otherwise wait for the write lock this thread holds.
class OutputWriter final : public QObject
{
    Q_OBJECT

public:
    explicit OutputWriter(StoreLocation location);
    ~OutputWriter() override;

    // Called on the writer thread (queued from the executor).
    void open();
    void write(quint64 batchId, const QList<mc::OutputChunk> &chunks);
    // Records a run's end after the output queued before it; returns the
    // changes for the main thread's Store to announce (none if something other
    // than the store failed), or nothing at all when the store failed (a full
    // disk, a lost database connection): then it is worth trying again.
    std::optional<QList<Store::Change>> recordEnd(const RunEnd &end);
    bool failed() const { return m_failed.load(); }

Q_SIGNALS:
    void written(quint64 batchId, bool ok);

private:
    StoreLocation m_location;
    std::unique_ptr<Store> m_store;
    std::atomic<bool> m_failed{false};
};

} // namespace mc
