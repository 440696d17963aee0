// Authentication on REST and /ws, and the FastAPI-shaped error bodies.

#include "httpclient.h"
#include "rawhttp.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QTest>

using namespace mc::test;

class TestServerBasics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_server = std::make_unique<TestServer>(); }
    void cleanupTestCase() { m_server.reset(); }

    void restAuth_data();
    void restAuth();
    void errors_data();
    void errors();
    void webSocketAuth_data();
    void webSocketAuth();
    void tokenFileIsOwnerOnly();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestServerBasics::restAuth_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<bool>("tokenInQuery");
    QTest::addColumn<int>("status");

    const QString health = api + u"/health"_qs;
    QTest::newRow("no token") << health << QByteArray() << false << 401;
    QTest::newRow("wrong token") << health << QByteArray("Bearer nope") << false << 401;
    QTest::newRow("token prefix only") << health << QByteArray("Bearer TOKEN-PREFIX") << false << 401;
    QTest::newRow("basic scheme") << health << QByteArray("Basic TOKEN") << false << 401;
    QTest::newRow("bearer") << health << QByteArray("Bearer TOKEN") << false << 200;
    QTest::newRow("bearer lowercase scheme") << health << QByteArray("bearer TOKEN") << false << 200;
    QTest::newRow("query token") << health << QByteArray() << true << 200;
    QTest::newRow("unknown api route without token") << u"/api/mission-control/nothing"_qs << QByteArray() << false << 401;
    QTest::newRow("tasks without token") << u"/api/mission-control/tasks"_qs << QByteArray() << false << 401;
}

void TestServerBasics::restAuth()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, authorization);
    QFETCH(bool, tokenInQuery);
    QFETCH(int, status);
    const QByteArray token = m_server->token().toUtf8();
    authorization.replace("TOKEN-PREFIX", token.left(10));
    authorization.replace("TOKEN", token);
    if (tokenInQuery)
        path += u"?token="_qs + m_server->token();
    HttpClient client(m_server->base(), {});
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    const HttpResponse r = client.request("GET", path, {}, headers);
    QCOMPARE(r.status, status);
    if (status == 401)
        QCOMPARE(r.body, QByteArray(R"({"detail":"Unauthorized"})"));
    else
        QCOMPARE(r.object().value(u"status"_qs).toString(), u"ok"_qs);
}

void TestServerBasics::errors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("exactBody");     // empty: check detailType instead
    QTest::addColumn<QString>("detailType");

    QTest::newRow("unknown route") << QByteArray("GET") << api + u"/nope"_qs << QByteArray() << 404
                                   << QByteArray(R"({"detail":"Not Found"})") << QString();
    QTest::newRow("unknown nested route") << QByteArray("GET") << api + u"/tasks/x/y/z"_qs << QByteArray() << 404
                                          << QByteArray(R"({"detail":"Not Found"})") << QString();
    QTest::newRow("wrong method") << QByteArray("PUT") << api + u"/tasks"_qs << QByteArray() << 405
                                  << QByteArray(R"({"detail":"Method Not Allowed"})") << QString();
    QTest::newRow("wrong method on item") << QByteArray("POST") << api + u"/agents/abc"_qs << QByteArray() << 405
                                          << QByteArray(R"({"detail":"Method Not Allowed"})") << QString();
    QTest::newRow("malformed json") << QByteArray("POST") << api + u"/tasks"_qs << QByteArray("{\"title\": ") << 422
                                    << QByteArray() << u"json_invalid"_qs;
    QTest::newRow("body is a list") << QByteArray("POST") << api + u"/tasks"_qs << QByteArray("[1,2]") << 422
                                    << QByteArray() << u"model_attributes_type"_qs;
    QTest::newRow("empty body") << QByteArray("POST") << api + u"/tasks"_qs << QByteArray() << 422 << QByteArray()
                                << u"missing"_qs;
    QTest::newRow("unknown task") << QByteArray("GET") << api + u"/tasks/00000000-0000-4000-8000-000000000000"_qs
                                  << QByteArray() << 404 << QByteArray(R"({"detail":"Task not found"})") << QString();
}

void TestServerBasics::errors()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, exactBody);
    QFETCH(QString, detailType);
    HttpClient client(m_server->base(), m_server->token());
    const HttpResponse r = client.request(method, path, body);
    QCOMPARE(r.status, status);
    if (!exactBody.isEmpty()) {
        QCOMPARE(r.body, exactBody);
    } else {
        const QJsonArray detail = r.object().value(u"detail"_qs).toArray();
        QVERIFY2(!detail.isEmpty(), r.body.constData());
        QCOMPARE(detail.first().toObject().value(u"type"_qs).toString(), detailType);
        QCOMPARE(detail.first().toObject().value(u"loc"_qs).toArray().first().toString(), u"body"_qs);
    }
    // The server is still there.
    QCOMPARE(client.get(api + u"/health"_qs).status, 200);
}

void TestServerBasics::webSocketAuth_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");
    QTest::newRow("no token") << QString() << 401;
    QTest::newRow("wrong token") << u"?token=wrong"_qs << 401;
    QTest::newRow("right token") << u"?token=TOKEN"_qs << 101;
}

void TestServerBasics::webSocketAuth()
{
    QFETCH(QString, query);
    QFETCH(int, status);
    query.replace(u"TOKEN"_qs, m_server->token());
    const QByteArray answer = rawExchange(m_server->port(), upgradeRequest("/ws" + query.toUtf8()));
    QCOMPARE(statusOf(answer), status);
    if (status == 401)
        QCOMPARE(bodyOf(answer), QByteArray(R"({"detail":"Unauthorized"})"));

    WsClient ws;
    const bool connected = ws.connectTo(u"ws://127.0.0.1:%1/ws%2"_qs.arg(m_server->port()).arg(query), 2000);
    QCOMPARE(connected, status == 101);
    if (connected) {
        const QJsonObject hello = ws.messages().first();
        QCOMPARE(hello.value(u"type"_qs).toString(), u"connection_info"_qs);
        QCOMPARE(hello.value(u"content"_qs).toString(), u"Connected to Mission Control"_qs);
        QVERIFY(hello.value(u"id"_qs).toString().startsWith(u"websocket_"_qs));
    }
}

void TestServerBasics::tokenFileIsOwnerOnly()
{
    const QFileInfo info(m_server->dataDir() + u"/token"_qs);
    QVERIFY(info.exists());
    QCOMPARE(info.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    QVERIFY(m_server->token().size() >= 43);   // 32 bytes base64url
}

QTEST_MAIN(TestServerBasics)
#include "tst_server.moc"
