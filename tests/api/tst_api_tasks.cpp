// Tasks, assignment, status, messages, task documents and attachments, and
// their side effects (activities, notifications, timestamps).

#include "apicase.h"

#include "clock.h"
#include "runrepository.h"
#include "store.h"
#include "taskrepository.h"

#include <QJsonArray>
#include <QSet>

using namespace mc::test;
using namespace Qt::StringLiterals;

class TestApiTasks : public ApiTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void routes_data();
    void routes() { runApiCase(*m_fixture); }
    void filtersAndOrder();
    void limitIsCappedAndCursorWalksEverything();
    void severalTagsListAndCountEachTaskOnce();
    void runOutputIsCappedAndWalkedBySeq();
    void statusTimestampsAreSetOnce();
    void assignNotifiesNewAssigneesOnly();
    void mentionsNotify();
    void failedWriteChangesNothing();
    void listSerialisesEveryCharacter();
    void optionalStringsAreEmptyNotNull();
    void runEndsAreWordedAsPocketPaw();
    void deliverableHoldsMessagesOnly();
    void errorsAreSanitised();

private:
    // An agent whose backend runs argv; returns its id.
    QString agentRunning(const QString &name, const QJsonArray &argv, const QString &backend = u"command"_s)
    {
        return m_fixture->client().createAgent(
                {{u"name"_s, name}, {u"role"_s, u"runner"_s}, {u"backend"_s, backend},
                 {u"metadata"_s, QJsonObject{{u"backend_config"_s, QJsonObject{{u"command"_s, argv}, {u"timeout_s"_s, 60}}}}}});
    }
    // Starts a run and waits (bounded) until the task has left in_progress; returns the run id.
    QString runToEnd(const QString &taskId, const QString &agentId)
    {
        HttpClient &c = m_fixture->client();
        const HttpResponse started = c.post(api + u"/tasks/"_s + taskId + u"/run"_s, {{u"agent_id"_s, agentId}});
        if (started.status != 200)
            return {};
        for (int i = 0; i < 400 && c.get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt() != 0; ++i)
            QTest::qWait(50);
        if (c.get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt() != 0)
            return {};   // still running after 20 s
        return started.object().value(u"run_id"_s).toString();
    }
    QString latestActivity(const QString &taskId)
    {
        return m_fixture->client().get(api + u"/activity?limit=1&task_id="_s + taskId).object().value(u"activities"_s)
                .toArray().first().toObject().value(u"message"_s).toString();
    }
    QJsonObject task(const QString &id) { return m_fixture->client().get(api + u"/tasks/"_s + id).object().value(u"task"_s).toObject(); }
    int notificationsFor(const QString &agentId, const QString &type)
    {
        const QJsonArray all = m_fixture->client().get(api + u"/notifications?limit=1000&agent_id="_s + agentId)
                                       .object().value(u"notifications"_s).toArray();
        return int(std::count_if(all.begin(), all.end(), [&](const QJsonValue &n) { return n.toObject().value(u"type"_s) == type; }));
    }
};

