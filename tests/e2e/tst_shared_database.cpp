// The real binary on PostgreSQL (run through tests/support/postgres-run.sh):
// a password given in --database is gone from the process's command line
// (what `ps` shows) and from everything it prints, the store works, and a
// second instance with its own data folder on the same database sees the
// same board; an unusable database or URL stops the start with a clear
// message that has no password in it. When the server drops every connection
// (what a restart or a failover looks like to a client), both instances
// reconnect: a write needs at most one try more, a run started afterwards
// streams and completes, and the other instance's WebSocket client sees it
// (its listener LISTENs again); the password is in no message about it.
// While the database refuses new sessions a write gets the store's 500, and
// the first request once it is back reconnects; nothing committed is lost.

#include "appprocess.h"
#include "httpclient.h"
#include "pgtesting.h"
#include "queuetesting.h"
#include "wsclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
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
    void instancesReconnectWhenTheServerDropsThem();
    void unreachableServerIsAClearErrorUntilItIsBack();
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

namespace {
const QString kToken = u"shared-database-test-token-0123456789abcdefghijk"_s;

// Runs `sql` in an admin session on the maintenance database; returns the
// first column of its first row as a number (0 without a row, -1: it failed).
int adminQuery(const QString &sql, const QVariantList &binds = {})
{
    const QUrl url(qEnvironmentVariable("MC_TEST_DATABASE_URL"));
    int result = -1;
    {
        QSqlDatabase admin = QSqlDatabase::addDatabase(u"QPSQL"_s, u"admin"_s);
        admin.setHostName(url.host());
        admin.setPort(url.port(5432));
        admin.setDatabaseName(url.path().mid(1));
        admin.setUserName(url.userName());
        if (admin.open()) {
            QSqlQuery q(admin);
            bool ok = false;
            if (binds.isEmpty()) {
                ok = q.exec(sql);   // ALTER DATABASE cannot be prepared
            } else {
                q.prepare(sql);
                for (const QVariant &value : binds)
                    q.addBindValue(value);
                ok = q.exec();
            }
            if (ok)
                result = q.isSelect() && q.next() ? q.value(0).toInt() : 0;
            else
                qWarning() << "admin statement failed:" << q.lastError().text();
        } else {
            qWarning() << "admin connection failed:" << admin.lastError().text();
        }
        admin.close();
    }
    QSqlDatabase::removeDatabase(u"admin"_s);
    return result;
}

// Terminates every session on `database` (what a server restart looks like to
// its clients); returns how many were terminated.
int dropConnections(const QString &database)
{
    return adminQuery(u"SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                      "WHERE datname = ? AND pid <> pg_backend_pid()"_s, {database});
}

// Lets `database` (a-z0-9_) take new sessions or not: the server "down"
// for this database without stopping it.
bool allowConnections(const QString &database, bool allow)
{
    return adminQuery(u"ALTER DATABASE %1 ALLOW_CONNECTIONS %2"_s.arg(database, allow ? u"true"_s : u"false"_s)) >= 0;
}
} // namespace

void TestSharedDatabase::instancesReconnectWhenTheServerDropsThem()
{
    if (!postgresRequested())
        QSKIP("needs PostgreSQL: run through tests/support/postgres-run.sh (ctest -L postgres)");
    const QString secret = u"hunter2Reconnect"_s;
    const QString name = postgresDatabaseName(u"database-pg-reconnect"_s);
    QUrl url(postgresDatabase(name));
    url.setPassword(secret);
    QTemporaryDir dirs[2];
    AppProcess apps[2];
    std::unique_ptr<HttpClient> clients[2];
    std::unique_ptr<WsClient> sockets[2];
    for (int i = 0; i < 2; ++i) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"MISSION_CONTROL_TOKEN"_s, kToken);
        apps[i].process().setProcessEnvironment(env);
        QVERIFY2(apps[i].start(dirs[i].path(), {u"--database"_s, url.toString(), u"--heartbeat-interval"_s, u"0"_s},
                               60000),
                 apps[i].errorOutput().constData());
        clients[i] = std::make_unique<HttpClient>(apps[i].base(), kToken);
        sockets[i] = std::make_unique<WsClient>();
        QVERIFY(sockets[i]->connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(apps[i].port()).arg(kToken)));
    }
    const QString agent = clients[0]->createAgent(shellAgent(u"Echo"_s, u"echo \"after the drop\""_s));
    QVERIFY(!agent.isEmpty());
    QVERIFY(!clients[0]->createTask({{u"title"_s, u"before the drop"_s}}).isEmpty());

    // Main, output writer and listener connection of each instance.
    const int dropped = dropConnections(name);
    QVERIFY2(dropped >= 6, qPrintable(QString::number(dropped)));

    // A write on each instance: at most one failed try (bounded) before it succeeds.
    QString task;
    for (int i = 0; i < 2; ++i) {
        int failures = 0;
        HttpResponse created;
        for (int attempt = 0; attempt < 3; ++attempt) {
            created = clients[i]->post(api + u"/tasks"_s, {{u"title"_s, u"after the drop %1"_s.arg(i)},
                                                          {u"assignee_ids"_s, QJsonArray{agent}}});
            if (created.status == 200)
                break;
            ++failures;
            QTest::qWait(500);
        }
        QVERIFY2(created.status == 200, created.body.constData());
        QVERIFY2(failures <= 1, qPrintable(u"instance %1: %2 failed tries"_s.arg(i).arg(failures)));
        if (i == 0)
            task = created.object().value(u"task"_s).toObject().value(u"id"_s).toString();
    }

    // A run on the first instance streams to both instances' clients and completes.
    const HttpResponse run = clients[0]->post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agent}});
    QVERIFY2(run.status == 200 || run.status == 202, run.body.constData());
    const auto sawRun = [](const WsClient &ws, const QString &task) {
        bool output = false;
        for (const QJsonObject &e : ws.events(u"mc_task_output"_s))
            output = output || (e.value(u"task_id"_s).toString() == task
                                && e.value(u"content"_s).toString().contains(u"after the drop"_s));
        bool completed = false;
        for (const QJsonObject &e : ws.events(u"mc_task_completed"_s))
            completed = completed || (e.value(u"task_id"_s).toString() == task
                                      && e.value(u"status"_s).toString() == u"completed"_s);
        return output && completed;
    };
    for (int i = 0; i < 2; ++i) {
        QVERIFY2(sockets[i]->waitFor([&](const QList<QJsonObject> &) { return sawRun(*sockets[i], task); }, 60000),
                 qPrintable(u"instance %1's client did not see the run's output and end"_s.arg(i)));
    }
    // The second instance's listener is back by now (it had to be, to hear of
    // that run): a later run reaches it only through its new LISTEN.
    const QString later = clients[0]->createTask({{u"title"_s, u"later"_s}, {u"assignee_ids"_s, QJsonArray{agent}}});
    QCOMPARE(clients[0]->post(api + u"/tasks/"_s + later + u"/run"_s, {{u"agent_id"_s, agent}}).status, 200);
    QVERIFY2(sockets[1]->waitFor([&](const QList<QJsonObject> &) { return sawRun(*sockets[1], later); }, 60000),
             "the second instance's client did not see the later run");
    const QJsonObject stored = clients[1]->get(api + u"/tasks/"_s + task).object();
    QVERIFY2(stored.value(u"status"_s).toString() != u"in_progress"_s, QJsonDocument(stored).toJson().constData());

    QByteArray logs[2];
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(apps[i].terminate(), 0);
        logs[i] = apps[i].output() + apps[i].process().readAllStandardOutput()
                  + apps[i].process().readAllStandardError();
        QVERIFY2(!logs[i].contains(secret.toUtf8()), logs[i].constData());
        // The loss was noticed and survived (not a test that passes without one).
        QVERIFY2(logs[i].contains("reconnected to PostgreSQL"), logs[i].constData());
        QVERIFY2(logs[i].contains("listening again for other instances' changes"), logs[i].constData());
    }
}

