// HTTP/1.1 as a client meets it (RFC 9112): Connection: close and HTTP/1.0
// end the connection after the answer, HEAD and OPTIONS, pipelining, chunked
// request bodies, Expect: 100-continue, Transfer-Encoding with Content-Length;
// ApacheBench with and without keep-alive; large bodies on one keep-alive
// connection with a short idle timeout (the Qt 6.8 drop).

#include "httpclient.h"
#include "rawhttp.h"
#include "testserver.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>

using namespace mc::test;
using namespace Qt::StringLiterals;

namespace {

struct Answer
{
    int status = 0;
    QByteArray head;
    QByteArray body;
    QByteArray header(const QByteArray &name) const { return headerValue(head, name); }
};

// A raw client on one connection: answers are cut by their Content-Length
// (none after HEAD; 204 and 1xx have no body).
class Connection
{
public:
    explicit Connection(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(5000);
    }
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray &bytes) { m_socket.write(bytes); }

    // The next answer; skips an interim 100 Continue unless asked for it.
    Answer next(bool headOnly = false, bool keepInterim = false, int timeoutMs = 10000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            m_buffer += m_socket.readAll();
            const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                Answer a;
                a.head = m_buffer.left(headEnd + 4);
                a.status = statusOf(a.head);
                const qint64 length = (headOnly || a.status < 200 || a.status == 204)
                        ? 0 : a.header("content-length").toLongLong();
                if (m_buffer.size() >= headEnd + 4 + length) {
                    a.body = m_buffer.mid(headEnd + 4, length);
                    m_buffer.remove(0, headEnd + 4 + length);
                    if (a.status == 100 && !keepInterim)
                        continue;
                    return a;
                }
            }
            if (!isOpen() && m_socket.bytesAvailable() == 0)
                break;
            QTest::qWait(5);
        }
        return {};
    }
    // Waits (bounded) for the server to close; true if it did.
    bool closedByServer(int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired() && isOpen()) {
            m_buffer += m_socket.readAll();
            QTest::qWait(5);
        }
        return !isOpen();
    }
    QByteArray leftover() { return m_buffer + m_socket.readAll(); }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray request(const QByteArray &method, const QByteArray &path, const QByteArray &token,
                   const QByteArray &extraHeaders = {}, const QByteArray &body = {}, const QByteArray &version = "HTTP/1.1")
{
    QByteArray r = method + ' ' + path + ' ' + version + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n"
            + extraHeaders;
    if (!body.isEmpty())
        r += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    return r + "\r\n" + body;
}

QByteArray documentBody(int index, qsizetype contentBytes)
{
    return "{\"title\": \"big " + QByteArray::number(index) + "\", \"content\": \"" + QByteArray(contentBytes, 'x') + "\"}";
}

} // namespace

class TestHttp11 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<TestServer>();   // idle timeout 60 s: a close within seconds is ours
        m_token = m_server->token().toUtf8();
        HttpClient client(m_server->base(), m_server->token());
        for (int i = 0; i < 20; ++i)
            QVERIFY(!client.createTask({{u"title"_s, u"task %1"_s.arg(i)}}).isEmpty());
    }
    void cleanupTestCase() { m_server.reset(); }

    void connectionCloseEndsTheConnection();
    void http10ClosesUnlessKeepAliveIsAsked();
    void keepAliveIsTheHttp11Default();
    void headHasTheHeadersOfGetWithoutTheBody();
    void optionsAnswersWithAllow();
    void methodNotAllowedSaysWhatIs();
    void pipelinedRequestsAreAnsweredInOrder();
    void chunkedRequestBodyIsRead();
    void expectContinueGetsContinueThenTheAnswer();
    void transferEncodingWithContentLengthIsRefusedAndClosed();
    void chunkExtensionsAndTrailersKeepTheConnectionInStep();
    void differingContentLengthsAreRefused();
    void apacheBenchCompletesEveryRequest_data();
    void apacheBenchCompletesEveryRequest();
    void largeBodiesInSequenceOnOneConnection();
    void slowlySentLargeBodyIsAnswered();
    void largeBodiesFromQtNetworkClient();