void TestApiTasks::routes_data()
{
    addApiColumns();
    const auto row = addApiRow;
    row("list", "GET", "/tasks", "", 200, R"({"count": 2})");
    row("list by status", "GET", "/tasks?status=assigned", "", 200, R"({"count": 1, "tasks": [{"id": "{assigned_task}"}]})");
    row("list by assignee", "GET", "/tasks?assignee_id={agent}", "", 200, R"({"count": 1, "tasks": [{"id": "{assigned_task}"}]})");
    row("list by tags any", "GET", "/tasks?tags=alpha,beta", "", 200, R"({"count": 2})");
    row("list by one tag", "GET", "/tasks?tags=beta", "", 200, R"({"count": 1})");
    row("list bad status", "GET", "/tasks?status=later", "", 422,
        R"({"detail": [{"type": "enum", "loc": ["query", "status"]}]})");
    row("list bad limit", "GET", "/tasks?limit=1.5", "", 422, R"({"detail": [{"type": "int_parsing"}]})");
    row("create", "POST", "/tasks", R"({"title": "Write docs", "description": "all of them", "priority": "high", "tags": ["d"]})",
        200, R"({"task": {"title": "Write docs", "status": "inbox", "priority": "high", "tags": ["d"],
                 "assignee_ids": [], "blocked_by": [], "blocks": [], "metadata": {}, "started_at": null,
                 "completed_at": null, "task_type": "agent"}})");
    row("create assigned", "POST", "/tasks", R"({"title": "T", "assignee_ids": ["{agent}"]})", 200,
        R"({"task": {"status": "assigned", "assignee_ids": ["{agent}"]}})");
    row("create in project", "POST", "/tasks", R"({"title": "T", "project_id": "{project}"})", 200,
        R"({"task": {"project_id": "{project}"}})");
    row("create in unknown project", "POST", "/tasks", R"({"title": "T", "project_id": "{missing}"})", 404,
        R"({"detail": "Project not found"})");
    row("create missing title", "POST", "/tasks", R"({"priority": "low"})", 422,
        R"({"detail": [{"type": "missing", "loc": ["body", "title"]}]})");
    row("create title too long", "POST", "/tasks", QByteArray(R"({"title": ")" + QByteArray(201, 'x') + R"("})").constData(),
        422, R"({"detail": [{"type": "string_too_long"}]})");
    row("create bad priority", "POST", "/tasks", R"({"title": "T", "priority": "asap"})", 422,
        R"({"detail": [{"type": "enum", "msg": "Input should be 'low', 'medium', 'high' or 'urgent'"}]})");
    row("create tags wrong type", "POST", "/tasks", R"({"title": "T", "tags": [1]})", 422,
        R"({"detail": [{"type": "string_type", "loc": ["body", "tags", 0]}]})");
    row("create two problems", "POST", "/tasks", R"({"title": "", "priority": "x"})", 422,
        R"({"detail": [{"loc": ["body", "title"]}, {"loc": ["body", "priority"]}]})");
    row("get", "GET", "/tasks/{task}", "", 200, R"({"task": {"id": "{task}"}, "messages": []})");
    row("get unknown", "GET", "/tasks/{missing}", "", 404, R"({"detail": "Task not found"})");
    row("patch", "PATCH", "/tasks/{task}", R"({"title": "Renamed", "priority": "urgent", "tags": ["z"]})", 200,
        R"({"task": {"title": "Renamed", "priority": "urgent", "tags": ["z"]}})");
    row("patch bad status", "PATCH", "/tasks/{task}", R"({"status": "finished"})", 422,
        R"({"detail": [{"type": "enum", "loc": ["body", "status"]}]})");
    row("patch unknown", "PATCH", "/tasks/{missing}", R"({"title": "x"})", 404, R"({"detail": "Task not found"})");
    row("delete", "DELETE", "/tasks/{task}", "", 200, R"({"success": true, "message": "Task {task} deleted"})");
    row("delete unknown", "DELETE", "/tasks/{missing}", "", 404, R"({"detail": "Task not found"})");
    row("assign", "POST", "/tasks/{task}/assign", R"({"agent_ids": ["{agent2}"]})", 200,
        R"({"task": {"status": "assigned", "assignee_ids": ["{agent2}"]}})");
    row("assign appends", "POST", "/tasks/{assigned_task}/assign", R"({"agent_ids": ["{agent}", "{agent2}"]})", 200,
        R"({"task": {"assignee_ids": ["{agent}", "{agent2}"]}})");
    row("assign missing ids", "POST", "/tasks/{task}/assign", R"({})", 422, R"({"detail": [{"type": "missing"}]})");
    row("assign unknown agent", "POST", "/tasks/{task}/assign", R"({"agent_ids": ["{missing}"]})", 404,
        R"({"detail": "Agent not found"})");
    row("status", "POST", "/tasks/{task}/status", R"({"status": "review", "agent_id": "{agent}"})", 200,
        R"({"task": {"status": "review"}})");
    row("status invalid", "POST", "/tasks/{task}/status", R"({"status": "nope"})", 400,
        R"({"detail": "Invalid status: nope"})");
    row("status missing", "POST", "/tasks/{task}/status", R"({})", 422, R"({"detail": [{"type": "missing"}]})");
    row("status unknown task", "POST", "/tasks/{missing}/status", R"({"status": "done"})", 404,
        R"({"detail": "Task not found"})");
    row("post message", "POST", "/tasks/{task}/messages", R"({"from_agent_id": "{agent}", "content": "hi @Bob and @bob"})",
        200, R"({"message": {"task_id": "{task}", "content": "hi @Bob and @bob", "mentions": ["bob"], "attachment_ids": []}})");
    row("post message as human", "POST", "/tasks/{task}/messages", R"({"from_agent_id": "human", "content": "from the dashboard"})",
        200, R"({"message": {"from_agent_id": "human", "content": "from the dashboard", "mentions": []}})");
    row("post message without sender", "POST", "/tasks/{task}/messages", R"({"content": "who am I"})", 422,
        R"({"detail": [{"type": "missing", "loc": ["body", "from_agent_id"], "msg": "Field required"}]})");
    row("post empty message", "POST", "/tasks/{task}/messages", R"({"from_agent_id": "human", "content": ""})", 422,
        R"({"detail": [{"type": "string_too_short", "loc": ["body", "content"]}]})");
    row("post message unknown task", "POST", "/tasks/{missing}/messages", R"({"from_agent_id": "human", "content": "x"})", 404,
        R"({"detail": "Task not found"})");
    row("list messages", "GET", "/tasks/{task}/messages", "", 200, R"({"messages": [], "count": 0})");
    row("list messages unknown task", "GET", "/tasks/{missing}/messages", "", 404, R"({"detail": "Task not found"})");
    row("task documents", "GET", "/tasks/{task}/documents", "", 200, R"({"documents": [], "count": 0})");
    row("attach", "POST", "/tasks/{task}/attachments", R"({"document_id": "{doc}"})", 200,
        R"({"document": {"id": "{doc}", "task_id": "{task}"}})");
    row("attach unknown document", "POST", "/tasks/{task}/attachments", R"({"document_id": "{missing}"})", 404,
        R"({"detail": "Document not found"})");
    row("running literal wins", "GET", "/tasks/running", "", 200, R"({"running_tasks": [], "count": 0})");
    row("stop when not running", "POST", "/tasks/{task}/stop", "", 404, R"({"detail": "Task is not currently running"})");
}

