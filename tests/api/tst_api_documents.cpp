// Documents: create, filter, version increments, delete.

#include "apicase.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

using namespace mc::test;

class TestApiDocuments : public ApiTestCase
{
    Q_OBJECT

private Q_SLOTS:
    void routes_data();
    void routes() { runApiCase(*m_fixture); }
    void versionIncrementsByOne();

};

void TestApiDocuments::routes_data()
{
    addApiColumns();
    const auto row = addApiRow;
    row("list", "GET", "/documents", "", 200, R"({"count": 1, "documents": [{"id": "{doc}", "version": 1}]})");
    row("list by type", "GET", "/documents?type=deliverable", "", 200, R"({"count": 0})");
    row("list bad type", "GET", "/documents?type=poem", "", 422, R"({"detail": [{"type": "enum", "loc": ["query", "type"]}]})");
    row("create", "POST", "/documents",
        R"({"title": "Plan", "content": "# Plan", "type": "protocol", "task_id": "{task}", "tags": ["p", "p"], "author_id": "{agent}"})",
        200, R"({"document": {"title": "Plan", "content": "# Plan", "type": "protocol", "task_id": "{task}",
                 "tags": ["p"], "version": 1, "author_id": "{agent}", "metadata": {}}})");
    row("create default type", "POST", "/documents", R"({"title": "D", "content": ""})", 200, R"({"document": {"type": "draft"}})");
    row("create missing content", "POST", "/documents", R"({"title": "D"})", 422,
        R"({"detail": [{"type": "missing", "loc": ["body", "content"]}]})");
    row("create bad type", "POST", "/documents", R"({"title": "D", "content": "x", "type": "memo"})", 422,
        R"({"detail": [{"type": "enum"}]})");
    row("create for unknown task", "POST", "/documents", R"({"title": "D", "content": "x", "task_id": "{missing}"})", 404,
        R"({"detail": "Task not found"})");
    row("get", "GET", "/documents/{doc}", "", 200, R"({"document": {"id": "{doc}", "title": "Spec"}})");
    row("get unknown", "GET", "/documents/{missing}", "", 404, R"({"detail": "Document not found"})");
    row("patch", "PATCH", "/documents/{doc}", R"({"content": "v2", "editor_id": "{agent}"})", 200,
        R"({"document": {"content": "v2", "version": 2}})");
    row("patch without content", "PATCH", "/documents/{doc}", R"({"editor_id": "x"})", 422,
        R"({"detail": [{"type": "missing", "loc": ["body", "content"]}]})");
    row("patch unknown", "PATCH", "/documents/{missing}", R"({"content": "x"})", 404, R"({"detail": "Document not found"})");
    row("delete", "DELETE", "/documents/{doc}", "", 200, R"({"success": true})");
    row("delete unknown", "DELETE", "/documents/{missing}", "", 404, R"({"detail": "Document not found"})");
}

void TestApiDocuments::versionIncrementsByOne()
{
    HttpClient &c = m_fixture->client();
    const QString doc = m_fixture->id(u"doc"_s);
    for (int v = 2; v <= 4; ++v) {
        const QJsonObject d = c.patch(api + u"/documents/"_s + doc, {{u"content"_s, u"v%1"_s.arg(v)}})
                                      .object().value(u"document"_s).toObject();
        QCOMPARE(d.value(u"version"_s).toInt(), v);
    }
    const QJsonArray feed = c.get(api + u"/activity"_s).object().value(u"activities"_s).toArray();
    QCOMPARE(feed.first().toObject().value(u"type"_s).toString(), u"document_updated"_s);
    QCOMPARE(feed.first().toObject().value(u"document_id"_s).toString(), doc);
}

QTEST_MAIN(TestApiDocuments)
#include "tst_api_documents.moc"
