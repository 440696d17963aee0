// Running tasks (API.md A.5, A.6, part B) with real agent processes.

#include "apicase.h"
#include "clock.h"
#include "jsonmatch.h"
#include "executor.h"
#include "runrepository.h"
#include "store.h"
#include "rawhttp.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

using namespace mc::test;

namespace {

QJsonObject commandAgent(const QString &name, const QString &script, const QJsonObject &extra = {})
{
    QJsonObject config{{u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s, script}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        config.insert(it.key(), it.value());
    return {{u"name"_s, name}, {u"role"_s, u"worker"_s}, {u"backend"_s, u"command"_s},
            {u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}};
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
        QVERIFY(m_ws->connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(server().port()).arg(server().token())));
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
        return client().post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agent}});
    }
    QJsonObject waitCompleted(const QString &task, int timeoutMs = 20000)
    {
        QJsonObject found;
        m_ws->waitFor([&](const QList<QJsonObject> &) {
            for (const QJsonObject &e : m_ws->events(u"mc_task_completed"_s)) {
                if (e.value(u"task_id"_s).toString() == task)
                    found = e;
            }
            return !found.isEmpty();
        }, timeoutMs);
        return found;
    }
    QJsonObject taskOf(const QString &id)
    {
        return client().get(api + u"/tasks/"_s + id).object().value(u"task"_s).toObject();
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
    QTest::newRow("agent_id missing") << u"{task}"_s << u"{}"_s << 422
                                      << uR"({"detail": [{"type": "missing", "loc": ["body", "agent_id"]}]})"_s;
    QTest::newRow("agent_id not a string") << u"{task}"_s << uR"({"agent_id": 7})"_s << 422
                                           << uR"({"detail": [{"type": "string_type", "loc": ["body", "agent_id"]}]})"_s;
    QTest::newRow("agent_id not a uuid") << u"{task}"_s << uR"({"agent_id": "bob"})"_s << 422
                                         << uR"({"detail": [{"type": "uuid_parsing", "loc": ["body", "agent_id"]}]})"_s;
    QTest::newRow("unknown task") << u"{missing}"_s << uR"({"agent_id": "{runner}"})"_s << 404
                                  << uR"({"detail": "Task not found"})"_s;
    QTest::newRow("unknown agent") << u"{task}"_s << uR"({"agent_id": "{missing}"})"_s << 404
                                   << uR"({"detail": "Agent not found"})"_s;
    QTest::newRow("backend this build cannot run") << u"{task}"_s << uR"({"agent_id": "{interpreter}"})"_s << 422
                                                   << uR"({"detail": [{"loc": ["body", "agent_id"]}]})"_s;
    QTest::newRow("already running") << u"{busy}"_s << uR"({"agent_id": "{runner}"})"_s << 409
                                     << uR"({"detail": "Task is already running"})"_s;
    QTest::newRow("started") << u"{task}"_s << uR"({"agent_id": "{runner}"})"_s << 200
                             << uR"({"success": true, "message": "Task execution started", "status": "started",
                                     "task_id": "{task}", "agent_id": "{runner}", "agent_name": "Runner"})"_s;
}

void TestExecution::runResponses()
{
    QFETCH(QString, task);
    QFETCH(QString, body);
    QFETCH(int, status);
    QFETCH(QString, expected);
    const QString runner = client().createAgent(commandAgent(u"Runner"_s, u"sleep 2; echo ok"_s));
    const QString busy = client().createTask({{u"title"_s, u"busy"_s}});
    const QString interpreter = client().createAgent({{u"name"_s, u"Oi"_s}, {u"role"_s, u"x"_s}, {u"backend"_s, u"open_interpreter"_s}});
    QCOMPARE(run(busy, runner).status, 200);
    const auto expand = [&](QString s) {
        return m_fixture->expand(s.replace(u"{runner}"_s, runner).replace(u"{busy}"_s, busy).replace(u"{interpreter}"_s, interpreter));
    };
    const int activitiesBefore = client().get(api + u"/activity"_s).object().value(u"count"_s).toInt();
    const HttpResponse r = client().request("POST", api + u"/tasks/"_s + expand(task) + u"/run"_s, expand(body).toUtf8());
    QVERIFY2(r.status == status, r.body.constData());
    QString why;
    QVERIFY2(jsonContains(r.object(), QJsonDocument::fromJson(expand(expected).toUtf8()).object(), &why), qPrintable(why));
    if (status != 200) {
        // Refusals change nothing.
        QCOMPARE(client().get(api + u"/activity"_s).object().value(u"count"_s).toInt(), activitiesBefore);
        QCOMPARE(taskOf(m_fixture->id(u"task"_s)).value(u"status"_s).toString(), u"inbox"_s);
        QCOMPARE(server().app().executor().running(), 1);
    } else {
        QVERIFY(mc::isUuid(r.object().value(u"run_id"_s).toString()));
    }
    if (QByteArray(QTest::currentDataTag()) == "backend this build cannot run")
        QVERIFY(r.object().value(u"detail"_s).toArray().first().toObject().value(u"msg"_s).toString().contains(u"command"_s));
}

