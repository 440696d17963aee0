// The reliability suite: SIGKILL while five runs stream and a client writes
// (10 times), run races, and hostile clients while a well-behaved one is served.

#include "appprocess.h"
#include "httpclient.h"
#include "measure.h"
#include "queuetesting.h"
#include "rawhttp.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace mc::test;
using namespace Qt::StringLiterals;

namespace {

QJsonObject streamingAgent()
{
    // Prints until its pipe closes: dies with the app instead of lingering.
    return shellAgent(u"Streamer"_s, u"i=0; while echo \"line $i\"; do i=$((i+1)); [ $((i % 50)) -eq 0 ] && sleep 0.01; done"_s);
}

QByteArray runRequest(const QString &task, const QString &agent, const QString &token)
{
    const QByteArray body = "{\"agent_id\": \"" + agent.toUtf8() + "\"}";
    return "POST /api/mission-control/tasks/" + task.toUtf8() + "/run HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
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
    void diskFullAnswers507AndRecovers();
    void agentsInheritNoDescriptorOfTheServer();
    void sigkillKeepsTheQueue();
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
            QVERIFY2(client.get(api + u"/tasks/"_s + id).status == 200, qPrintable(id));
        for (const QString &task : std::as_const(runningTasks)) {
            const QJsonArray runs = client.get(api + u"/tasks/"_s + task + u"/runs"_s).object().value(u"runs"_s).toArray();
            QCOMPARE(runs.first().toObject().value(u"status"_s).toString(), u"interrupted"_s);
            QCOMPARE(client.get(api + u"/tasks/"_s + task).object().value(u"task"_s).toObject().value(u"status"_s).toString(),
                     u"blocked"_s);
        }
        QCOMPARE(client.get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt(), 0);
        if (agent.isEmpty())
            agent = client.createAgent(streamingAgent());
        runningTasks.clear();
        for (int i = 0; i < 5; ++i) {
            const QString task = client.createTask({{u"title"_s, u"stream %1/%2"_s.arg(kill).arg(i)}});
            acknowledged.append(task);
            QCOMPARE(client.post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agent}}).status, 200);
            runningTasks.append(task);
        }
        // Keep writing while the agents stream, then kill at a random point.
        QElapsedTimer writing;
        writing.start();
        const int killAfterMs = 100 + int(QRandomGenerator::global()->bounded(400));
        while (writing.elapsed() < killAfterMs) {
            const HttpResponse r = client.post(api + u"/tasks"_s, {{u"title"_s, u"write during kill %1"_s.arg(kill)}});
            if (r.status == 200)
                acknowledged.append(r.object().value(u"task"_s).toObject().value(u"id"_s).toString());
        }
        app.kill();
        // The file is intact before anyone repairs anything.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
            db.setDatabaseName(dir.filePath(u"mission-control.db"_s));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA integrity_check"_s));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), u"ok"_s);
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"check"_s);
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
    const QString agent = client.createAgent(shellAgent(u"Sleeper"_s, u"sleep 2"_s));
    const QString task = client.createTask({{u"title"_s, u"contended"_s}});
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
    QCOMPARE(client.get(api + u"/tasks/"_s + task + u"/runs"_s).object().value(u"count"_s).toInt(), 1);
}

void TestReliability::runAndStopRacing()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path()));
    const QString token = app.token(dir.path());
    HttpClient client(app.base(), token);
    const QString agent = client.createAgent(shellAgent(u"Quick"_s, u"echo hi; sleep 0.2"_s));
    const QString task = client.createTask({{u"title"_s, u"raced"_s}});
    const QByteArray stop = "POST /api/mission-control/tasks/" + task.toUtf8() + "/stop HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
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
        QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt(), 0, 10000);
        const QString status = client.get(api + u"/tasks/"_s + task).object().value(u"task"_s).toObject().value(u"status"_s).toString();
        QVERIFY2(status != u"in_progress"_s, qPrintable(u"round %1: %2"_s.arg(round).arg(status)));
    }
}

