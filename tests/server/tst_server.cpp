// Authentication on REST and /ws, and the FastAPI-shaped error bodies.

#include "httpclient.h"
#include "rawhttp.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QTest>

using namespace mc::test;
using namespace Qt::StringLiterals;

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
    void foreignHostIsMisdirected_data();
    void foreignHostIsMisdirected();
    void webSocketOrigin_data();
    void webSocketOrigin();
    void bodyMustBeJson_data();
    void bodyMustBeJson();
    void inlineSecretsAreRefused_data();
    void inlineSecretsAreRefused();
    void timeoutsAreBounded();
    void tagFilterIsBounded();
    void afterSeqIs64Bit();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestServerBasics::restAuth_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<bool>("tokenInQuery");
    QTest::addColumn<int>("status");

    const QString health = api + u"/health"_s;
    QTest::newRow("no token") << health << QByteArray() << false << 401;
    QTest::newRow("wrong token") << health << QByteArray("Bearer nope") << false << 401;
    QTest::newRow("token prefix only") << health << QByteArray("Bearer TOKEN-PREFIX") << false << 401;
    QTest::newRow("basic scheme") << health << QByteArray("Basic TOKEN") << false << 401;
    QTest::newRow("bearer") << health << QByteArray("Bearer TOKEN") << false << 200;
    QTest::newRow("bearer lowercase scheme") << health << QByteArray("bearer TOKEN") << false << 200;
    QTest::newRow("query token") << health << QByteArray() << true << 200;
    QTest::newRow("unknown api route without token") << u"/api/mission-control/nothing"_s << QByteArray() << false << 401;
    QTest::newRow("tasks without token") << u"/api/mission-control/tasks"_s << QByteArray() << false << 401;
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
        path += u"?token="_s + m_server->token();
    HttpClient client(m_server->base(), {});
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    const HttpResponse r = client.request("GET", path, {}, headers);
    QCOMPARE(r.status, status);
    if (status == 401)
        QCOMPARE(r.body, QByteArray(R"({"detail":"Unauthorized"})"));
    else
        QCOMPARE(r.object().value(u"status"_s).toString(), u"ok"_s);
}

void TestServerBasics::errors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("exactBody");     // empty: check detailType instead
    QTest::addColumn<QString>("detailType");

    QTest::newRow("unknown route") << QByteArray("GET") << api + u"/nope"_s << QByteArray() << 404
                                   << QByteArray(R"({"detail":"Not Found"})") << QString();
    QTest::newRow("unknown nested route") << QByteArray("GET") << api + u"/tasks/x/y/z"_s << QByteArray() << 404
                                          << QByteArray(R"({"detail":"Not Found"})") << QString();
    QTest::newRow("wrong method") << QByteArray("PUT") << api + u"/tasks"_s << QByteArray() << 405
                                  << QByteArray(R"({"detail":"Method Not Allowed"})") << QString();
    QTest::newRow("wrong method on item") << QByteArray("POST") << api + u"/agents/abc"_s << QByteArray() << 405
                                          << QByteArray(R"({"detail":"Method Not Allowed"})") << QString();
    QTest::newRow("malformed json") << QByteArray("POST") << api + u"/tasks"_s << QByteArray("{\"title\": ") << 422
                                    << QByteArray() << u"json_invalid"_s;
    QTest::newRow("body is a list") << QByteArray("POST") << api + u"/tasks"_s << QByteArray("[1,2]") << 422
                                    << QByteArray() << u"model_attributes_type"_s;
    QTest::newRow("empty body") << QByteArray("POST") << api + u"/tasks"_s << QByteArray() << 422 << QByteArray()
                                << u"missing"_s;
    QTest::newRow("unknown task") << QByteArray("GET") << api + u"/tasks/00000000-0000-4000-8000-000000000000"_s
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
        const QJsonArray detail = r.object().value(u"detail"_s).toArray();
        QVERIFY2(!detail.isEmpty(), r.body.constData());
        QCOMPARE(detail.first().toObject().value(u"type"_s).toString(), detailType);
        QCOMPARE(detail.first().toObject().value(u"loc"_s).toArray().first().toString(), u"body"_s);
    }
    // The server is still there.
    QCOMPARE(client.get(api + u"/health"_s).status, 200);
}

void TestServerBasics::webSocketAuth_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");
    QTest::newRow("no token") << QString() << 401;
    QTest::newRow("wrong token") << u"?token=wrong"_s << 401;
    QTest::newRow("right token") << u"?token=TOKEN"_s << 101;
}

