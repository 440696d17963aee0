#include "pgtesting.h"

#include "apierror.h"

#include <QCryptographicHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace mc::test {

namespace {

QString maintenanceUrl()
{
    return qEnvironmentVariable("MC_TEST_DATABASE_URL");
}

} // namespace

bool postgresRequested()
{
    return !maintenanceUrl().isEmpty();
}

QString postgresDatabaseName(const QString &key)
{
    return u"mc_"_s
            + QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex().left(24));
}

QString postgresDatabase(const QString &name)
{
    QUrl url(maintenanceUrl());
    if (!url.isValid() || url.host().isEmpty())
        throw StoreError(u"MC_TEST_DATABASE_URL is not a postgresql:// URL"_s);
    const QString connection = u"mc-test-admin"_s;
    {
        QSqlDatabase db = QSqlDatabase::contains(connection) ? QSqlDatabase::database(connection)
                                                             : QSqlDatabase::addDatabase(u"QPSQL"_s, connection);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        db.setDatabaseName(url.path().mid(1));
        if (!db.isOpen() && !db.open())
            throw StoreError(u"Cannot reach the test PostgreSQL: "_s + db.lastError().text());
        QSqlQuery q(db);
        q.prepare(u"SELECT 1 FROM pg_database WHERE datname = ?"_s);
        q.addBindValue(name);
        if (!q.exec())
            throw StoreError(q.lastError().text());
        const bool exists = q.next();
        q.finish();
        // The name is ours (a-z0-9_), so it may be spliced into the statement.
        if (!exists && !q.exec(u"CREATE DATABASE %1"_s.arg(name)))
            throw StoreError(u"CREATE DATABASE %1 failed: %2"_s.arg(name, q.lastError().text()));
    }
    url.setPath(u"/"_s + name);
    return url.toString();
}

} // namespace mc::test