void TestReliability::hostileClients()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path(), {u"--request-timeout"_s, u"3"_s}));
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
        slowloris.append(connectRaw("GET /api/mission-control/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    // A 10 GB Content-Length, and 1 MiB of headers.
    connectRaw("POST /api/mission-control/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10737418240\r\n\r\n{\"title\":");
    QByteArray bigHead = "GET /api/mission-control/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
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
        const HttpResponse r = tick % 3 ? client.get(api + u"/health"_s)
                                         : client.post(api + u"/tasks"_s, {{u"title"_s, u"under attack"_s}, {u"description"_s, QString(2000, u'x')}});
        latencies.append(double(t.nsecsElapsed()) / 1e6);
        failures += r.status != 200;
        QTest::qWait(50);
    }
    const qint64 rssAfter = procStatusKb(pid);
    qInfo().noquote() << u"well-behaved client during the attack: %1 requests, p50 %2 ms, p99 %3 ms, max %4 ms, %5 failed"_s
                                 .arg(latencies.size()).arg(percentile(latencies, 0.5), 0, 'f', 2)
                                 .arg(percentile(latencies, 0.99), 0, 'f', 2).arg(percentile(latencies, 1.0), 0, 'f', 2).arg(failures);
    qInfo().noquote() << u"server RSS before %1 MB, after %2 MB"_s.arg(double(rssBefore) / 1024, 0, 'f', 1).arg(double(rssAfter) / 1024, 0, 'f', 1);
    QCOMPARE(failures, 0);
    QVERIFY(rssAfter < rssBefore + 100 * 1024);   // bounded: no attacker's bytes are buffered
    // Slowloris connections were cut by the request deadline.
    QVERIFY(std::all_of(slowloris.cbegin(), slowloris.cend(), [](QTcpSocket *s) { return s->state() != QAbstractSocket::ConnectedState; }));
    qDeleteAll(attackers);
}

namespace {

QString runOutputText(HttpClient &client, const QString &runId)
{
    QString text;
    const QJsonArray chunks = client.get(api + u"/runs/"_s + runId + u"/output?limit=100000"_s)
                                      .object().value(u"chunks"_s).toArray();
    for (const QJsonValue &c : chunks)
        text += c.toObject().value(u"content"_s).toString();
    return text;
}

// Descriptors >= 3 this test process leaks to every child (the harness's):
// inherited by the server and its agents through no fault of theirs.
QList<int> descriptorsWithoutCloseOnExec()
{
    QList<int> fds;
    const QStringList entries = QDir(u"/proc/self/fd"_s).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : entries) {
        const int fd = name.toInt();
        QFile info(u"/proc/self/fdinfo/"_s + name);
        if (fd < 3 || !info.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &line : info.readAll().split('\n')) {
            if (line.startsWith("flags:") && !(line.mid(6).trimmed().toLongLong(nullptr, 8) & 02000000))
                fds.append(fd);
        }
    }
    return fds;
}

} // namespace

