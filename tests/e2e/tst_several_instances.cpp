// Three real mission-control processes on one real PostgreSQL (issue 18):
// 300 queued tasks each run exactly once, never more than 5 at once on one
// instance nor 15 in all, and instance A's WebSocket clients see the output of
// the runs of B and C; SIGKILL of an instance has its runs marked interrupted
// by the others once its lease expires, and nothing completed is lost; 50
// simultaneous `run` calls for one task over the three give exactly one 200;
// a stop sent to one instance stops the run another instance has going.

#include "appprocess.h"
#include "clock.h"
#include "httpclient.h"
#include "pgtesting.h"
#include "queuetesting.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;
using namespace mc::test;

namespace {
// A short lease only where a kill is measured; elsewhere a stall of this busy
// 2-core machine must not count an instance as dead.
constexpr int kLeaseS = 3;
constexpr int kCalmLeaseS = 15;
const QString kToken = u"instances-test-token-0123456789abcdefghijklmnop"_s;

struct Run
{
    QString id;
    QString taskId;
    QString instance;
    QString status;
    qint64 startUs = 0;
    qint64 endUs = 0;
};

// The most intervals [startUs, endUs) open at one instant.
int mostAtOnce(const QList<Run> &runs)
{
    QList<QPair<qint64, int>> edges;
    for (const Run &r : runs) {
        edges.append({r.startUs, +1});
        edges.append({r.endUs, -1});
    }
    std::sort(edges.begin(), edges.end());   // at one instant, an end (-1) before a start
    int open = 0, most = 0;
    for (const auto &edge : std::as_const(edges)) {
        open += edge.second;
        most = std::max(most, open);
    }
    return most;
}
} // namespace

class TestSeveralInstances : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void threeInstancesRunThreeHundredTasksEachOnce();
    void killedInstancesRunsAreInterruptedWithinTheLease();
    void fiftySimultaneousRunsOfOneTaskGiveOne200();
    void stopOnOneInstanceStopsTheRunOfAnother();

private:
    bool startInstances(int count, int leaseS = kCalmLeaseS);
    HttpClient &client(int i) { return *m_clients.at(i); }
    QList<Run> runsInDatabase();
    QSqlDatabase db() { return QSqlDatabase::database(u"check"_s); }
    void drainLogs();

    QString m_url;
    std::array<QTemporaryDir, 3> m_dirs;
    std::array<std::unique_ptr<AppProcess>, 3> m_apps;
    std::vector<std::unique_ptr<HttpClient>> m_clients;
    int m_database = 0;
};

void TestSeveralInstances::initTestCase()
{
    // Run through tests/support/postgres-run.sh, which starts the server.
    if (!postgresRequested())
        QSKIP("needs PostgreSQL: run it through tests/support/postgres-run.sh (ctest -L postgres)");
}

void TestSeveralInstances::init()
{
    // A fresh database per test: nothing of another test's instances or runs.
    m_url = postgresDatabase(u"several_instances_%1"_s.arg(++m_database));
    QVERIFY(!m_url.isEmpty());
    QSqlDatabase check = QSqlDatabase::addDatabase(u"QPSQL"_s, u"check"_s);
    const QUrl url(m_url);
    check.setHostName(url.host());
    check.setPort(url.port(5432));
    check.setDatabaseName(url.path().mid(1));
    check.setUserName(url.userName());
    check.setPassword(url.password());
    QVERIFY2(check.open(), qPrintable(check.lastError().text()));
}

void TestSeveralInstances::cleanup()
{
    for (auto &app : m_apps) {
        if (app)
            app->terminate(20000);
        app.reset();
    }
    m_clients.clear();
    QSqlDatabase::database(u"check"_s, false).close();
    QSqlDatabase::removeDatabase(u"check"_s);
}

bool TestSeveralInstances::startInstances(int count, int leaseS)
{
    for (int i = 0; i < count; ++i) {
        m_apps.at(i) = std::make_unique<AppProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"MISSION_CONTROL_TOKEN"_s, kToken);
        m_apps.at(i)->process().setProcessEnvironment(env);
        if (!m_apps.at(i)->start(m_dirs.at(i).path(),
                                 {u"--database"_s, m_url, u"--max-concurrent"_s, u"5"_s, u"--lease-seconds"_s,
                                  QString::number(leaseS), u"--heartbeat-interval"_s, u"0"_s},
                                 60000))
            return false;
        m_clients.push_back(std::make_unique<HttpClient>(m_apps.at(i)->base(), kToken));
    }
    return true;
}