void TestExecution::successfulRunFollowsTheContract()
{
    const QString agent = client().createAgent(commandAgent(u"Writer"_s, u"echo first; echo second"_s));
    const QString task = m_fixture->id(u"task"_s);
    const HttpResponse started = run(task, agent);
    QCOMPARE(started.status, 200);
    const QString runId = started.object().value(u"run_id"_s).toString();
    const QJsonObject done = waitCompleted(task);
    QCOMPARE(done.value(u"status"_s).toString(), u"completed"_s);
    QVERIFY(done.value(u"error"_s).isNull());
    QCOMPARE(done.value(u"run_id"_s).toString(), runId);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) {
        for (const QJsonObject &e : m_ws->events(u"mc_activity_created"_s)) {
            if (e.value(u"activity"_s).toObject().value(u"type"_s) == u"document_created"_s)
                return true;
        }
        return false;
    }));

    // Event order: started, start activity, outputs, completed, completion activity, deliverable activity.
    QStringList order;
    for (const QJsonObject &m : m_ws->messages()) {
        const QString type = m.value(u"event_type"_s).toString();
        const QJsonObject data = m.value(u"data"_s).toObject();
        if (type == u"mc_activity_created"_s) {
            const QJsonObject a = data.value(u"activity"_s).toObject();
            if (a.value(u"task_id"_s).toString() == task)
                order.append(a.value(u"type"_s).toString());
        } else if (!type.isEmpty() && data.value(u"task_id"_s).toString() == task) {
            order.append(type == u"mc_task_output"_s ? u"output:"_s + data.value(u"content"_s).toString() : type);
        }
    }
    QCOMPARE(order, (QStringList{u"mc_task_started"_s, u"task_updated"_s, u"output:first\n"_s, u"output:second\n"_s,
                                 u"mc_task_completed"_s, u"task_completed"_s, u"document_created"_s}));
    const QJsonObject startedEvent = m_ws->events(u"mc_task_started"_s).first();
    QCOMPARE(startedEvent.value(u"agent_name"_s).toString(), u"Writer"_s);
    QCOMPARE(startedEvent.value(u"task_title"_s).toString(), u"Plain task"_s);
    QVERIFY(!startedEvent.value(u"timestamp"_s).toString().isEmpty());
    const QJsonObject firstOutput = m_ws->events(u"mc_task_output"_s).first();
    QCOMPARE(firstOutput.value(u"output_type"_s).toString(), u"message"_s);
    QCOMPARE(firstOutput.value(u"seq"_s).toInt(), 1);
    QCOMPARE(firstOutput.value(u"run_id"_s).toString(), runId);

    const QJsonObject t = taskOf(task);
    QCOMPARE(t.value(u"status"_s).toString(), u"done"_s);
    QVERIFY(!t.value(u"started_at"_s).isNull());
    QVERIFY(!t.value(u"completed_at"_s).isNull());
    const QJsonObject a = client().get(api + u"/agents/"_s + agent).object().value(u"agent"_s).toObject();
    QCOMPARE(a.value(u"status"_s).toString(), u"idle"_s);
    QVERIFY(a.value(u"current_task_id"_s).isNull());
    const QJsonArray docs = client().get(api + u"/tasks/"_s + task + u"/documents"_s).object().value(u"documents"_s).toArray();
    QCOMPARE(docs.size(), 1);
    const QJsonObject doc = docs.first().toObject();
    QCOMPARE(doc.value(u"title"_s).toString(), u"Deliverable: Plain task"_s);
    QCOMPARE(doc.value(u"type"_s).toString(), u"deliverable"_s);
    QCOMPARE(doc.value(u"content"_s).toString(), u"first\nsecond\n"_s);
    QCOMPARE(doc.value(u"author_id"_s).toString(), agent);
    QCOMPARE(doc.value(u"tags"_s).toArray(), (QJsonArray{u"auto-generated"_s, u"task-output"_s}));
}

