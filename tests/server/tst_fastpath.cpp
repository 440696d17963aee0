// The connection guard's fast path (issue 19): repeats of a cacheable GET are
// answered from AnswerCache without QHttpServer. Every answer must be byte for
// byte what the normal path sends for the same request in the same state
// (keep-alive, Connection: close, HTTP/1.0, pipelining), anything it does not
// answer 200 (wrong token, foreign Host, token in the query) still gets the
// normal path's answer, and a write -- in this process or another -- makes the
// kept answer stale at once.

#include "httpapiserver.h"
#include "httpclient.h"
#include "requesthead.h"
#include "store.h"
#include "taskrepository.h"
#include "testserver.h"

#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QTest>

using namespace mc::test;
using namespace Qt::StringLiterals;

namespace {

// Whole answers cut by Content-Length, counted: how many of `bytes` are complete.
int completeAnswers(const QByteArray &bytes)
{
    int answers = 0;
    qsizetype at = 0;
    while (true) {
        const qsizetype headEnd = bytes.indexOf("\r\n\r\n", at);
        if (headEnd < 0)
            return answers;
        const QByteArray head = bytes.mid(at, headEnd - at).toLower();
        const qsizetype lengthAt = head.indexOf("content-length:");
        const qint64 length = lengthAt < 0 ? 0 : head.mid(lengthAt + 15, head.indexOf("\r\n", lengthAt) - lengthAt - 15).trimmed().toLongLong();
        if (bytes.size() < headEnd + 4 + length)
            return answers;
        ++answers;
        at = headEnd + 4 + length;
    }
}

// Sends `requests` on a fresh connection and returns every byte answered: until
// `answers` whole answers came, and then until the server closed when `closes`.
QByteArray exchange(quint16 port, const QByteArray &requests, int answers, bool closes)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(10000))
        return {};
    socket.write(requests);
    QByteArray received;
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        received += socket.readAll();
        const bool open = socket.state() == QAbstractSocket::ConnectedState;
        if (completeAnswers(received) >= answers && (!closes || !open))
            break;
        if (!open && socket.bytesAvailable() == 0)
            break;
        QTest::qWait(5);
    }
    return received + socket.readAll();
}

QByteArray get(const QByteArray &target, const QByteArray &token, const QByteArray &extra = {},
               const QByteArray &version = "HTTP/1.1")
{
    return "GET " + target + ' ' + version + "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n" + extra
            + "\r\n";
}

} // namespace

class TestFastPath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<TestServer>();
        m_token = m_server->token().toUtf8();
        HttpClient client(m_server->base(), m_server->token());
        for (int i = 0; i < 12; ++i) {
            QVERIFY(!client.createTask({{u"title"_s, u"task %1"_s.arg(i)},
                                        {u"tags"_s, QJsonArray{i % 2 ? u"odd"_s : u"even"_s}}})
                             .isEmpty());
        }
    }
    void cleanupTestCase() { m_server.reset(); }
    void init() { server().setFastPath(true); }

    void repeatsAreAnsweredAsTheNormalPathDoes_data();
    void repeatsAreAnsweredAsTheNormalPathDoes();
    void refusedRequestsGetTheNormalPathsAnswer_data();
    void refusedRequestsGetTheNormalPathsAnswer();
    void aWriteHereMakesTheKeptAnswerStale();
    void aWriteByAnotherConnectionMakesTheKeptAnswerStale();
    void aRequestPipelinedBehindAWriteSeesTheWrite();
    void onlyPlainGetsQualify_data();
    void onlyPlainGetsQualify();

private:
    mc::HttpApiServer &server() { return m_server->app().server(); }
    // The answer with the fast path off, then (after one request that keeps
    // it) with it on; returns both and how many requests the fast path took.
    struct Pair
    {
        QByteArray normal;
        QByteArray fast;
        quint64 fastAnswers = 0;
    };
    Pair both(const QByteArray &requests, int answers, bool closes, const QByteArray &warm);

    std::unique_ptr<TestServer> m_server;
    QByteArray m_token;
};

TestFastPath::Pair TestFastPath::both(const QByteArray &requests, int answers, bool closes, const QByteArray &warm)
{
    Pair p;
    server().setFastPath(false);
    p.normal = exchange(m_server->port(), requests, answers, closes);
    server().setFastPath(true);
    exchange(m_server->port(), warm, 1, false);
    const quint64 before = server().fastAnswers();
    p.fast = exchange(m_server->port(), requests, answers, closes);
    p.fastAnswers = server().fastAnswers() - before;
    return p;
}

