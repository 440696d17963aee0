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

private:
    void checkExistingFile() const;
    void migrate();

    QString m_connectionName;
    QString m_path;
    QSqlDatabase m_db;
};

} // namespace mc