void TestExecution::promptCarriesIdentityProjectAndUpstream()
{
    HttpClient &c = client();
    const QString project = m_fixture->id(u"project"_s);
    const QString prd = c.post(api + u"/documents"_s, {{u"title"_s, u"PRD"_s}, {u"content"_s, QString(u"REQ-START "_s + QString(3000, u'r'))}})
                                .object().value(u"document"_s).toObject().value(u"id"_s).toString();
    c.patch(api + u"/projects/"_s + project, {{u"prd_document_id"_s, prd}});
    const QString upstream = c.createTask({{u"title"_s, u"Research"_s}, {u"project_id"_s, project}});
    c.post(api + u"/documents"_s, {{u"title"_s, u"Deliverable: Research"_s}, {u"type"_s, u"deliverable"_s},
                                    {u"task_id"_s, upstream}, {u"content"_s, QString(u"FINDINGS "_s + QString(2000, u'f'))}});
    c.post(api + u"/tasks/"_s + upstream + u"/status"_s, {{u"status"_s, u"done"_s}});
    const QString task = c.createTask({{u"title"_s, u"Build it"_s}, {u"description"_s, u"Use the findings"_s},
                                       {u"priority"_s, u"high"_s}, {u"project_id"_s, project},
                                       {u"blocked_by"_s, QJsonArray{upstream}}});
    QJsonObject agentBody = commandAgent(u"Echoer"_s, u"cat"_s);
    agentBody.insert(u"description"_s, u"Careful builder"_s);
    agentBody.insert(u"specialties"_s, QJsonArray{u"qt"_s, u"sqlite"_s});
    const QString agent = c.createAgent(agentBody);
    QCOMPARE(run(task, agent).status, 200);
    QCOMPARE(waitCompleted(task).value(u"status"_s).toString(), u"completed"_s);
    const QString prompt = c.get(api + u"/tasks/"_s + task + u"/documents"_s).object().value(u"documents"_s).toArray()
                                   .first().toObject().value(u"content"_s).toString();
    const QString folder = c.get(api + u"/projects/"_s + project).object().value(u"project"_s).toObject().value(u"folder_path"_s).toString();
    for (const QString &part : {u"Echoer"_s, u"worker"_s, u"Careful builder"_s, u"qt, sqlite"_s, u"Apollo"_s, folder,
                                u"REQ-START"_s, u"Research"_s, u"FINDINGS"_s, u"Build it"_s, u"Use the findings"_s, u"high"_s})
        QVERIFY2(prompt.contains(part), qPrintable(part));
    QVERIFY(prompt.indexOf(u"Echoer"_s) < prompt.indexOf(u"Apollo"_s));
    QVERIFY(prompt.indexOf(u"Apollo"_s) < prompt.indexOf(u"Build it"_s));
    QVERIFY(!prompt.contains(QString(1001, u'f')));    // upstream deliverable cut at 1000 characters
    QVERIFY(prompt.contains(QString(900, u'f')));
    QVERIFY(!prompt.contains(QString(2000, u'r')));    // requirements cut at 2000 characters
    QVERIFY(prompt.contains(QString(1900, u'r')));
}

void TestExecution::fiftyConcurrentRequestsStartFive()
{
    const QString agent = client().createAgent(commandAgent(u"Slow"_s, u"sleep 3"_s));
    QStringList tasks;
    for (int i = 0; i < 50; ++i)
        tasks.append(client().createTask({{u"title"_s, u"t%1"_s.arg(i)}}));
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
    QCOMPARE(client().get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt(), 5);
    QCOMPARE(client().get(api + u"/health"_s).object().value(u"running"_s).toInt(), 5);
    QCOMPARE(client().get(api + u"/tasks?status=in_progress"_s).object().value(u"count"_s).toInt(), 5);
}

