#pragma once

#include "dialect.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

namespace mc {

// One connection (owned by the thread that opened it), migrated: a SQLite file
// in WAL mode, or a PostgreSQL database (openUrl). open() refuses, with a clear
// StoreError, a file it cannot read as a database; it never overwrites or
// truncates one. Errors never contain a PostgreSQL password.
class Database final
{
public:
    Database();
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    void open(const QString &path);
    // postgresql://user[:password]@host[:port]/db[?sslmode=...] through Qt's QPSQL driver.
    void openUrl(const QString &url);
    void close();
    // PostgreSQL: the connection is closed and opened again with the same
    // parameters (the server restarted or dropped it); nothing is migrated.
    // Throws StoreError (without the password) when the server cannot be reached.
    void reconnect();
    // The error says the connection itself is gone (a restarted or terminated
    // server), not that a statement failed on a working connection.
    static bool isConnectionLoss(const QSqlError &error);
    // Why `db` could not be opened, without its password.
    static QString openError(const QSqlDatabase &db);
    bool isOpen() const;
    QSqlDatabase &connection() { return m_db; }
    QString path() const { return m_path; }   // the file, or the URL without its password
    const Dialect &dialect() const { return m_dialect; }
    int schemaVersion();

    static constexpr int kCacheKiB = 32 * 1024;                          // per connection
    static constexpr qint64 kMmapBytes = qint64(1) << 30;
    static constexpr int kAutoCheckpointPages = 16384;                   // 64 MiB of 4 KiB pages
    static constexpr qint64 kJournalSizeLimitBytes = 64 * 1024 * 1024;

private:
    void checkExistingFile() const;
    void connectPostgres();
    void migrate();
    void migrateLocked();

    QString m_connectionName;
    QString m_path;
    QString m_described;   // user@host:port/db, for messages
    Dialect m_dialect;
    QSqlDatabase m_db;
};

} // namespace mc