void TestApiTasks::filtersAndOrder()
{
    HttpClient &c = m_fixture->client();
    const QString t = m_fixture->id(u"task"_s);
    QCOMPARE(c.patch(api + u"/tasks/"_s + t, {{u"description"_s, u"touched"_s}}).status, 200);
    const QJsonArray tasks = c.get(api + u"/tasks"_s).object().value(u"tasks"_s).toArray();
    QCOMPARE(tasks.first().toObject().value(u"id"_s).toString(), t);   // newest update first
    const QJsonObject limited = c.get(api + u"/tasks?limit=1"_s).object();
    QCOMPARE(limited.value(u"tasks"_s).toArray().size(), 1);
    QCOMPARE(limited.value(u"count"_s).toInt(), 2);
    QCOMPARE(c.get(api + u"/tasks?limit=0"_s).object().value(u"tasks"_s).toArray().size(), 0);
}

void TestApiTasks::limitIsCappedAndCursorWalksEverything()
{
    HttpClient &c = m_fixture->client();
    mc::Store &store = m_fixture->server().app().store();
    store.write([&] {
        for (int i = 0; i < 1100; ++i)
            store.tasks().create({{u"title"_s, u"bulk %1"_s.arg(i)}, {u"tags"_s, QJsonArray{u"bulk"_s}}});
    });
    // A limit above the cap is answered with the cap's worth, count still all.
    const QJsonObject big = c.get(api + u"/tasks?limit=100000"_s).object();
    QCOMPARE(big.value(u"tasks"_s).toArray().size(), 1000);
    QCOMPARE(big.value(u"count"_s).toInt(), 1102);
    QVERIFY(!big.contains(u"next_cursor"_s));   // part A's shape without `after`
    // A walk with `after` sees every task once, while tasks are created.
    QSet<QString> seen;
    int pages = 0;
    QString path = api + u"/tasks?tags=bulk&limit=300&after="_s;
    for (;;) {
        const HttpResponse r = c.get(path);
        QCOMPARE(r.status, 200);
        const QJsonObject page = r.object();
        QCOMPARE(page.value(u"count"_s).toInt(), 1100 + pages);
        for (const QJsonValue &t : page.value(u"tasks"_s).toArray()) {
            const QString id = t.toObject().value(u"id"_s).toString();
            QVERIFY2(!seen.contains(id), "a task was listed twice");
            seen.insert(id);
        }
        QVERIFY(page.contains(u"next_cursor"_s));
        QCOMPARE(c.post(api + u"/tasks"_s, {{u"title"_s, u"during"_s}, {u"tags"_s, QJsonArray{u"bulk"_s}}}).status, 200);
        ++pages;
        if (page.value(u"next_cursor"_s).isNull() || pages > 10)
            break;
        path = api + u"/tasks?tags=bulk&limit=300&after="_s + page.value(u"next_cursor"_s).toString();
    }
    QCOMPARE(pages, 4);
    QCOMPARE(seen.size(), 1100);
    const HttpResponse bad = c.get(api + u"/tasks?after=not-a-cursor"_s);
    QCOMPARE(bad.status, 422);
    QCOMPARE(bad.object().value(u"detail"_s).toArray().first().toObject().value(u"loc"_s).toArray().last().toString(),
             u"after"_s);
}

