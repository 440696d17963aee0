// Tasks that start themselves (API.md part B): a DAG of auto-run tasks
// dispatched in dependency order, retries with growing delays, and a project
// approved, paused, resumed and completed.

#include "serversession.h"
#include "appconfig.h"
#include "clock.h"
#include "httpclient.h"
#include "queuetesting.h"
#include "testserver.h"
#include "wsclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mc::test;

class TestDispatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(startServerSession(m_server, m_client, m_ws));
    }
    void cleanup()
    {
        m_ws.reset();
        m_client.reset();
        m_server.reset();
    }

    void dagOfTwoHundredRunsEachOnceAfterItsUpstreams();
    void failingAgentRunsMaxAttemptsWithGrowingDelays();
    void stoppedRunIsNeverRetried();
    void projectApprovePauseResumeCompletes();
    void heartbeatTouchesAgentsAndLogsOnlyChanges();
    void queuedTaskGivenABlockerWaitsForIt();

private:
    QJsonObject getTask(const QString &id)
    {
        return m_client->get(api + u"/tasks/"_s + id).object().value(u"task"_s).toObject();
    }
    QJsonArray runsOf(const QString &id)
    {
        return m_client->get(api + u"/tasks/"_s + id + u"/runs"_s).object().value(u"runs"_s).toArray();
    }
    int completed() { return int(m_ws->events(u"mc_task_completed"_s).size()); }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_client;
    std::unique_ptr<WsClient> m_ws;
};

void TestDispatch::dagOfTwoHundredRunsEachOnceAfterItsUpstreams()
{
    const QString agent = m_client->createAgent(shellAgent(u"Quick"_s, u"echo built"_s));
    constexpr int kLayers = 8, kPerLayer = 25;
    QRandomGenerator random(17);
    QList<QStringList> layers;
    QHash<QString, QStringList> upstreams;
    for (int layer = 0; layer < kLayers; ++layer) {
        QStringList ids;
        for (int i = 0; i < kPerLayer; ++i) {
            QStringList blockers;
            if (layer > 0) {
                const int n = 1 + int(random.bounded(3));
                for (int k = 0; k < n; ++k) {
                    const QString b = layers.at(layer - 1).at(int(random.bounded(kPerLayer)));
                    if (!blockers.contains(b))
                        blockers.append(b);
                }
            }
            const QString id = m_client->createTask({{u"title"_s, u"L%1 #%2"_s.arg(layer).arg(i)},
                                                     {u"assignee_ids"_s, QJsonArray{agent}},
                                                     {u"blocked_by"_s, QJsonArray::fromStringList(blockers)},
                                                     {u"auto_run"_s, true}});
            QVERIFY(!id.isEmpty());
            ids.append(id);
            upstreams.insert(id, blockers);
        }
        layers.append(ids);
    }
    // A cycle through the DAG is refused.
    const QString top = layers.first().first();
    const QString deep = upstreams.value(layers.at(2).first()).first();   // a layer-1 task
    const HttpResponse cycle = m_client->patch(api + u"/tasks/"_s + deep, {{u"blocked_by"_s, QJsonArray{layers.at(2).first()}}});
    QCOMPARE(cycle.status, 422);
    QVERIFY(cycle.object().value(u"detail"_s).toArray().first().toObject().value(u"msg"_s).toString().startsWith(u"Dependency cycle: "_s));
    Q_UNUSED(top);

    const bool allDone = m_ws->waitFor([&](const QList<QJsonObject> &) { return completed() >= kLayers * kPerLayer; }, 150000);
    QString firstError;
    for (const QJsonObject &e : m_ws->events(u"mc_task_completed"_s)) {
        if (firstError.isEmpty() && e.value(u"status"_s).toString() != u"completed"_s)
            firstError = e.value(u"status"_s).toString() + u": "_s + e.value(u"error"_s).toString();
    }
    QVERIFY2(allDone, qPrintable(u"%1 completed, %2 started, %3 queued, %4 done; %5"_s.arg(completed())
                                         .arg(m_ws->events(u"mc_task_started"_s).size())
                                         .arg(m_client->get(api + u"/queue"_s).object().value(u"count"_s).toInt())
                                         .arg(m_client->get(api + u"/tasks?status=done&limit=0"_s).object().value(u"count"_s).toInt())
                                         .arg(firstError)));
    QTest::qWait(200);   // nothing else starts afterwards
    const QStringList started = startedOrder(m_ws->messages());
    QCOMPARE(started.size(), kLayers * kPerLayer);
    QCOMPARE(QSet<QString>(started.cbegin(), started.cend()).size(), kLayers * kPerLayer);
    QVERIFY(mostAtOnce(m_ws->messages()) <= 5);
    // Each start comes after the completion of every upstream.
    QSet<QString> done;
    for (const QJsonObject &m : m_ws->messages()) {
        const QString type = m.value(u"event_type"_s).toString();
        const QJsonObject data = m.value(u"data"_s).toObject();
        if (type == u"mc_task_completed"_s) {
            QCOMPARE(data.value(u"status"_s).toString(), u"completed"_s);
            done.insert(data.value(u"task_id"_s).toString());
        } else if (type == u"mc_task_started"_s) {
            for (const QString &up : upstreams.value(data.value(u"task_id"_s).toString()))
                QVERIFY2(done.contains(up), "a task started before one of its upstreams was done");
        }
    }
    QCOMPARE(m_client->get(api + u"/tasks?status=done&limit=0"_s).object().value(u"count"_s).toInt(), kLayers * kPerLayer);
}

