// The hub: events reach every client, a client that stops reading is dropped
// without holding up the others, oversized incoming messages are refused.

#include "httpclient.h"
#include "testserver.h"
#include "websockethub.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace mc::test;
class TestWebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        mc::AppConfig config;
        config.limits.maxWebSocketUnsentBytes = 256 * 1024;
        config.limits.webSocketStallMs = 300;
        m_server = std::make_unique<TestServer>(config);
    }
    void cleanupTestCase() { m_server.reset(); }

    void stalledClientDoesNotStopOthers();
    void oversizedIncomingMessageClosesClient();
    void pingAndUnknownAction();
    void replayLargerThanSendLimitArrivesWhole();

private:
    QString wsUrl() const { return u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(m_server->port()).arg(m_server->token()); }
    std::unique_ptr<TestServer> m_server;
};

void TestWebSocket::stalledClientDoesNotStopOthers()
{
    // A raw TCP client that completes the handshake and then never reads.
    QTcpSocket stalled;
    stalled.setReadBufferSize(1);
    stalled.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(stalled.waitForConnected(2000));
    stalled.write("GET /ws?token=" + m_server->token().toUtf8()
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(m_server->app().hub().clientCount(), 1, 5000);

    WsClient reader;
    QVERIFY(reader.connectTo(wsUrl()));
    QCOMPARE(m_server->app().hub().clientCount(), 2);

    // Flood events (64 KiB each) until the stalled client's backlog passes the limit.
    const QJsonObject big{{u"payload"_s, QString(64 * 1024, u'x')}};
    int sent = 0;
    for (; sent < 2000 && m_server->app().hub().clientCount() == 2; ++sent) {
        m_server->app().hub().broadcast(u"test_event"_s, big);
        QTest::qWait(1);
    }
    QCOMPARE(m_server->app().hub().clientCount(), 1);   // the stalled one is gone
    qInfo() << "stalled client dropped after" << sent << "events of 64 KiB";
    // The reading client got everything.
    QVERIFY(reader.waitFor([sent](const QList<QJsonObject> &m) { return m.size() >= sent + 1; }, 20000));
    QCOMPARE(reader.events(u"test_event"_s).size(), sent);
}

void TestWebSocket::oversizedIncomingMessageClosesClient()
{
    WsClient client;
    QVERIFY(client.connectTo(wsUrl()));
    client.socket().sendTextMessage(QString(200 * 1024, u'a'));
    QTRY_COMPARE_WITH_TIMEOUT(client.socket().state(), QAbstractSocket::UnconnectedState, 5000);
    WsClient other;
    QVERIFY(other.connectTo(wsUrl()));
}

void TestWebSocket::pingAndUnknownAction()
{
    WsClient client;
    QVERIFY(client.connectTo(wsUrl()));
    client.send({{u"action"_s, u"ping"_s}});
    QVERIFY(client.waitFor([](const QList<QJsonObject> &m) { return m.last().value(u"type"_s) == u"pong"_s; }));
    // An unknown action is ignored (PocketPaw does the same); a malformed frame of a known one is an error.
    client.send({{u"action"_s, u"dance"_s}});
    client.send({{u"action"_s, u"ping"_s}});
    QVERIFY(client.waitFor([](const QList<QJsonObject> &m) { return m.size() >= 3 && m.last().value(u"type"_s) == u"pong"_s; }));
    QCOMPARE(client.messages().size(), 3);   // connection_info, pong, pong
    client.send({{u"action"_s, u"subscribe"_s}});
    QVERIFY(client.waitFor([](const QList<QJsonObject> &m) { return m.last().value(u"type"_s) == u"error"_s; }));
}

void TestWebSocket::replayLargerThanSendLimitArrivesWhole()
{
    // A run whose stored output (~4 MB) is four times the hard per-client send
    // limit (1 MiB here): the replay is paced by the socket, not queued at once.
    mc::AppConfig config;
    config.limits.maxWebSocketUnsentBytes = 256 * 1024;
    config.limits.hardWebSocketUnsentBytes = 1024 * 1024;
    TestServer server(config);
    HttpClient client(server.base(), server.token());
    const QString line(200, u'x');
    const QString agent = client.createAgent(
            {{u"name"_s, u"Chatty"_s}, {u"role"_s, u"r"_s}, {u"backend"_s, u"command"_s},
             {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                           QJsonObject{{u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s,
                                                                                  u"yes %1 | head -n 25000"_s.arg(line)}}}}}}});
    const QString task = client.createTask({{u"title"_s, u"big output"_s}});
    const HttpResponse started = client.post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agent}});
    QCOMPARE(started.status, 200);
    const QString run = started.object().value(u"run_id"_s).toString();
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/tasks/running"_s).object().value(u"count"_s).toInt(), 0, 30000);
    const QJsonObject stored = client.get(api + u"/runs/"_s + run).object().value(u"run"_s).toObject();
    const int chunks = stored.value(u"output_chunks"_s).toInt();
    QVERIFY(stored.value(u"output_bytes"_s).toInteger() > 4 * config.limits.hardWebSocketUnsentBytes);

    WsClient ws;
    QVERIFY(ws.connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(server.port()).arg(server.token())));
    // Two subscribes back to back: the second waits for the first, it is not refused.
    ws.send({{u"action"_s, u"subscribe"_s}, {u"task_id"_s, task}, {u"after_seq"_s, 0}});
    ws.send({{u"action"_s, u"subscribe"_s}, {u"task_id"_s, task}, {u"after_seq"_s, chunks - 10}});
    QVERIFY(ws.waitFor([](const QList<QJsonObject> &m) {
        return !m.isEmpty() && m.last().value(u"event_type"_s).toString() == u"mc_task_output"_s;
    }, 10000));   // the replay is under way
    // An event broadcast while the replay runs comes after it, never inside it.
    server.app().hub().broadcast(u"test_event"_s, {{u"n"_s, 1}});
    QVERIFY2(ws.waitFor([](const QList<QJsonObject> &m) {
        return !m.isEmpty() && m.last().value(u"type"_s).toString() == u"system_event"_s
                && m.last().value(u"event_type"_s).toString() == u"test_event"_s;
    }, 30000), "the replays did not finish, or the held event never came (client dropped?)");
    QCOMPARE(ws.socket().state(), QAbstractSocket::ConnectedState);
    QList<QJsonObject> subscribed;
    for (const QJsonObject &m : ws.messages()) {
        QVERIFY2(m.value(u"type"_s).toString() != u"error"_s, QJsonDocument(m).toJson().constData());
        if (m.value(u"type"_s).toString() == u"subscribed"_s)
            subscribed.append(m);
    }
    QCOMPARE(subscribed.size(), 2);
    QCOMPARE(subscribed.at(0).value(u"replayed"_s).toInt(), chunks);
    QCOMPARE(subscribed.at(1).value(u"replayed"_s).toInt(), 10);
    const QList<QJsonObject> outputs = ws.events(u"mc_task_output"_s);
    QCOMPARE(outputs.size(), chunks + 10);
    for (qsizetype i = 0; i < chunks; ++i)
        QCOMPARE(outputs.at(i).value(u"seq"_s).toInteger(), qint64(i + 1));
    for (qsizetype i = 0; i < 10; ++i)
        QCOMPARE(outputs.at(chunks + i).value(u"seq"_s).toInteger(), qint64(chunks - 10 + i + 1));
    qInfo() << "replayed" << chunks << "chunks," << stored.value(u"output_bytes"_s).toInteger()
            << "bytes, through a 1 MiB send limit";
}

QTEST_MAIN(TestWebSocket)
#include "tst_websocket.moc"