void TestReliability::diskFullAnswers507AndRecovers()
{
    if (::geteuid() != 0)
        QSKIP("needs root to mount a small tmpfs for the data directory (CI runs as root)");
    QTemporaryDir mountPoint;
    QVERIFY(mountPoint.isValid());
    const QByteArray target = QFile::encodeName(mountPoint.path());
    if (::mount("tmpfs", target.constData(), "tmpfs", 0, "size=8m") != 0)
        QSKIP(qPrintable(u"cannot mount a tmpfs here: "_s + QString::fromLocal8Bit(std::strerror(errno))));
    const auto unmount = qScopeGuard([&] { ::umount2(target.constData(), MNT_DETACH); });
    const QString dataDir = mountPoint.filePath(u"data"_s);

    AppProcess app;
    QVERIFY(app.start(dataDir));
    HttpClient client(app.base(), app.token(dataDir));
    QStringList acknowledged{client.createTask({{u"title"_s, u"before the disk filled"_s}})};
    // A run streams the whole time: the output writer meets the full disk too.
    const QString agent = client.createAgent(
            shellAgent(u"Ticker"_s, u"i=0; while echo \"tick $i\"; do i=$((i+1)); sleep 0.01; done"_s));
    const QString runTask = client.createTask({{u"title"_s, u"streams through"_s}});
    const HttpResponse started = client.post(api + u"/tasks/"_s + runTask + u"/run"_s, {{u"agent_id"_s, agent}});
    QCOMPARE(started.status, 200);
    const QString runId = started.object().value(u"run_id"_s).toString();
    QTest::qWait(300);

    // Fill the disk.
    QFile filler(mountPoint.filePath(u"filler"_s));
    QVERIFY(filler.open(QIODevice::WriteOnly));
    const QByteArray block(64 * 1024, 'f');
    for (int i = 0; i < 200 && filler.write(block) == block.size() && filler.flush(); ++i) { }
    filler.close();

    // Writes: a clear 507 once the database cannot grow (the room left in its
    // files may take a few), never a hang or a 500.
    HttpResponse refused;
    for (int i = 0; i < 100; ++i) {
        refused = client.post(api + u"/tasks"_s, {{u"title"_s, u"while full %1"_s.arg(i)}, {u"description"_s, QString(20000, u'd')}});
        if (refused.status != 200)
            break;
        acknowledged.append(refused.object().value(u"task"_s).toObject().value(u"id"_s).toString());
    }
    QCOMPARE(refused.status, 507);
    QVERIFY2(refused.object().value(u"detail"_s).toString().startsWith(u"Insufficient storage: "_s), refused.body.constData());
    QVERIFY(!refused.body.contains(dataDir.toUtf8()));   // no path leaks
    // Reads keep working, and so does every other write: each gets its answer.
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(client.get(api + u"/tasks/"_s + acknowledged.first()).status, 200);
        QCOMPARE(client.get(api + u"/tasks?limit=5"_s).status, 200);
        QCOMPARE(client.post(api + u"/tasks"_s, {{u"title"_s, u"still full"_s}, {u"description"_s, QString(20000, u'd')}}).status, 507);
    }
    QCOMPARE(client.get(api + u"/health"_s).status, 200);

    // Space returns: writes succeed again by themselves.
    QVERIFY(filler.remove());
    QTRY_COMPARE_WITH_TIMEOUT(client.post(api + u"/tasks"_s, {{u"title"_s, u"after the disk was freed"_s}}).status, 200, 10000);
    // The run's output reaches the store again; stop it, and its end is recorded.
    QCOMPARE(client.post(api + u"/tasks/"_s + runTask + u"/stop"_s).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt(), 0, 15000);
    const QJsonObject run = client.get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject();
    QCOMPARE(run.value(u"status"_s).toString(), u"stopped"_s);
    const QJsonArray chunks = client.get(api + u"/runs/"_s + runId + u"/output?limit=100000"_s).object().value(u"chunks"_s).toArray();
    QCOMPARE(chunks.size(), run.value(u"output_chunks"_s).toInt());
    for (qsizetype i = 0; i < chunks.size(); ++i)   // nothing missing in between
        QCOMPARE(chunks.at(i).toObject().value(u"seq"_s).toInteger(), qint64(i + 1));
    // SIGTERM is obeyed, and nothing acknowledged was lost.
    QCOMPARE(app.terminate(), 0);
    AppProcess again;
    QVERIFY(again.start(dataDir));
    HttpClient after(again.base(), again.token(dataDir));
    for (const QString &id : std::as_const(acknowledged))
        QVERIFY2(after.get(api + u"/tasks/"_s + id).status == 200, qPrintable(id));
    qInfo() << acknowledged.size() << "acknowledged writes kept;" << chunks.size() << "output chunks stored in order";
    QCOMPARE(again.terminate(), 0);
}

void TestReliability::agentsInheritNoDescriptorOfTheServer()
{
    QTemporaryDir dir;
    AppProcess app;
    QVERIFY(app.start(dir.path()));
    HttpClient client(app.base(), app.token(dir.path()));
    QStringList harness;
    for (int fd : descriptorsWithoutCloseOnExec())
        harness.append(QString::number(fd));
    // The agent lists its descriptors, then writes to every low one that is
    // not the harness's (the server's signal pipe was fd 4: one byte shut it down).
    const QString script = u"ls -l /proc/$$/fd; for n in 3 4 5 6 7 8 9; do case ' %1 ' in *\" $n \"*) ;; "
                           "*) (echo x >&$n) 2>/dev/null ;; esac; done; sleep 0.5; echo survived"_s.arg(harness.join(u' '));
    const QString agent = client.createAgent(shellAgent(u"Prober"_s, script));
    const QString task = client.createTask({{u"title"_s, u"probe descriptors"_s}});
    const HttpResponse started = client.post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agent}});
    QCOMPARE(started.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt(), 0, 15000);
    QTest::qWait(300);
    QCOMPARE(app.process().state(), QProcess::Running);
    QCOMPARE(client.get(api + u"/health"_s).status, 200);
    const QString listing = runOutputText(client, started.object().value(u"run_id"_s).toString());
    QVERIFY2(listing.contains(u"survived"_s), qPrintable(listing));
    QStringList leaked;
    for (const QString &line : listing.split(u'\n')) {
        const qsizetype arrow = line.indexOf(u" -> "_s);
        if (arrow < 0)
            continue;
        const QString fd = line.left(arrow).section(u' ', -1);
        if (fd.toInt() > 2 && !harness.contains(fd))
            leaked.append(line.trimmed());
    }
    QVERIFY2(leaked.isEmpty(), qPrintable(u"descriptors of the server reached the agent:\n"_s + leaked.join(u'\n')));
    QCOMPARE(app.terminate(), 0);
}