void TestDispatch::failingAgentRunsMaxAttemptsWithGrowingDelays()
{
    const QString agent = m_client->createAgent(shellAgent(u"Failing"_s, u"echo trying; exit 3"_s));
    const QString task = m_client->createTask({{u"title"_s, u"flaky"_s}, {u"assignee_ids"_s, QJsonArray{agent}},
                                               {u"max_attempts"_s, 3}, {u"retry_delay_s"_s, 1}, {u"auto_run"_s, true}});
    const bool three = m_ws->waitFor([&](const QList<QJsonObject> &) { return completed() >= 3; }, 30000);
    QVERIFY2(three, qPrintable(u"%1 completed; runs: %2; queue: %3"_s.arg(completed())
                                       .arg(QString::fromUtf8(QJsonDocument(runsOf(task)).toJson(QJsonDocument::Compact)))
                                       .arg(QString::fromUtf8(m_client->get(api + u"/queue"_s).body))));
    QTest::qWait(2500);   // longer than the next delay would be: no fourth run
    QCOMPARE(completed(), 3);
    QCOMPARE(m_client->get(api + u"/queue"_s).object().value(u"count"_s).toInt(), 0);
    QJsonArray runs = runsOf(task);
    QCOMPARE(runs.size(), 3);
    QList<QJsonObject> ordered;
    for (const QJsonValue &r : runs)
        ordered.prepend(r.toObject());   // newest first -> oldest first
    for (const QJsonObject &r : ordered)
        QCOMPARE(r.value(u"status"_s).toString(), u"error"_s);
    // Delays honoured: 1 s after the first failure, 2 s after the second.
    for (int i = 1; i < 3; ++i) {
        const qint64 gapUs = mc::microsFromIso(ordered.at(i).value(u"started_at"_s).toString()).value_or(0)
                - mc::microsFromIso(ordered.at(i - 1).value(u"finished_at"_s).toString()).value_or(0);
        QVERIFY2(gapUs >= qint64(1000000) << (i - 1), qPrintable(u"retry %1 came after %2 us"_s.arg(i).arg(gapUs)));
    }
    QCOMPARE(getTask(task).value(u"status"_s).toString(), u"blocked"_s);
}

