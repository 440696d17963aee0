// The real binary on PostgreSQL (run through tests/support/postgres-run.sh):
// a password given in --database is gone from the process's command line
// (what `ps` shows) and from everything it prints, the store works, and a
// second instance with its own data folder on the same database sees the
// same board; an unusable database or URL stops the start with a clear
// message that has no password in it.

#include "appprocess.h"
#include "httpclient.h"
#include "pgtesting.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace mc::test;
using namespace Qt::StringLiterals;

class TestSharedDatabase : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passwordLeavesNoTrace();
    void unusableDatabaseIsAClearError_data();
    void unusableDatabaseIsAClearError();
};

void TestSharedDatabase::passwordLeavesNoTrace()
{
    if (!postgresRequested())
        QSKIP("needs PostgreSQL: run through tests/support/postgres-run.sh (ctest -L postgres)");
    // The fixture's server trusts loopback, so any password is accepted -- and must be hidden.
    const QString secret = u"hunter2Secret"_s;
    QUrl url(postgresDatabase(postgresDatabaseName(u"database-pg-password"_s)));
    url.setPassword(secret);
    const QString withPassword = url.toString();

    QTemporaryDir firstDir;
    AppProcess first;
    QVERIFY2(first.start(firstDir.path(), {u"--database"_s, withPassword}),
             first.errorOutput().constData());
    QFile cmdline(u"/proc/%1/cmdline"_s.arg(first.process().processId()));
    QVERIFY(cmdline.open(QIODevice::ReadOnly));
    const QByteArray argv = cmdline.readAll();
    QVERIFY2(!argv.contains(secret.toUtf8()), argv.constData());
    QVERIFY2(argv.contains(":*************@"), argv.constData());   // the same length, starred

    HttpClient client(first.base(), first.token(firstDir.path()));
    const QString task = client.createTask({{u"title"_s, u"on the shared board"_s}});
    QVERIFY(!task.isEmpty());

    // A second instance, its own data folder, the same database (URL from the environment).
    QTemporaryDir secondDir;
    AppProcess second;
    second.process().setProcessEnvironment([&] {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"MC_DATABASE_URL"_s, withPassword);
        return env;
    }());
    QVERIFY2(second.start(secondDir.path()), second.errorOutput().constData());
    HttpClient other(second.base(), second.token(secondDir.path()));
    const QJsonArray tasks = other.get(api + u"/tasks"_s).object().value(u"tasks"_s).toArray();
    QCOMPARE(tasks.size(), 1);
    QCOMPARE(tasks.first().toObject().value(u"id"_s).toString(), task);

    QCOMPARE(second.terminate(), 0);
    QCOMPARE(first.terminate(), 0);
    for (const QByteArray &printed : {first.output(), first.errorOutput(), second.output(), second.errorOutput()})
        QVERIFY2(!printed.contains(secret.toUtf8()), printed.constData());
}

void TestSharedDatabase::unusableDatabaseIsAClearError_data()
{
    QTest::addColumn<QString>("path");      // replaces the database of the fixture's URL
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no such database") << u"/no_such_database"_s << u"postgresql"_s << 1
                                      << u"Cannot connect to PostgreSQL mc@127.0.0.1:"_s;
    QTest::newRow("not a postgresql URL") << u"/db"_s << u"mysql"_s << 2
                                          << u"--database must be a URL like postgresql://"_s;
}

void TestSharedDatabase::unusableDatabaseIsAClearError()
{
    if (!postgresRequested())
        QSKIP("needs PostgreSQL: run through tests/support/postgres-run.sh (ctest -L postgres)");
    QFETCH(QString, path);
    QFETCH(QString, scheme);
    QFETCH(int, exitCode);
    QFETCH(QString, expected);
    QUrl url(qEnvironmentVariable("MC_TEST_DATABASE_URL"));
    url.setPath(path);
    url.setScheme(scheme);
    url.setPassword(u"hunter2Secret"_s);
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(!app.start(dir.path(), {u"--database"_s, url.toString()}));
    QCOMPARE(app.process().exitCode(), exitCode);
    const QString printed = QString::fromUtf8(app.output() + app.errorOutput());
    QVERIFY2(printed.contains(expected), qPrintable(printed));
    QVERIFY2(!printed.contains(u"hunter2Secret"_s), qPrintable(printed));
}

QTEST_GUILESS_MAIN(TestSharedDatabase)
#include "tst_shared_database.moc"
