// Running tasks (API.md A.5, A.6, part B) with real agent processes.

#include "apicase.h"
#include "clock.h"
#include "jsonmatch.h"
#include "executor.h"
#include "store.h"
#include "rawhttp.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpSocket>

using namespace mc::test;

namespace {

QJsonObject commandAgent(const QString &name, const QString &script, const QJsonObject &extra = {})
{
    QJsonObject config{{u"command"_qs, QJsonArray{u"/bin/sh"_qs, u"-c"_qs, script}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        config.insert(it.key(), it.value());
    return {{u"name"_qs, name}, {u"role"_qs, u"worker"_qs}, {u"backend"_qs, u"command"_qs},
            {u"metadata"_qs, QJsonObject{{u"backend_config"_qs, config}}}};
}

} // namespace

class TestExecution : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<ApiFixture>();
        m_ws = std::make_unique<WsClient>();
        QVERIFY(m_ws->connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_qs.arg(server().port()).arg(server().token())));
    }
    void cleanup()
    {
        m_ws.reset();
        m_fixture.reset();
    }

    void runResponses_data();
    void runResponses();
    void successfulRunFollowsTheContract();
    void promptCarriesIdentityProjectAndUpstream();
    void fiftyConcurrentRequestsStartFive();
    void fiveStreamsKeepOrderPerTask();
    void replayMidRunHasNoGapNoDuplicate();
    void stopKillsAnAgentIgnoringSigterm();
    void timeouts_data();
    void timeouts();
    void failingAgents_data();
    void failingAgents();
    void hugeLineIsChunked();
    void runsAndOutputRoutes();
    void taskDeletedWhileRunning();
    void agentStaysActiveUntilItsLastRunEnds();

private:
    TestServer &server() { return m_fixture->server(); }
    HttpClient &client() { return m_fixture->client(); }
    HttpResponse run(const QString &task, const QString &agent)
    {
        return client().post(api + u"/tasks/"_qs + task + u"/run"_qs, {{u"agent_id"_qs, agent}});
    }
    QJsonObject waitCompleted(const QString &task, int timeoutMs = 20000)
    {
        QJsonObject found;
        m_ws->waitFor([&](const QList<QJsonObject> &) {
            for (const QJsonObject &e : m_ws->events(u"mc_task_completed"_qs)) {
                if (e.value(u"task_id"_qs).toString() == task)
                    found = e;
            }
            return !found.isEmpty();
        }, timeoutMs);
        return found;
    }
    QJsonObject taskOf(const QString &id)
    {
        return client().get(api + u"/tasks/"_qs + id).object().value(u"task"_qs).toObject();
    }
    std::unique_ptr<ApiFixture> m_fixture;
    std::unique_ptr<WsClient> m_ws;
};

void TestExecution::runResponses_data()
{
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expected");
    QTest::newRow("agent_id missing") << u"{task}"_qs << u"{}"_qs << 422
                                      << uR"({"detail": [{"type": "missing", "loc": ["body", "agent_id"]}]})"_qs;
    QTest::newRow("agent_id not a string") << u"{task}"_qs << uR"({"agent_id": 7})"_qs << 422
                                           << uR"({"detail": [{"type": "string_type", "loc": ["body", "agent_id"]}]})"_qs;
    QTest::newRow("agent_id not a uuid") << u"{task}"_qs << uR"({"agent_id": "bob"})"_qs << 422
                                         << uR"({"detail": [{"type": "uuid_parsing", "loc": ["body", "agent_id"]}]})"_qs;
    QTest::newRow("unknown task") << u"{missing}"_qs << uR"({"agent_id": "{runner}"})"_qs << 404
                                  << uR"({"detail": "Task not found"})"_qs;
    QTest::newRow("unknown agent") << u"{task}"_qs << uR"({"agent_id": "{missing}"})"_qs << 404
                                   << uR"({"detail": "Agent not found"})"_qs;
    QTest::newRow("backend this build cannot run") << u"{task}"_qs << uR"({"agent_id": "{interpreter}"})"_qs << 422
                                                   << uR"({"detail": [{"loc": ["body", "agent_id"]}]})"_qs;
    QTest::newRow("already running") << u"{busy}"_qs << uR"({"agent_id": "{runner}"})"_qs << 409
                                     << uR"({"detail": "Task is already running"})"_qs;
    QTest::newRow("started") << u"{task}"_qs << uR"({"agent_id": "{runner}"})"_qs << 200
                             << uR"({"success": true, "message": "Task execution started", "status": "started",
                                     "task_id": "{task}", "agent_id": "{runner}", "agent_name": "Runner"})"_qs;
}

