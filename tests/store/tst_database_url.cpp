// --database URL: what reaches QPSQL (host, port, user, database, every query
// option quoted for libpq), what is refused with a clear message, and that the
// password is in none of the messages: not for a bad URL, not for a server
// that cannot be reached.

#include "apierror.h"
#include "database.h"
#include "databaseurl.h"

#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mc;

class TestDatabaseUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryPart();
    void refusesBadUrls_data();
    void refusesBadUrls();
    void redactedDropsThePassword();
    void unreachableServerErrorHasNoPassword();
};

void TestDatabaseUrl::parsesEveryPart()
{
    DatabaseUrl url;
    QString error;
    QVERIFY2(DatabaseUrl::parse(u"postgresql://mc:s%40cret@db.example:6543/mission?sslmode=verify-full"
                                "&sslrootcert=/etc/mc/root%20ca.crt&application_name=it's"_s,
                                &url, &error),
             qPrintable(error));
    QCOMPARE(url.host, u"db.example"_s);
    QCOMPARE(url.port, 6543);
    QCOMPARE(url.user, u"mc"_s);
    QCOMPARE(url.password, u"s@cret"_s);
    QCOMPARE(url.database, u"mission"_s);
    QCOMPARE(url.options, (QStringList{u"sslmode='verify-full'"_s, u"sslrootcert='/etc/mc/root ca.crt'"_s,
                                       u"application_name='it\\'s'"_s}));
    QVERIFY(!url.describe().contains(u"s@cret"_s));

    DatabaseUrl bare;
    QVERIFY(DatabaseUrl::parse(u"postgres:///mission"_s, &bare, &error));
    QCOMPARE(bare.host, QString());
    QCOMPARE(bare.port, -1);
    QCOMPARE(bare.database, u"mission"_s);
}

void TestDatabaseUrl::refusesBadUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("other scheme") << u"mysql://mc:hunter2@h/db"_s << u"must be a URL like postgresql://"_s;
    QTest::newRow("no scheme") << u"mc:hunter2@h/db"_s << u"must be a URL like postgresql://"_s;
    QTest::newRow("no database") << u"postgresql://mc:hunter2@h:5432"_s << u"needs the database name"_s;
    QTest::newRow("nested path") << u"postgresql://mc:hunter2@h/a/b"_s << u"needs the database name"_s;
    QTest::newRow("password option") << u"postgresql://mc@h/db?password=hunter2"_s << u"PGPASSFILE"_s;
    QTest::newRow("bad option name") << u"postgresql://mc:hunter2@h/db?ssl%20mode=x"_s
                                     << u"not a libpq connection keyword"_s;
    QTest::newRow("semicolon") << u"postgresql://mc:hunter2@h/db?sslmode=a;b"_s << u"must not contain ';'"_s;
}

void TestDatabaseUrl::refusesBadUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    DatabaseUrl parsed;
    QString error;
    QVERIFY(!DatabaseUrl::parse(url, &parsed, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(!error.contains(u"hunter2"_s), qPrintable(error));
}

void TestDatabaseUrl::redactedDropsThePassword()
{
    const QString shown = DatabaseUrl::redacted(u"postgresql://mc:hunter2@h:5432/db?sslmode=require"_s);
    QCOMPARE(shown, u"postgresql://mc@h:5432/db?sslmode=require"_s);
}

void TestDatabaseUrl::unreachableServerErrorHasNoPassword()
{
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s))
        QSKIP("Qt's QPSQL driver is not installed (apt-get install libqt6sql6-psql)");
    // A port nobody listens on: taken, then given back.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    Database db;
    try {
        db.openUrl(u"postgresql://mc:hunter2@127.0.0.1:%1/mission?connect_timeout=5"_s.arg(port));
        QFAIL("connected to a port nobody listens on");
    } catch (const StoreError &e) {
        QVERIFY2(e.message().startsWith(u"Cannot connect to PostgreSQL mc@127.0.0.1:%1/mission"_s.arg(port)),
                 qPrintable(e.message()));
        QVERIFY2(!e.message().contains(u"hunter2"_s), qPrintable(e.message()));
    }
    QVERIFY(!db.isOpen());
}

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_database_url.moc"
