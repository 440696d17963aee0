// Activity feed, stats, standup, notifications; and activities pushed on /ws.

#include "apicase.h"
#include "enums.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QTemporaryDir>

using namespace mc::test;
using namespace Qt::StringLiterals;

class TestApiReports : public ApiTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void routes_data();
    void routes() { runApiCase(*m_fixture); }
    void statsListEveryEnumValue();
    void standupSections();
    void notificationFlags();
    void everyActivityIsBroadcast();
    void standupNamesAssignees();
    void dashboardFramesAreIgnored();
    void freshDataListsNothing();
    void stateSurvivesRestart();

};

void TestApiReports::routes_data()
{
    addApiColumns();
    const auto row = addApiRow;
    row("activity", "GET", "/activity?limit=2", "", 200, "");
    row("activity by task", "GET", "/activity?task_id={task}", "", 200,
        R"({"count": 1, "activities": [{"type": "task_created", "task_id": "{task}"}]})");
    row("activity bad limit", "GET", "/activity?limit=x", "", 422, R"({"detail": [{"type": "int_parsing", "loc": ["query", "limit"]}]})");
    row("stats", "GET", "/stats", "", 200,
        R"({"stats": {"agents": {"total": 2}, "tasks": {"total": 2}, "documents": {"total": 1}, "projects": {"total": 1}}})");
    row("standup", "GET", "/standup", "", 200, "");
    row("notifications", "GET", "/notifications", "", 200, R"({"count": 1, "notifications": [{"type": "task_assigned", "agent_id": "{agent}", "read": false, "delivered": false}]})");
    row("notifications bad bool", "GET", "/notifications?unread_only=maybe", "", 422, R"({"detail": [{"type": "bool_parsing"}]})");
    row("mark delivered", "POST", "/notifications/{notification}/delivered", "", 200, R"({"success": true})");
    row("mark read", "POST", "/notifications/{notification}/read", "", 200, R"({"success": true})");
    row("mark unknown", "POST", "/notifications/{missing}/read", "", 404, R"({"detail": "Notification not found"})");
}

void TestApiReports::statsListEveryEnumValue()
{
    const QJsonObject stats = m_fixture->client().get(api + u"/stats"_s).object().value(u"stats"_s).toObject();
    const auto check = [&](const QString &key, const QStringList &values) {
        const QJsonObject byStatus = stats.value(key).toObject().value(u"by_status"_s).toObject();
        QCOMPARE(byStatus.size(), values.size());
        for (const QString &v : values)
            QVERIFY2(byStatus.value(v).isDouble(), qPrintable(key + u"."_s + v));
    };
    check(u"agents"_s, mc::enums::agentStatuses());
    check(u"tasks"_s, mc::enums::taskStatuses());
    check(u"projects"_s, mc::enums::projectStatuses());
    QCOMPARE(stats.value(u"tasks"_s).toObject().value(u"by_status"_s).toObject().value(u"assigned"_s).toInt(), 1);
    QCOMPARE(stats.value(u"notifications"_s).toObject().value(u"unread"_s).toInt(), 1);
    QVERIFY(stats.value(u"messages"_s).toObject().contains(u"total"_s));
    QVERIFY(stats.value(u"activities"_s).toObject().value(u"total"_s).toInt() >= 5);
}

void TestApiReports::standupSections()
{
    HttpClient &c = m_fixture->client();
    QString standup = c.get(api + u"/standup"_s).object().value(u"standup"_s).toString();
    QVERIFY(standup.startsWith(u"# "_s));
    QVERIFY(standup.contains(QDate::currentDate().toString(Qt::ISODate)));
    QVERIFY(!standup.contains(u"## Completed"_s));   // empty sections are left out
    QVERIFY(standup.contains(u"## Team Status"_s));
    c.post(api + u"/tasks/"_s + m_fixture->id(u"task"_s) + u"/status"_s, {{u"status"_s, u"done"_s}});
    c.post(api + u"/tasks/"_s + m_fixture->id(u"assigned_task"_s) + u"/status"_s, {{u"status"_s, u"blocked"_s}});
    standup = c.get(api + u"/standup"_s).object().value(u"standup"_s).toString();
    QVERIFY(standup.contains(u"## Completed\n- Plain task"_s));
    QVERIFY(standup.contains(u"## Blocked\n- Assigned task"_s));
    QVERIFY(!standup.contains(u"## In Progress"_s));
}