void TestFastPath::repeatsAreAnsweredAsTheNormalPathDoes_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("extra");
    QTest::addColumn<QByteArray>("version");
    QTest::addColumn<int>("requests");   // pipelined on one connection
    QTest::addColumn<bool>("closes");
    const QList<QByteArray> targets{"/api/mission-control/tasks", "/api/mission-control/tasks?limit=5",
                                    "/api/mission-control/tasks?tags=odd&limit=3",
                                    "/api/mission-control/tasks?status=inbox", "/api/mission-control/tasks?limit=4&after="};
    for (const QByteArray &t : targets) {
        QTest::addRow("%s keep-alive", t.constData()) << t << QByteArray() << QByteArray("HTTP/1.1") << 1 << false;
        QTest::addRow("%s close", t.constData()) << t << QByteArray("Connection: close\r\n") << QByteArray("HTTP/1.1") << 1 << true;
        QTest::addRow("%s 1.0", t.constData()) << t << QByteArray() << QByteArray("HTTP/1.0") << 1 << true;
        QTest::addRow("%s 1.0 keep-alive", t.constData()) << t << QByteArray("Connection: keep-alive\r\n")
                                                          << QByteArray("HTTP/1.0") << 1 << false;
        QTest::addRow("%s pipelined", t.constData()) << t << QByteArray() << QByteArray("HTTP/1.1") << 3 << false;
    }
    QTest::addRow("pipelined, the last closes") << targets.first() << QByteArray("Connection: close\r\n")
                                                << QByteArray("HTTP/1.1") << -3 << true;
}

void TestFastPath::repeatsAreAnsweredAsTheNormalPathDoes()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, extra);
    QFETCH(QByteArray, version);
    QFETCH(int, requests);
    QFETCH(bool, closes);
    QByteArray sent;
    if (requests < 0) {   // keep-alive requests, then one that closes
        for (int i = 1; i < -requests; ++i)
            sent += get(target, m_token);
        sent += get(target, m_token, extra, version);
        requests = -requests;
    } else {
        for (int i = 0; i < requests; ++i)
            sent += get(target, m_token, extra, version);
    }
    const Pair p = both(sent, requests, closes, get(target, m_token));
    QCOMPARE(completeAnswers(p.normal), requests);
    QVERIFY(p.normal.startsWith("HTTP/1.1 200 OK\r\n"));
    QCOMPARE(p.fast, p.normal);
    QCOMPARE(p.fastAnswers, quint64(requests));
}

void TestFastPath::refusedRequestsGetTheNormalPathsAnswer_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    const QByteArray tasks = "/api/mission-control/tasks";
    QTest::addRow("wrong token") << get(tasks, "not-the-token") << 401;
    QTest::addRow("token one byte short") << get(tasks, m_token.chopped(1)) << 401;
    QTest::addRow("basic scheme") << ("GET " + tasks + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
                                      + m_token + "\r\n\r\n") << 401;
    QTest::addRow("no token") << ("GET " + tasks + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") << 401;
    QTest::addRow("foreign host") << ("GET " + tasks + " HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer "
                                      + m_token + "\r\n\r\n") << 421;
    QTest::addRow("token in the query") << ("GET " + tasks + "?token=" + m_token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                                        << 200;
}

void TestFastPath::refusedRequestsGetTheNormalPathsAnswer()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const Pair p = both(request, 1, false, get("/api/mission-control/tasks", m_token));
    const QByteArray statusLine = "HTTP/1.1 " + QByteArray::number(status) + ' ';
    QVERIFY2(p.normal.startsWith(statusLine), p.normal.left(40).constData());
    QCOMPARE(p.fast, p.normal);
    QCOMPARE(p.fastAnswers, quint64(0));
}

void TestFastPath::aWriteHereMakesTheKeptAnswerStale()
{
    const QByteArray request = get("/api/mission-control/tasks?limit=2", m_token);
    exchange(m_server->port(), request, 1, false);
    quint64 before = server().fastAnswers();
    const QByteArray kept = exchange(m_server->port(), request, 1, false);
    QCOMPARE(server().fastAnswers(), before + 1);

    HttpClient client(m_server->base(), m_server->token());
    QVERIFY(!client.createTask({{u"title"_s, u"written through the API"_s}}).isEmpty());
    before = server().fastAnswers();
    const QByteArray after = exchange(m_server->port(), request, 1, false);
    QCOMPARE(server().fastAnswers(), before);   // stale: the normal path answered
    QVERIFY(after.contains("written through the API"));
    QVERIFY(!kept.contains("written through the API"));
    server().setFastPath(false);
    QCOMPARE(exchange(m_server->port(), request, 1, false), after);
}