void TestExecution::runResponses()
{
    QFETCH(QString, task);
    QFETCH(QString, body);
    QFETCH(int, status);
    QFETCH(QString, expected);
    const QString runner = client().createAgent(commandAgent(u"Runner"_qs, u"sleep 2; echo ok"_qs));
    const QString busy = client().createTask({{u"title"_qs, u"busy"_qs}});
    const QString interpreter = client().createAgent({{u"name"_qs, u"Oi"_qs}, {u"role"_qs, u"x"_qs}, {u"backend"_qs, u"open_interpreter"_qs}});
    QCOMPARE(run(busy, runner).status, 200);
    const auto expand = [&](QString s) {
        return m_fixture->expand(s.replace(u"{runner}"_qs, runner).replace(u"{busy}"_qs, busy).replace(u"{interpreter}"_qs, interpreter));
    };
    const int activitiesBefore = client().get(api + u"/activity"_qs).object().value(u"count"_qs).toInt();
    const HttpResponse r = client().request("POST", api + u"/tasks/"_qs + expand(task) + u"/run"_qs, expand(body).toUtf8());
    QVERIFY2(r.status == status, r.body.constData());
    QString why;
    QVERIFY2(jsonContains(r.object(), QJsonDocument::fromJson(expand(expected).toUtf8()).object(), &why), qPrintable(why));
    if (status != 200) {
        // Refusals change nothing.
        QCOMPARE(client().get(api + u"/activity"_qs).object().value(u"count"_qs).toInt(), activitiesBefore);
        QCOMPARE(taskOf(m_fixture->id(u"task"_qs)).value(u"status"_qs).toString(), u"inbox"_qs);
        QCOMPARE(server().app().executor().running(), 1);
    } else {
        QVERIFY(mc::isUuid(r.object().value(u"run_id"_qs).toString()));
    }
    if (QByteArray(QTest::currentDataTag()) == "backend this build cannot run")
        QVERIFY(r.object().value(u"detail"_qs).toArray().first().toObject().value(u"msg"_qs).toString().contains(u"command"_qs));
}

