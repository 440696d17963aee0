// The reliability suite: SIGKILL while five runs stream and a client writes
// (10 times), run races, and hostile clients while a well-behaved one is served.

#include "appprocess.h"
#include "httpclient.h"
#include "measure.h"
#include "rawhttp.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace mc::test;

namespace {

QJsonObject shellAgent(const QString &name, const QString &script)
{
    return {{u"name"_qs, name}, {u"role"_qs, u"worker"_qs}, {u"backend"_qs, u"command"_qs},
            {u"metadata"_qs, QJsonObject{{u"backend_config"_qs,
                                          QJsonObject{{u"command"_qs, QJsonArray{u"/bin/sh"_qs, u"-c"_qs, script}}}}}}};
}

QJsonObject streamingAgent()
{
    // Prints until its pipe closes: dies with the app instead of lingering.
    return shellAgent(u"Streamer"_qs, u"i=0; while echo \"line $i\"; do i=$((i+1)); [ $((i % 50)) -eq 0 ] && sleep 0.01; done"_qs);
}

QByteArray runRequest(const QString &task, const QString &agent, const QString &token)
{
    const QByteArray body = "{\"agent_id\": \"" + agent.toUtf8() + "\"}";
    return "POST /api/mission-control/tasks/" + task.toUtf8() + "/run HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + token.toUtf8() + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n\r\n" + body;
}

} // namespace

class TestReliability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sigkillLosesNothing();
    void fiftyRunsOfTheSameTask();
    void runAndStopRacing();
    void hostileClients();
};

void TestReliability::sigkillLosesNothing()
{
    QTemporaryDir dir;
    QStringList acknowledged;          // every task whose create got a 2xx
    QStringList runningTasks;          // tasks whose run was started before the kill
    QString agent;
    for (int kill = 1; kill <= 10; ++kill) {
        AppProcess app;
        QVERIFY(app.start(dir.path()));
        HttpClient client(app.base(), app.token(dir.path()));
        // After a restart: everything acknowledged is there, the runs cut short are interrupted.
        for (const QString &id : std::as_const(acknowledged))
            QVERIFY2(client.get(api + u"/tasks/"_qs + id).status == 200, qPrintable(id));
        for (const QString &task : std::as_const(runningTasks)) {
            const QJsonArray runs = client.get(api + u"/tasks/"_qs + task + u"/runs"_qs).object().value(u"runs"_qs).toArray();
            QCOMPARE(runs.first().toObject().value(u"status"_qs).toString(), u"interrupted"_qs);
            QCOMPARE(client.get(api + u"/tasks/"_qs + task).object().value(u"task"_qs).toObject().value(u"status"_qs).toString(),
                     u"blocked"_qs);
        }
        QCOMPARE(client.get(api + u"/tasks/running"_qs).object().value(u"count"_qs).toInt(), 0);
        if (agent.isEmpty())
            agent = client.createAgent(streamingAgent());
        runningTasks.clear();
        for (int i = 0; i < 5; ++i) {
            const QString task = client.createTask({{u"title"_qs, u"stream %1/%2"_qs.arg(kill).arg(i)}});
            acknowledged.append(task);
            QCOMPARE(client.post(api + u"/tasks/"_qs + task + u"/run"_qs, {{u"agent_id"_qs, agent}}).status, 200);
            runningTasks.append(task);
        }
        // Keep writing while the agents stream, then kill at a random point.
        QElapsedTimer writing;
        writing.start();
        const int killAfterMs = 100 + int(QRandomGenerator::global()->bounded(400));
        while (writing.elapsed() < killAfterMs) {
            const HttpResponse r = client.post(api + u"/tasks"_qs, {{u"title"_qs, u"write during kill %1"_qs.arg(kill)}});
            if (r.status == 200)
                acknowledged.append(r.object().value(u"task"_qs).toObject().value(u"id"_qs).toString());
        }
        app.kill();
        // The file is intact before anyone repairs anything.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_qs, u"check"_qs);
            db.setDatabaseName(dir.filePath(u"mission-control.db"_qs));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA integrity_check"_qs));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), u"ok"_qs);
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"check"_qs);
    }
    qInfo() << acknowledged.size() << "acknowledged writes survived 10 SIGKILLs";
}

void TestReliability::fiftyRunsOfTheSameTask()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path()));
    const QString token = app.token(dir.path());
    HttpClient client(app.base(), token);
    const QString agent = client.createAgent(shellAgent(u"Sleeper"_qs, u"sleep 2"_qs));
    const QString task = client.createTask({{u"title"_qs, u"contended"_qs}});
    QList<QTcpSocket *> sockets;
    for (int i = 0; i < 50; ++i) {
        auto *s = new QTcpSocket(this);
        s->connectToHost(QHostAddress::LocalHost, app.port());
        s->write(runRequest(task, agent, token));
        sockets.append(s);
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(sockets.cbegin(), sockets.cend(), [](QTcpSocket *s) { return s->peek(12).size() == 12; }), 20000);
    int started = 0, conflict = 0;
    for (QTcpSocket *s : sockets) {
        const QByteArray answer = s->readAll();
        started += answer.startsWith("HTTP/1.1 200");
        conflict += answer.startsWith("HTTP/1.1 409") && answer.endsWith(R"({"detail":"Task is already running"})");
    }
    qDeleteAll(sockets);
    QCOMPARE(started, 1);
    QCOMPARE(conflict, 49);
    QCOMPARE(client.get(api + u"/tasks/"_qs + task + u"/runs"_qs).object().value(u"count"_qs).toInt(), 1);
}

