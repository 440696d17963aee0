// Projects: working folder, file count, progress, transitions, cascade delete.

#include "apicase.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

using namespace Qt::StringLiterals;

using namespace mc::test;

class TestApiProjects : public ApiTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void routes_data();
    void routes() { runApiCase(*m_fixture); }
    void folderProgressAndCascade();

};

void TestApiProjects::routes_data()
{
    addApiColumns();
    const auto row = addApiRow;
    row("list", "GET", "/projects", "", 200, R"({"count": 1, "projects": [{"id": "{project}", "file_count": 0, "task_ids": []}]})");
    row("list by status", "GET", "/projects?status=draft", "", 200, R"({"count": 1})");
    row("list bad status", "GET", "/projects?status=dreaming", "", 422, R"({"detail": [{"type": "enum"}]})");
    row("create", "POST", "/projects", R"({"title": "Gemini", "description": "d", "tags": ["space"]})", 200,
        R"({"project": {"title": "Gemini", "status": "draft", "creator_id": "human", "tags": ["space"],
            "team_agent_ids": [], "task_ids": [], "file_count": 0, "metadata": {}}})");
    row("create without description", "POST", "/projects", R"({"title": "Mercury"})", 200,
        R"({"project": {"title": "Mercury", "description": "", "creator_id": "human", "planner_agent_id": null}})");
    row("get without description", "GET", "/projects/{project}", "", 200, R"({"project": {"description": ""}})");
    row("list without description", "GET", "/projects", "", 200, R"({"projects": [{"description": ""}]})");
    row("create missing title", "POST", "/projects", R"({})", 422, R"({"detail": [{"type": "missing"}]})");
    row("get", "GET", "/projects/{project}", "", 200,
        R"({"project": {"id": "{project}"}, "tasks": [], "progress": {"total": 0, "completed": 0, "percent": 0}})");
    row("get unknown", "GET", "/projects/{missing}", "", 404, R"({"detail": "Project not found"})");
    row("patch", "PATCH", "/projects/{project}", R"({"title": "Apollo 11", "status": "planning"})", 200,
        R"({"project": {"title": "Apollo 11", "status": "planning"}})");
    row("patch bad status", "PATCH", "/projects/{project}", R"({"status": "launched"})", 422, R"({"detail": [{"type": "enum"}]})");
    row("approve", "POST", "/projects/{project}/approve", "", 200, R"({"project": {"status": "approved"}})");
    row("pause", "POST", "/projects/{project}/pause", "", 200, R"({"project": {"status": "paused"}})");
    row("resume", "POST", "/projects/{project}/resume", "", 200, R"({"project": {"status": "executing"}})");
    row("approve unknown", "POST", "/projects/{missing}/approve", "", 404, R"({"detail": "Project not found"})");
    row("delete", "DELETE", "/projects/{project}", "", 200, R"({"success": true})");
    row("delete unknown", "DELETE", "/projects/{missing}", "", 404, R"({"detail": "Project not found"})");
}

void TestApiProjects::folderProgressAndCascade()
{
    HttpClient &c = m_fixture->client();
    const QString p = m_fixture->id(u"project"_s);
    const QJsonObject project = c.get(api + u"/projects/"_s + p).object().value(u"project"_s).toObject();
    const QString folder = project.value(u"folder_path"_s).toString();
    QVERIFY(QDir(folder).exists());
    QVERIFY(folder.startsWith(m_fixture->server().dataDir()));
    QFile f(folder + u"/notes.txt"_s);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
    f.close();

    const QString t1 = c.createTask({{u"title"_s, u"one"_s}, {u"project_id"_s, p}});
    const QString t2 = c.createTask({{u"title"_s, u"two"_s}, {u"project_id"_s, p}});
    const QString t3 = c.createTask({{u"title"_s, u"three"_s}, {u"project_id"_s, p}, {u"task_type"_s, u"human"_s}});
    c.post(api + u"/tasks/"_s + t1 + u"/status"_s, {{u"status"_s, u"done"_s}});
    c.post(api + u"/tasks/"_s + t2 + u"/status"_s, {{u"status"_s, u"in_progress"_s}});
    const QJsonObject details = c.get(api + u"/projects/"_s + p).object();
    QCOMPARE(details.value(u"project"_s).toObject().value(u"task_ids"_s).toArray(), (QJsonArray{t1, t2, t3}));
    QCOMPARE(details.value(u"project"_s).toObject().value(u"file_count"_s).toInt(), 1);
    const QJsonObject progress = details.value(u"progress"_s).toObject();
    QCOMPARE(progress.value(u"total"_s).toInt(), 3);
    QCOMPARE(progress.value(u"completed"_s).toInt(), 1);
    QCOMPARE(progress.value(u"in_progress"_s).toInt(), 1);
    QCOMPARE(progress.value(u"human_pending"_s).toInt(), 1);
    QCOMPARE(qRound(progress.value(u"percent"_s).toDouble()), 33);

    QCOMPARE(c.del(api + u"/projects/"_s + p).status, 200);
    for (const QString &t : {t1, t2, t3})
        QCOMPARE(c.get(api + u"/tasks/"_s + t).status, 404);
    QCOMPARE(c.get(api + u"/tasks"_s).object().value(u"count"_s).toInt(), 2);   // the fixture's own tasks stay
}

QTEST_MAIN(TestApiProjects)
#include "tst_api_projects.moc"