void TestApiTasks::severalTagsListAndCountEachTaskOnce()
{
    HttpClient &c = m_fixture->client();
    // Overlapping tags: a task with two or three of the asked tags counts once.
    const QList<QStringList> tagSets{{u"ov-a"_s}, {u"ov-b"_s}, {u"ov-a"_s, u"ov-b"_s}, {u"ov-a"_s, u"ov-b"_s, u"ov-c"_s},
                                     {u"ov-c"_s}, {u"ov-c"_s, u"ov-d"_s}, {}, {u"ov-b"_s, u"ov-a"_s}};
    QStringList ids;
    for (const QStringList &tags : tagSets) {
        ids.append(c.post(api + u"/tasks"_s, {{u"title"_s, u"overlap"_s}, {u"tags"_s, QJsonArray::fromStringList(tags)}})
                           .object().value(u"task"_s).toObject().value(u"id"_s).toString());
    }
    const auto listed = [&](const QString &query) {
        const QJsonObject answer = c.get(api + u"/tasks?"_s + query).object();
        QStringList out;
        for (const QJsonValue &t : answer.value(u"tasks"_s).toArray())
            out.append(t.toObject().value(u"id"_s).toString());
        return std::pair{out, answer.value(u"count"_s).toInt()};
    };
    // Newest update first: created last, listed first.
    QCOMPARE(listed(u"tags=ov-a,ov-b"_s), std::pair(QStringList{ids.at(7), ids.at(3), ids.at(2), ids.at(1), ids.at(0)}, 5));
    QCOMPARE(listed(u"tags=ov-a,ov-b&limit=2"_s), std::pair(QStringList{ids.at(7), ids.at(3)}, 5));
    QCOMPARE(listed(u"tags=ov-a,ov-b,ov-c,ov-d,ov-none&limit=0"_s).second, 7);
    QCOMPARE(listed(u"tags=ov-c,ov-d,ov-c"_s), std::pair(QStringList{ids.at(5), ids.at(4), ids.at(3)}, 3));
    // Tags changed and a task deleted: the counts follow.
    QCOMPARE(c.patch(api + u"/tasks/"_s + ids.at(3), {{u"tags"_s, QJsonArray{u"ov-d"_s}}}).status, 200);
    QCOMPARE(c.patch(api + u"/tasks/"_s + ids.at(6), {{u"tags"_s, QJsonArray{u"ov-a"_s, u"ov-d"_s}}}).status, 200);
    QCOMPARE(c.del(api + u"/tasks/"_s + ids.at(7)).status, 200);
    QCOMPARE(listed(u"tags=ov-a,ov-b"_s), std::pair(QStringList{ids.at(6), ids.at(2), ids.at(1), ids.at(0)}, 4));
    QCOMPARE(listed(u"tags=ov-a,ov-d&limit=1"_s), std::pair(QStringList{ids.at(6)}, 5));
    // More than 100 tags is refused, naming the parameter.
    QStringList many;
    for (int i = 0; i < 101; ++i)
        many.append(u"x%1"_s.arg(i));
    const HttpResponse tooMany = c.get(api + u"/tasks?tags="_s + many.join(u','));
    QCOMPARE(tooMany.status, 422);
    QCOMPARE(tooMany.object().value(u"detail"_s).toArray().first().toObject().value(u"loc"_s).toArray().last().toString(),
             u"tags"_s);
}