private:
    std::unique_ptr<TestServer> m_server;
    QByteArray m_token;
};

void TestHttp11::connectionCloseEndsTheConnection()
{
    Connection c(m_server->port());
    c.send(request("GET", "/api/mission-control/tasks", m_token, "Connection: close\r\n"));
    const Answer a = c.next();
    QCOMPARE(a.status, 200);
    QCOMPARE(a.header("connection").toLower(), QByteArray("close"));
    QVERIFY(a.body.startsWith("{\"tasks\":"));
    QVERIFY2(c.closedByServer(), "the connection stayed open after Connection: close");
}

void TestHttp11::http10ClosesUnlessKeepAliveIsAsked()
{
    {
        Connection c(m_server->port());
        c.send(request("GET", "/api/mission-control/health", m_token, {}, {}, "HTTP/1.0"));
        const Answer a = c.next();
        QCOMPARE(a.status, 200);
        QCOMPARE(a.header("connection").toLower(), QByteArray("close"));
        QVERIFY2(c.closedByServer(), "an HTTP/1.0 request without keep-alive left the connection open");
    }
    Connection c(m_server->port());
    for (int i = 0; i < 3; ++i) {
        c.send(request("GET", "/api/mission-control/health", m_token, "Connection: Keep-Alive\r\n", {}, "HTTP/1.0"));
        const Answer a = c.next();
        QCOMPARE(a.status, 200);
        QCOMPARE(a.header("connection").toLower(), QByteArray("keep-alive"));
        QVERIFY(!a.header("content-length").isEmpty());
        QVERIFY(c.isOpen());
    }
}

void TestHttp11::keepAliveIsTheHttp11Default()
{
    Connection c(m_server->port());
    for (int i = 0; i < 3; ++i) {
        c.send(request("GET", "/api/mission-control/health", m_token));
        const Answer a = c.next();
        QCOMPARE(a.status, 200);
        QVERIFY(a.header("connection").isEmpty());
    }
    QVERIFY(c.isOpen());
}

void TestHttp11::headHasTheHeadersOfGetWithoutTheBody()
{
    Connection c(m_server->port());
    c.send(request("GET", "/api/mission-control/tasks", m_token));
    const Answer get = c.next();
    QCOMPARE(get.status, 200);
    // HEAD then GET on the same connection: a body after HEAD would be read as the next answer.
    c.send(request("HEAD", "/api/mission-control/tasks", m_token) + request("GET", "/api/mission-control/health", m_token));
    const Answer head = c.next(true);
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("content-length"), QByteArray::number(get.body.size()));
    QCOMPARE(head.header("content-type"), get.header("content-type"));
    const Answer after = c.next();
    QCOMPARE(after.status, 200);
    QVERIFY(after.body.contains("\"status\""));
    // HEAD needs the token like GET.
    c.send(request("HEAD", "/api/mission-control/tasks", "wrong"));
    QCOMPARE(c.next(true).status, 401);
}

void TestHttp11::optionsAnswersWithAllow()
{
    Connection c(m_server->port());
    c.send(request("OPTIONS", "/api/mission-control/tasks", {}));
    const Answer tasks = c.next();
    QCOMPARE(tasks.status, 204);
    QCOMPARE(tasks.header("allow"), QByteArray("GET, POST, HEAD, OPTIONS"));
    QVERIFY(tasks.header("content-length").isEmpty());
    QVERIFY(tasks.header("access-control-allow-origin").isEmpty());   // no CORS granted
    c.send(request("OPTIONS", "/api/mission-control/nothing-here", {}));
    QCOMPARE(c.next().status, 404);
    // A preflight from a page of another origin is refused; the Host check still applies.
    c.send(request("OPTIONS", "/api/mission-control/tasks", {},
                   "Origin: http://evil.example\r\nAccess-Control-Request-Method: DELETE\r\n"));
    const Answer foreign = c.next();
    QCOMPARE(foreign.status, 403);
    QVERIFY(foreign.header("access-control-allow-origin").isEmpty());
    c.send("OPTIONS /api/mission-control/tasks HTTP/1.1\r\nHost: rebind.example\r\n\r\n");
    QCOMPARE(c.next().status, 421);
    QVERIFY(c.isOpen());
}