void TestSeveralInstances::drainLogs()
{
    // The processes log to pipes nobody else reads: keep them from filling.
    for (auto &app : m_apps) {
        if (app) {
            app->process().readAllStandardOutput();
            app->process().readAllStandardError();
        }
    }
}

QList<Run> TestSeveralInstances::runsInDatabase()
{
    QList<Run> runs;
    QSqlQuery q(db());
    if (!q.exec(u"SELECT id, task_id, instance_id, status, started_at, finished_at FROM runs"_s)) {
        qWarning() << q.lastError().text();
        return runs;
    }
    while (q.next()) {
        Run r{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()};
        r.startUs = mc::microsFromIso(q.value(4).toString()).value_or(0);
        r.endUs = q.value(5).isNull() ? std::numeric_limits<qint64>::max()
                                      : mc::microsFromIso(q.value(5).toString()).value_or(0);
        runs.append(r);
    }
    return runs;
}

void TestSeveralInstances::threeInstancesRunThreeHundredTasksEachOnce()
{
    constexpr int kTasks = 300;
    QVERIFY(startInstances(3));
    WsClient ws;
    QVERIFY(ws.connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(m_apps.at(0)->port()).arg(kToken)));
    const QString agent = client(0).createAgent(shellAgent(u"Quick"_s, u"sleep 0.2; echo \"output of the run\""_s));
    QVERIFY(!agent.isEmpty());
    QStringList tasks;
    for (int i = 0; i < kTasks; ++i)
        tasks.append(client(i % 3).createTask({{u"title"_s, u"task %1"_s.arg(i)}, {u"assignee_ids"_s, QJsonArray{agent}}}));
    QElapsedTimer waited;
    waited.start();
    // Queued through all three: the first five of each start at once, the rest wait in the shared queue.
    for (int i = 0; i < kTasks; ++i) {
        const HttpResponse r = client(i % 3).post(api + u"/tasks/"_s + tasks.at(i) + u"/run"_s,
                                                  {{u"agent_id"_s, agent}, {u"queue"_s, true}});
        QVERIFY2(r.status == 200 || r.status == 202, r.body.constData());
    }
    QList<Run> runs;
    for (;;) {
        runs = runsInDatabase();
        const auto finished = std::count_if(runs.cbegin(), runs.cend(), [](const Run &r) { return r.status != u"running"_s; });
        if (finished >= kTasks || waited.elapsed() > 240000)
            break;
        drainLogs();
        QTest::qWait(250);
    }
    qInfo() << kTasks << "tasks queued and run by three instances in" << waited.elapsed() << "ms";
    QCOMPARE(runs.size(), kTasks);
    QSet<QString> ranTasks;
    QHash<QString, QList<Run>> byInstance;
    for (const Run &r : std::as_const(runs)) {
        QCOMPARE(r.status, u"completed"_s);
        ranTasks.insert(r.taskId);
        byInstance[r.instance].append(r);
    }
    QCOMPARE(ranTasks.size(), kTasks);   // each task once
    QCOMPARE(byInstance.size(), 3);      // every instance took its share
    for (auto it = byInstance.cbegin(); it != byInstance.cend(); ++it) {
        const int most = mostAtOnce(it.value());
        qInfo() << "instance" << it.key() << "ran" << it.value().size() << "runs, at most" << most << "at once";
        QVERIFY(most <= 5);
    }
    const int most = mostAtOnce(runs);
    qInfo() << "at most" << most << "runs at once over the three instances";
    QVERIFY(most <= 15);

    // Instance A's WebSocket client saw the output of runs of B and C.
    const QString instanceA = client(0).get(api + u"/health"_s).object().value(u"instance_id"_s).toString();
    QHash<QString, QString> instanceOfRun;
    for (const Run &r : std::as_const(runs))
        instanceOfRun.insert(r.id, r.instance);
    const auto outputsBy = [&] {
        QHash<QString, int> by;
        for (const QJsonObject &e : ws.events(u"mc_task_output"_s))
            ++by[instanceOfRun.value(e.value(u"run_id"_s).toString())];
        return by;
    };
    QVERIFY2(ws.waitFor([&](const QList<QJsonObject> &) {
        QSet<QString> seen;
        for (const QJsonObject &e : ws.events(u"mc_task_output"_s))
            seen.insert(instanceOfRun.value(e.value(u"run_id"_s).toString()));
        seen.remove(instanceA);
        seen.remove(QString());
        return seen.size() == 2;
    }, 60000), qPrintable(u"outputs seen on A per instance: %1 (A is %2)"_s.arg(
                       QString::fromUtf8(QDebug::toString(outputsBy()).toUtf8()), instanceA)));
    // With their own seq: the first chunk of a run is seq 1 wherever it ran.
    for (const QJsonObject &e : ws.events(u"mc_task_output"_s))
        QCOMPARE(e.value(u"seq"_s).toInt(), 1);
}