void TestDispatch::stoppedRunIsNeverRetried()
{
    const QString agent = m_client->createAgent(shellAgent(u"Sleeper"_s, u"sleep 30"_s));
    const QString task = m_client->createTask({{u"title"_s, u"stop me"_s}, {u"assignee_ids"_s, QJsonArray{agent}},
                                               {u"max_attempts"_s, 5}, {u"retry_delay_s"_s, 0}, {u"auto_run"_s, true}});
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return !m_ws->events(u"mc_task_started"_s).isEmpty(); }, 10000));
    QCOMPARE(m_client->post(api + u"/tasks/"_s + task + u"/stop"_s).status, 200);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return completed() == 1; }, 15000));
    QTest::qWait(500);
    QCOMPARE(m_ws->events(u"mc_task_completed"_s).first().value(u"status"_s).toString(), u"stopped"_s);
    QCOMPARE(runsOf(task).size(), 1);
    QCOMPARE(m_client->get(api + u"/queue"_s).object().value(u"count"_s).toInt(), 0);
}

void TestDispatch::queuedTaskGivenABlockerWaitsForIt()
{
    // Five gated runs take every slot; an auto-run task waits in the queue,
    // then gets a blocker. When the slots free it must not run until that
    // blocker is done; then it runs once.
    QTemporaryDir gates;
    const QString gate = QDir(gates.path()).filePath(u"open"_s);
    const QString gated = m_client->createAgent(shellAgent(u"Holder"_s, gatedScript(gate)));
    const QString quick = m_client->createAgent(shellAgent(u"Quick"_s, u"echo done"_s));
    for (int i = 0; i < 5; ++i) {
        const QString holder = m_client->createTask({{u"title"_s, u"hold %1"_s.arg(i)}});
        QCOMPARE(m_client->post(api + u"/tasks/"_s + holder + u"/run"_s, {{u"agent_id"_s, gated}}).status, 200);
    }
    const QString task = m_client->createTask({{u"title"_s, u"waits"_s}, {u"assignee_ids"_s, QJsonArray{quick}},
                                               {u"auto_run"_s, true}});
    QTRY_COMPARE_WITH_TIMEOUT(m_client->get(api + u"/queue"_s).object().value(u"count"_s).toInt(), 1, 10000);
    const QString blocker = m_client->createTask({{u"title"_s, u"must come first"_s}});
    QCOMPARE(m_client->patch(api + u"/tasks/"_s + task, {{u"blocked_by"_s, QJsonArray{blocker}}}).status, 200);
    QFile open(gate);
    QVERIFY(open.open(QIODevice::WriteOnly));
    open.close();
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return completed() == 5; }, 20000));
    QTest::qWait(500);
    QVERIFY2(runsOf(task).isEmpty(), "a task ran before its new blocker was done");
    QCOMPARE(m_client->get(api + u"/queue"_s).object().value(u"count"_s).toInt(), 0);
    QCOMPARE(m_client->patch(api + u"/tasks/"_s + blocker, {{u"status"_s, u"done"_s}}).status, 200);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return completed() == 6; }, 10000));
    QCOMPARE(runsOf(task).size(), 1);
}