void TestApiTasks::runOutputIsCappedAndWalkedBySeq()
{
    HttpClient &c = m_fixture->client();
    mc::Store &store = m_fixture->server().app().store();
    const QString taskId = m_fixture->id(u"task"_s);
    const QString runId = store.runs().create(taskId, m_fixture->id(u"agent"_s)).value(u"id"_s).toString();
    QList<mc::OutputChunk> chunks;
    for (int seq = 1; seq <= 2500; ++seq)
        chunks.append({runId, taskId, seq, u"message"_s, u"line %1"_s.arg(seq), mc::isoFromMicros(1764000000000000 + seq)});
    store.runs().appendOutput(chunks);
    store.runs().finish(runId, u"completed"_s, QJsonValue(), {});
    // A limit above the cap is answered with the cap's worth; count is every chunk after after_seq.
    const QJsonObject big = c.get(api + u"/runs/"_s + runId + u"/output?limit=100000"_s).object();
    QCOMPARE(big.value(u"chunks"_s).toArray().size(), 1000);
    QCOMPARE(big.value(u"count"_s).toInt(), 2500);
    // after_seq walks the whole output, each chunk once, in order.
    qint64 after = 0;
    int pages = 0;
    for (; pages < 10; ++pages) {
        const QJsonObject page = c.get(api + u"/runs/"_s + runId + u"/output?limit=5000&after_seq="_s + QString::number(after)).object();
        QCOMPARE(page.value(u"count"_s).toInteger(), 2500 - after);
        const QJsonArray items = page.value(u"chunks"_s).toArray();
        if (items.isEmpty())
            break;
        for (const QJsonValue &v : items) {
            QCOMPARE(v.toObject().value(u"seq"_s).toInteger(), after + 1);
            QCOMPARE(v.toObject().value(u"content"_s).toString(), u"line %1"_s.arg(after + 1));
            ++after;
        }
    }
    QCOMPARE(pages, 3);
    QCOMPARE(after, 2500);
    // A task's runs: capped the same way, count is all of them.
    const QJsonObject runs = c.get(api + u"/tasks/"_s + taskId + u"/runs?limit=0"_s).object();
    QCOMPARE(runs.value(u"runs"_s).toArray().size(), 0);
    QVERIFY(runs.value(u"count"_s).toInt() >= 1);
    QCOMPARE(c.get(api + u"/tasks/"_s + taskId + u"/runs?limit=100000"_s).object().value(u"runs"_s).toArray().size(),
             runs.value(u"count"_s).toInt());
}