void TestApiReports::notificationFlags()
{
    HttpClient &c = m_fixture->client();
    const QString n = m_fixture->id(u"notification"_s);
    QCOMPARE(c.get(api + u"/notifications?undelivered_only=true"_s).object().value(u"count"_s).toInt(), 1);
    c.post(api + u"/notifications/"_s + n + u"/delivered"_s);
    QCOMPARE(c.get(api + u"/notifications?undelivered_only=true"_s).object().value(u"count"_s).toInt(), 0);
    const QJsonObject delivered = c.get(api + u"/notifications"_s).object().value(u"notifications"_s).toArray().first().toObject();
    QVERIFY(delivered.value(u"delivered"_s).toBool());
    QVERIFY(!delivered.value(u"delivered_at"_s).toString().isEmpty());
    QCOMPARE(c.get(api + u"/notifications?unread_only=true"_s).object().value(u"count"_s).toInt(), 1);
    c.post(api + u"/notifications/"_s + n + u"/read"_s);
    QCOMPARE(c.get(api + u"/notifications?unread_only=1"_s).object().value(u"count"_s).toInt(), 0);
}

void TestApiReports::everyActivityIsBroadcast()
{
    WsClient ws;
    QVERIFY(ws.connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(m_fixture->server().port()).arg(m_fixture->server().token())));
    HttpClient &c = m_fixture->client();
    const QString t = c.createTask({{u"title"_s, u"broadcast me"_s}});
    c.post(api + u"/tasks/"_s + t + u"/messages"_s, {{u"from_agent_id"_s, u"human"_s}, {u"content"_s, u"note"_s}});
    c.post(api + u"/agents/"_s + m_fixture->id(u"agent"_s) + u"/heartbeat"_s);
    QVERIFY(ws.waitFor([&ws](const QList<QJsonObject> &) { return ws.events(u"mc_activity_created"_s).size() >= 3; }));
    const QJsonArray feed = c.get(api + u"/activity?limit=3"_s).object().value(u"activities"_s).toArray();
    const QList<QJsonObject> pushed = ws.events(u"mc_activity_created"_s);
    // Same objects, pushed oldest first, listed newest first.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(pushed.at(i).value(u"activity"_s).toObject(), feed.at(2 - i).toObject());
}

void TestApiReports::standupNamesAssignees()
{
    HttpClient &c = m_fixture->client();
    const QString ada = m_fixture->id(u"agent"_s);
    const QString bob = m_fixture->id(u"agent2"_s);
    const QString pair = c.createTask({{u"title"_s, u"Pair work"_s}, {u"assignee_ids"_s, QJsonArray{ada, bob}}});
    c.post(api + u"/tasks/"_s + pair + u"/status"_s, {{u"status"_s, u"in_progress"_s}});
    c.post(api + u"/tasks/"_s + m_fixture->id(u"task"_s) + u"/status"_s, {{u"status"_s, u"in_progress"_s}});
    c.post(api + u"/tasks/"_s + m_fixture->id(u"assigned_task"_s) + u"/status"_s, {{u"status"_s, u"done"_s}});
    const QString blocked = c.createTask({{u"title"_s, u"Stuck"_s}, {u"assignee_ids"_s, QJsonArray{bob}}});
    c.post(api + u"/tasks/"_s + blocked + u"/status"_s, {{u"status"_s, u"blocked"_s}});
    const QString standup = c.get(api + u"/standup"_s).object().value(u"standup"_s).toString();
    QVERIFY2(standup.contains(u"## Completed\n- Assigned task (Ada)\n"_s), qPrintable(standup));
    QVERIFY2(standup.contains(u"- Pair work (Ada, bob)\n"_s), qPrintable(standup));
    QVERIFY2(standup.contains(u"- Plain task (Unassigned)\n"_s), qPrintable(standup));
    QVERIFY2(standup.contains(u"## Blocked\n- Stuck\n"_s), qPrintable(standup));
}

