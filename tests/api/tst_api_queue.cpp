// The opt-in run queue and task dependencies (API.md part B "Queue",
// "Dependencies"): 202 with a position when every slot is taken, dispatch by
// priority, the queue routes, and blocked_by validation.

#include "serversession.h"
#include "httpclient.h"
#include "queuetesting.h"
#include "testserver.h"
#include "wsclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mc::test;

class TestApiQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(startServerSession(m_server, m_client, m_ws));
        m_gate = QDir(m_gateDir.path()).filePath(u"gate-%1"_s.arg(++m_gates));
        m_agent = m_client->createAgent(shellAgent(u"Gated"_s, gatedScript(m_gate)));
    }
    void cleanup()
    {
        openGate();
        m_ws.reset();
        m_client.reset();
        m_server.reset();
    }

    void twelveQueuedRunInPriorityOrderNeverMoreThanFive();
    void withoutQueueTheSixthIsStill429();
    void queueRoutesAndRemoval();
    void blockedByIsValidatedAndMirrored();
    void runOptionsAreTaskFields();

private:
    QString task(const QString &title, const QString &priority = u"medium"_s)
    {
        return m_client->createTask({{u"title"_s, title}, {u"priority"_s, priority}});
    }
    HttpResponse run(const QString &taskId, bool queue)
    {
        QJsonObject body{{u"agent_id"_s, m_agent}};
        if (queue)
            body.insert(u"queue"_s, true);
        return m_client->post(api + u"/tasks/"_s + taskId + u"/run"_s, body);
    }
    QJsonArray queue() { return m_client->get(api + u"/queue"_s).object().value(u"queue"_s).toArray(); }
    void openGate()
    {
        QFile f(m_gate);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    int completed() { return int(m_ws->events(u"mc_task_completed"_s).size()); }

    QTemporaryDir m_gateDir;
    int m_gates = 0;
    QString m_gate;
    QString m_agent;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_client;
    std::unique_ptr<WsClient> m_ws;
};

void TestApiQueue::twelveQueuedRunInPriorityOrderNeverMoreThanFive()
{
    QStringList running;
    for (int i = 0; i < 5; ++i) {
        running.append(task(u"first %1"_s.arg(i)));
        const HttpResponse r = run(running.last(), true);
        QCOMPARE(r.status, 200);   // a free slot: exactly today's answer
        QCOMPARE(r.object().value(u"status"_s).toString(), u"started"_s);
    }
    // Seven more, queued in a priority order the dispatcher must reorder.
    const QStringList priorities{u"low"_s, u"medium"_s, u"urgent"_s, u"high"_s, u"low"_s, u"urgent"_s, u"medium"_s};
    QHash<QString, QString> priorityOf;
    QStringList queued;
    for (int i = 0; i < priorities.size(); ++i) {
        const QString id = task(u"queued %1"_s.arg(i), priorities.at(i));
        const HttpResponse r = run(id, true);
        QCOMPARE(r.status, 202);
        const QJsonObject body = r.object();
        QCOMPARE(body.value(u"success"_s).toBool(), true);
        QCOMPARE(body.value(u"message"_s).toString(), u"Task queued"_s);
        QCOMPARE(body.value(u"status"_s).toString(), u"queued"_s);
        QCOMPARE(body.value(u"task_id"_s).toString(), id);
        QCOMPARE(body.value(u"agent_id"_s).toString(), m_agent);
        QCOMPARE(body.value(u"agent_name"_s).toString(), u"Gated"_s);
        QVERIFY(body.value(u"position"_s).toInt() >= 1);
        queued.append(id);
        priorityOf.insert(id, priorities.at(i));
    }
    QCOMPARE(m_client->get(api + u"/health"_s).object().value(u"running"_s).toInt(), 5);
    // Expected dispatch order: priority, then time queued.
    QStringList expected;
    for (const QString &p : {u"urgent"_s, u"high"_s, u"medium"_s, u"low"_s}) {
        for (const QString &id : std::as_const(queued)) {
            if (priorityOf.value(id) == p)
                expected.append(id);
        }
    }
    const QJsonArray listed = queue();
    QCOMPARE(listed.size(), 7);
    for (int i = 0; i < listed.size(); ++i) {
        const QJsonObject entry = listed.at(i).toObject();
        QCOMPARE(entry.value(u"task_id"_s).toString(), expected.at(i));
        QCOMPARE(entry.value(u"position"_s).toInt(), i + 1);
        QCOMPARE(entry.value(u"attempt"_s).toInt(), 1);
        QVERIFY(entry.value(u"not_before"_s).isNull());
        QVERIFY(!entry.value(u"queued_at"_s).toString().isEmpty());
    }
    QCOMPARE(m_ws->events(u"mc_task_queued"_s).size(), 7);
    openGate();
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return completed() == 12; }, 60000));
    QVERIFY(mostAtOnce(m_ws->messages()) <= 5);
    QCOMPARE(startedOrder(m_ws->messages()).mid(5), expected);
    int startedReasons = 0;
    for (const QJsonObject &e : m_ws->events(u"mc_task_dequeued"_s))
        startedReasons += e.value(u"reason"_s).toString() == u"started"_s;
    QCOMPARE(startedReasons, 7);
    QCOMPARE(queue().size(), 0);
    for (const QString &id : running + queued) {
        const QJsonObject t = m_client->get(api + u"/tasks/"_s + id).object().value(u"task"_s).toObject();
        QCOMPARE(t.value(u"status"_s).toString(), u"done"_s);
    }
}

