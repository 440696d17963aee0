// The real binary: starts headless on port 0, answers /health with the token of
// --print-token, shuts down cleanly on SIGTERM, refuses a database it cannot read,
// and after SIGKILL mid-run marks the run interrupted on the next start.

#include "appprocess.h"
#include "httpclient.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

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
    const HttpResponse r = client.get(api + u"/health"_qs);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value(u"status"_qs).toString(), u"ok"_qs);
    QCOMPARE(r.object().value(u"running"_qs).toInt(), 0);
    QCOMPARE(r.object().value(u"max_concurrent"_qs).toInt(), 5);
    QVERIFY(!r.object().value(u"version"_qs).toString().isEmpty());
    client.setToken(u"wrong"_qs);
    QCOMPARE(client.get(api + u"/health"_qs).status, 401);
}

void TestEndToEnd::environmentTokenWins()
{
    QTemporaryDir dir;
    AppProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MISSION_CONTROL_TOKEN"_qs, u"automation-token-0123456789"_qs);
    app.process().setProcessEnvironment(env);
    QVERIFY(app.start(dir.path(), {u"--max-concurrent"_qs, u"3"_qs}));
    HttpClient client(app.base(), u"automation-token-0123456789"_qs);
    const HttpResponse r = client.get(api + u"/health"_qs);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value(u"max_concurrent"_qs).toInt(), 3);
}

void TestEndToEnd::sigtermShutsDownCleanly()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path()));
    HttpClient client(app.base(), app.token(dir.path()));
    QVERIFY(!client.createTask({{u"title"_qs, u"survives restart"_qs}}).isEmpty());
    QCOMPARE(app.terminate(), 0);
    QVERIFY(app.start(dir.path()));
    HttpClient again(app.base(), app.token(dir.path()));
    QCOMPARE(again.get(api + u"/tasks"_qs).object().value(u"count"_qs).toInt(), 1);
}

void TestEndToEnd::unreadableDatabaseIsRefusedUntouched()
{
    QTemporaryDir dir;
    const QByteArray garbage = "this is not a database\n" + QByteArray(5000, 'z');
    {
        QFile f(dir.filePath(u"mission-control.db"_qs));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(garbage);
    }
    AppProcess app;
    QVERIFY(!app.start(dir.path(), {}, 5000));
    app.process().waitForFinished(5000);
    QCOMPARE(app.process().exitCode(), 1);
    const QByteArray err = app.errorOutput();
    QVERIFY2(err.contains("not a Mission Control database"), err.constData());
    QFile f(dir.filePath(u"mission-control.db"_qs));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), garbage);
}

void TestEndToEnd::occupiedPortIsAClearError()
{
    QTemporaryDir dir1, dir2;
    AppProcess first;
    QVERIFY(first.start(dir1.path()));
    QProcess second;
    second.start(AppProcess::binary(), {u"--headless"_qs, u"--port"_qs, QString::number(first.port()),
                                        u"--data-dir"_qs, dir2.path()});
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
            {{u"name"_qs, u"Sleeper"_qs}, {u"role"_qs, u"waits"_qs}, {u"backend"_qs, u"command"_qs},
             {u"metadata"_qs, QJsonObject{{u"backend_config"_qs,
                                           QJsonObject{{u"command"_qs, QJsonArray{u"/bin/sh"_qs, u"-c"_qs,
                                                                                  u"echo working; sleep 60"_qs}}}}}}});
    const QString task = client.createTask({{u"title"_qs, u"interrupted work"_qs}});
    const QString other = client.createTask({{u"title"_qs, u"unrelated"_qs}});
    QCOMPARE(client.post(api + u"/tasks/"_qs + task + u"/run"_qs, {{u"agent_id"_qs, agent}}).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(
            client.get(api + u"/tasks/"_qs + task).object().value(u"task"_qs).toObject().value(u"active_description"_qs).toString(),
            u"working"_qs, 10000);
    app.kill();

    QVERIFY(app.start(dir.path()));
    HttpClient after(app.base(), app.token(dir.path()));
    const QJsonArray runs = after.get(api + u"/tasks/"_qs + task + u"/runs"_qs).object().value(u"runs"_qs).toArray();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.first().toObject().value(u"status"_qs).toString(), u"interrupted"_qs);
    QCOMPARE(after.get(api + u"/tasks/"_qs + task).object().value(u"task"_qs).toObject().value(u"status"_qs).toString(),
             u"blocked"_qs);
    QCOMPARE(after.get(api + u"/agents/"_qs + agent).object().value(u"agent"_qs).toObject().value(u"status"_qs).toString(),
             u"idle"_qs);
    QCOMPARE(after.get(api + u"/tasks/"_qs + other).status, 200);
    const QJsonArray activities =
            after.get(api + u"/activity?task_id="_qs + task).object().value(u"activities"_qs).toArray();
    QVERIFY(activities.first().toObject().value(u"message"_qs).toString().contains(u"interrupted"_qs));
    // The stored output of the interrupted run is still readable.
    const QString runId = runs.first().toObject().value(u"id"_qs).toString();
    const QJsonArray chunks = after.get(api + u"/runs/"_qs + runId + u"/output"_qs).object().value(u"chunks"_qs).toArray();
    QCOMPARE(chunks.size(), 1);
    QCOMPARE(chunks.first().toObject().value(u"content"_qs).toString(), u"working\n"_qs);
}

QTEST_MAIN(TestEndToEnd)
#include "tst_end_to_end.moc"
