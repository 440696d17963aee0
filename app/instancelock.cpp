#include "instancelock.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace mc {

InstanceLock::InstanceLock(const QString &dataDir)
    : m_dataDir(dataDir)
    , m_addressPath(QDir(dataDir).filePath(u"instance-address"_s))
    , m_lock(QDir(dataDir).filePath(u"instance.lock"_s))
{
    // Staleness by process only: a long-running holder's lock never ages out.
    m_lock.setStaleLockTime(0);
}

InstanceLock::~InstanceLock()
{
    if (m_published)
        QFile::remove(m_addressPath);
    m_lock.unlock();
}

InstanceLock::Result InstanceLock::tryLock(QString *error)
{
    if (m_lock.tryLock(0))
        return Result::Acquired;
    switch (m_lock.error()) {
    case QLockFile::LockFailedError:
        return Result::HeldByOther;
    case QLockFile::PermissionError:
        *error = u"Cannot create the lock file in %1 (permission denied)"_s.arg(m_dataDir);
        return Result::Failed;
    default:
        *error = u"Cannot lock the data folder %1"_s.arg(m_dataDir);
        return Result::Failed;
    }
}

void InstanceLock::publish(const QUrl &address)
{
    QSaveFile file(m_addressPath);
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.write(address.toString().toUtf8() + '\n');
    m_published = file.commit();
}

QUrl InstanceLock::ownerAddress() const
{
    QFile file(m_addressPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QUrl(QString::fromUtf8(file.readAll().trimmed()));
}

qint64 InstanceLock::ownerPid() const
{
    qint64 pid = 0;
    QString host;
    QString app;
    return m_lock.getLockInfo(&pid, &host, &app) ? pid : 0;
}

QString InstanceLock::ownerDescription() const
{
    const QUrl address = ownerAddress();
    const QString where = address.isValid() && !address.isEmpty() ? u"listening on "_s + address.toString()
                                                                  : u"still starting"_s;
    return u"pid %1, %2"_s.arg(ownerPid()).arg(where);
}

} // namespace mc