void TestExecution::successfulRunFollowsTheContract()
{
    const QString agent = client().createAgent(commandAgent(u"Writer"_qs, u"echo first; echo second"_qs));
    const QString task = m_fixture->id(u"task"_qs);
    const HttpResponse started = run(task, agent);
    QCOMPARE(started.status, 200);
    const QString runId = started.object().value(u"run_id"_qs).toString();
    const QJsonObject done = waitCompleted(task);
    QCOMPARE(done.value(u"status"_qs).toString(), u"completed"_qs);
    QVERIFY(done.value(u"error"_qs).isNull());
    QCOMPARE(done.value(u"run_id"_qs).toString(), runId);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) {
        for (const QJsonObject &e : m_ws->events(u"mc_activity_created"_qs)) {
            if (e.value(u"activity"_qs).toObject().value(u"type"_qs) == u"document_created"_qs)
                return true;
        }
        return false;
    }));

    // Event order: started, start activity, outputs, completed, completion activity, deliverable activity.
    QStringList order;
    for (const QJsonObject &m : m_ws->messages()) {
        const QString type = m.value(u"event_type"_qs).toString();
        const QJsonObject data = m.value(u"data"_qs).toObject();
        if (type == u"mc_activity_created"_qs) {
            const QJsonObject a = data.value(u"activity"_qs).toObject();
            if (a.value(u"task_id"_qs).toString() == task)
                order.append(a.value(u"type"_qs).toString());
        } else if (!type.isEmpty() && data.value(u"task_id"_qs).toString() == task) {
            order.append(type == u"mc_task_output"_qs ? u"output:"_qs + data.value(u"content"_qs).toString() : type);
        }
    }
    QCOMPARE(order, (QStringList{u"mc_task_started"_qs, u"task_updated"_qs, u"output:first\n"_qs, u"output:second\n"_qs,
                                 u"mc_task_completed"_qs, u"task_completed"_qs, u"document_created"_qs}));
    const QJsonObject startedEvent = m_ws->events(u"mc_task_started"_qs).first();
    QCOMPARE(startedEvent.value(u"agent_name"_qs).toString(), u"Writer"_qs);
    QCOMPARE(startedEvent.value(u"task_title"_qs).toString(), u"Plain task"_qs);
    QVERIFY(!startedEvent.value(u"timestamp"_qs).toString().isEmpty());
    const QJsonObject firstOutput = m_ws->events(u"mc_task_output"_qs).first();
    QCOMPARE(firstOutput.value(u"output_type"_qs).toString(), u"message"_qs);
    QCOMPARE(firstOutput.value(u"seq"_qs).toInt(), 1);
    QCOMPARE(firstOutput.value(u"run_id"_qs).toString(), runId);

    const QJsonObject t = taskOf(task);
    QCOMPARE(t.value(u"status"_qs).toString(), u"done"_qs);
    QVERIFY(!t.value(u"started_at"_qs).isNull());
    QVERIFY(!t.value(u"completed_at"_qs).isNull());
    const QJsonObject a = client().get(api + u"/agents/"_qs + agent).object().value(u"agent"_qs).toObject();
    QCOMPARE(a.value(u"status"_qs).toString(), u"idle"_qs);
    QVERIFY(a.value(u"current_task_id"_qs).isNull());
    const QJsonArray docs = client().get(api + u"/tasks/"_qs + task + u"/documents"_qs).object().value(u"documents"_qs).toArray();
    QCOMPARE(docs.size(), 1);
    const QJsonObject doc = docs.first().toObject();
    QCOMPARE(doc.value(u"title"_qs).toString(), u"Deliverable: Plain task"_qs);
    QCOMPARE(doc.value(u"type"_qs).toString(), u"deliverable"_qs);
    QCOMPARE(doc.value(u"content"_qs).toString(), u"first\nsecond\n"_qs);
    QCOMPARE(doc.value(u"author_id"_qs).toString(), agent);
    QCOMPARE(doc.value(u"tags"_qs).toArray(), (QJsonArray{u"auto-generated"_qs, u"task-output"_qs}));
}

