// Several instances on one database (issue 18, part B), what holds on the
// embedded SQLite store too: a task's running run is its claim (a second one
// is refused as 409 "already running", whichever instance holds it), runs name
// their instance, /health names this instance and the live ones, and the runs
// of an instance whose lease expired are taken over -- interrupted, auto-run
// tasks queued again -- while a live instance's runs are left alone.

#include "clock.h"
#include "executor.h"
#include "httpclient.h"
#include "instancelease.h"
#include "instancerepository.h"
#include "queuerepository.h"
#include "queuetesting.h"
#include "store.h"
#include "testserver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

class TestClaims : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        m_client = std::make_unique<HttpClient>(m_server->base(), m_server->token());
        m_agent = m_client->createAgent(shellAgent(u"Sleeper"_s, u"sleep 0.2; echo done"_s));
    }
    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void runningRunOfAnotherInstanceIsTheTasksClaim();
    void runsNameTheirInstance();
    void healthNamesThisInstanceAndTheLiveOnes();
    void expiredInstancesRunsAreTakenOverOnceLiveOnesLeftAlone();
    void endOfARunTakenOverChangesNothing();

private:
    Store &store() { return m_server->app().store(); }
    QString createTask()
    {
        return m_client->createTask({{u"title"_s, u"Claimed"_s}, {u"assignee_ids"_s, QJsonArray{m_agent}}});
    }
    // A run row as another instance writes it when it starts a run.
    void insertRunningRun(const QString &runId, const QString &taskId, const QString &instanceId)
    {
        store().exec(u"INSERT INTO runs (id, task_id, agent_id, status, started_at, instance_id) VALUES (?, ?, ?, 'running', ?, ?)"_s,
                     {runId, taskId, m_agent, nowIso(), instanceId});
    }
    QString runStatus(const QString &runId)
    {
        return store().text(u"SELECT status FROM runs WHERE id = ?"_s, {runId});
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_client;
    QString m_agent;
};

void TestClaims::runningRunOfAnotherInstanceIsTheTasksClaim()
{
    const QString task = createTask();
    const QString elsewhere = newId();
    insertRunningRun(elsewhere, task, u"another-instance"_s);
    // The board is one: the run of the other instance is listed as running here.
    const QJsonObject listed = m_client->get(api + u"/tasks/running"_s).object();
    QCOMPARE(listed.value(u"count"_s).toInt(), 1);
    const QJsonObject entry = listed.value(u"running_tasks"_s).toArray().at(0).toObject();
    QCOMPARE(entry.value(u"task_id"_s).toString(), task);
    QCOMPARE(entry.value(u"run_id"_s).toString(), elsewhere);
    QVERIFY(!entry.value(u"title"_s).toString().isEmpty());
    // The database refuses a second running run of the task: a 409, nothing stored.
    const HttpResponse refused = m_client->post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, m_agent}});
    QCOMPARE(refused.status, 409);
    QCOMPARE(refused.object().value(u"detail"_s).toString(), u"Task is already running"_s);
    QCOMPARE(store().count(u"SELECT COUNT(*) FROM runs WHERE task_id = ?"_s, {task}), 1);
    QCOMPARE(m_server->app().executor().running(), 0);
    QVERIFY_THROWS_EXCEPTION(StoreError, insertRunningRun(newId(), task, u"a-third"_s));
    // Once that run ended, the task can run here.
    store().exec(u"UPDATE runs SET status = 'completed' WHERE task_id = ?"_s, {task});
    QCOMPARE(m_client->post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, m_agent}}).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->app().executor().running(), 0, 30000);
}

void TestClaims::runsNameTheirInstance()
{
    const QString task = createTask();
    const HttpResponse started = m_client->post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, m_agent}});
    QCOMPARE(started.status, 200);
    QFile idFile(QDir(m_server->dataDir()).filePath(u"instance-id"_s));
    QVERIFY(idFile.open(QIODevice::ReadOnly));
    const QString instanceId = QString::fromUtf8(idFile.readAll()).trimmed();
    QVERIFY(isUuid(instanceId));
    const QString runId = started.object().value(u"run_id"_s).toString();
    QCOMPARE(store().text(u"SELECT instance_id FROM runs WHERE id = ?"_s, {runId}), instanceId);
    QTRY_COMPARE_WITH_TIMEOUT(runStatus(runId), u"completed"_s, 30000);
}

void TestClaims::healthNamesThisInstanceAndTheLiveOnes()
{
    InstanceRepository::Self other{u"11111111-2222-4333-8444-555555555555"_s, u"elsewhere"_s, 42, 3, u"0.1.0"_s};
    InstanceRepository::Self dead{u"99999999-2222-4333-8444-555555555555"_s, u"gone"_s, 43, 5, u"0.1.0"_s};
    store().write([&] {
        store().instances().enter(other, 60);
        store().instances().enter(dead, -60);
    });
    const QJsonObject health = m_client->get(api + u"/health"_s).object();
    // Part A's fields stay as they are.
    QCOMPARE(health.value(u"status"_s).toString(), u"ok"_s);
    QCOMPARE(health.value(u"max_concurrent"_s).toInt(), 5);
    QCOMPARE(health.value(u"running"_s).toInt(), 0);
    QVERIFY(health.value(u"version"_s).isString());
    const QString self = health.value(u"instance_id"_s).toString();
    QVERIFY(isUuid(self));
    QStringList ids;
    for (const QJsonValue &v : health.value(u"instances"_s).toArray())
        ids.append(v.toObject().value(u"id"_s).toString());
    ids.sort();
    QStringList expected{self, other.id};
    expected.sort();
    QCOMPARE(ids, expected);
    for (const QJsonValue &v : health.value(u"instances"_s).toArray()) {
        if (v.toObject().value(u"id"_s).toString() == other.id) {
            QCOMPARE(v.toObject().value(u"max_concurrent"_s).toInt(), 3);
            QCOMPARE(v.toObject().value(u"host"_s).toString(), u"elsewhere"_s);
        }
    }
}