void TestHttp11::methodNotAllowedSaysWhatIs()
{
    const QByteArray raw = rawExchange(m_server->port(), request("PUT", "/api/mission-control/tasks", m_token));
    QCOMPARE(statusOf(raw), 405);
    QCOMPARE(bodyOf(raw), QByteArray("{\"detail\":\"Method Not Allowed\"}"));
    QCOMPARE(headerValue(raw, "allow"), QByteArray("GET, POST, HEAD, OPTIONS"));
}

void TestHttp11::pipelinedRequestsAreAnsweredInOrder()
{
    Connection c(m_server->port());
    const QByteArray create = R"({"title": "pipelined"})";
    c.send(request("GET", "/api/mission-control/health", m_token)
           + request("POST", "/api/mission-control/tasks", m_token, {}, create)
           + request("GET", "/api/mission-control/nothing-here", m_token)
           + request("GET", "/api/mission-control/tasks?limit=1", m_token, "Connection: close\r\n")
           + request("GET", "/api/mission-control/health", m_token));   // after close: never answered
    const Answer health = c.next();
    const Answer created = c.next();
    const Answer missing = c.next();
    const Answer list = c.next();
    QCOMPARE(health.status, 200);
    QVERIFY(health.body.contains("\"status\""));
    QCOMPARE(created.status, 200);
    QVERIFY(created.body.contains("\"pipelined\""));
    QCOMPARE(missing.status, 404);
    QCOMPARE(list.status, 200);
    QVERIFY(list.body.contains("\"pipelined\""));   // newest first: the task created two answers before
    QVERIFY(c.closedByServer());
    QCOMPARE(c.leftover(), QByteArray());
}

void TestHttp11::chunkedRequestBodyIsRead()
{
    Connection c(m_server->port());
    c.send(request("POST", "/api/mission-control/tasks", m_token,
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"));
    const QByteArray part1 = R"({"title": "sent )";
    const QByteArray part2 = R"(in chunks"})";
    c.send(QByteArray::number(part1.size(), 16) + "\r\n" + part1 + "\r\n");
    QTest::qWait(50);
    c.send(QByteArray::number(part2.size(), 16) + "\r\n" + part2 + "\r\n0\r\n\r\n");
    const Answer a = c.next();
    QCOMPARE(a.status, 200);
    QVERIFY2(a.body.contains("\"sent in chunks\""), a.body.constData());
    // The connection is in step for the next request.
    c.send(request("GET", "/api/mission-control/health", m_token));
    QCOMPARE(c.next().status, 200);
}

void TestHttp11::chunkExtensionsAndTrailersKeepTheConnectionInStep()
{
    // The body ends at the zero-size chunk, however its size lines are
    // written; the next request's "Connection: close" is then honoured.
    {
        Connection c(m_server->port());
        const QByteArray part = R"({"title": "chunk extensions"})";
        c.send(request("POST", "/api/mission-control/tasks", m_token,
                       "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n")
               + QByteArray::number(part.size(), 16) + ";name=value\r\n" + part + "\r\n0;last\r\n\r\n");
        const Answer a = c.next();
        QCOMPARE(a.status, 200);
        QVERIFY2(a.body.contains("\"chunk extensions\""), a.body.constData());
        c.send(request("GET", "/api/mission-control/health", m_token, "Connection: close\r\n"));
        const Answer b = c.next();
        QCOMPARE(b.status, 200);
        QCOMPARE(b.header("connection").toLower(), QByteArray("close"));
        QVERIFY2(c.closedByServer(), "the request after a chunked body with extensions was read out of step");
    }
    // Trailer fields get a clear 400 and the connection ends (Qt 6.4 would
    // otherwise never answer the next request on it).
    {
        Connection c(m_server->port());
        c.send(request("POST", "/api/mission-control/tasks", m_token,
                       "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n")
               + "2\r\n{}\r\n0\r\nX-Checksum: 1\r\n\r\n");
        const Answer a = c.next();
        QCOMPARE(a.status, 400);
        QVERIFY2(a.body.contains("trailer"), a.body.constData());
        QVERIFY2(c.closedByServer(), "the connection stayed open after a refused trailer");
    }
}

