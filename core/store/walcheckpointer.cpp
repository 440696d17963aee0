#include "walcheckpointer.h"

#include "clock.h"

#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcCheckpoint, "mc.checkpoint")

using namespace Qt::StringLiterals;

namespace mc {

std::shared_ptr<WalCheckpointer> WalCheckpointer::forDatabase(const QString &path)
{
    static std::mutex registryMutex;
    static QHash<QString, std::weak_ptr<WalCheckpointer>> registry;
    const QString key = QFileInfo(path).absoluteFilePath();
    std::lock_guard lock(registryMutex);
    std::shared_ptr<WalCheckpointer> checkpointer = registry.value(key).lock();
    if (!checkpointer) {
        checkpointer = std::make_shared<WalCheckpointer>(key);
        registry.insert(key, checkpointer);
    }
    return checkpointer;
}

WalCheckpointer::WalCheckpointer(QString path)
    : m_path(std::move(path))
{
    m_thread = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void WalCheckpointer::run()
{
    const QString name = u"mc-checkpoint-"_s + newId();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=0"_s);
        if (db.open()) {
            QSqlQuery q(db);
            // This connection writes nothing; its own automatic checkpoint is off.
            q.exec(u"PRAGMA wal_autocheckpoint=0"_s);
            std::unique_lock lock(m_mutex);
            while (!m_stop) {
                m_wake.wait_for(lock, std::chrono::milliseconds(intervalMs), [this] { return m_stop; });
                if (m_stop)
                    break;
                lock.unlock();
                // Nothing new in the WAL: SQLite returns at once.
                if (!q.exec(u"PRAGMA wal_checkpoint(PASSIVE)"_s))
                    qCDebug(lcCheckpoint) << "checkpoint failed:" << q.lastError().text();
                q.finish();
                lock.lock();
            }
        } else {
            qCWarning(lcCheckpoint) << "cannot open" << m_path << "to checkpoint it:" << db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace mc
