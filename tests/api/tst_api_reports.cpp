// Activity feed, stats, standup, notifications; and activities pushed on /ws.

#include "apicase.h"
#include "enums.h"
#include "wsclient.h"

#include <QJsonArray>

using namespace mc::test;

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
    const QJsonObject stats = m_fixture->client().get(api + u"/stats"_qs).object().value(u"stats"_qs).toObject();
    const auto check = [&](const QString &key, const QStringList &values) {
        const QJsonObject byStatus = stats.value(key).toObject().value(u"by_status"_qs).toObject();
        QCOMPARE(byStatus.size(), values.size());
        for (const QString &v : values)
            QVERIFY2(byStatus.value(v).isDouble(), qPrintable(key + u"."_qs + v));
    };
    check(u"agents"_qs, mc::enums::agentStatuses());
    check(u"tasks"_qs, mc::enums::taskStatuses());
    check(u"projects"_qs, mc::enums::projectStatuses());
    QCOMPARE(stats.value(u"tasks"_qs).toObject().value(u"by_status"_qs).toObject().value(u"assigned"_qs).toInt(), 1);
    QCOMPARE(stats.value(u"notifications"_qs).toObject().value(u"unread"_qs).toInt(), 1);
    QVERIFY(stats.value(u"messages"_qs).toObject().contains(u"total"_qs));
    QVERIFY(stats.value(u"activities"_qs).toObject().value(u"total"_qs).toInt() >= 5);
}

void TestApiReports::standupSections()
{
    HttpClient &c = m_fixture->client();
    QString standup = c.get(api + u"/standup"_qs).object().value(u"standup"_qs).toString();
    QVERIFY(standup.startsWith(u"# "_qs));
    QVERIFY(standup.contains(QDate::currentDate().toString(Qt::ISODate)));
    QVERIFY(!standup.contains(u"## Completed"_qs));   // empty sections are left out
    QVERIFY(standup.contains(u"## Team Status"_qs));
    c.post(api + u"/tasks/"_qs + m_fixture->id(u"task"_qs) + u"/status"_qs, {{u"status"_qs, u"done"_qs}});
    c.post(api + u"/tasks/"_qs + m_fixture->id(u"assigned_task"_qs) + u"/status"_qs, {{u"status"_qs, u"blocked"_qs}});
    standup = c.get(api + u"/standup"_qs).object().value(u"standup"_qs).toString();
    QVERIFY(standup.contains(u"## Completed\n- Plain task"_qs));
    QVERIFY(standup.contains(u"## Blocked\n- Assigned task"_qs));
    QVERIFY(!standup.contains(u"## In Progress"_qs));
}

void TestApiReports::notificationFlags()
{
    HttpClient &c = m_fixture->client();
    const QString n = m_fixture->id(u"notification"_qs);
    QCOMPARE(c.get(api + u"/notifications?undelivered_only=true"_qs).object().value(u"count"_qs).toInt(), 1);
    c.post(api + u"/notifications/"_qs + n + u"/delivered"_qs);
    QCOMPARE(c.get(api + u"/notifications?undelivered_only=true"_qs).object().value(u"count"_qs).toInt(), 0);
    const QJsonObject delivered = c.get(api + u"/notifications"_qs).object().value(u"notifications"_qs).toArray().first().toObject();
    QVERIFY(delivered.value(u"delivered"_qs).toBool());
    QVERIFY(!delivered.value(u"delivered_at"_qs).toString().isEmpty());
    QCOMPARE(c.get(api + u"/notifications?unread_only=true"_qs).object().value(u"count"_qs).toInt(), 1);
    c.post(api + u"/notifications/"_qs + n + u"/read"_qs);
    QCOMPARE(c.get(api + u"/notifications?unread_only=1"_qs).object().value(u"count"_qs).toInt(), 0);
}

void TestApiReports::everyActivityIsBroadcast()
{
    WsClient ws;
    QVERIFY(ws.connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_qs.arg(m_fixture->server().port()).arg(m_fixture->server().token())));
    HttpClient &c = m_fixture->client();
    const QString t = c.createTask({{u"title"_qs, u"broadcast me"_qs}});
    c.post(api + u"/tasks/"_qs + t + u"/messages"_qs, {{u"content"_qs, u"note"_qs}});
    c.post(api + u"/agents/"_qs + m_fixture->id(u"agent"_qs) + u"/heartbeat"_qs);
    QVERIFY(ws.waitFor([&ws](const QList<QJsonObject> &) { return ws.events(u"mc_activity_created"_qs).size() >= 3; }));
    const QJsonArray feed = c.get(api + u"/activity?limit=3"_qs).object().value(u"activities"_qs).toArray();
    const QList<QJsonObject> pushed = ws.events(u"mc_activity_created"_qs);
    // Same objects, pushed oldest first, listed newest first.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(pushed.at(i).value(u"activity"_qs).toObject(), feed.at(2 - i).toObject());
}

QTEST_MAIN(TestApiReports)
#include "tst_api_reports.moc"