void TestServerBasics::webSocketAuth()
{
    QFETCH(QString, query);
    QFETCH(int, status);
    query.replace(u"TOKEN"_s, m_server->token());
    const QByteArray answer = rawExchange(m_server->port(), upgradeRequest("/ws" + query.toUtf8()));
    QCOMPARE(statusOf(answer), status);
    if (status == 401)
        QCOMPARE(bodyOf(answer), QByteArray(R"({"detail":"Unauthorized"})"));

    WsClient ws;
    const bool connected = ws.connectTo(u"ws://127.0.0.1:%1/ws%2"_s.arg(m_server->port()).arg(query), 2000);
    QCOMPARE(connected, status == 101);
    if (connected) {
        const QJsonObject hello = ws.messages().first();
        QCOMPARE(hello.value(u"type"_s).toString(), u"connection_info"_s);
        QCOMPARE(hello.value(u"content"_s).toString(), u"Connected to Mission Control"_s);
        QVERIFY(hello.value(u"id"_s).toString().startsWith(u"websocket_"_s));
    }
}

void TestServerBasics::tokenFileIsOwnerOnly()
{
    const QFileInfo info(m_server->dataDir() + u"/token"_s);
    QVERIFY(info.exists());
    QCOMPARE(info.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    QVERIFY(m_server->token().size() >= 43);   // 32 bytes base64url
}

namespace {
QByteArray get(const QByteArray &pathAndQuery, const QByteArray &headers)
{
    return "GET " + pathAndQuery + " HTTP/1.1\r\n" + headers + "\r\n";
}
} // namespace

void TestServerBasics::foreignHostIsMisdirected_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("status");
    // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1.
    QTest::newRow("rebound name") << QByteArray("evil.example:PORT") << 421;
    QTest::newRow("rebound name, no port") << QByteArray("evil.example") << 421;
    QTest::newRow("name ending like localhost") << QByteArray("localhost.evil.example") << 421;
    QTest::newRow("127.0.0.1") << QByteArray("127.0.0.1:PORT") << 200;
    QTest::newRow("localhost") << QByteArray("localhost:PORT") << 200;
    QTest::newRow("LOCALHOST") << QByteArray("LOCALHOST") << 200;
    QTest::newRow("sub.localhost") << QByteArray("app.localhost:PORT") << 200;
    QTest::newRow("[::1]") << QByteArray("[::1]:PORT") << 200;
    QTest::newRow("127.1.2.3") << QByteArray("127.1.2.3") << 200;
    QTest::newRow("no Host") << QByteArray() << 200;
}

void TestServerBasics::foreignHostIsMisdirected()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    host.replace("PORT", QByteArray::number(m_server->port()));
    const QByteArray hostLine = host.isEmpty() ? QByteArray() : "Host: " + host + "\r\n";
    const QByteArray answer = rawExchange(m_server->port(), get("/api/mission-control/health?token=" + m_server->token().toUtf8(),
                                                                hostLine + "Connection: close\r\n"));
    QCOMPARE(statusOf(answer), status);
    if (status == 421)
        QVERIFY2(bodyOf(answer).startsWith("{\"detail\":\"Misdirected Request"), bodyOf(answer).constData());
    if (host.isEmpty())
        return;   // a WebSocket handshake needs a Host
    // The WebSocket too.
    const QByteArray upgrade = rawExchange(m_server->port(), get("/ws?token=" + m_server->token().toUtf8(),
                                                                 hostLine + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"));
    QCOMPARE(statusOf(upgrade), status == 200 ? 101 : status);
}

void TestServerBasics::webSocketOrigin_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<int>("status");
    QTest::newRow("no Origin (a script)") << QByteArray() << 101;
    QTest::newRow("null") << QByteArray("null") << 101;
    QTest::newRow("own origin") << QByteArray("http://127.0.0.1:PORT") << 101;
    QTest::newRow("own origin by name") << QByteArray("http://localhost:PORT") << 101;
    QTest::newRow("another site") << QByteArray("https://evil.example") << 403;
    QTest::newRow("another local port") << QByteArray("http://127.0.0.1:1") << 403;
    QTest::newRow("rebound name, our port") << QByteArray("http://evil.example:PORT") << 403;
    QTest::newRow("file page") << QByteArray("file://") << 403;
}