void TestApiTasks::statusTimestampsAreSetOnce()
{
    HttpClient &c = m_fixture->client();
    const QString t = m_fixture->id(u"task"_s);
    c.post(api + u"/tasks/"_s + t + u"/status"_s, {{u"status"_s, u"in_progress"_s}});
    const QString started = task(t).value(u"started_at"_s).toString();
    QVERIFY(!started.isEmpty());
    c.patch(api + u"/tasks/"_s + t, {{u"status"_s, u"review"_s}});
    c.patch(api + u"/tasks/"_s + t, {{u"status"_s, u"in_progress"_s}});
    QCOMPARE(task(t).value(u"started_at"_s).toString(), started);
    c.post(api + u"/tasks/"_s + t + u"/status"_s, {{u"status"_s, u"done"_s}});
    const QString completed = task(t).value(u"completed_at"_s).toString();
    QVERIFY(!completed.isEmpty());
    c.post(api + u"/tasks/"_s + t + u"/status"_s, {{u"status"_s, u"review"_s}});
    c.post(api + u"/tasks/"_s + t + u"/status"_s, {{u"status"_s, u"done"_s}});
    QCOMPARE(task(t).value(u"completed_at"_s).toString(), completed);
    const QJsonArray feed = c.get(api + u"/activity?task_id="_s + t).object().value(u"activities"_s).toArray();
    QCOMPARE(feed.first().toObject().value(u"type"_s).toString(), u"task_completed"_s);
    QCOMPARE(feed.at(1).toObject().value(u"type"_s).toString(), u"task_updated"_s);
}

void TestApiTasks::assignNotifiesNewAssigneesOnly()
{
    HttpClient &c = m_fixture->client();
    const QString ada = m_fixture->id(u"agent"_s);
    const QString bob = m_fixture->id(u"agent2"_s);
    QCOMPARE(notificationsFor(ada, u"task_assigned"_s), 1);   // assigned at creation
    c.post(api + u"/tasks/"_s + m_fixture->id(u"assigned_task"_s) + u"/assign"_s, {{u"agent_ids"_s, QJsonArray{ada, bob}}});
    QCOMPARE(notificationsFor(ada, u"task_assigned"_s), 1);
    QCOMPARE(notificationsFor(bob, u"task_assigned"_s), 1);
}

void TestApiTasks::mentionsNotify()
{
    HttpClient &c = m_fixture->client();
    const QString ada = m_fixture->id(u"agent"_s);
    const QString bob = m_fixture->id(u"agent2"_s);
    const QString t = m_fixture->id(u"task"_s);
    c.post(api + u"/tasks/"_s + t + u"/messages"_s, {{u"from_agent_id"_s, ada}, {u"content"_s, u"ping @BOB"_s}});
    QCOMPARE(notificationsFor(bob, u"mention"_s), 1);
    QCOMPARE(notificationsFor(ada, u"mention"_s), 0);
    c.post(api + u"/tasks/"_s + t + u"/messages"_s, {{u"from_agent_id"_s, ada}, {u"content"_s, u"hello @all"_s}});
    QCOMPARE(notificationsFor(bob, u"mention"_s), 2);
    QCOMPARE(notificationsFor(ada, u"mention"_s), 0);   // never the sender
    const QJsonObject thread = c.get(api + u"/tasks/"_s + t + u"/messages"_s).object();
    QCOMPARE(thread.value(u"count"_s).toInt(), 2);
    QCOMPARE(thread.value(u"messages"_s).toArray().first().toObject().value(u"content"_s).toString(), u"ping @BOB"_s);
    QCOMPARE(c.get(api + u"/tasks/"_s + t).object().value(u"messages"_s).toArray().size(), 2);
}

