// The server's own limits: body size, head size, request deadline, idle
// connections, connection cap -- and WebSocket connections are left alone.

#include "httpapiserver.h"
#include "httpclient.h"
#include "rawhttp.h"
#include "documentrepository.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

using namespace mc::test;
using namespace Qt::StringLiterals;

class TestLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        mc::AppConfig config;
        config.limits.requestTimeoutMs = 600;
        config.limits.idleTimeoutMs = 800;
        config.limits.maxConnections = 20;
        m_server = std::make_unique<TestServer>(config);
    }
    void cleanupTestCase() { m_server.reset(); }

    void oversizedBodyGets413();
    void hugeContentLengthGets413Immediately();
    void oversizedHeadGets431();
    void halfSentRequestIsDropped();
    void slowlorisIsDropped();
    void idleKeepAliveIsClosed();
    void connectionFloodIsCapped();
    void webSocketOutlivesIdleTimeout();
    void upgradeHeadersAloneKeepEveryLimit_data();
    void upgradeHeadersAloneKeepEveryLimit();
    void slowDownloadIsNotCutOff();

private:
    bool serverHealthy()
    {
        HttpClient client(m_server->base(), m_server->token());
        return client.get(api + u"/health"_s).status == 200;
    }
    std::unique_ptr<TestServer> m_server;
};

void TestLimits::oversizedBodyGets413()
{
    HttpClient client(m_server->base(), m_server->token());
    const QByteArray body = "{\"title\": \"" + QByteArray(2 * 1024 * 1024, 'x') + "\"}";
    const HttpResponse r = client.request("POST", api + u"/tasks"_s, body);
    QCOMPARE(r.status, 413);
    QVERIFY(r.object().value(u"detail"_s).toString().contains(u"too large"_s));
    QVERIFY(serverHealthy());
    // Nothing was created.
    QCOMPARE(client.get(api + u"/tasks"_s).object().value(u"count"_s).toInt(), 0);
}

void TestLimits::hugeContentLengthGets413Immediately()
{
    const QByteArray answer = rawExchange(m_server->port(),
                                          "POST /api/mission-control/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                          "Content-Length: 10737418240\r\n\r\n{");
    QCOMPARE(statusOf(answer), 413);
    QVERIFY(serverHealthy());
}

void TestLimits::oversizedHeadGets431()
{
    QByteArray request = "GET /api/mission-control/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 2000; ++i)
        request += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(500, 'a') + "\r\n";
    request += "\r\n";
    const QByteArray answer = rawExchange(m_server->port(), request);
    QCOMPARE(statusOf(answer), 431);
    QVERIFY(serverHealthy());
}

void TestLimits::halfSentRequestIsDropped()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(2000));
    socket.write("POST /api/mission-control/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"ti");
    QElapsedTimer timer;
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
    qInfo() << "half-sent request dropped after" << timer.elapsed() << "ms (request timeout 600 ms)";
    QVERIFY(serverHealthy());
}

void TestLimits::slowlorisIsDropped()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(2000));
    const QByteArray head = "GET /api/mission-control/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    socket.write(head);
    // One byte every 50 ms keeps the connection busy but never finishes the head.
    for (int i = 0; i < 100 && socket.state() == QAbstractSocket::ConnectedState; ++i) {
        socket.write("a");
        QTest::qWait(50);
    }
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(serverHealthy());
}

void TestLimits::idleKeepAliveIsClosed()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(2000));
    socket.write("GET /api/mission-control/health?token=" + m_server->token().toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(socket.bytesAvailable() > 0, 3000);
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 200"));
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
}

void TestLimits::connectionFloodIsCapped()
{
    // Its own server, so the held connections stay open for the whole check.
    mc::AppConfig config;
    config.limits.maxConnections = 20;
    config.limits.requestTimeoutMs = 10000;
    TestServer server(config);
    HttpClient client(server.base(), server.token());
    const auto openSockets = [&](int count, const QByteArray &send) {
        QList<QTcpSocket *> sockets;
        for (int i = 0; i < count; ++i) {
            auto *s = new QTcpSocket(this);
            s->connectToHost(QHostAddress::LocalHost, server.port());
            s->waitForConnected(2000);
            if (!send.isEmpty()) {
                s->write(send);
                s->waitForBytesWritten(2000);
            }
            sockets.append(s);
        }
        QTest::qWait(300);   // let the server read what they sent
        return sockets;
    };
    const auto countRefused = [](const QList<QTcpSocket *> &sockets) {
        return std::count_if(sockets.cbegin(), sockets.cend(), [](QTcpSocket *s) {
            return s->peek(12) == "HTTP/1.1 503" && s->state() == QAbstractSocket::UnconnectedState;
        });
    };

    // 60 silent connections: the idlest make room, the server never holds more
    // than the cap, and a newcomer is still served.
    QList<QTcpSocket *> silent = openSockets(60, {});
    QTRY_VERIFY(server.app().server().openConnections() <= 20);
    QCOMPARE(client.get(api + u"/health"_s).status, 200);
    qDeleteAll(silent);

    // 20 connections each in the middle of a request: nothing can be evicted,
    // so every further connection is answered 503 and closed at once.
    QTRY_VERIFY(server.app().server().openConnections() <= 1);   // the client's keep-alive connection
    QList<QTcpSocket *> busy = openSockets(20, "POST /api/mission-control/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\n{");
    QTRY_COMPARE(server.app().server().openConnections(), 20);
    QList<QTcpSocket *> extra = openSockets(40, {});
    QTRY_COMPARE_WITH_TIMEOUT(countRefused(extra), 40, 5000);
    QCOMPARE(server.app().server().openConnections(), 20);
    qDeleteAll(busy);
    qDeleteAll(extra);
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/health"_s).status, 200, 5000);
}