void TestSeveralInstances::killedInstancesRunsAreInterruptedWithinTheLease()
{
    QVERIFY(startInstances(3, kLeaseS));
    const QString quick = client(1).createAgent(shellAgent(u"Quick"_s, u"echo finished work"_s));
    const QString slow = client(1).createAgent(shellAgent(u"Slow"_s, u"echo started; sleep 20"_s));
    // B completes three runs, then has five going when it is killed.
    QStringList done, going;
    for (int i = 0; i < 3; ++i) {
        done.append(client(1).createTask({{u"title"_s, u"done %1"_s.arg(i)}}));
        QCOMPARE(client(1).post(api + u"/tasks/"_s + done.last() + u"/run"_s, {{u"agent_id"_s, quick}}).status, 200);
    }
    QTRY_COMPARE_WITH_TIMEOUT(
            client(0).get(api + u"/tasks?status=done&limit=0"_s).object().value(u"count"_s).toInt(), 3, 60000);
    for (int i = 0; i < 5; ++i) {
        going.append(client(1).createTask({{u"title"_s, u"going %1"_s.arg(i)}}));
        QCOMPARE(client(1).post(api + u"/tasks/"_s + going.last() + u"/run"_s, {{u"agent_id"_s, slow}}).status, 200);
    }
    const QString instanceB = client(1).get(api + u"/health"_s).object().value(u"instance_id"_s).toString();
    QCOMPARE(client(0).get(api + u"/health"_s).object().value(u"instances"_s).toArray().size(), 3);

    m_apps.at(1)->kill();
    QElapsedTimer sinceKill;
    sinceKill.start();
    QList<Run> runs;
    for (;;) {
        runs = runsInDatabase();
        const bool allEnded = std::none_of(runs.cbegin(), runs.cend(), [](const Run &r) { return r.status == u"running"_s; });
        if (allEnded || sinceKill.elapsed() > 60000)
            break;
        drainLogs();
        QTest::qWait(100);
    }
    const qint64 tookMs = sinceKill.elapsed();
    qInfo() << "the killed instance's runs were marked interrupted" << tookMs << "ms after the kill (lease" << kLeaseS << "s)";
    // The lease, plus one renewal period of the survivors, plus slack for a loaded machine.
    QVERIFY2(tookMs < (kLeaseS * 1000) * 3 + 5000, qPrintable(QString::number(tookMs)));
    int interrupted = 0, completed = 0;
    for (const Run &r : std::as_const(runs)) {
        QCOMPARE(r.instance, instanceB);
        if (r.status == u"interrupted"_s)
            ++interrupted;
        else if (r.status == u"completed"_s)
            ++completed;
    }
    QCOMPARE(interrupted, 5);
    QCOMPARE(completed, 3);
    for (const QString &task : std::as_const(going)) {
        const QJsonObject t = client(0).get(api + u"/tasks/"_s + task).object().value(u"task"_s).toObject();
        QCOMPARE(t.value(u"status"_s).toString(), u"blocked"_s);
    }
    // Nothing completed is lost: the tasks, their output and deliverables.
    for (const QString &task : std::as_const(done)) {
        const QJsonObject t = client(2).get(api + u"/tasks/"_s + task).object().value(u"task"_s).toObject();
        QCOMPARE(t.value(u"status"_s).toString(), u"done"_s);
        const QJsonArray taskRuns = client(2).get(api + u"/tasks/"_s + task + u"/runs"_s).object().value(u"runs"_s).toArray();
        QCOMPARE(taskRuns.size(), 1);
        const QString runId = taskRuns.first().toObject().value(u"id"_s).toString();
        const QJsonArray output = client(2).get(api + u"/runs/"_s + runId + u"/output"_s).object().value(u"chunks"_s).toArray();
        QVERIFY(!output.isEmpty());
        QVERIFY(output.first().toObject().value(u"content"_s).toString().contains(u"finished work"_s));
    }
    // The dead instance is no longer listed as live.
    const QJsonArray live = client(0).get(api + u"/health"_s).object().value(u"instances"_s).toArray();
    QCOMPARE(live.size(), 2);
    for (const QJsonValue &v : live)
        QVERIFY(v.toObject().value(u"id"_s).toString() != instanceB);
}

