#pragma once

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace mc {

// Copies the write-ahead log back into a database file on its own thread and
// connection, every few hundred milliseconds, so no request pays for a
// checkpoint. The connections of this process leave SQLite's automatic
// checkpoint as a bound only (Database::kAutoCheckpointPages: a WAL that large
// means this thread could not keep up). PASSIVE checkpoints never wait for
// readers or writers; durability is unchanged (synchronous stays as set).
class WalCheckpointer
{
public:
    // The checkpointer of a database file, shared by every Store of this process on it.
    static std::shared_ptr<WalCheckpointer> forDatabase(const QString &path);

    explicit WalCheckpointer(QString path);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    static constexpr int intervalMs = 200;

private:
    void run();

    QString m_path;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace mc