void TestApiTasks::failedWriteChangesNothing()
{
    HttpClient &c = m_fixture->client();
    const int activitiesBefore = c.get(api + u"/stats"_s).object().value(u"stats"_s).toObject()
                                         .value(u"activities"_s).toObject().value(u"total"_s).toInt();
    // The second assignee does not exist: the whole request is refused, nothing half-done.
    const HttpResponse r = c.post(api + u"/tasks"_s, {{u"title"_s, u"half"_s},
                                                       {u"assignee_ids"_s, QJsonArray{m_fixture->id(u"agent"_s), m_fixture->id(u"missing"_s)}}});
    QCOMPARE(r.status, 404);
    QCOMPARE(c.get(api + u"/tasks"_s).object().value(u"count"_s).toInt(), 2);
    QCOMPARE(c.get(api + u"/stats"_s).object().value(u"stats"_s).toObject()
                     .value(u"activities"_s).toObject().value(u"total"_s).toInt(), activitiesBefore);
    QCOMPARE(c.patch(api + u"/tasks/"_s + m_fixture->id(u"task"_s), {{u"status"_s, u"bogus"_s}}).status, 422);
    QCOMPARE(task(m_fixture->id(u"task"_s)).value(u"status"_s).toString(), u"inbox"_s);
}

void TestApiTasks::listSerialisesEveryCharacter()
{
    // GET /tasks writes JSON directly from the rows: it must agree with GET /tasks/{id}.
    HttpClient &c = m_fixture->client();
    const QString title = u"quote \" backslash \\ newline \n tab \t bell \u0007 é 漢字 🚀 </script>"_s;
    const QString id = c.createTask({{u"title"_s, title}, {u"description"_s, u"line1\r\nline2"_s},
                                     {u"metadata"_s, QJsonObject{{u"k"_s, QJsonArray{1, u"x"_s, true}}}},
                                     {u"estimated_minutes"_s, 42}});
    const HttpResponse list = c.get(api + u"/tasks?limit=1"_s);
    QVERIFY2(list.json.isObject(), list.body.constData());
    const QJsonObject fromList = list.object().value(u"tasks"_s).toArray().first().toObject();
    const QJsonObject single = c.get(api + u"/tasks/"_s + id).object().value(u"task"_s).toObject();
    QCOMPARE(fromList, single);
    QCOMPARE(fromList.value(u"title"_s).toString(), title);
    QCOMPARE(fromList.value(u"estimated_minutes"_s).toInt(), 42);
}

void TestApiTasks::optionalStringsAreEmptyNotNull()
{
    // PocketPaw's models default optional strings to "", never null.
    HttpClient &c = m_fixture->client();
    const QString id = c.createTask({{u"title"_s, u"No description"_s}});
    const QJsonObject t = task(id);
    QCOMPARE(t.value(u"description"_s), QJsonValue(u""_s));
    QCOMPARE(t.value(u"active_description"_s), QJsonValue(u""_s));
    QCOMPARE(t.value(u"task_type"_s), QJsonValue(u"agent"_s));
    const QJsonObject listed = c.get(api + u"/tasks?limit=1"_s).object().value(u"tasks"_s).toArray().first().toObject();
    QCOMPARE(listed, t);
    const QJsonObject agent = c.get(api + u"/agents/"_s + m_fixture->id(u"agent"_s)).object().value(u"agent"_s).toObject();
    QCOMPARE(agent.value(u"description"_s), QJsonValue(u""_s));
    QCOMPARE(c.patch(api + u"/tasks/"_s + id, {{u"description"_s, QJsonValue()}}).object().value(u"task"_s).toObject()
                     .value(u"description"_s), QJsonValue(u""_s));
}