void TestExecution::promptCarriesIdentityProjectAndUpstream()
{
    HttpClient &c = client();
    const QString project = m_fixture->id(u"project"_qs);
    const QString prd = c.post(api + u"/documents"_qs, {{u"title"_qs, u"PRD"_qs}, {u"content"_qs, QString(u"REQ-START "_qs + QString(3000, u'r'))}})
                                .object().value(u"document"_qs).toObject().value(u"id"_qs).toString();
    c.patch(api + u"/projects/"_qs + project, {{u"prd_document_id"_qs, prd}});
    const QString upstream = c.createTask({{u"title"_qs, u"Research"_qs}, {u"project_id"_qs, project}});
    c.post(api + u"/documents"_qs, {{u"title"_qs, u"Deliverable: Research"_qs}, {u"type"_qs, u"deliverable"_qs},
                                    {u"task_id"_qs, upstream}, {u"content"_qs, QString(u"FINDINGS "_qs + QString(2000, u'f'))}});
    c.post(api + u"/tasks/"_qs + upstream + u"/status"_qs, {{u"status"_qs, u"done"_qs}});
    const QString task = c.createTask({{u"title"_qs, u"Build it"_qs}, {u"description"_qs, u"Use the findings"_qs},
                                       {u"priority"_qs, u"high"_qs}, {u"project_id"_qs, project},
                                       {u"blocked_by"_qs, QJsonArray{upstream}}});
    QJsonObject agentBody = commandAgent(u"Echoer"_qs, u"cat"_qs);
    agentBody.insert(u"description"_qs, u"Careful builder"_qs);
    agentBody.insert(u"specialties"_qs, QJsonArray{u"qt"_qs, u"sqlite"_qs});
    const QString agent = c.createAgent(agentBody);
    QCOMPARE(run(task, agent).status, 200);
    QCOMPARE(waitCompleted(task).value(u"status"_qs).toString(), u"completed"_qs);
    const QString prompt = c.get(api + u"/tasks/"_qs + task + u"/documents"_qs).object().value(u"documents"_qs).toArray()
                                   .first().toObject().value(u"content"_qs).toString();
    const QString folder = c.get(api + u"/projects/"_qs + project).object().value(u"project"_qs).toObject().value(u"folder_path"_qs).toString();
    for (const QString &part : {u"Echoer"_qs, u"worker"_qs, u"Careful builder"_qs, u"qt, sqlite"_qs, u"Apollo"_qs, folder,
                                u"REQ-START"_qs, u"Research"_qs, u"FINDINGS"_qs, u"Build it"_qs, u"Use the findings"_qs, u"high"_qs})
        QVERIFY2(prompt.contains(part), qPrintable(part));
    QVERIFY(prompt.indexOf(u"Echoer"_qs) < prompt.indexOf(u"Apollo"_qs));
    QVERIFY(prompt.indexOf(u"Apollo"_qs) < prompt.indexOf(u"Build it"_qs));
    QVERIFY(!prompt.contains(QString(1001, u'f')));    // upstream deliverable cut at 1000 characters
    QVERIFY(prompt.contains(QString(900, u'f')));
    QVERIFY(!prompt.contains(QString(2000, u'r')));    // requirements cut at 2000 characters
    QVERIFY(prompt.contains(QString(1900, u'r')));
}

