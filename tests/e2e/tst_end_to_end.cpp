// The real binary: starts headless on port 0, answers /health with the token of
// --print-token, shuts down cleanly on SIGTERM, refuses a database it cannot read,
// and after SIGKILL mid-run marks the run interrupted on the next start.

#include "appprocess.h"
#include "httpclient.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace mc::test;

class TestEndToEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void healthWithPrintedToken();
    void environmentTokenWins();
    void sigtermShutsDownCleanly();
    void unreadableDatabaseIsRefusedUntouched();
    void occupiedPortIsAClearError();
    void crashRecoveryMarksRunInterrupted();
};

void TestEndToEnd::healthWithPrintedToken()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path()));
    const QString token = app.token(dir.path());
    QVERIFY(token.size() >= 43);
    HttpClient client(app.base(), token);
    const HttpResponse r = client.get(api + u"/health"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value(u"status"_s).toString(), u"ok"_s);
    QCOMPARE(r.object().value(u"running"_s).toInt(), 0);
    QCOMPARE(r.object().value(u"max_concurrent"_s).toInt(), 5);
    QVERIFY(!r.object().value(u"version"_s).toString().isEmpty());
    client.setToken(u"wrong"_s);
    QCOMPARE(client.get(api + u"/health"_s).status, 401);
}

void TestEndToEnd::environmentTokenWins()
{
    QTemporaryDir dir;
    AppProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MISSION_CONTROL_TOKEN"_s, u"automation-token-0123456789"_s);
    app.process().setProcessEnvironment(env);
    QVERIFY(app.start(dir.path(), {u"--max-concurrent"_s, u"3"_s}));
    HttpClient client(app.base(), u"automation-token-0123456789"_s);
    const HttpResponse r = client.get(api + u"/health"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value(u"max_concurrent"_s).toInt(), 3);
}

void TestEndToEnd::sigtermShutsDownCleanly()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path()));
    HttpClient client(app.base(), app.token(dir.path()));
    QVERIFY(!client.createTask({{u"title"_s, u"survives restart"_s}}).isEmpty());
    QCOMPARE(app.terminate(), 0);
    QVERIFY(app.start(dir.path()));
    HttpClient again(app.base(), app.token(dir.path()));
    QCOMPARE(again.get(api + u"/tasks"_s).object().value(u"count"_s).toInt(), 1);
}

void TestEndToEnd::unreadableDatabaseIsRefusedUntouched()
{
    QTemporaryDir dir;
    const QByteArray garbage = "this is not a database\n" + QByteArray(5000, 'z');
    {
        QFile f(dir.filePath(u"mission-control.db"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(garbage);
    }
    AppProcess app;
    QVERIFY(!app.start(dir.path(), {}, 5000));
    app.process().waitForFinished(5000);
    QCOMPARE(app.process().exitCode(), 1);
    const QByteArray err = app.errorOutput();
    QVERIFY2(err.contains("not a Mission Control database"), err.constData());
    QFile f(dir.filePath(u"mission-control.db"_s));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), garbage);
}

void TestEndToEnd::occupiedPortIsAClearError()
{
    QTemporaryDir dir1, dir2;
    AppProcess first;
    QVERIFY(first.start(dir1.path()));
    QProcess second;
    second.start(AppProcess::binary(), {u"--headless"_s, u"--port"_s, QString::number(first.port()),
                                        u"--data-dir"_s, dir2.path()});
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitCode(), 1);
    QVERIFY(second.readAllStandardError().contains("Cannot listen"));
}

void TestEndToEnd::crashRecoveryMarksRunInterrupted()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path()));
    HttpClient client(app.base(), app.token(dir.path()));
    const QString agent = client.createAgent(
            {{u"name"_s, u"Sleeper"_s}, {u"role"_s, u"waits"_s}, {u"backend"_s, u"command"_s},
             {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                           QJsonObject{{u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s,
                                                                                  u"echo working; sleep 60"_s}}}}}}});
    const QString task = client.createTask({{u"title"_s, u"interrupted work"_s}});
    const QString other = client.createTask({{u"title"_s, u"unrelated"_s}});
    QCOMPARE(client.post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agent}}).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(
            client.get(api + u"/tasks/"_s + task).object().value(u"task"_s).toObject().value(u"active_description"_s).toString(),
            u"working"_s, 10000);
    app.kill();

    QVERIFY(app.start(dir.path()));
    HttpClient after(app.base(), app.token(dir.path()));
    const QJsonArray runs = after.get(api + u"/tasks/"_s + task + u"/runs"_s).object().value(u"runs"_s).toArray();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.first().toObject().value(u"status"_s).toString(), u"interrupted"_s);
    QCOMPARE(after.get(api + u"/tasks/"_s + task).object().value(u"task"_s).toObject().value(u"status"_s).toString(),
             u"blocked"_s);
    QCOMPARE(after.get(api + u"/agents/"_s + agent).object().value(u"agent"_s).toObject().value(u"status"_s).toString(),
             u"idle"_s);
    QCOMPARE(after.get(api + u"/tasks/"_s + other).status, 200);
    const QJsonArray activities =
            after.get(api + u"/activity?task_id="_s + task).object().value(u"activities"_s).toArray();
    QVERIFY(activities.first().toObject().value(u"message"_s).toString().contains(u"interrupted"_s));
    // The stored output of the interrupted run is still readable.
    const QString runId = runs.first().toObject().value(u"id"_s).toString();
    const QJsonArray chunks = after.get(api + u"/runs/"_s + runId + u"/output"_s).object().value(u"chunks"_s).toArray();
    QCOMPARE(chunks.size(), 1);
    QCOMPARE(chunks.first().toObject().value(u"content"_s).toString(), u"working\n"_s);
}

QTEST_MAIN(TestEndToEnd)
#include "tst_end_to_end.moc"