void TestApiReports::dashboardFramesAreIgnored()
{
    // What PocketPaw's dashboard sends on connect (websocket.js, app.js): none is ours, none gets an answer.
    WsClient ws;
    QVERIFY(ws.connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(m_fixture->server().port()).arg(m_fixture->server().token())));
    const QList<QJsonObject> frames{{{u"action"_s, u"authenticate"_s}, {u"token"_s, m_fixture->server().token()}},
                                    {{u"action"_s, u"get_settings"_s}},
                                    {{u"action"_s, u"get_reminders"_s}},
                                    {{u"action"_s, u"get_intentions"_s}},
                                    {{u"action"_s, u"get_skills"_s}},
                                    {{u"action"_s, u"get_health"_s}},
                                    {{u"action"_s, u"switch_session"_s}, {u"session_id"_s, u"s1"_s}}};
    for (const QJsonObject &frame : frames)
        ws.send(frame);
    ws.socket().sendTextMessage(u"not json at all"_s);
    ws.send({{u"action"_s, u"ping"_s}});
    QVERIFY(ws.waitFor([](const QList<QJsonObject> &m) { return m.last().value(u"type"_s) == u"pong"_s; }));
    QStringList types;
    for (const QJsonObject &m : ws.messages())
        types.append(m.value(u"type"_s).toString());
    QCOMPARE(types, (QStringList{u"connection_info"_s, u"pong"_s}));
    // Our own actions still work, and a malformed one of them is answered.
    ws.send({{u"action"_s, u"subscribe"_s}, {u"task_id"_s, m_fixture->id(u"task"_s)}, {u"after_seq"_s, 0}});
    QVERIFY(ws.waitFor([](const QList<QJsonObject> &m) { return m.last().value(u"type"_s) == u"subscribed"_s; }));
    ws.send({{u"action"_s, u"subscribe"_s}, {u"after_seq"_s, 0}});
    QVERIFY(ws.waitFor([](const QList<QJsonObject> &m) { return m.last().value(u"type"_s) == u"error"_s; }));
}

void TestApiReports::freshDataListsNothing()
{
    // PocketPaw's test_list_*_empty, on every list route of a fresh data folder.
    TestServer fresh;
    HttpClient c(fresh.base(), fresh.token());
    const QList<QPair<QString, QString>> lists{{u"/agents"_s, u"agents"_s},         {u"/tasks"_s, u"tasks"_s},
                                               {u"/documents"_s, u"documents"_s},   {u"/activity"_s, u"activities"_s},
                                               {u"/notifications"_s, u"notifications"_s},
                                               {u"/projects"_s, u"projects"_s},     {u"/tasks/running"_s, u"running_tasks"_s}};
    for (const auto &[path, key] : lists) {
        const HttpResponse r = c.get(api + path);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.object().value(key).isArray() && r.object().value(key).toArray().isEmpty(), qPrintable(path));
        QCOMPARE(r.object().value(u"count"_s).toInt(-1), 0);
    }
}

void TestApiReports::stateSurvivesRestart()
{
    // PocketPaw's test_persistence: what one server stored, the next one on the same data folder returns as it was.
    QTemporaryDir dir;
    mc::AppConfig config;
    config.dataDir = dir.path();
    const QStringList routes{u"/agents"_s, u"/tasks"_s, u"/documents"_s, u"/activity?limit=1000"_s,
                             u"/notifications?limit=1000"_s, u"/projects"_s, u"/stats"_s};
    QHash<QString, QJsonObject> before;
    QString taskId;
    {
        TestServer first(config);
        HttpClient c(first.base(), first.token());
        const QString agent = c.createAgent({{u"name"_s, u"Keeper"_s}, {u"role"_s, u"archivist"_s}});
        taskId = c.createTask({{u"title"_s, u"Remember me"_s}, {u"assignee_ids"_s, QJsonArray{agent}}});
        c.post(api + u"/tasks/"_s + taskId + u"/messages"_s, {{u"from_agent_id"_s, u"human"_s}, {u"content"_s, u"hi @keeper"_s}});
        c.post(api + u"/documents"_s, {{u"title"_s, u"Notes"_s}, {u"content"_s, u"kept"_s}, {u"task_id"_s, taskId}});
        c.post(api + u"/projects"_s, {{u"title"_s, u"Vault"_s}});
        for (const QString &route : routes)
            before.insert(route, c.get(api + route).object());
        before.insert(u"task"_s, c.get(api + u"/tasks/"_s + taskId).object());
    }
    TestServer second(config);
    HttpClient c(second.base(), second.token());
    for (const QString &route : routes)
        QCOMPARE(c.get(api + route).object(), before.value(route));
    QCOMPARE(c.get(api + u"/tasks/"_s + taskId).object(), before.value(u"task"_s));
    QCOMPARE(before.value(u"/tasks"_s).value(u"count"_s).toInt(), 1);
}

QTEST_MAIN(TestApiReports)
#include "tst_api_reports.moc"