void TestExecution::fiveStreamsKeepOrderPerTask()
{
    const QString agent = client().createAgent(commandAgent(u"Streamer"_s, u"i=1; while [ $i -le 300 ]; do echo \"line $i\"; i=$((i+1)); done"_s));
    QStringList tasks;
    for (int i = 0; i < 5; ++i) {
        tasks.append(client().createTask({{u"title"_s, u"stream %1"_s.arg(i)}}));
        QCOMPARE(run(tasks.last(), agent).status, 200);
    }
    for (const QString &t : tasks)
        QCOMPARE(waitCompleted(t).value(u"status"_s).toString(), u"completed"_s);
    for (const QString &t : tasks) {
        QStringList kinds;
        qint64 expectedSeq = 1;
        for (const QJsonObject &m : m_ws->messages()) {
            const QJsonObject data = m.value(u"data"_s).toObject();
            if (data.value(u"task_id"_s).toString() != t)
                continue;
            const QString type = m.value(u"event_type"_s).toString();
            if (type == u"mc_task_output"_s) {
                QCOMPARE(data.value(u"seq"_s).toInteger(), expectedSeq);
                QCOMPARE(data.value(u"content"_s).toString(), u"line %1\n"_s.arg(expectedSeq));
                ++expectedSeq;
                if (kinds.isEmpty() || kinds.last() != u"output"_s)
                    kinds.append(u"output"_s);
            } else {
                kinds.append(type);
            }
        }
        QCOMPARE(expectedSeq, 301);
        QCOMPARE(kinds, (QStringList{u"mc_task_started"_s, u"output"_s, u"mc_task_completed"_s}));
    }
}

void TestExecution::replayMidRunHasNoGapNoDuplicate()
{
    // 400 lines, a short pause after 200, then 200 more while we subscribe.
    const QString agent = client().createAgent(commandAgent(
            u"Replayer"_s, u"i=1; while [ $i -le 400 ]; do echo \"r$i\"; [ $i -eq 200 ] && sleep 1; i=$((i+1)); done"_s));
    const QString task = m_fixture->id(u"task"_s);
    QCOMPARE(run(task, agent).status, 200);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return m_ws->events(u"mc_task_output"_s).size() >= 150; }));

    WsClient late;
    QVERIFY(late.connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(server().port()).arg(server().token())));
    const int k = 100;
    late.send({{u"action"_s, u"subscribe"_s}, {u"task_id"_s, task}, {u"after_seq"_s, k}});
    QVERIFY(late.waitFor([&](const QList<QJsonObject> &) {
        for (const QJsonObject &e : late.events(u"mc_task_completed"_s))
            return e.value(u"task_id"_s).toString() == task;
        return false;
    }, 20000));
    QList<qint64> seqs;
    for (const QJsonObject &e : late.events(u"mc_task_output"_s))
        seqs.append(e.value(u"seq"_s).toInteger());
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
            u"Stubborn"_s, u"trap '' TERM; echo started; while true; do sleep 0.1; done"_s,
            {{u"kill_grace_s"_s, 0.5}}));
    const QString task = m_fixture->id(u"task"_s);
    QCOMPARE(run(task, agent).status, 200);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return !m_ws->events(u"mc_task_output"_s).isEmpty(); }));
    QElapsedTimer timer;
    timer.start();
    const HttpResponse stop = client().post(api + u"/tasks/"_s + task + u"/stop"_s);
    QCOMPARE(stop.status, 200);
    QCOMPARE(stop.object(), (QJsonObject{{u"status"_s, u"stopped"_s}, {u"task_id"_s, task},
                                         {u"message"_s, u"Task execution stopped"_s}}));
    const QJsonObject done = waitCompleted(task, 10000);
    qInfo() << "stubborn agent stopped after" << timer.elapsed() << "ms (grace 500 ms)";
    QCOMPARE(done.value(u"status"_s).toString(), u"stopped"_s);
    QVERIFY(done.value(u"error"_s).isNull());
    QCOMPARE(taskOf(task).value(u"status"_s).toString(), u"blocked"_s);
    const QJsonArray runs = client().get(api + u"/tasks/"_s + task + u"/runs"_s).object().value(u"runs"_s).toArray();
    QCOMPARE(runs.first().toObject().value(u"status"_s).toString(), u"stopped"_s);
    QCOMPARE(client().post(api + u"/tasks/"_s + task + u"/stop"_s).status, 404);
}

void TestExecution::timeouts_data()
{
    QTest::addColumn<QJsonObject>("config");
    QTest::addColumn<QString>("message");
    QTest::newRow("hard limit") << QJsonObject{{u"timeout_s"_s, 1}} << u"timed out after 1 s"_s;
    QTest::newRow("idle limit") << QJsonObject{{u"idle_timeout_s"_s, 1}} << u"no output for 1 s"_s;
}

