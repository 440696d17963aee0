#pragma once

#include <QString>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

namespace mc {

// Orders the write transactions of this process's connections to one database
// file, first come first served. Without it the main thread, asking SQLite for
// the write lock while the output writer commits batch after batch, waits in
// SQLite's busy handler -- which sleeps up to 100 ms between tries and can miss
// every gap between the writer's batches (a 134 ms GUI stall when a run starts
// while four stream). With it, a writer waits for at most the transaction in
// progress. std::mutex, so ThreadSanitizer sees it.
class WriteGate
{
public:
    // The gate of a database file, shared by every Store of this process on it.
    static std::shared_ptr<WriteGate> forDatabase(const QString &path);

    void lock();
    void unlock();

private:
    std::mutex m_mutex;
    std::condition_variable m_turn;
    std::uint64_t m_nextTicket = 0;
    std::uint64_t m_serving = 0;
};

} // namespace mc