void TestExecution::fiftyConcurrentRequestsStartFive()
{
    const QString agent = client().createAgent(commandAgent(u"Slow"_qs, u"sleep 3"_qs));
    QStringList tasks;
    for (int i = 0; i < 50; ++i)
        tasks.append(client().createTask({{u"title"_qs, u"t%1"_qs.arg(i)}}));
    int maxRunning = 0;
    QObject scope;   // the connection must not outlive maxRunning
    connect(&server().app().executor(), &mc::Executor::runningChanged, &scope,
            [&](int running, int) { maxRunning = qMax(maxRunning, running); });
    // Fifty connections, every request written before any answer is read.
    QList<QTcpSocket *> sockets;
    for (const QString &t : tasks) {
        auto *s = new QTcpSocket(this);
        s->connectToHost(QHostAddress::LocalHost, server().port());
        sockets.append(s);
        const QByteArray body = "{\"agent_id\": \"" + agent.toUtf8() + "\"}";
        s->write("POST /api/mission-control/tasks/" + t.toUtf8() + "/run HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                 + server().token().toUtf8() + "\r\nContent-Type: application/json\r\nContent-Length: "
                 + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(sockets.cbegin(), sockets.cend(), [](QTcpSocket *s) {
                                 return s->peek(12).size() == 12;
                             }), 20000);
    int ok = 0, busy = 0;
    for (QTcpSocket *s : sockets) {
        QTRY_VERIFY(s->bytesAvailable() > 0);
        const QByteArray answer = s->readAll();
        if (answer.startsWith("HTTP/1.1 200"))
            ++ok;
        if (answer.startsWith("HTTP/1.1 429") && answer.endsWith(R"({"detail":"Maximum concurrent tasks (5) reached"})"))
            ++busy;
    }
    qDeleteAll(sockets);
    QCOMPARE(ok, 5);
    QCOMPARE(busy, 45);
    QCOMPARE(maxRunning, 5);
    QCOMPARE(client().get(api + u"/tasks/running"_qs).object().value(u"count"_qs).toInt(), 5);
    QCOMPARE(client().get(api + u"/health"_qs).object().value(u"running"_qs).toInt(), 5);
    QCOMPARE(client().get(api + u"/tasks?status=in_progress"_qs).object().value(u"count"_qs).toInt(), 5);
}

void TestExecution::fiveStreamsKeepOrderPerTask()
{
    const QString agent = client().createAgent(commandAgent(u"Streamer"_qs, u"i=1; while [ $i -le 300 ]; do echo \"line $i\"; i=$((i+1)); done"_qs));
    QStringList tasks;
    for (int i = 0; i < 5; ++i) {
        tasks.append(client().createTask({{u"title"_qs, u"stream %1"_qs.arg(i)}}));
        QCOMPARE(run(tasks.last(), agent).status, 200);
    }
    for (const QString &t : tasks)
        QCOMPARE(waitCompleted(t).value(u"status"_qs).toString(), u"completed"_qs);
    for (const QString &t : tasks) {
        QStringList kinds;
        qint64 expectedSeq = 1;
        for (const QJsonObject &m : m_ws->messages()) {
            const QJsonObject data = m.value(u"data"_qs).toObject();
            if (data.value(u"task_id"_qs).toString() != t)
                continue;
            const QString type = m.value(u"event_type"_qs).toString();
            if (type == u"mc_task_output"_qs) {
                QCOMPARE(data.value(u"seq"_qs).toInteger(), expectedSeq);
                QCOMPARE(data.value(u"content"_qs).toString(), u"line %1\n"_qs.arg(expectedSeq));
                ++expectedSeq;
                if (kinds.isEmpty() || kinds.last() != u"output"_qs)
                    kinds.append(u"output"_qs);
            } else {
                kinds.append(type);
            }
        }
        QCOMPARE(expectedSeq, 301);
        QCOMPARE(kinds, (QStringList{u"mc_task_started"_qs, u"output"_qs, u"mc_task_completed"_qs}));
    }
}

void TestExecution::replayMidRunHasNoGapNoDuplicate()
{
    // 400 lines, a short pause after 200, then 200 more while we subscribe.
    const QString agent = client().createAgent(commandAgent(
            u"Replayer"_qs, u"i=1; while [ $i -le 400 ]; do echo \"r$i\"; [ $i -eq 200 ] && sleep 1; i=$((i+1)); done"_qs));
    const QString task = m_fixture->id(u"task"_qs);
    QCOMPARE(run(task, agent).status, 200);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return m_ws->events(u"mc_task_output"_qs).size() >= 150; }));

    WsClient late;
    QVERIFY(late.connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_qs.arg(server().port()).arg(server().token())));
    const int k = 100;
    late.send({{u"action"_qs, u"subscribe"_qs}, {u"task_id"_qs, task}, {u"after_seq"_qs, k}});
    QVERIFY(late.waitFor([&](const QList<QJsonObject> &) {
        for (const QJsonObject &e : late.events(u"mc_task_completed"_qs))
            return e.value(u"task_id"_qs).toString() == task;
        return false;
    }, 20000));
    QList<qint64> seqs;
    for (const QJsonObject &e : late.events(u"mc_task_output"_qs))
        seqs.append(e.value(u"seq"_qs).toInteger());
    // Everything after k exactly once, in order; the live events it received
    // before subscribing come first and are a suffix-free prefix of the run.
    const qsizetype firstReplayed = seqs.indexOf(k + 1);
    QVERIFY(firstReplayed >= 0);
    const QList<qint64> tail = seqs.mid(firstReplayed);
    QCOMPARE(tail.size(), qsizetype(400 - k));
    for (qsizetype i = 0; i < tail.size(); ++i)
        QCOMPARE(tail.at(i), k + 1 + i);
}