void TestClaims::expiredInstancesRunsAreTakenOverOnceLiveOnesLeftAlone()
{
    InstanceRepository::Self live{u"11111111-2222-4333-8444-555555555555"_s, u"alive"_s, 42, 5, u"0.1.0"_s};
    InstanceRepository::Self dead{u"99999999-2222-4333-8444-555555555555"_s, u"gone"_s, 43, 5, u"0.1.0"_s};
    store().write([&] {
        store().instances().enter(live, 60);
        store().instances().enter(dead, 60);
    });
    const QString liveTask = createTask();
    const QString deadTask = createTask();   // made auto-run below: queued again
    const QString deadPlain = createTask();
    const QString liveRun = newId(), deadRun = newId(), deadPlainRun = newId();
    insertRunningRun(liveRun, liveTask, live.id);
    insertRunningRun(deadRun, deadTask, dead.id);
    insertRunningRun(deadPlainRun, deadPlain, dead.id);
    // Written as the other instances' starts write them (no event here).
    store().exec(u"UPDATE tasks SET status = 'in_progress' WHERE id IN (?, ?, ?)"_s, {liveTask, deadTask, deadPlain});
    store().exec(u"UPDATE tasks SET auto_run = 1 WHERE id = ?"_s, {deadTask});

    // The live instance renews; the dead one does not (its lease ends now).
    store().write([&] { store().instances().enter(dead, -1); });
    InstanceLease survivor(store(), m_server->app().executor(),
                           {u"aaaaaaaa-2222-4333-8444-555555555555"_s, u"survivor"_s, 44, 5, u"0.1.0"_s}, 15);
    survivor.renewAndTakeOver();
    QCOMPARE(runStatus(deadRun), u"interrupted"_s);
    QCOMPARE(runStatus(deadPlainRun), u"interrupted"_s);
    QCOMPARE(runStatus(liveRun), u"running"_s);
    QCOMPARE(store().text(u"SELECT status FROM tasks WHERE id = ?"_s, {deadPlain}), u"blocked"_s);
    QCOMPARE(store().text(u"SELECT status FROM tasks WHERE id = ?"_s, {liveTask}), u"in_progress"_s);
    // The dead instance's row is gone: a second survivor finds nothing to take.
    QCOMPARE(store().count(u"SELECT COUNT(*) FROM instances WHERE id = ?"_s, {dead.id}), 0);
    QVERIFY(store().count(u"SELECT COUNT(*) FROM instances WHERE id = ?"_s, {live.id}) == 1);
    // The auto-run task was queued again as the same attempt (and is then run
    // here, by this instance's dispatcher): one more run, which completes.
    QTRY_COMPARE_WITH_TIMEOUT(store().count(u"SELECT COUNT(*) FROM runs WHERE task_id = ? AND status = 'completed'"_s,
                                            {deadTask}),
                              1, 30000);
    InstanceLease second(store(), m_server->app().executor(),
                         {u"bbbbbbbb-2222-4333-8444-555555555555"_s, u"second"_s, 45, 5, u"0.1.0"_s}, 15);
    second.renewAndTakeOver();
    QCOMPARE(store().count(u"SELECT COUNT(*) FROM runs WHERE task_id = ?"_s, {deadTask}), 2);
    QCOMPARE(runStatus(liveRun), u"running"_s);
}

void TestClaims::endOfARunTakenOverChangesNothing()
{
    // This instance stalled past its lease: another one marked its run
    // interrupted (and may run the task again). The run's own end, when it
    // comes, must not finish the run or the task over that.
    const QString slow = m_client->createAgent(shellAgent(u"Slow"_s, u"sleep 1; echo late answer"_s));
    const QString task = m_client->createTask({{u"title"_s, u"Taken over"_s}, {u"assignee_ids"_s, QJsonArray{slow}}});
    const HttpResponse started = m_client->post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, slow}});
    QCOMPARE(started.status, 200);
    const QString runId = started.object().value(u"run_id"_s).toString();
    store().exec(u"UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ?"_s, {nowIso(), runId});
    store().exec(u"UPDATE tasks SET status = 'blocked' WHERE id = ?"_s, {task});
    QTRY_COMPARE_WITH_TIMEOUT(m_server->app().executor().running(), 0, 30000);
    QCOMPARE(runStatus(runId), u"interrupted"_s);
    QCOMPARE(store().text(u"SELECT status FROM tasks WHERE id = ?"_s, {task}), u"blocked"_s);
    QCOMPARE(store().count(u"SELECT COUNT(*) FROM documents WHERE task_id = ?"_s, {task}), 0);
}

QTEST_MAIN(TestClaims)
#include "tst_claims.moc"