void TestExecution::timeouts()
{
    QFETCH(QJsonObject, config);
    QFETCH(QString, message);
    const QString agent = client().createAgent(commandAgent(u"Hanger"_s, u"echo hi; sleep 30"_s, config));
    const QString task = m_fixture->id(u"task"_s);
    QCOMPARE(run(task, agent).status, 200);
    const QJsonObject done = waitCompleted(task, 15000);
    QCOMPARE(done.value(u"status"_s).toString(), u"error"_s);
    QVERIFY2(done.value(u"error"_s).toString().contains(message), qPrintable(done.value(u"error"_s).toString()));
    QCOMPARE(taskOf(task).value(u"status"_s).toString(), u"blocked"_s);
}

void TestExecution::failingAgents_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("message");
    QTest::newRow("non-zero exit") << u"echo partial; echo 'bad thing at /home/me/x.txt' >&2; exit 3"_s
                                   << u"exited with code 3"_s;
    QTest::newRow("crash") << u"echo partial; kill -SEGV $$"_s << u"crashed"_s;
    QTest::newRow("missing program") << QString() << u"not found or not executable"_s;
}

void TestExecution::failingAgents()
{
    QFETCH(QString, script);
    QFETCH(QString, message);
    QJsonObject body = commandAgent(u"Failer"_s, script);
    if (script.isEmpty())
        body = {{u"name"_s, u"Ghost"_s}, {u"role"_s, u"x"_s}, {u"backend"_s, u"command"_s},
                {u"metadata"_s, QJsonObject{{u"backend_config"_s, QJsonObject{{u"command"_s, QJsonArray{u"/nonexistent/agent"_s}}}}}}};
    const QString agent = client().createAgent(body);
    const QString task = m_fixture->id(u"task"_s);
    QCOMPARE(run(task, agent).status, 200);
    const QJsonObject done = waitCompleted(task);
    QCOMPARE(done.value(u"status"_s).toString(), u"error"_s);
    const QString error = done.value(u"error"_s).toString();
    QVERIFY2(error.contains(message, Qt::CaseInsensitive), qPrintable(error));
    QVERIFY(error.size() <= 200);
    QVERIFY2(!error.contains(u"/home/me"_s) && !error.contains(u"/nonexistent"_s), qPrintable(error));
    QCOMPARE(taskOf(task).value(u"status"_s).toString(), u"blocked"_s);
    QCOMPARE(client().get(api + u"/agents/"_s + agent).object().value(u"agent"_s).toObject().value(u"status"_s).toString(), u"idle"_s);
    QCOMPARE(client().get(api + u"/tasks/"_s + task + u"/documents"_s).object().value(u"count"_s).toInt(), 0);
    // The server is fine and the task can run again.
    QCOMPARE(server().app().executor().running(), 0);
}

void TestExecution::hugeLineIsChunked()
{
    // 10 MB without a newline.
    const QString agent = client().createAgent(commandAgent(u"Firehose"_s, u"head -c 10485760 /dev/zero | tr '\\0' 'x'"_s));
    const QString task = m_fixture->id(u"task"_s);
    const QString runId = run(task, agent).object().value(u"run_id"_s).toString();
    QCOMPARE(waitCompleted(task, 60000).value(u"status"_s).toString(), u"completed"_s);
    const QJsonObject r = client().get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject();
    QCOMPARE(r.value(u"output_bytes"_s).toInteger(), 10485760);
    QCOMPARE(r.value(u"output_chunks"_s).toInteger(), 160);    // 64 KiB each
    qint64 received = 0;
    for (const QJsonObject &e : m_ws->events(u"mc_task_output"_s))
        received += e.value(u"content"_s).toString().size();
    QCOMPARE(received, 10485760);
}