void TestDispatch::projectApprovePauseResumeCompletes()
{
    QTemporaryDir gates;
    const QString gate = QDir(gates.path()).filePath(u"open"_s);
    const QString agent = m_client->createAgent(shellAgent(u"Builder"_s, gatedScript(gate)));
    const QString project = m_client->post(api + u"/projects"_s, {{u"title"_s, u"Launch"_s}})
                                    .object().value(u"project"_s).toObject().value(u"id"_s).toString();
    auto projectStatus = [&] {
        return m_client->get(api + u"/projects/"_s + project).object().value(u"project"_s).toObject().value(u"status"_s).toString();
    };
    const QString a = m_client->createTask({{u"title"_s, u"design"_s}, {u"project_id"_s, project},
                                            {u"assignee_ids"_s, QJsonArray{agent}}});
    const QString b = m_client->createTask({{u"title"_s, u"build"_s}, {u"project_id"_s, project},
                                            {u"assignee_ids"_s, QJsonArray{agent}}, {u"blocked_by"_s, QJsonArray{a}}});
    const QString c = m_client->createTask({{u"title"_s, u"ship"_s}, {u"project_id"_s, project},
                                            {u"assignee_ids"_s, QJsonArray{agent}}, {u"blocked_by"_s, QJsonArray{b}}});
    QTest::qWait(300);
    QVERIFY(m_ws->events(u"mc_task_started"_s).isEmpty());   // nothing runs before approval
    const HttpResponse approved = m_client->post(api + u"/projects/"_s + project + u"/approve"_s);
    QCOMPARE(approved.status, 200);
    QCOMPARE(approved.object().value(u"project"_s).toObject().value(u"status"_s).toString(), u"approved"_s);
    QVERIFY(getTask(a).value(u"auto_run"_s).toBool());
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return m_ws->events(u"mc_task_started"_s).size() == 1; }, 10000));
    QCOMPARE(startedOrder(m_ws->messages()), QStringList{a});
    QCOMPARE(projectStatus(), u"executing"_s);
    // Paused while the first task runs: it finishes, the next is queued but not started.
    QCOMPARE(m_client->post(api + u"/projects/"_s + project + u"/pause"_s).object().value(u"project"_s).toObject()
                     .value(u"status"_s).toString(), u"paused"_s);
    QFile(gate).open(QIODevice::WriteOnly);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return completed() == 1; }, 20000));
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return !m_ws->events(u"mc_task_queued"_s).isEmpty(); }, 10000));
    QTest::qWait(500);
    QCOMPARE(m_ws->events(u"mc_task_started"_s).size(), 1);
    QCOMPARE(projectStatus(), u"paused"_s);
    const HttpResponse resumed = m_client->post(api + u"/projects/"_s + project + u"/resume"_s);
    QCOMPARE(resumed.object().value(u"project"_s).toObject().value(u"status"_s).toString(), u"executing"_s);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return completed() == 3; }, 30000));
    QCOMPARE(startedOrder(m_ws->messages()), (QStringList{a, b, c}));
    QTRY_COMPARE_WITH_TIMEOUT(projectStatus(), u"completed"_s, 10000);
    const QJsonObject details = m_client->get(api + u"/projects/"_s + project).object();
    QCOMPARE(details.value(u"progress"_s).toObject().value(u"completed"_s).toInt(), 3);
    QVERIFY(!details.value(u"project"_s).toObject().value(u"completed_at"_s).isNull());
}

void TestDispatch::heartbeatTouchesAgentsAndLogsOnlyChanges()
{
    mc::AppConfig config;
    config.heartbeatIntervalS = 1;
    TestServer server(config);
    HttpClient client(server.base(), server.token());
    const QString calm = client.createAgent(shellAgent(u"Calm"_s, u"echo x"_s));
    const QString stale = client.createAgent(shellAgent(u"Stale"_s, u"echo x"_s));
    QCOMPARE(client.patch(api + u"/agents/"_s + stale, {{u"status"_s, u"active"_s}}).status, 200);   // active, running nothing
    auto agent = [&](const QString &id) {
        return client.get(api + u"/agents/"_s + id).object().value(u"agent"_s).toObject();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!agent(calm).value(u"last_heartbeat"_s).isNull(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(agent(stale).value(u"status"_s).toString(), u"idle"_s, 10000);
    auto heartbeats = [&](const QString &id) {
        int n = 0;
        for (const QJsonValue &a : client.get(api + u"/activity?limit=1000&agent_id="_s + id).object().value(u"activities"_s).toArray())
            n += a.toObject().value(u"type"_s).toString() == u"agent_heartbeat"_s;
        return n;
    };
    QTest::qWait(1500);   // another beat: nothing changed for either agent
    QCOMPARE(heartbeats(calm), 0);
    QCOMPARE(heartbeats(stale), 1);
}

QTEST_GUILESS_MAIN(TestDispatch)
#include "tst_dispatch.moc"
