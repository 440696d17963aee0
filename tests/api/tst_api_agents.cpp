// Agents: every route of A.4 with its error cases, as request -> status -> body.

#include "apicase.h"

#include <QJsonArray>

using namespace mc::test;
using namespace Qt::StringLiterals;

class TestApiAgents : public ApiTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void routes_data();
    void routes() { runApiCase(*m_fixture); }
    void listIsSortedByNameCaseInsensitive();
    void heartbeatSetsTimestampAndIdle();
    void unknownBackendIsStoredAsGiven();
    void oneShapeOnEveryRoute();
    void joiningIsWordedAsPocketPaw();

};

void TestApiAgents::routes_data()
{
    addApiColumns();
    const auto row = addApiRow;
    row("list", "GET", "/agents", "", 200, R"({"count": 2})");
    row("list by status", "GET", "/agents?status=idle&limit=1", "", 200, R"({"count": 2})");
    row("list bad status", "GET", "/agents?status=sleeping", "", 422, "");
    row("list negative limit", "GET", "/agents?limit=-5", "", 422, "");
    row("list non-numeric limit", "GET", "/agents?limit=ten", "", 422, "");
    row("create", "POST", "/agents", R"({"name": "Carol", "role": "writer", "specialties": ["docs"]})", 200,
        R"({"agent": {"name": "Carol", "role": "writer", "status": "idle", "level": "specialist",
            "backend": "claude_agent_sdk", "session_key": "agent:carol:main", "specialties": ["docs"],
            "current_task_id": null, "metadata": {}, "description": ""}})");
    row("create lead", "POST", "/agents", R"({"name": "Dan", "role": "boss", "level": "lead"})", 200,
        R"({"agent": {"level": "lead"}})");
    row("create missing name", "POST", "/agents", R"({"role": "x"})", 422,
        R"({"detail": [{"type": "missing", "loc": ["body", "name"], "msg": "Field required"}]})");
    row("create missing both", "POST", "/agents", R"({})", 422,
        R"({"detail": [{"loc": ["body", "name"]}, {"loc": ["body", "role"]}]})");
    row("create name too long", "POST", "/agents",
        R"({"name": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "role": "x"})", 422,
        R"({"detail": [{"type": "string_too_long", "loc": ["body", "name"]}]})");
    row("create empty name", "POST", "/agents", R"({"name": "", "role": "x"})", 422,
        R"({"detail": [{"type": "string_too_short"}]})");
    row("create name not string", "POST", "/agents", R"({"name": 5, "role": "x"})", 422,
        R"({"detail": [{"type": "string_type", "loc": ["body", "name"]}]})");
    row("create specialties not list", "POST", "/agents", R"({"name": "E", "role": "x", "specialties": "a"})", 422,
        R"({"detail": [{"type": "list_type"}]})");
    row("create bad level", "POST", "/agents", R"({"name": "E", "role": "x", "level": "god"})", 422,
        R"({"detail": [{"type": "enum", "msg": "Input should be 'intern', 'specialist' or 'lead'"}]})");
    row("create metadata not object", "POST", "/agents", R"({"name": "E", "role": "x", "metadata": []})", 422,
        R"({"detail": [{"type": "dict_type"}]})");
    row("create command without command", "POST", "/agents",
        R"({"name": "E", "role": "x", "backend": "command", "metadata": {"backend_config": {}}})", 422,
        R"({"detail": [{"type": "missing", "loc": ["body", "metadata", "backend_config", "command"]}]})");
    row("create command with command", "POST", "/agents",
        R"({"name": "E", "role": "x", "backend": "command", "metadata": {"backend_config": {"command": ["true"]}}})",
        200, R"({"agent": {"backend": "command", "metadata": {"backend_config": {"command": ["true"]}}}})");
    row("get", "GET", "/agents/{agent}", "", 200, R"({"agent": {"id": "{agent}", "name": "Ada"}})");
    row("get unknown", "GET", "/agents/{missing}", "", 404, R"({"detail": "Agent not found"})");
    row("usage", "GET", "/agents/{agent}/usage", "", 200,
        R"({"agent_id": "{agent}", "usage": {"runs": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0}})");
    row("usage unknown", "GET", "/agents/{missing}/usage", "", 404, R"({"detail": "Agent not found"})");
    row("patch", "PATCH", "/agents/{agent}", R"({"name": "Adaline", "status": "blocked"})", 200,
        R"({"agent": {"name": "Adaline", "status": "blocked", "session_key": "agent:adaline:main"}})");
    row("patch bad status", "PATCH", "/agents/{agent}", R"({"status": "asleep"})", 422,
        R"({"detail": [{"type": "enum", "loc": ["body", "status"]}]})");
    row("patch unknown", "PATCH", "/agents/{missing}", R"({"name": "x"})", 404, R"({"detail": "Agent not found"})");
    row("delete", "DELETE", "/agents/{agent2}", "", 200,
        R"({"success": true, "message": "Agent {agent2} deleted"})");
    row("delete unknown", "DELETE", "/agents/{missing}", "", 404, R"({"detail": "Agent not found"})");
    row("heartbeat", "POST", "/agents/{agent}/heartbeat", "", 200, R"({"agent": {"status": "idle"}})");
    row("heartbeat unknown", "POST", "/agents/{missing}/heartbeat", "", 404, R"({"detail": "Agent not found"})");
}