void TestServerBasics::webSocketOrigin()
{
    QFETCH(QByteArray, origin);
    QFETCH(int, status);
    origin.replace("PORT", QByteArray::number(m_server->port()));
    const QByteArray originLine = origin.isEmpty() ? QByteArray() : "Origin: " + origin + "\r\n";
    const QByteArray answer = rawExchange(m_server->port(), get("/ws?token=" + m_server->token().toUtf8(),
                                                                "Host: 127.0.0.1:" + QByteArray::number(m_server->port()) + "\r\n"
                                                                + originLine + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"));
    QCOMPARE(statusOf(answer), status);
    if (status == 403)
        QVERIFY2(bodyOf(answer).startsWith("{\"detail\":\"Forbidden"), bodyOf(answer).constData());
}

void TestServerBasics::bodyMustBeJson_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    // What a cross-site <form> can send: refused before anything is created.
    QTest::newRow("form urlencoded") << QByteArray("application/x-www-form-urlencoded") << 415;
    QTest::newRow("multipart") << QByteArray("multipart/form-data; boundary=x") << 415;
    QTest::newRow("text/plain") << QByteArray("text/plain") << 415;
    // A script that sends no Content-Type: FastAPI reads the body as JSON, and
    // no browser form posts a body without one.
    QTest::newRow("none") << QByteArray() << 200;
    QTest::newRow("application/json") << QByteArray("application/json") << 200;
    QTest::newRow("with charset") << QByteArray("application/json; charset=utf-8") << 200;
    QTest::newRow("upper case") << QByteArray("Application/JSON") << 200;
}

void TestServerBasics::bodyMustBeJson()
{
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    const QByteArray body = R"({"name": "Cmd", "role": "r", "backend": "command",
                               "metadata": {"backend_config": {"command": ["/bin/true"]}}})";
    const QByteArray typeLine = contentType.isEmpty() ? QByteArray() : "Content-Type: " + contentType + "\r\n";
    HttpClient client(m_server->base(), m_server->token());
    const qint64 before = client.get(api + u"/agents"_s).object().value(u"count"_s).toInteger();
    const QByteArray answer = rawExchange(m_server->port(),
                                          "POST /api/mission-control/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                                  + m_server->token().toUtf8() + "\r\n" + typeLine + "Content-Length: "
                                                  + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QCOMPARE(statusOf(answer), status);
    const qint64 after = client.get(api + u"/agents"_s).object().value(u"count"_s).toInteger();
    QCOMPARE(after, before + (status == 200 ? 1 : 0));
    if (status == 415)
        QVERIFY2(bodyOf(answer).contains("application/json"), bodyOf(answer).constData());
}

void TestServerBasics::inlineSecretsAreRefused_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QJsonObject>("config");
    QTest::addColumn<QString>("field");
    QTest::newRow("openai api_key") << u"openai"_s << QJsonObject{{u"api_key"_s, u"sk-live-123"_s}} << u"api_key"_s;
    QTest::newRow("anthropic apiKey") << u"anthropic"_s << QJsonObject{{u"apiKey"_s, u"sk-ant-123"_s}} << u"apiKey"_s;
    QTest::newRow("command token") << u"command"_s
                                   << QJsonObject{{u"command"_s, QJsonArray{u"/bin/true"_s}}, {u"github_token"_s, u"ghp_x"_s}}
                                   << u"github_token"_s;
    QTest::newRow("unknown backend password") << u"open_interpreter"_s << QJsonObject{{u"password"_s, u"hunter2"_s}}
                                              << u"password"_s;
    QTest::newRow("nested header") << u"openai"_s
                                   << QJsonObject{{u"headers"_s, QJsonObject{{u"Authorization"_s, u"Bearer sk-1"_s}}}}
                                   << u"Authorization"_s;
}

void TestServerBasics::inlineSecretsAreRefused()
{
    QFETCH(QString, backend);
    QFETCH(QJsonObject, config);
    QFETCH(QString, field);
    HttpClient client(m_server->base(), m_server->token());
    const QJsonObject agent{{u"name"_s, u"Keyed"_s}, {u"role"_s, u"r"_s}, {u"backend"_s, backend},
                            {u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}};
    const HttpResponse created = client.post(api + u"/agents"_s, agent);
    QCOMPARE(created.status, 422);
    const QJsonObject error = created.object().value(u"detail"_s).toArray().first().toObject();
    QCOMPARE(error.value(u"loc"_s).toArray().last().toString(), field);
    QVERIFY2(error.value(u"msg"_s).toString().contains(u"api_key_env"_s), qPrintable(error.value(u"msg"_s).toString()));
    QVERIFY2(!created.body.contains("sk-") && !created.body.contains("hunter2") && !created.body.contains("ghp_"),
             created.body.constData());   // the secret is not echoed back
    // Nor through PATCH onto an existing agent.
    const QString id = client.createAgent({{u"name"_s, u"Plain"_s}, {u"role"_s, u"r"_s}, {u"backend"_s, backend},
                                           {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                                                         QJsonObject{{u"command"_s, QJsonArray{u"/bin/true"_s}},
                                                                                     {u"api_key_env"_s, u"OPENAI_API_KEY"_s},
                                                                                     {u"max_tokens"_s, 100}}}}}});
    QVERIFY(!id.isEmpty());   // naming the variable (and token counts) is fine
    QCOMPARE(client.patch(api + u"/agents/"_s + id, {{u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}}).status, 422);
    const QByteArray listed = client.get(api + u"/agents"_s).body;
    QVERIFY(!listed.contains("sk-live") && !listed.contains("hunter2") && !listed.contains("ghp_x"));
    QCOMPARE(client.del(api + u"/agents/"_s + id).status, 200);
}