void TestApiTasks::runEndsAreWordedAsPocketPaw()
{
    HttpClient &c = m_fixture->client();
    const QString failing = agentRunning(u"Breaker"_s, {u"sh"_s, u"-c"_s, u"echo boom >&2; exit 3"_s});
    const QString t1 = c.createTask({{u"title"_s, u"Break it"_s}});
    QVERIFY(!runToEnd(t1, failing).isEmpty());
    QCOMPARE(latestActivity(t1), u"Breaker encountered an error on 'Break it': Agent exited with code 3: boom"_s);

    const QString sleeper = agentRunning(u"Sleeper"_s, {u"sh"_s, u"-c"_s, u"echo started; exec sleep 30"_s});
    const QString t2 = c.createTask({{u"title"_s, u"Sleep on it"_s}});
    QCOMPARE(c.post(api + u"/tasks/"_s + t2 + u"/run"_s, {{u"agent_id"_s, sleeper}}).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(!c.get(api + u"/tasks/"_s + t2 + u"/runs"_s).object().value(u"runs"_s).toArray().isEmpty(), 10000);
    QCOMPARE(c.post(api + u"/tasks/"_s + t2 + u"/stop"_s).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(c.get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt() == 0, 20000);
    QCOMPARE(latestActivity(t2), u"Execution stopped for 'Sleep on it'"_s);
}

void TestApiTasks::deliverableHoldsMessagesOnly()
{
    // PocketPaw's test_execute_task_success: message, tool_use, tool_result,
    // message -> the deliverable is the two messages' text and nothing else.
    HttpClient &c = m_fixture->client();
    const QString agent = agentRunning(u"Coder"_s, QJsonArray{QString(qEnvironmentVariable("MC_TEST_AGENTS") + u"/fake-claude"_s), u"ok"_s},
                                       u"claude_code"_s);
    const QString t = c.createTask({{u"title"_s, u"List files"_s}});
    const QString runId = runToEnd(t, agent);
    QVERIFY(!runId.isEmpty());
    QCOMPARE(task(t).value(u"status"_s).toString(), u"done"_s);
    QStringList messages;
    QStringList tools;
    for (const QJsonValue &v : c.get(api + u"/runs/"_s + runId + u"/output"_s).object().value(u"chunks"_s).toArray()) {
        const QJsonObject chunk = v.toObject();
        (chunk.value(u"output_type"_s) == u"message"_s ? messages : tools).append(chunk.value(u"content"_s).toString());
    }
    QCOMPARE(tools.size(), 2);   // the tool_use and the tool_result
    QCOMPARE(messages.size(), 2);
    const QJsonArray docs = c.get(api + u"/tasks/"_s + t + u"/documents"_s).object().value(u"documents"_s).toArray();
    QCOMPARE(docs.size(), 1);
    const QString deliverable = docs.first().toObject().value(u"content"_s).toString();
    // The two messages in order, with at most a paragraph break between them, and nothing else.
    QVERIFY2(deliverable.startsWith(messages.first()), qPrintable(deliverable));
    QVERIFY2(deliverable.endsWith(messages.last()), qPrintable(deliverable));
    QVERIFY2(deliverable.size() <= messages.first().size() + 2 + messages.last().size(), qPrintable(deliverable));
    QVERIFY(deliverable.contains(u"I will list the files."_s));
    for (const QString &tool : std::as_const(tools))
        QVERIFY2(!deliverable.contains(tool), qPrintable(tool));
    QCOMPARE(latestActivity(t), u"Deliverable saved for 'List files'"_s);
}

void TestApiTasks::errorsAreSanitised()
{
    // A path becomes [path], a key's value [redacted], a URL stays readable.
    HttpClient &c = m_fixture->client();
    const QString agent = agentRunning(u"Leaky"_s, {u"sh"_s, u"-c"_s,
            u"echo 'cannot read /home/alice/.config/app/secrets.json for http://127.0.0.1:18083/v1/messages api_key=sk-abcdefghijklmnop' >&2; exit 1"_s});
    const QString t = c.createTask({{u"title"_s, u"Leak"_s}});
    const QString runId = runToEnd(t, agent);
    QVERIFY(!runId.isEmpty());
    const QString error = c.get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject().value(u"error"_s).toString();
    QCOMPARE(error, u"Agent exited with code 1: cannot read [path] for http://127.0.0.1:18083/v1/messages api_key=[redacted]"_s);
    QVERIFY(latestActivity(t).endsWith(error));
}

QTEST_MAIN(TestApiTasks)
#include "tst_api_tasks.moc"
