#pragma once

#include <QLockFile>
#include <QString>
#include <QUrl>

namespace mc {

// One instance per data folder. The lock is taken before anything in the
// folder is read or recovered; its holder owns the runs stored there. The
// holder publishes its address next to the lock so a second start can name it.
// A lock left by a crashed (SIGKILLed) process is taken over: QLockFile checks
// that the recorded process is gone.
class InstanceLock final
{
public:
    explicit InstanceLock(const QString &dataDir);
    ~InstanceLock();
    InstanceLock(const InstanceLock &) = delete;
    InstanceLock &operator=(const InstanceLock &) = delete;

    enum class Result { Acquired, HeldByOther, Failed };
    // Tries the lock once (the data folder exists: secureDataFolder()).
    Result tryLock(QString *error);
    // Written by the holder once it listens; removed when it exits.
    void publish(const QUrl &address);

    // What the holder published (empty while it is still starting), and its pid.
    QUrl ownerAddress() const;
    qint64 ownerPid() const;
    // "pid N, http://HOST:PORT" for messages.
    QString ownerDescription() const;

private:
    QString m_dataDir;
    QString m_addressPath;
    QLockFile m_lock;
    bool m_published = false;
};

} // namespace mc