void TestApiQueue::withoutQueueTheSixthIsStill429()
{
    for (int i = 0; i < 5; ++i)
        QCOMPARE(run(task(u"t%1"_s.arg(i)), false).status, 200);
    const HttpResponse sixth = run(task(u"sixth"_s), false);
    QCOMPARE(sixth.status, 429);
    QCOMPARE(sixth.object().value(u"detail"_s).toString(), u"Maximum concurrent tasks (5) reached"_s);
    QCOMPARE(m_client->get(api + u"/queue"_s).object().value(u"count"_s).toInt(), 0);
    QCOMPARE(m_ws->events(u"mc_task_queued"_s).size(), 0);
}

void TestApiQueue::queueRoutesAndRemoval()
{
    QStringList busy;
    for (int i = 0; i < 5; ++i) {
        busy.append(task(u"busy %1"_s.arg(i)));
        QCOMPARE(run(busy.last(), true).status, 200);
    }
    const QString a = task(u"a"_s), b = task(u"b"_s), c = task(u"c"_s), d = task(u"d"_s);
    for (const QString &id : {a, b, c, d})
        QCOMPARE(run(id, true).status, 202);
    QCOMPARE(run(a, true).status, 409);
    QCOMPARE(run(a, true).object().value(u"detail"_s).toString(), u"Task is already queued"_s);
    QCOMPARE(run(busy.first(), true).object().value(u"detail"_s).toString(), u"Task is already running"_s);
    // DELETE /queue/{id}, stop on a queued task, deleting the task, deleting the agent.
    QCOMPARE(m_client->del(api + u"/queue/"_s + a).status, 200);
    QCOMPARE(m_client->del(api + u"/queue/"_s + a).status, 404);
    const HttpResponse stopped = m_client->post(api + u"/tasks/"_s + b + u"/stop"_s);
    QCOMPARE(stopped.status, 200);
    QCOMPARE(stopped.object().value(u"status"_s).toString(), u"stopped"_s);
    QCOMPARE(m_client->del(api + u"/tasks/"_s + c).status, 200);
    QCOMPARE(queue().size(), 1);
    QCOMPARE(queue().first().toObject().value(u"task_id"_s).toString(), d);
    const QString other = m_client->createAgent(shellAgent(u"Other"_s, u"echo x"_s));
    const QString e = task(u"e"_s);
    QCOMPARE(m_client->post(api + u"/tasks/"_s + e + u"/run"_s, {{u"agent_id"_s, other}, {u"queue"_s, true}}).status, 202);
    QCOMPARE(m_client->del(api + u"/agents/"_s + other).status, 200);
    QCOMPARE(queue().size(), 1);
    QHash<QString, QString> reasons;
    for (const QJsonObject &ev : m_ws->events(u"mc_task_dequeued"_s))
        reasons.insert(ev.value(u"task_id"_s).toString(), ev.value(u"reason"_s).toString());
    QCOMPARE(reasons.value(a), u"cancelled"_s);
    QCOMPARE(reasons.value(b), u"cancelled"_s);
    QCOMPARE(reasons.value(c), u"deleted"_s);
    QCOMPARE(reasons.value(e), u"deleted"_s);
    // A queued task is not running: stop with nothing running or queued is still A.4's 404.
    QCOMPARE(m_client->post(api + u"/tasks/"_s + a + u"/stop"_s).status, 404);
    openGate();
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return completed() == 6; }, 60000));
    QCOMPARE(startedOrder(m_ws->messages()).last(), d);
}