void TestExecution::runsAndOutputRoutes()
{
    const QString agent = client().createAgent(commandAgent(u"Counter"_s, u"for i in 1 2 3 4 5; do echo c$i; done"_s));
    const QString task = m_fixture->id(u"task"_s);
    const QString runId = run(task, agent).object().value(u"run_id"_s).toString();
    waitCompleted(task);
    const QJsonObject r = client().get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject();
    QCOMPARE(r.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(r.value(u"output_chunks"_s).toInt(), 5);
    QCOMPARE(r.value(u"output_bytes"_s).toInt(), 15);   // "c1\n" .. "c5\n": output keeps its line breaks
    QVERIFY(!r.value(u"finished_at"_s).isNull());
    const QJsonObject out = client().get(api + u"/runs/"_s + runId + u"/output?after_seq=2&limit=2"_s).object();
    QCOMPARE(out.value(u"count"_s).toInt(), 3);
    const QJsonArray chunks = out.value(u"chunks"_s).toArray();
    QCOMPARE(chunks.size(), 2);
    QCOMPARE(chunks.at(0).toObject().value(u"seq"_s).toInt(), 3);
    QCOMPARE(chunks.at(1).toObject().value(u"content"_s).toString(), u"c4\n"_s);
    QCOMPARE(client().get(api + u"/runs/"_s + runId + u"/output?after_seq=-1"_s).status, 422);
    QCOMPARE(client().get(api + u"/runs/00000000-0000-4000-8000-000000000000"_s).status, 404);
    QCOMPARE(client().get(api + u"/tasks/"_s + task + u"/runs"_s).object().value(u"count"_s).toInt(), 1);
    // A second run of the same task is a new run.
    QCOMPARE(run(task, agent).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(client().get(api + u"/tasks/"_s + task + u"/runs"_s).object().value(u"count"_s).toInt(), 2, 5000);
}

void TestExecution::taskDeletedWhileRunning()
{
    const QString agent = client().createAgent(commandAgent(u"Orphan"_s, u"echo a; sleep 0.5; echo b"_s));
    const QString task = m_fixture->id(u"task"_s);
    const QString runId = run(task, agent).object().value(u"run_id"_s).toString();
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return !m_ws->events(u"mc_task_output"_s).isEmpty(); }));
    QCOMPARE(client().del(api + u"/tasks/"_s + task).status, 200);
    QVERIFY(!waitCompleted(task).isEmpty());
    // The run and its output went with the task, and no late write of the output
    // writer (which retries failed batches after 500 ms) brings chunks back.
    QTRY_COMPARE(client().get(api + u"/runs/"_s + runId).status, 404);
    QTest::qWait(1500);
    QCOMPARE(server().app().store().runs().lastSeq(runId), 0);
    QCOMPARE(client().get(api + u"/agents/"_s + agent).object().value(u"agent"_s).toObject().value(u"status"_s).toString(),
             u"idle"_s);
}

void TestExecution::agentStaysActiveUntilItsLastRunEnds()
{
    // One agent on two tasks: the short run ends first. The store says so the
    // moment mc_task_completed arrives, and the agent stays active for the other.
    const QString agent = client().createAgent(
            commandAgent(u"Twin"_s, u"if grep -q 'Quick one'; then sleep 0.2; else sleep 1.5; fi; echo done"_s));
    const QString shortTask = client().createTask({{u"title"_s, u"Quick one"_s}});   // in its prompt
    const QString longTask = client().createTask({{u"title"_s, u"Long one"_s}});
    QCOMPARE(run(longTask, agent).status, 200);
    QCOMPARE(run(shortTask, agent).status, 200);
    QCOMPARE(waitCompleted(shortTask).value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(taskOf(shortTask).value(u"status"_s).toString(), u"done"_s);
    QCOMPARE(client().get(api + u"/tasks/"_s + shortTask + u"/runs"_s).object().value(u"runs"_s).toArray()
                     .first().toObject().value(u"status"_s).toString(), u"completed"_s);
    const QJsonObject working = client().get(api + u"/agents/"_s + agent).object().value(u"agent"_s).toObject();
    QCOMPARE(working.value(u"status"_s).toString(), u"active"_s);
    QCOMPARE(working.value(u"current_task_id"_s).toString(), longTask);   // not the task that ended
    QCOMPARE(taskOf(longTask).value(u"status"_s).toString(), u"in_progress"_s);
    QCOMPARE(waitCompleted(longTask).value(u"status"_s).toString(), u"completed"_s);
    const QJsonObject a = client().get(api + u"/agents/"_s + agent).object().value(u"agent"_s).toObject();
    QCOMPARE(a.value(u"status"_s).toString(), u"idle"_s);
    QVERIFY(a.value(u"current_task_id"_s).isNull());
}

QTEST_MAIN(TestExecution)
#include "tst_execution.moc"