void TestServerBasics::timeoutsAreBounded()
{
    HttpClient client(m_server->base(), m_server->token());
    for (const QString &key : {u"timeout_s"_s, u"idle_timeout_s"_s}) {
        // 2,147,484 s used to wrap into "timed out after -2147483 s" at once.
        const HttpResponse r = client.post(api + u"/agents"_s,
                                           {{u"name"_s, u"Forever"_s}, {u"role"_s, u"r"_s}, {u"backend"_s, u"command"_s},
                                            {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                                                          QJsonObject{{u"command"_s, QJsonArray{u"/bin/true"_s}},
                                                                                      {key, 2147484}}}}}});
        QCOMPARE(r.status, 422);
        const QJsonObject error = r.object().value(u"detail"_s).toArray().first().toObject();
        QCOMPARE(error.value(u"type"_s).toString(), u"less_than_equal"_s);
        QCOMPARE(error.value(u"loc"_s).toArray().last().toString(), key);
    }
    const QString id = client.createAgent({{u"name"_s, u"Week"_s}, {u"role"_s, u"r"_s}, {u"backend"_s, u"command"_s},
                                           {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                                                         QJsonObject{{u"command"_s, QJsonArray{u"/bin/true"_s}},
                                                                                     {u"timeout_s"_s, 604800}}}}}});
    QVERIFY(!id.isEmpty());
    QCOMPARE(client.del(api + u"/agents/"_s + id).status, 200);
}

void TestServerBasics::tagFilterIsBounded()
{
    HttpClient client(m_server->base(), m_server->token());
    const QString tagged = client.createTask({{u"title"_s, u"tagged"_s}, {u"tags"_s, QJsonArray{u"t99"_s}}});
    QStringList tags;
    for (int i = 0; i < 100; ++i)
        tags.append(u"t%1"_s.arg(i));
    const HttpResponse hundred = client.get(api + u"/tasks?tags="_s + tags.join(u','));
    QCOMPARE(hundred.status, 200);
    QCOMPARE(hundred.object().value(u"count"_s).toInt(), 1);
    QCOMPARE(hundred.object().value(u"tasks"_s).toArray().first().toObject().value(u"id"_s).toString(), tagged);
    QCOMPARE(client.get(api + u"/documents?tags="_s + tags.join(u',')).status, 200);
    tags.append(u"t100"_s);
    for (const QString &route : {u"/tasks"_s, u"/documents"_s}) {
        const HttpResponse tooMany = client.get(api + route + u"?tags="_s + tags.join(u','));
        QCOMPARE(tooMany.status, 422);
        const QJsonObject error = tooMany.object().value(u"detail"_s).toArray().first().toObject();
        QCOMPARE(error.value(u"type"_s).toString(), u"too_long"_s);
        QCOMPARE(error.value(u"loc"_s).toArray(), (QJsonArray{u"query"_s, u"tags"_s}));
    }
    QCOMPARE(client.del(api + u"/tasks/"_s + tagged).status, 200);
}

void TestServerBasics::afterSeqIs64Bit()
{
    HttpClient client(m_server->base(), m_server->token());
    const QString agent = client.createAgent({{u"name"_s, u"Once"_s}, {u"role"_s, u"r"_s}, {u"backend"_s, u"command"_s},
                                              {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                                                            QJsonObject{{u"command"_s, QJsonArray{u"/bin/echo"_s, u"hi"_s}}}}}}});
    const QString task = client.createTask({{u"title"_s, u"seq"_s}});
    const HttpResponse started = client.post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agent}});
    QCOMPARE(started.status, 200);
    const QString run = started.object().value(u"run_id"_s).toString();
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt(), 0, 10000);
    for (const QByteArray &seq : {QByteArray("0"), QByteArray("2000000"), QByteArray("9223372036854775807")}) {
        const HttpResponse r = client.get(api + u"/runs/"_s + run + u"/output?after_seq="_s + QString::fromLatin1(seq));
        QVERIFY2(r.status == 200, seq.constData());
        QCOMPARE(r.object().value(u"chunks"_s).toArray().isEmpty(), seq != "0");
    }
    QCOMPARE(client.get(api + u"/runs/"_s + run + u"/output?after_seq=9223372036854775808"_s).status, 422);
    QCOMPARE(client.get(api + u"/runs/"_s + run + u"/output?after_seq=-1"_s).status, 422);
}

QTEST_MAIN(TestServerBasics)
#include "tst_server.moc"