void TestHttp11::differingContentLengthsAreRefused()
{
    Connection c(m_server->port());
    c.send(request("POST", "/api/mission-control/tasks", m_token,
                   "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n")
           + "{}");
    const Answer a = c.next();
    QCOMPARE(a.status, 400);
    QVERIFY2(c.closedByServer(), "the connection stayed open after two body lengths");
}

void TestHttp11::expectContinueGetsContinueThenTheAnswer()
{
    Connection c(m_server->port());
    const QByteArray body = R"({"title": "after continue"})";
    c.send(request("POST", "/api/mission-control/tasks", m_token,
                   "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
                           + QByteArray::number(body.size()) + "\r\n"));
    // The client waits for 100 before it sends the body; a server that stays silent hangs it.
    const Answer interim = c.next(false, true, 5000);
    QCOMPARE(interim.status, 100);
    c.send(body);
    const Answer a = c.next();
    QCOMPARE(a.status, 200);
    QVERIFY(a.body.contains("\"after continue\""));
}

void TestHttp11::transferEncodingWithContentLengthIsRefusedAndClosed()
{
    Connection c(m_server->port());
    c.send(request("POST", "/api/mission-control/tasks", m_token,
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n")
           + "5\r\n{\"a\":\r\n0\r\n\r\n");
    const Answer a = c.next();
    QCOMPARE(a.status, 400);
    QVERIFY(a.body.contains("\"detail\""));
    QCOMPARE(a.header("connection").toLower(), QByteArray("close"));
    QVERIFY2(c.closedByServer(), "the connection stayed open after an ambiguous body length");
    // A coding other than chunked last is refused too.
    const QByteArray raw = rawExchange(m_server->port(),
                                       request("POST", "/api/mission-control/tasks", m_token,
                                               "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n"));
    QCOMPARE(statusOf(raw), 400);
}

void TestHttp11::apacheBenchCompletesEveryRequest_data()
{
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("one connection per request") << false;
    QTest::newRow("keep-alive (-k)") << true;
}

void TestHttp11::apacheBenchCompletesEveryRequest()
{
    QFETCH(bool, keepAlive);
    const QString ab = QStandardPaths::findExecutable(u"ab"_s);
    if (ab.isEmpty())
        QSKIP("ApacheBench (ab, package apache2-utils) is not installed");
    const int requests = 1000;
    QStringList args{u"-n"_s, QString::number(requests), u"-c"_s, u"4"_s, u"-s"_s, u"20"_s,
                     u"-H"_s, u"Authorization: Bearer "_s + m_server->token()};
    if (keepAlive)
        args << u"-k"_s;
    args << m_server->base() + api + u"/tasks"_s;
    QProcess process;
    process.start(ab, args);
    QVERIFY(process.waitForStarted(5000));
    // ab blocks on the server, which runs on this thread: wait with the event loop running.
    QTRY_VERIFY_WITH_TIMEOUT(process.state() == QProcess::NotRunning, 90000);
    const QString out = QString::fromLocal8Bit(process.readAllStandardOutput());
    const QString err = QString::fromLocal8Bit(process.readAllStandardError());
    QVERIFY2(process.exitCode() == 0, qPrintable(out + err));
    const auto number = [&out](const QString &label) {
        const QRegularExpressionMatch m = QRegularExpression(label + u":\\s+(\\d+)"_s).match(out);
        return m.hasMatch() ? m.captured(1).toInt() : -1;
    };
    QVERIFY2(number(u"Complete requests"_s) == requests, qPrintable(out));
    QVERIFY2(number(u"Failed requests"_s) == 0, qPrintable(out));
    QVERIFY2(!out.contains(u"Non-2xx responses"_s), qPrintable(out));
    if (keepAlive)
        QVERIFY2(number(u"Keep-Alive requests"_s) == requests, qPrintable(out));
}

void TestHttp11::largeBodiesInSequenceOnOneConnection()
{
    // Nine 900 KB documents, one after the other on one keep-alive connection,
    // with an idle timeout shorter than the whole exchange: each gets its answer.
    TestServer server([] {
        mc::AppConfig config;
        config.limits.idleTimeoutMs = 800;
        return config;
    }());
    const QByteArray token = server.token().toUtf8();
    Connection c(server.port());
    for (int i = 0; i < 9; ++i) {
        c.send(request("POST", "/api/mission-control/documents", token, {}, documentBody(i, 900 * 1024)));
        const Answer a = c.next(false, false, 30000);
        QVERIFY2(a.status == 200, qPrintable(u"document %1 got status %2"_s.arg(i).arg(a.status)));
        QVERIFY(a.body.contains(QByteArray("\"big " + QByteArray::number(i) + '"')));
    }
    c.send(request("GET", "/api/mission-control/documents?limit=1", token));
    QCOMPARE(c.next().status, 200);
}

void TestHttp11::slowlySentLargeBodyIsAnswered()
{
    // A 900 KB body sent in 64 KB pieces ~150 ms apart (about two seconds,
    // more than the 800 ms idle timeout, well within the request timeout), as
    // the second request of its connection (after the first answer Qt 6.8
    // connects its read slot anew), then another large body at once: the
    // guard must count every byte of both to stay in step with the requests.
    TestServer server([] {
        mc::AppConfig config;
        config.limits.idleTimeoutMs = 800;
        return config;
    }());
    const QByteArray token = server.token().toUtf8();
    Connection c(server.port());
    c.send(request("GET", "/api/mission-control/health", token));
    QCOMPARE(c.next().status, 200);
    const QByteArray whole = request("POST", "/api/mission-control/documents", token, {}, documentBody(0, 900 * 1024));
    for (qsizetype at = 0; at < whole.size(); at += 64 * 1024) {
        c.send(whole.mid(at, 64 * 1024));
        QTest::qWait(150);
        QVERIFY2(c.isOpen(), qPrintable(u"dropped after %1 of %2 bytes"_s.arg(at).arg(whole.size())));
    }
    const Answer slow = c.next(false, false, 30000);
    QCOMPARE(slow.status, 200);
    QVERIFY(slow.body.contains("\"big 0\""));
    c.send(request("POST", "/api/mission-control/documents", token, {}, documentBody(1, 900 * 1024)));
    const Answer fast = c.next(false, false, 30000);
    QCOMPARE(fast.status, 200);
    QVERIFY(fast.body.contains("\"big 1\""));
    c.send(request("GET", "/api/mission-control/health", token));
    QCOMPARE(c.next().status, 200);
}

void TestHttp11::largeBodiesFromQtNetworkClient()
{
    // The same through QNetworkAccessManager (its own connection reuse and
    // buffering), as last session's Qt 6.8 drop was seen.
    TestServer server([] {
        mc::AppConfig config;
        config.limits.idleTimeoutMs = 800;
        return config;
    }());
    HttpClient client(server.base(), server.token());
    for (int i = 0; i < 9; ++i) {
        const HttpResponse r = client.request("POST", api + u"/documents"_s, documentBody(i, 900 * 1024));
        QVERIFY2(r.status == 200, qPrintable(u"document %1 got status %2"_s.arg(i).arg(r.status)));
    }
    QCOMPARE(client.get(api + u"/documents?limit=1"_s).status, 200);
}

QTEST_MAIN(TestHttp11)
#include "tst_http11.moc"
