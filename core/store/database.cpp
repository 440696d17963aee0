#include "database.h"

#include "apierror.h"
#include "clock.h"
#include "databaseurl.h"
#include "schema.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

void run(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        throw StoreError(u"database statement failed: "_s + q.lastError().text());
}

} // namespace

Database::Database()
    : m_connectionName(u"mc-"_s + newId())
{
}

Database::~Database()
{
    close();
}

void Database::checkExistingFile() const
{
    const QFileInfo info(m_path);
    if (!info.exists())
        return;
    if (!info.isReadable() || !info.isWritable()) {
        throw StoreError(u"The database %1 exists but cannot be read and written by this user; "
                         "fix its permissions or choose another --data-dir."_s.arg(m_path));
    }
    if (info.size() == 0)
        return;
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        throw StoreError(u"Cannot open the database %1: %2"_s.arg(m_path, f.errorString()));
    const QByteArray header = f.read(16);
    if (header != QByteArrayView("SQLite format 3\0", 16)) {
        throw StoreError(u"The file %1 is not a Mission Control database (not SQLite, or corrupt). "
                         "It was left untouched; move it away or choose another --data-dir."_s
                                 .arg(m_path));
    }
}

void Database::open(const QString &path)
{
    m_path = path;
    m_dialect = Dialect(Engine::Sqlite);
    checkExistingFile();
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    if (!m_db.open())
        throw StoreError(u"Cannot open the database %1: %2"_s.arg(path, m_db.lastError().text()));
    try {
        {
            QSqlQuery check(m_db);
            if (!check.exec(u"PRAGMA schema_version"_s))
                throw StoreError(u"The database %1 cannot be read (%2). It was left untouched."_s.arg(
                        path, check.lastError().text()));
        }
        run(m_db, u"PRAGMA journal_mode=WAL"_s);
        run(m_db, u"PRAGMA synchronous=NORMAL"_s);
        run(m_db, u"PRAGMA foreign_keys=ON"_s);
        run(m_db, u"PRAGMA temp_store=MEMORY"_s);
        // Sized for a million tasks: reads map the file instead of copying each
        // page from the kernel (the 2 MB default cache made the kernel's copies
        // 38-53 % of a list read at 100k tasks), and the page cache keeps the
        // hot index pages. Memory is taken as pages are used, not up front.
        run(m_db, u"PRAGMA cache_size=%1"_s.arg(-kCacheKiB));
        run(m_db, u"PRAGMA mmap_size=%1"_s.arg(kMmapBytes));
        // Checkpoints run on WalCheckpointer's thread; this is only the bound
        // on the WAL should it fall behind (a request then pays, as before).
        run(m_db, u"PRAGMA wal_autocheckpoint=%1"_s.arg(kAutoCheckpointPages));
        run(m_db, u"PRAGMA journal_size_limit=%1"_s.arg(kJournalSizeLimitBytes));
        migrate();
    } catch (...) {
        close();
        throw;
    }
}

void Database::openUrl(const QString &url)
{
    DatabaseUrl parsed;
    QString error;
    if (!DatabaseUrl::parse(url, &parsed, &error))
        throw StoreError(error);
    m_path = DatabaseUrl::redacted(url);
    m_dialect = Dialect(Engine::Postgres);
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s)) {
        throw StoreError(u"PostgreSQL needs Qt's QPSQL driver, which is not installed: "
                         "install libqt6sql6-psql (Debian/Ubuntu)."_s);
    }
    m_db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_connectionName);
    m_db.setHostName(parsed.host);
    if (parsed.port > 0)
        m_db.setPort(parsed.port);
    m_db.setUserName(parsed.user);
    m_db.setPassword(parsed.password);
    m_db.setDatabaseName(parsed.database);
    m_db.setConnectOptions(parsed.connectOptions());
    m_described = parsed.describe();
    try {
        connectPostgres();
        migrate();
    } catch (...) {
        close();
        throw;
    }
}

// Opens m_db with its settings; on failure it stays closed but keeps them
// (for the next reconnect()).
void Database::connectPostgres()
{
    if (!m_db.open())
        throw StoreError(u"Cannot connect to PostgreSQL %1: %2"_s.arg(m_described, openError(m_db)));
    // NOTICEs ("relation already exists, skipping") are not for the log.
    try {
        run(m_db, u"SET client_min_messages TO warning"_s);
    } catch (...) {
        m_db.close();
        throw;
    }
}

void Database::reconnect()
{
    if (!m_dialect.isPostgres() || !m_db.isValid())
        return;
    m_db.close();
    connectPostgres();
}

QString Database::openError(const QSqlDatabase &db)
{
    QString reason = db.lastError().text().trimmed();
    if (!db.password().isEmpty())
        reason.replace(db.password(), u"***"_s);
    return reason;
}

bool Database::isConnectionLoss(const QSqlError &error)
{
    if (error.type() == QSqlError::ConnectionError)
        return true;
    // SQLSTATE class 08 (connection exception), 57P01-57P03 (the server shut
    // down or terminated this session); without a SQLSTATE, libpq's own words.
    const QString code = error.nativeErrorCode();
    if (code.startsWith(u"08"_s) || code == u"57P01"_s || code == u"57P02"_s || code == u"57P03"_s)
        return true;
    static const QStringList kLost{u"server closed the connection"_s, u"no connection to the server"_s,
                                   u"terminating connection"_s, u"connection to server was lost"_s,
                                   u"could not send data to server"_s, u"could not receive data from server"_s,
                                   u"connection not open"_s, u"database not open"_s};
    const QString text = error.text();
    return std::any_of(kLost.cbegin(), kLost.cend(),
                       [&](const QString &words) { return text.contains(words, Qt::CaseInsensitive); });
}

void Database::close()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool Database::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

int Database::schemaVersion()
{
    QSqlQuery q(m_db);
    if (!q.exec(u"SELECT MAX(version) FROM schema_version"_s) || !q.next())
        return 0;
    const int version = q.value(0).toInt();
    q.finish();
    return version;
}

void Database::migrate()
{
    const QString lock = m_dialect.migrationLock();
    if (lock.isEmpty()) {
        migrateLocked();
        return;
    }
    run(m_db, lock);
    try {
        migrateLocked();
    } catch (...) {
        run(m_db, m_dialect.migrationUnlock());
        throw;
    }
    run(m_db, m_dialect.migrationUnlock());
}

void Database::migrateLocked()
{
    run(m_db, m_dialect.translate(
                      u"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"_s));
    const int current = schemaVersion();
    const auto &migrations = schemaMigrations(m_dialect.engine());
    if (current > migrations.size()) {
        throw StoreError(u"The database %1 was written by a newer Mission Control (schema %2, this build knows %3). "
                         "It was left untouched."_s.arg(m_path).arg(current).arg(migrations.size()));
    }
    for (int version = current + 1; version <= migrations.size(); ++version) {
        if (!m_db.transaction())
            throw StoreError(u"Cannot start a migration: "_s + m_db.lastError().text());
        try {
            for (const QString &statement : migrations.at(version - 1))
                run(m_db, statement);
            QSqlQuery q(m_db);
            q.prepare(u"INSERT INTO schema_version(version, applied_at) VALUES(?, ?)"_s);
            q.addBindValue(version);
            q.addBindValue(nowIso());
            if (!q.exec())
                throw StoreError(q.lastError().text());
            if (!m_db.commit())
                throw StoreError(m_db.lastError().text());
        } catch (const StoreError &e) {
            m_db.rollback();
            throw StoreError(u"Migration to schema %1 failed: %2"_s.arg(version).arg(e.message()));
        }
    }
}

} // namespace mc