void TestExecution::stopKillsAnAgentIgnoringSigterm()
{
    const QString agent = client().createAgent(commandAgent(
            u"Stubborn"_qs, u"trap '' TERM; echo started; while true; do sleep 0.1; done"_qs,
            {{u"kill_grace_s"_qs, 0.5}}));
    const QString task = m_fixture->id(u"task"_qs);
    QCOMPARE(run(task, agent).status, 200);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return !m_ws->events(u"mc_task_output"_qs).isEmpty(); }));
    QElapsedTimer timer;
    timer.start();
    const HttpResponse stop = client().post(api + u"/tasks/"_qs + task + u"/stop"_qs);
    QCOMPARE(stop.status, 200);
    QCOMPARE(stop.object(), (QJsonObject{{u"status"_qs, u"stopped"_qs}, {u"task_id"_qs, task},
                                         {u"message"_qs, u"Task execution stopped"_qs}}));
    const QJsonObject done = waitCompleted(task, 10000);
    qInfo() << "stubborn agent stopped after" << timer.elapsed() << "ms (grace 500 ms)";
    QCOMPARE(done.value(u"status"_qs).toString(), u"stopped"_qs);
    QVERIFY(done.value(u"error"_qs).isNull());
    QCOMPARE(taskOf(task).value(u"status"_qs).toString(), u"blocked"_qs);
    const QJsonArray runs = client().get(api + u"/tasks/"_qs + task + u"/runs"_qs).object().value(u"runs"_qs).toArray();
    QCOMPARE(runs.first().toObject().value(u"status"_qs).toString(), u"stopped"_qs);
    QCOMPARE(client().post(api + u"/tasks/"_qs + task + u"/stop"_qs).status, 404);
}

void TestExecution::timeouts_data()
{
    QTest::addColumn<QJsonObject>("config");
    QTest::addColumn<QString>("message");
    QTest::newRow("hard limit") << QJsonObject{{u"timeout_s"_qs, 1}} << u"timed out after 1 s"_qs;
    QTest::newRow("idle limit") << QJsonObject{{u"idle_timeout_s"_qs, 1}} << u"no output for 1 s"_qs;
}

void TestExecution::timeouts()
{
    QFETCH(QJsonObject, config);
    QFETCH(QString, message);
    const QString agent = client().createAgent(commandAgent(u"Hanger"_qs, u"echo hi; sleep 30"_qs, config));
    const QString task = m_fixture->id(u"task"_qs);
    QCOMPARE(run(task, agent).status, 200);
    const QJsonObject done = waitCompleted(task, 15000);
    QCOMPARE(done.value(u"status"_qs).toString(), u"error"_qs);
    QVERIFY2(done.value(u"error"_qs).toString().contains(message), qPrintable(done.value(u"error"_qs).toString()));
    QCOMPARE(taskOf(task).value(u"status"_qs).toString(), u"blocked"_qs);
}

void TestExecution::failingAgents_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("message");
    QTest::newRow("non-zero exit") << u"echo partial; echo 'bad thing at /home/me/x.txt' >&2; exit 3"_qs
                                   << u"exited with code 3"_qs;
    QTest::newRow("crash") << u"echo partial; kill -SEGV $$"_qs << u"crashed"_qs;
    QTest::newRow("missing program") << QString() << u"not found or not executable"_qs;
}