void TestLimits::webSocketOutlivesIdleTimeout()
{
    WsClient ws;
    QVERIFY(ws.connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(m_server->port()).arg(m_server->token())));
    QTest::qWait(2000);   // > request and idle timeouts
    QCOMPARE(ws.socket().state(), QAbstractSocket::ConnectedState);
    // Upgraded for real (a 101 went out): no longer one of the capped HTTP connections.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->app().server().openConnections(), 0, 3000);
    HttpClient client(m_server->base(), m_server->token());
    QVERIFY(!client.createTask({{u"title"_s, u"event after idle"_s}}).isEmpty());
    QVERIFY(ws.waitFor([](const QList<QJsonObject> &m) {
        return std::any_of(m.cbegin(), m.cend(), [](const QJsonObject &e) {
            return e.value(u"event_type"_s).toString() == u"mc_activity_created"_s;
        });
    }));
}

void TestLimits::upgradeHeadersAloneKeepEveryLimit_data()
{
    QTest::addColumn<QByteArray>("headers");
    // Qt upgrades only with both headers (and only on /ws with a token); every
    // other combination is plain HTTP and keeps every limit.
    QTest::newRow("Upgrade without Connection") << QByteArray("Upgrade: websocket\r\n");
    QTest::newRow("Upgrade with Connection: keep-alive") << QByteArray("Upgrade: websocket\r\nConnection: keep-alive\r\n");
    QTest::newRow("Connection: Upgrade without Upgrade") << QByteArray("Connection: Upgrade\r\n");
    QTest::newRow("Upgrade: h2c") << QByteArray("Upgrade: h2c\r\nConnection: Upgrade\r\n");
    QTest::newRow("both, on an API route") << QByteArray("Upgrade: websocket\r\nConnection: Upgrade\r\n");
}

void TestLimits::upgradeHeadersAloneKeepEveryLimit()
{
    QFETCH(QByteArray, headers);
    // The body limit.
    const QByteArray big = rawExchange(m_server->port(), "POST /api/mission-control/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                                 + headers + "Content-Length: 2097152\r\n\r\n{");
    QCOMPARE(statusOf(big), 413);
    // The idle timeout (800 ms here): the connection is closed, not left open forever.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(2000));
    socket.write("GET /api/mission-control/health?token=" + m_server->token().toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 + headers + "\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(socket.bytesAvailable() > 0 || socket.state() != QAbstractSocket::ConnectedState, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY(serverHealthy());
}

void TestLimits::slowDownloadIsNotCutOff()
{
    // ~8 MB of documents -- more than the kernel's socket buffers hold, so the
    // server still has most of it when the idle timeout (800 ms) passes -- taken
    // by a client that reads steadily but slowly: the answer arrives whole.
    TestServer server([] {
        mc::AppConfig config;
        config.limits.idleTimeoutMs = 800;
        return config;
    }());
    HttpClient client(server.base(), server.token());
    // Stored directly: this test is about the download (large uploads are tst_limits' other tests).
    for (int i = 0; i < 9; ++i)
        server.app().store().documents().create({{u"title"_s, u"big %1"_s.arg(i)}, {u"content"_s, QString(900 * 1024, u'x')}});
    QTcpSocket socket;
    socket.setReadBufferSize(64 * 1024);
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(socket.waitForConnected(2000));
    socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 32 * 1024);
    socket.write("GET /api/mission-control/documents?limit=10&token=" + server.token().toUtf8()
                 + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QByteArray answer;
    qint64 expected = -1;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 30000 && (expected < 0 || answer.size() < expected)) {
        QTest::qWait(50);
        answer += socket.read(128 * 1024);   // ~2.5 MB/s
        if (expected < 0 && answer.contains("\r\n\r\n")) {
            const qsizetype headEnd = answer.indexOf("\r\n\r\n") + 4;
            const qsizetype at = answer.toLower().indexOf("content-length:");
            QVERIFY(at >= 0 && at < headEnd);
            expected = headEnd + answer.mid(at + 15, answer.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
        }
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            break;
    }
    qInfo() << "downloaded" << answer.size() << "of" << expected << "bytes in" << timer.elapsed() << "ms (idle timeout 800 ms)";
    QVERIFY2(timer.elapsed() > 1600, "the download was not slower than the idle timeout; the test proves nothing");
    QCOMPARE(answer.size(), expected);
}

QTEST_MAIN(TestLimits)
#include "tst_limits.moc"
