// Projects: working folder, file count, progress, transitions, cascade delete.

#include "apicase.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

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
    const QString p = m_fixture->id(u"project"_qs);
    const QJsonObject project = c.get(api + u"/projects/"_qs + p).object().value(u"project"_qs).toObject();
    const QString folder = project.value(u"folder_path"_qs).toString();
    QVERIFY(QDir(folder).exists());
    QVERIFY(folder.startsWith(m_fixture->server().dataDir()));
    QFile f(folder + u"/notes.txt"_qs);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
    f.close();

    const QString t1 = c.createTask({{u"title"_qs, u"one"_qs}, {u"project_id"_qs, p}});
    const QString t2 = c.createTask({{u"title"_qs, u"two"_qs}, {u"project_id"_qs, p}});
    const QString t3 = c.createTask({{u"title"_qs, u"three"_qs}, {u"project_id"_qs, p}, {u"task_type"_qs, u"human"_qs}});
    c.post(api + u"/tasks/"_qs + t1 + u"/status"_qs, {{u"status"_qs, u"done"_qs}});
    c.post(api + u"/tasks/"_qs + t2 + u"/status"_qs, {{u"status"_qs, u"in_progress"_qs}});
    const QJsonObject details = c.get(api + u"/projects/"_qs + p).object();
    QCOMPARE(details.value(u"project"_qs).toObject().value(u"task_ids"_qs).toArray(), (QJsonArray{t1, t2, t3}));
    QCOMPARE(details.value(u"project"_qs).toObject().value(u"file_count"_qs).toInt(), 1);
    const QJsonObject progress = details.value(u"progress"_qs).toObject();
    QCOMPARE(progress.value(u"total"_qs).toInt(), 3);
    QCOMPARE(progress.value(u"completed"_qs).toInt(), 1);
    QCOMPARE(progress.value(u"in_progress"_qs).toInt(), 1);
    QCOMPARE(progress.value(u"human_pending"_qs).toInt(), 1);
    QCOMPARE(qRound(progress.value(u"percent"_qs).toDouble()), 33);

    QCOMPARE(c.del(api + u"/projects/"_qs + p).status, 200);
    for (const QString &t : {t1, t2, t3})
        QCOMPARE(c.get(api + u"/tasks/"_qs + t).status, 404);
    QCOMPARE(c.get(api + u"/tasks"_qs).object().value(u"count"_qs).toInt(), 2);   // the fixture's own tasks stay
}

QTEST_MAIN(TestApiProjects)
#include "tst_api_projects.moc"