void TestReliability::sigkillKeepsTheQueue()
{
    QTemporaryDir dir;
    QStringList done, interrupted, queuedOrder;
    {
        AppProcess app;
        QVERIFY(app.start(dir.path()));
        HttpClient client(app.base(), app.token(dir.path()));
        const QString quick = client.createAgent(shellAgent(u"Quick"_s, u"echo finished"_s));
        const QString slow = client.createAgent(shellAgent(u"Slow"_s, u"sleep 120"_s));
        for (int i = 0; i < 3; ++i) {
            done.append(client.createTask({{u"title"_s, u"done %1"_s.arg(i)}}));
            QCOMPARE(client.post(api + u"/tasks/"_s + done.last() + u"/run"_s, {{u"agent_id"_s, quick}}).status, 200);
        }
        QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/tasks?status=done"_s).object().value(u"count"_s).toInt(), 3, 20000);
        // Five auto-run tasks take the five slots by themselves.
        for (int i = 0; i < 5; ++i) {
            interrupted.append(client.createTask({{u"title"_s, u"auto %1"_s.arg(i)}, {u"priority"_s, u"low"_s},
                                                  {u"assignee_ids"_s, QJsonArray{slow}}, {u"auto_run"_s, true}}));
        }
        QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/health"_s).object().value(u"running"_s).toInt(), 5, 20000);
        const QStringList priorities{u"urgent"_s, u"high"_s, u"medium"_s};
        for (int i = 0; i < 50; ++i) {
            const QString task = client.createTask({{u"title"_s, u"queued %1"_s.arg(i)}, {u"priority"_s, priorities.at(i % 3)}});
            QCOMPARE(client.post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, slow}, {u"queue"_s, true}}).status, 202);
        }
        for (const QJsonValue &e : client.get(api + u"/queue"_s).object().value(u"queue"_s).toArray())
            queuedOrder.append(e.toObject().value(u"task_id"_s).toString());
        QCOMPARE(queuedOrder.size(), 50);
        app.kill();
    }
    {
        // In the file, before anyone repairs anything: the 50 rows, in order.
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"queue"_s);
        db.setDatabaseName(dir.filePath(u"mission-control.db"_s));
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"SELECT task_id FROM task_queue ORDER BY held, priority_rank, queued_us, task_id"_s));
        QStringList stored;
        while (q.next())
            stored.append(q.value(0).toString());
        QCOMPARE(stored, queuedOrder);
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"queue"_s);

    AppProcess app;
    QVERIFY(app.start(dir.path()));
    HttpClient client(app.base(), app.token(dir.path()));
    // The head of the queue took the five slots again; the rest waits in order,
    // followed by the five interrupted auto-run tasks, queued again.
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/health"_s).object().value(u"running"_s).toInt(), 5, 20000);
    QStringList runningNow;
    for (const QJsonValue &t : client.get(api + u"/tasks/running"_s).object().value(u"running_tasks"_s).toArray())
        runningNow.append(t.toObject().value(u"task_id"_s).toString());
    runningNow.sort();
    QStringList head = queuedOrder.mid(0, 5);
    head.sort();
    QCOMPARE(runningNow, head);
    QStringList after;
    for (const QJsonValue &e : client.get(api + u"/queue"_s).object().value(u"queue"_s).toArray())
        after.append(e.toObject().value(u"task_id"_s).toString());
    QCOMPARE(after.mid(0, 45), queuedOrder.mid(5));
    QStringList requeued = after.mid(45);
    requeued.sort();
    QStringList expected = interrupted;
    expected.sort();
    QCOMPARE(requeued, expected);
    for (const QString &task : std::as_const(interrupted)) {
        const QJsonArray runs = client.get(api + u"/tasks/"_s + task + u"/runs"_s).object().value(u"runs"_s).toArray();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().toObject().value(u"status"_s).toString(), u"interrupted"_s);
    }
    for (const QString &task : std::as_const(done)) {
        QCOMPARE(client.get(api + u"/tasks/"_s + task + u"/runs"_s).object().value(u"count"_s).toInt(), 1);
        QCOMPARE(client.get(api + u"/tasks/"_s + task).object().value(u"task"_s).toObject().value(u"status"_s).toString(),
                 u"done"_s);
    }
    QCOMPARE(app.terminate(), 0);
}

QTEST_MAIN(TestReliability)
#include "tst_reliability.moc"