void TestFastPath::aWriteByAnotherConnectionMakesTheKeptAnswerStale()
{
    // Another Store on the same data folder stands for another process (or the
    // output writer's connection): its commits move SQLite's data_version.
    const QByteArray request = get("/api/mission-control/tasks?limit=3", m_token);
    exchange(m_server->port(), request, 1, false);
    quint64 before = server().fastAnswers();
    exchange(m_server->port(), request, 1, false);
    QCOMPARE(server().fastAnswers(), before + 1);

    {
        mc::Store other;
        other.open(m_server->dataDir());
        other.tasks().create({{u"title"_s, u"written by another connection"_s}});
    }
    before = server().fastAnswers();
    const QByteArray after = exchange(m_server->port(), request, 1, false);
    QCOMPARE(server().fastAnswers(), before);
    QVERIFY(after.contains("written by another connection"));
}

void TestFastPath::aRequestPipelinedBehindAWriteSeesTheWrite()
{
    // The GET is kept, then sent behind a POST on one connection: it must not
    // be answered before the POST (nor from the answer kept before it).
    const QByteArray list = get("/api/mission-control/tasks?limit=1", m_token);
    exchange(m_server->port(), list, 1, false);
    const QByteArray body = R"({"title": "posted before the pipelined read"})";
    const QByteArray post = "POST /api/mission-control/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + m_token + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n\r\n" + body;
    const QByteArray answers = exchange(m_server->port(), post + list + list, 3, false);
    QCOMPARE(completeAnswers(answers), 3);
    QVERIFY(answers.startsWith("HTTP/1.1 20"));
    const qsizetype second = answers.indexOf("HTTP/1.1 200", 12);
    QVERIFY(second > 0);
    QVERIFY(answers.indexOf("posted before the pipelined read", second) > second);
}

void TestFastPath::onlyPlainGetsQualify_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("qualifies");
    QTest::addColumn<QByteArray>("target");
    QTest::addRow("plain") << QByteArray("GET /a?b=c HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t") << true << QByteArray("/a?b=c");
    QTest::addRow("no headers") << QByteArray("GET / HTTP/1.0") << true << QByteArray("/");
    QTest::addRow("HEAD") << QByteArray("HEAD / HTTP/1.1\r\nHost: x") << false << QByteArray();
    QTest::addRow("lower-case method") << QByteArray("get / HTTP/1.1") << false << QByteArray();
    QTest::addRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0") << false << QByteArray();
    QTest::addRow("absolute form") << QByteArray("GET http://x/ HTTP/1.1") << false << QByteArray();
    QTest::addRow("two spaces") << QByteArray("GET  / HTTP/1.1") << false << QByteArray();
    QTest::addRow("fragment") << QByteArray("GET /a#b HTTP/1.1") << false << QByteArray();
    QTest::addRow("content-length") << QByteArray("GET / HTTP/1.1\r\nContent-Length: 0") << false << QByteArray();
    QTest::addRow("chunked") << QByteArray("GET / HTTP/1.1\r\nTransfer-Encoding: chunked") << false << QByteArray();
    QTest::addRow("expect") << QByteArray("GET / HTTP/1.1\r\nExpect: 100-continue") << false << QByteArray();
    QTest::addRow("upgrade") << QByteArray("GET / HTTP/1.1\r\nUPGRADE: websocket") << false << QByteArray();
    QTest::addRow("connection upgrade") << QByteArray("GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade") << false << QByteArray();
    QTest::addRow("connection close") << QByteArray("GET / HTTP/1.1\r\nConnection: close") << true << QByteArray("/");
    QTest::addRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nhost: b") << false << QByteArray();
    QTest::addRow("two authorizations") << QByteArray("GET / HTTP/1.1\r\nAuthorization: a\r\nAuthorization: b") << false << QByteArray();
    QTest::addRow("folded line") << QByteArray("GET / HTTP/1.1\r\nX-A: a\r\n b") << false << QByteArray();
    QTest::addRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : a") << false << QByteArray();
    QTest::addRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: a") << false << QByteArray();
    QTest::addRow("control byte") << QByteArray("GET / HTTP/1.1\r\nX-A: a\x01") << false << QByteArray();
    QTest::addRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost") << false << QByteArray();
}

void TestFastPath::onlyPlainGetsQualify()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, qualifies);
    QFETCH(QByteArray, target);
    mc::RequestHead parsed;
    QCOMPARE(mc::RequestHead::parsePlainGet(head, &parsed), qualifies);
    if (qualifies)
        QCOMPARE(parsed.target.toByteArray(), target);
}

QTEST_MAIN(TestFastPath)
#include "tst_fastpath.moc"