void TestExecution::failingAgents()
{
    QFETCH(QString, script);
    QFETCH(QString, message);
    QJsonObject body = commandAgent(u"Failer"_qs, script);
    if (script.isEmpty())
        body = {{u"name"_qs, u"Ghost"_qs}, {u"role"_qs, u"x"_qs}, {u"backend"_qs, u"command"_qs},
                {u"metadata"_qs, QJsonObject{{u"backend_config"_qs, QJsonObject{{u"command"_qs, QJsonArray{u"/nonexistent/agent"_qs}}}}}}};
    const QString agent = client().createAgent(body);
    const QString task = m_fixture->id(u"task"_qs);
    QCOMPARE(run(task, agent).status, 200);
    const QJsonObject done = waitCompleted(task);
    QCOMPARE(done.value(u"status"_qs).toString(), u"error"_qs);
    const QString error = done.value(u"error"_qs).toString();
    QVERIFY2(error.contains(message, Qt::CaseInsensitive), qPrintable(error));
    QVERIFY(error.size() <= 200);
    QVERIFY2(!error.contains(u"/home/me"_qs) && !error.contains(u"/nonexistent"_qs), qPrintable(error));
    QCOMPARE(taskOf(task).value(u"status"_qs).toString(), u"blocked"_qs);
    QCOMPARE(client().get(api + u"/agents/"_qs + agent).object().value(u"agent"_qs).toObject().value(u"status"_qs).toString(), u"idle"_qs);
    QCOMPARE(client().get(api + u"/tasks/"_qs + task + u"/documents"_qs).object().value(u"count"_qs).toInt(), 0);
    // The server is fine and the task can run again.
    QCOMPARE(server().app().executor().running(), 0);
}

void TestExecution::hugeLineIsChunked()
{
    // 10 MB without a newline.
    const QString agent = client().createAgent(commandAgent(u"Firehose"_qs, u"head -c 10485760 /dev/zero | tr '\\0' 'x'"_qs));
    const QString task = m_fixture->id(u"task"_qs);
    const QString runId = run(task, agent).object().value(u"run_id"_qs).toString();
    QCOMPARE(waitCompleted(task, 60000).value(u"status"_qs).toString(), u"completed"_qs);
    const QJsonObject r = client().get(api + u"/runs/"_qs + runId).object().value(u"run"_qs).toObject();
    QCOMPARE(r.value(u"output_bytes"_qs).toInteger(), 10485760);
    QCOMPARE(r.value(u"output_chunks"_qs).toInteger(), 160);    // 64 KiB each
    qint64 received = 0;
    for (const QJsonObject &e : m_ws->events(u"mc_task_output"_qs))
        received += e.value(u"content"_qs).toString().size();
    QCOMPARE(received, 10485760);
}