void TestApiAgents::listIsSortedByNameCaseInsensitive()
{
    HttpClient &c = m_fixture->client();
    c.createAgent({{u"name"_s, u"aaron"_s}, {u"role"_s, u"x"_s}});
    c.createAgent({{u"name"_s, u"Zed"_s}, {u"role"_s, u"x"_s}});
    const QJsonArray agents = c.get(api + u"/agents"_s).object().value(u"agents"_s).toArray();
    QStringList names;
    for (const QJsonValue &a : agents)
        names.append(a.toObject().value(u"name"_s).toString());
    QCOMPARE(names, (QStringList{u"aaron"_s, u"Ada"_s, u"bob"_s, u"Zed"_s}));
    const QJsonObject limited = c.get(api + u"/agents?limit=1"_s).object();
    QCOMPARE(limited.value(u"agents"_s).toArray().size(), 1);
    QCOMPARE(limited.value(u"count"_s).toInt(), 4);
}

void TestApiAgents::heartbeatSetsTimestampAndIdle()
{
    HttpClient &c = m_fixture->client();
    const QString id = m_fixture->id(u"agent"_s);
    QCOMPARE(c.patch(api + u"/agents/"_s + id, {{u"status"_s, u"offline"_s}}).status, 200);
    const QJsonObject agent = c.post(api + u"/agents/"_s + id + u"/heartbeat"_s).object().value(u"agent"_s).toObject();
    QCOMPARE(agent.value(u"status"_s).toString(), u"idle"_s);
    QVERIFY(agent.value(u"last_heartbeat"_s).toString().endsWith(u"+00:00"_s));
    const QJsonArray feed = c.get(api + u"/activity?agent_id="_s + id).object().value(u"activities"_s).toArray();
    QCOMPARE(feed.first().toObject().value(u"type"_s).toString(), u"agent_heartbeat"_s);
}

void TestApiAgents::unknownBackendIsStoredAsGiven()
{
    HttpClient &c = m_fixture->client();
    const HttpResponse r = c.post(api + u"/agents"_s,
                                  {{u"name"_s, u"Oi"_s}, {u"role"_s, u"x"_s}, {u"backend"_s, u"open_interpreter"_s}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.object().value(u"agent"_s).toObject().value(u"backend"_s).toString(), u"open_interpreter"_s);
}

void TestApiAgents::oneShapeOnEveryRoute()
{
    // An agent compares equal whichever route returns it (usage has a route of its own).
    HttpClient &c = m_fixture->client();
    const QJsonObject created = c.post(api + u"/agents"_s, {{u"name"_s, u"Shape"_s}, {u"role"_s, u"x"_s}})
                                        .object().value(u"agent"_s).toObject();
    const QString id = created.value(u"id"_s).toString();
    const auto fetched = [&] { return c.get(api + u"/agents/"_s + id).object().value(u"agent"_s).toObject(); };
    QCOMPARE(fetched(), created);
    QVERIFY(!created.contains(u"usage"_s));
    QJsonObject listed;
    for (const QJsonValue &a : c.get(api + u"/agents"_s).object().value(u"agents"_s).toArray()) {
        if (a.toObject().value(u"id"_s) == id)
            listed = a.toObject();
    }
    QCOMPARE(listed, created);
    const QJsonObject patched = c.patch(api + u"/agents/"_s + id, {{u"role"_s, u"y"_s}}).object().value(u"agent"_s).toObject();
    QCOMPARE(patched, fetched());
    const QJsonObject beat = c.post(api + u"/agents/"_s + id + u"/heartbeat"_s).object().value(u"agent"_s).toObject();
    QCOMPARE(beat, fetched());
    QCOMPARE(QStringList(beat.keys()), QStringList(created.keys()));
}

void TestApiAgents::joiningIsWordedAsPocketPaw()
{
    HttpClient &c = m_fixture->client();
    const QString id = c.createAgent({{u"name"_s, u"Jarvis"_s}, {u"role"_s, u"Squad Lead"_s}});
    const QJsonObject activity = c.get(api + u"/activity?agent_id="_s + id).object().value(u"activities"_s)
                                         .toArray().first().toObject();
    QCOMPARE(activity.value(u"type"_s).toString(), u"agent_status_changed"_s);
    QCOMPARE(activity.value(u"message"_s).toString(), u"Jarvis joined the team as Squad Lead"_s);
    c.post(api + u"/agents/"_s + id + u"/heartbeat"_s);
    QCOMPARE(c.get(api + u"/activity?agent_id="_s + id).object().value(u"activities"_s).toArray().first().toObject()
                     .value(u"message"_s).toString(),
             u"Jarvis checked in"_s);
}

QTEST_MAIN(TestApiAgents)
#include "tst_api_agents.moc"