void TestSeveralInstances::fiftySimultaneousRunsOfOneTaskGiveOne200()
{
    QVERIFY(startInstances(3));
    const QString agent = client(0).createAgent(shellAgent(u"Slow"_s, u"sleep 5; echo done"_s));
    const QString task = client(0).createTask({{u"title"_s, u"Contended"_s}});
    QNetworkAccessManager nam;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 50; ++i) {
        QNetworkRequest request(QUrl(m_apps.at(i % 3)->base() + api + u"/tasks/"_s + task + u"/run"_s));
        request.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        replies.append(nam.post(request, HttpClient::json({{u"agent_id"_s, agent}})));
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); }),
                             60000);
    QMap<int, int> statuses;
    for (QNetworkReply *r : std::as_const(replies)) {
        ++statuses[r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()];
        r->deleteLater();
    }
    qInfo() << "statuses of 50 simultaneous run calls:" << statuses;
    QCOMPARE(statuses.value(200), 1);
    QCOMPARE(statuses.value(409), 49);
    const QList<Run> runs = runsInDatabase();
    QCOMPARE(runs.size(), 1);
}

void TestSeveralInstances::stopOnOneInstanceStopsTheRunOfAnother()
{
    QVERIFY(startInstances(2));
    const QString agent = client(0).createAgent(shellAgent(u"Slow"_s, u"echo started; sleep 30"_s));
    // Auto-run with retries: queued and started by whichever instance comes
    // first; a stop must neither retry it nor queue it again.
    const QString task = client(0).createTask({{u"title"_s, u"Stopped elsewhere"_s},
                                               {u"assignee_ids"_s, QJsonArray{agent}},
                                               {u"auto_run"_s, true},
                                               {u"max_attempts"_s, 3},
                                               {u"retry_delay_s"_s, 0}});
    QList<Run> runs;
    QTRY_VERIFY_WITH_TIMEOUT((runs = runsInDatabase()).size() == 1, 60000);
    QCOMPARE(runs.first().status, u"running"_s);
    const QString owner = runs.first().instance;
    // A: the instance the run is not on; B: the one it is on.
    const int a = client(0).get(api + u"/health"_s).object().value(u"instance_id"_s).toString() == owner ? 1 : 0;
    WsClient ws;
    QVERIFY(ws.connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(m_apps.at(a)->port()).arg(kToken)));
    QCOMPARE(client(a).post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agent}}).status, 409);

    const HttpResponse stopped = client(a).post(api + u"/tasks/"_s + task + u"/stop"_s);
    QCOMPARE(stopped.status, 200);
    QCOMPARE(stopped.object(), (QJsonObject{{u"status"_s, u"stopped"_s},
                                            {u"task_id"_s, task},
                                            {u"message"_s, u"Task execution stopped"_s}}));
    QElapsedTimer sinceStop;
    sinceStop.start();
    QVERIFY2(ws.waitFor([&](const QList<QJsonObject> &) {
        const QList<QJsonObject> ends = ws.events(u"mc_task_completed"_s);
        return std::any_of(ends.cbegin(), ends.cend(), [&](const QJsonObject &e) {
            return e.value(u"task_id"_s).toString() == task;
        });
    }, 60000), "A's WebSocket client never heard of the run's end");
    qInfo() << "a stop sent to the other instance ended the run in" << sinceStop.elapsed() << "ms";
    const QList<QJsonObject> ends = ws.events(u"mc_task_completed"_s);
    QCOMPARE(ends.size(), 1);
    QCOMPARE(ends.first().value(u"status"_s).toString(), u"stopped"_s);
    runs = runsInDatabase();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.first().status, u"stopped"_s);
    QCOMPARE(runs.first().instance, owner);   // ended by its own instance
    const QJsonObject t = client(a).get(api + u"/tasks/"_s + task).object().value(u"task"_s).toObject();
    QCOMPARE(t.value(u"status"_s).toString(), u"blocked"_s);
    // No retry and no requeue: a moment for a dispatcher to (wrongly) start one.
    QTest::qWait(1000);
    QCOMPARE(client(a).get(api + u"/queue"_s).object().value(u"count"_s).toInt(), 0);
    QCOMPARE(runsInDatabase().size(), 1);
    // Running nowhere now: 404 on either instance.
    for (int i : {0, 1}) {
        const HttpResponse again = client(i).post(api + u"/tasks/"_s + task + u"/stop"_s);
        QCOMPARE(again.status, 404);
        QCOMPARE(again.object().value(u"detail"_s).toString(), u"Task is not currently running"_s);
    }
}

QTEST_MAIN(TestSeveralInstances)
#include "tst_several_instances.moc"