void TestApiQueue::blockedByIsValidatedAndMirrored()
{
    const QString a = task(u"A"_s);
    const QString b = m_client->createTask({{u"title"_s, u"B"_s}, {u"blocked_by"_s, QJsonArray{a}}});
    const QString c = m_client->createTask({{u"title"_s, u"C"_s}, {u"blocked_by"_s, QJsonArray{b}}});
    auto get = [&](const QString &id) {
        return m_client->get(api + u"/tasks/"_s + id).object().value(u"task"_s).toObject();
    };
    QCOMPARE(get(a).value(u"blocks"_s).toArray(), QJsonArray{b});
    QCOMPARE(get(b).value(u"blocks"_s).toArray(), QJsonArray{c});
    const QString missing = u"00000000-0000-4000-8000-000000000000"_s;
    HttpResponse r = m_client->post(api + u"/tasks"_s, {{u"title"_s, u"X"_s}, {u"blocked_by"_s, QJsonArray{missing}}});
    QCOMPARE(r.status, 422);
    QCOMPARE(r.object().value(u"detail"_s).toArray().first().toObject().value(u"loc"_s).toArray(),
             (QJsonArray{u"body"_s, u"blocked_by"_s}));
    QVERIFY(r.object().value(u"detail"_s).toArray().first().toObject().value(u"msg"_s).toString().contains(missing));
    // A -> C would close A -> C -> B -> A.
    r = m_client->patch(api + u"/tasks/"_s + a, {{u"blocked_by"_s, QJsonArray{c}}});
    QCOMPARE(r.status, 422);
    QCOMPARE(r.object().value(u"detail"_s).toArray().first().toObject().value(u"msg"_s).toString(),
             u"Dependency cycle: %1 → %2 → %3 → %1"_s.arg(a, c, b));
    QCOMPARE(get(a).value(u"blocked_by"_s).toArray(), QJsonArray());   // nothing changed
    QCOMPARE(m_client->patch(api + u"/tasks/"_s + a, {{u"blocked_by"_s, QJsonArray{a}}}).status, 422);
    // Moving C's blocker from B to A moves the mirror too; deleting A clears both sides.
    QCOMPARE(m_client->patch(api + u"/tasks/"_s + c, {{u"blocked_by"_s, QJsonArray{a}}}).status, 200);
    QCOMPARE(get(b).value(u"blocks"_s).toArray(), QJsonArray());
    QCOMPARE(get(a).value(u"blocks"_s).toArray(), (QJsonArray{b, c}));
    QCOMPARE(m_client->del(api + u"/tasks/"_s + a).status, 200);
    QCOMPARE(get(b).value(u"blocked_by"_s).toArray(), QJsonArray());
    QCOMPARE(get(c).value(u"blocked_by"_s).toArray(), QJsonArray());
}

void TestApiQueue::runOptionsAreTaskFields()
{
    const QJsonObject plain = m_client->post(api + u"/tasks"_s, {{u"title"_s, u"plain"_s}}).object().value(u"task"_s).toObject();
    QCOMPARE(plain.value(u"auto_run"_s).toBool(true), false);
    QCOMPARE(plain.value(u"max_attempts"_s).toInt(), 1);
    QCOMPARE(plain.value(u"retry_delay_s"_s).toInt(), 30);
    const QJsonObject set = m_client->post(api + u"/tasks"_s, {{u"title"_s, u"set"_s}, {u"max_attempts"_s, 4},
                                                               {u"retry_delay_s"_s, 2}})
                                    .object().value(u"task"_s).toObject();
    QCOMPARE(set.value(u"max_attempts"_s).toInt(), 4);
    QCOMPARE(set.value(u"retry_delay_s"_s).toInt(), 2);
    for (const int bad : {0, 11}) {
        const HttpResponse r = m_client->post(api + u"/tasks"_s, {{u"title"_s, u"bad"_s}, {u"max_attempts"_s, bad}});
        QCOMPARE(r.status, 422);
        QCOMPARE(r.object().value(u"detail"_s).toArray().first().toObject().value(u"loc"_s).toArray(),
                 (QJsonArray{u"body"_s, u"max_attempts"_s}));
    }
    QCOMPARE(m_client->patch(api + u"/tasks/"_s + set.value(u"id"_s).toString(), {{u"auto_run"_s, u"yes"_s}}).status, 422);
}

QTEST_GUILESS_MAIN(TestApiQueue)
#include "tst_api_queue.moc"
