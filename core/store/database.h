#pragma once

#include <QSqlDatabase>
#include <QString>

namespace mc {

// One SQLite connection (owned by the thread that opened it), WAL, migrated.
// open() refuses, with a clear StoreError, a file it cannot read as a database;
// it never overwrites or truncates one.
class Database final
{
public:
    Database();
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    void open(const QString &path);
    void close();
    bool isOpen() const;
    QSqlDatabase &connection() { return m_db; }
    QString path() const { return m_path; }
    int schemaVersion();

    static constexpr int kCacheKiB = 32 * 1024;                          // per connection
    static constexpr qint64 kMmapBytes = qint64(1) << 30;
    static constexpr int kAutoCheckpointPages = 16384;                   // 64 MiB of 4 KiB pages
    static constexpr qint64 kJournalSizeLimitBytes = 64 * 1024 * 1024;

private:
    void checkExistingFile() const;
    void migrate();

    QString m_connectionName;
    QString m_path;
    QSqlDatabase m_db;
};

} // namespace mc
