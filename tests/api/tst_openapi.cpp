// The OpenAPI document comes from the route table: every route is in it, and
// each body's documented required fields are exactly what the server rejects
// when missing.

#include "httpclient.h"
#include "router.h"
#include "testserver.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace mc::test;

class TestOpenApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_server = std::make_unique<TestServer>(); }
    void cleanupTestCase() { m_server.reset(); }
    void documentListsEveryRoute();
    void requiredFieldsMatchValidation();
    void needsToken();

private:
    QJsonObject document()
    {
        HttpClient c(m_server->base(), m_server->token());
        const HttpResponse r = c.get(api + u"/openapi.json"_s);
        return r.object();
    }
    std::unique_ptr<TestServer> m_server;
};

void TestOpenApi::documentListsEveryRoute()
{
    const QJsonObject doc = document();
    QCOMPARE(doc.value(u"openapi"_s).toString().left(2), u"3."_s);
    const QJsonObject paths = doc.value(u"paths"_s).toObject();
    int operations = 0;
    for (const mc::Route &route : m_server->app().router().routes()) {
        const QString path = QString(mc::Router::prefix) + route.path;
        const QJsonObject op = paths.value(path).toObject().value(QString::fromLatin1(route.method).toLower()).toObject();
        QVERIFY2(!op.isEmpty(), qPrintable(QString::fromLatin1(route.method) + u" "_s + path));
        QVERIFY(op.value(u"responses"_s).toObject().contains(u"200"_s));
        ++operations;
    }
    QVERIFY(operations >= 40);
    int documented = 0;
    for (const QJsonValue &item : paths)
        documented += int(item.toObject().size());
    QCOMPARE(documented, operations);
    for (const char *p : {"/tasks/{task_id}/run", "/tasks/running", "/agents", "/projects/{project_id}/approve",
                          "/agents/{agent_id}/usage", "/queue", "/queue/{task_id}"})
        QVERIFY2(paths.contains(QString(mc::Router::prefix) + QString::fromLatin1(p)), p);
    // Queueing a run answers 202 (part B).
    QVERIFY(paths.value(QString(mc::Router::prefix) + u"/tasks/{task_id}/run"_s).toObject().value(u"post"_s).toObject()
                    .value(u"responses"_s).toObject().contains(u"202"_s));
}

void TestOpenApi::requiredFieldsMatchValidation()
{
    const QJsonObject paths = document().value(u"paths"_s).toObject();
    HttpClient c(m_server->base(), m_server->token());
    int checked = 0;
    for (auto p = paths.begin(); p != paths.end(); ++p) {
        const QJsonObject item = p.value().toObject();
        for (auto m = item.begin(); m != item.end(); ++m) {
            const QJsonObject body = m.value().toObject().value(u"requestBody"_s).toObject();
            if (body.isEmpty())
                continue;
            const QJsonObject schema = body.value(u"content"_s).toObject().value(u"application/json"_s).toObject()
                                               .value(u"schema"_s).toObject();
            QSet<QString> documented;
            for (const QJsonValue &r : schema.value(u"required"_s).toArray())
                documented.insert(r.toString());
            QString path = p.key();
            path.replace(QRegularExpression(uR"(\{\w+\})"_s), u"00000000-0000-4000-8000-000000000000"_s);
            const HttpResponse r = c.request(m.key().toUpper().toLatin1(), path, "{}");
            QSet<QString> rejected;
            for (const QJsonValue &e : r.object().value(u"detail"_s).toArray()) {
                const QJsonObject entry = e.toObject();
                if (entry.value(u"type"_s).toString() == u"missing"_s)
                    rejected.insert(entry.value(u"loc"_s).toArray().at(1).toString());
            }
            if (documented.isEmpty())
                QVERIFY2(r.status != 422, qPrintable(m.key() + u" "_s + p.key()));
            QVERIFY2(rejected == documented, qPrintable(m.key() + u" "_s + p.key() + u": "_s + QString::fromUtf8(r.body)));
            ++checked;
        }
    }
    QCOMPARE(checked, 13);   // every route with a body
}

void TestOpenApi::needsToken()
{
    HttpClient c(m_server->base(), {});
    QCOMPARE(c.get(api + u"/openapi.json"_s).status, 401);
}

QTEST_MAIN(TestOpenApi)
#include "tst_openapi.moc"