void TestExecution::runsAndOutputRoutes()
{
    const QString agent = client().createAgent(commandAgent(u"Counter"_qs, u"for i in 1 2 3 4 5; do echo c$i; done"_qs));
    const QString task = m_fixture->id(u"task"_qs);
    const QString runId = run(task, agent).object().value(u"run_id"_qs).toString();
    waitCompleted(task);
    const QJsonObject r = client().get(api + u"/runs/"_qs + runId).object().value(u"run"_qs).toObject();
    QCOMPARE(r.value(u"status"_qs).toString(), u"completed"_qs);
    QCOMPARE(r.value(u"output_chunks"_qs).toInt(), 5);
    QCOMPARE(r.value(u"output_bytes"_qs).toInt(), 15);   // "c1\n" .. "c5\n": output keeps its line breaks
    QVERIFY(!r.value(u"finished_at"_qs).isNull());
    const QJsonObject out = client().get(api + u"/runs/"_qs + runId + u"/output?after_seq=2&limit=2"_qs).object();
    QCOMPARE(out.value(u"count"_qs).toInt(), 3);
    const QJsonArray chunks = out.value(u"chunks"_qs).toArray();
    QCOMPARE(chunks.size(), 2);
    QCOMPARE(chunks.at(0).toObject().value(u"seq"_qs).toInt(), 3);
    QCOMPARE(chunks.at(1).toObject().value(u"content"_qs).toString(), u"c4\n"_qs);
    QCOMPARE(client().get(api + u"/runs/"_qs + runId + u"/output?after_seq=-1"_qs).status, 422);
    QCOMPARE(client().get(api + u"/runs/00000000-0000-4000-8000-000000000000"_qs).status, 404);
    QCOMPARE(client().get(api + u"/tasks/"_qs + task + u"/runs"_qs).object().value(u"count"_qs).toInt(), 1);
    // A second run of the same task is a new run.
    QCOMPARE(run(task, agent).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(client().get(api + u"/tasks/"_qs + task + u"/runs"_qs).object().value(u"count"_qs).toInt(), 2, 5000);
}

void TestExecution::taskDeletedWhileRunning()
{
    const QString agent = client().createAgent(commandAgent(u"Orphan"_qs, u"echo a; sleep 0.5; echo b"_qs));
    const QString task = m_fixture->id(u"task"_qs);
    const QString runId = run(task, agent).object().value(u"run_id"_qs).toString();
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return !m_ws->events(u"mc_task_output"_qs).isEmpty(); }));
    QCOMPARE(client().del(api + u"/tasks/"_qs + task).status, 200);
    QVERIFY(!waitCompleted(task).isEmpty());
    // The run and its output went with the task, and no late write of the output
    // writer (which retries failed batches after 500 ms) brings chunks back.
    QTRY_COMPARE(client().get(api + u"/runs/"_qs + runId).status, 404);
    QTest::qWait(1500);
    QCOMPARE(server().app().store().count(u"SELECT COUNT(*) FROM run_output WHERE run_id = ?"_qs, {runId}), 0);
    QCOMPARE(client().get(api + u"/agents/"_qs + agent).object().value(u"agent"_qs).toObject().value(u"status"_qs).toString(),
             u"idle"_qs);
}

void TestExecution::agentStaysActiveUntilItsLastRunEnds()
{
    // One agent on two tasks: the short run ends first. The store says so the
    // moment mc_task_completed arrives, and the agent stays active for the other.
    const QString agent = client().createAgent(
            commandAgent(u"Twin"_qs, u"if grep -q 'Quick one'; then sleep 0.2; else sleep 1.5; fi; echo done"_qs));
    const QString shortTask = client().createTask({{u"title"_qs, u"Quick one"_qs}});   // in its prompt
    const QString longTask = client().createTask({{u"title"_qs, u"Long one"_qs}});
    QCOMPARE(run(longTask, agent).status, 200);
    QCOMPARE(run(shortTask, agent).status, 200);
    QCOMPARE(waitCompleted(shortTask).value(u"status"_qs).toString(), u"completed"_qs);
    QCOMPARE(taskOf(shortTask).value(u"status"_qs).toString(), u"done"_qs);
    QCOMPARE(client().get(api + u"/tasks/"_qs + shortTask + u"/runs"_qs).object().value(u"runs"_qs).toArray()
                     .first().toObject().value(u"status"_qs).toString(), u"completed"_qs);
    const QJsonObject working = client().get(api + u"/agents/"_qs + agent).object().value(u"agent"_qs).toObject();
    QCOMPARE(working.value(u"status"_qs).toString(), u"active"_qs);
    QCOMPARE(working.value(u"current_task_id"_qs).toString(), longTask);   // not the task that ended
    QCOMPARE(taskOf(longTask).value(u"status"_qs).toString(), u"in_progress"_qs);
    QCOMPARE(waitCompleted(longTask).value(u"status"_qs).toString(), u"completed"_qs);
    const QJsonObject a = client().get(api + u"/agents/"_qs + agent).object().value(u"agent"_qs).toObject();
    QCOMPARE(a.value(u"status"_qs).toString(), u"idle"_qs);
    QVERIFY(a.value(u"current_task_id"_qs).isNull());
}

QTEST_MAIN(TestExecution)
#include "tst_execution.moc"