void TestReliability::runAndStopRacing()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path()));
    const QString token = app.token(dir.path());
    HttpClient client(app.base(), token);
    const QString agent = client.createAgent(shellAgent(u"Quick"_qs, u"echo hi; sleep 0.2"_qs));
    const QString task = client.createTask({{u"title"_qs, u"raced"_qs}});
    const QByteArray stop = "POST /api/mission-control/tasks/" + task.toUtf8() + "/stop HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + token.toUtf8() + "\r\nContent-Length: 0\r\n\r\n";
    for (int round = 0; round < 20; ++round) {
        QTcpSocket runSocket, stopSocket;
        runSocket.connectToHost(QHostAddress::LocalHost, app.port());
        stopSocket.connectToHost(QHostAddress::LocalHost, app.port());
        QVERIFY(runSocket.waitForConnected() && stopSocket.waitForConnected());
        // Stop first half of the time, run first the other half.
        if (round % 2) {
            stopSocket.write(stop);
            runSocket.write(runRequest(task, agent, token));
        } else {
            runSocket.write(runRequest(task, agent, token));
            stopSocket.write(stop);
        }
        QTRY_VERIFY(runSocket.bytesAvailable() > 0 && stopSocket.bytesAvailable() > 0);
        // Whatever the order: once nothing runs, the task is not left in progress.
        QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/tasks/running"_qs).object().value(u"count"_qs).toInt(), 0, 10000);
        const QString status = client.get(api + u"/tasks/"_qs + task).object().value(u"task"_qs).toObject().value(u"status"_qs).toString();
        QVERIFY2(status != u"in_progress"_qs, qPrintable(u"round %1: %2"_qs.arg(round).arg(status)));
    }
}

void TestReliability::hostileClients()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path(), {u"--request-timeout"_qs, u"3"_qs}));
    const QString token = app.token(dir.path());
    HttpClient client(app.base(), token);
    const qint64 pid = app.process().processId();
    const qint64 rssBefore = procStatusKb(pid);

    QList<QTcpSocket *> attackers;
    const auto connectRaw = [&](const QByteArray &send) {
        auto *s = new QTcpSocket(this);
        s->setReadBufferSize(1);
        s->connectToHost(QHostAddress::LocalHost, app.port());
        if (!send.isEmpty())
            QObject::connect(s, &QTcpSocket::connected, s, [s, send] { s->write(send); });
        attackers.append(s);
        return s;
    };
    // 500 idle connections.
    for (int i = 0; i < 500; ++i)
        connectRaw({});
    // 30 slowloris connections, one byte every 100 ms.
    QList<QTcpSocket *> slowloris;
    for (int i = 0; i < 30; ++i)
        slowloris.append(connectRaw("GET /api/mission-control/health HTTP/1.1\r\nHost: x\r\n"));
    // A 10 GB Content-Length, and 1 MiB of headers.
    connectRaw("POST /api/mission-control/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 10737418240\r\n\r\n{\"title\":");
    QByteArray bigHead = "GET /api/mission-control/health HTTP/1.1\r\nHost: x\r\n";
    while (bigHead.size() < 1024 * 1024)
        bigHead += "X-Pad: " + QByteArray(1000, 'p') + "\r\n";
    connectRaw(bigHead + "\r\n");
    // A WebSocket client that never reads, while events flow.
    QTcpSocket stalledWs;
    stalledWs.setReadBufferSize(1);
    stalledWs.connectToHost(QHostAddress::LocalHost, app.port());
    QVERIFY(stalledWs.waitForConnected());
    stalledWs.write(upgradeRequest("/ws?token=" + token.toUtf8()));

    // Meanwhile a well-behaved client keeps working; measure it.
    QList<double> latencies;
    int failures = 0;
    QElapsedTimer attack;
    attack.start();
    int tick = 0;
    while (attack.elapsed() < 6000) {
        if (tick++ % 2 == 0) {
            for (QTcpSocket *s : std::as_const(slowloris)) {
                if (s->state() == QAbstractSocket::ConnectedState)
                    s->write("X");
            }
        }
        QElapsedTimer t;
        t.start();
        const HttpResponse r = tick % 3 ? client.get(api + u"/health"_qs)
                                         : client.post(api + u"/tasks"_qs, {{u"title"_qs, u"under attack"_qs}, {u"description"_qs, QString(2000, u'x')}});
        latencies.append(double(t.nsecsElapsed()) / 1e6);
        failures += r.status != 200;
        QTest::qWait(50);
    }
    const qint64 rssAfter = procStatusKb(pid);
    qInfo().noquote() << u"well-behaved client during the attack: %1 requests, p50 %2 ms, p99 %3 ms, max %4 ms, %5 failed"_qs
                                 .arg(latencies.size()).arg(percentile(latencies, 0.5), 0, 'f', 2)
                                 .arg(percentile(latencies, 0.99), 0, 'f', 2).arg(percentile(latencies, 1.0), 0, 'f', 2).arg(failures);
    qInfo().noquote() << u"server RSS before %1 MB, after %2 MB"_qs.arg(double(rssBefore) / 1024, 0, 'f', 1).arg(double(rssAfter) / 1024, 0, 'f', 1);
    QCOMPARE(failures, 0);
    QVERIFY(rssAfter < rssBefore + 100 * 1024);   // bounded: no attacker's bytes are buffered
    // Slowloris connections were cut by the request deadline.
    QVERIFY(std::all_of(slowloris.cbegin(), slowloris.cend(), [](QTcpSocket *s) { return s->state() != QAbstractSocket::ConnectedState; }));
    qDeleteAll(attackers);
}

QTEST_MAIN(TestReliability)
#include "tst_reliability.moc"