void TestSharedDatabase::unreachableServerIsAClearErrorUntilItIsBack()
{
    if (!postgresRequested())
        QSKIP("needs PostgreSQL: run through tests/support/postgres-run.sh (ctest -L postgres)");
    const QString name = postgresDatabaseName(u"database-pg-unreachable"_s);
    const QString url = postgresDatabase(name);
    QTemporaryDir dir;
    AppProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MISSION_CONTROL_TOKEN"_s, kToken);
    app.process().setProcessEnvironment(env);
    QVERIFY2(app.start(dir.path(), {u"--database"_s, url, u"--heartbeat-interval"_s, u"0"_s}, 60000),
             app.errorOutput().constData());
    HttpClient client(app.base(), kToken);
    const QString before = client.createTask({{u"title"_s, u"committed before"_s}});
    QVERIFY(!before.isEmpty());

    // The sessions dropped and no new one allowed: the reconnect fails.
    QVERIFY(allowConnections(name, false));
    QVERIFY(dropConnections(name) >= 1);
    const HttpResponse refused = client.post(api + u"/tasks"_s, {{u"title"_s, u"while away"_s}});
    const bool allowedAgain = allowConnections(name, true);
    QVERIFY(allowedAgain);
    QCOMPARE(refused.status, 500);
    QCOMPARE(refused.object().value(u"detail"_s).toString(), u"Internal Server Error"_s);

    // Back: the next request reconnects; what was committed is there, the refused write is not.
    const HttpResponse listed = client.get(api + u"/tasks"_s);
    QCOMPARE(listed.status, 200);
    QStringList titles;
    for (const QJsonValue &t : listed.object().value(u"tasks"_s).toArray())
        titles.append(t.toObject().value(u"title"_s).toString());
    QCOMPARE(titles, QStringList{u"committed before"_s});
    QCOMPARE(client.post(api + u"/tasks"_s, {{u"title"_s, u"after"_s}}).status, 200);
    QCOMPARE(app.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestSharedDatabase)
#include "tst_shared_database.moc"
