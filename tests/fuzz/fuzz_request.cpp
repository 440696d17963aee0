// libFuzzer target: the request layer of every route -- routing, path and
// query parameters, body parsing, validation, the handlers and the JSON they
// produce -- on a real store. Input: "METHOD /path?query\nbody".
// An input starting with "RAW\n" is instead sent as raw bytes over a socket to
// the real HTTP server (connection guard, upgrade handling, host, origin and
// content-type checks): a connection that did not get a 101 must stay under
// the connection limits while open, and give its slot back once closed.
#include "backendregistry.h"
#include "errormapper.h"
#include "executor.h"
#include "httpapiserver.h"
#include "router.h"
#include "runroutes.h"
#include "store.h"
#include "storeroutes.h"
#include "websockethub.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTcpSocket>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QUrl>

#include <cstdint>
#include <cstdlib>

namespace {
struct World
{
    QTemporaryDir dir;
    mc::Store store;
    std::unique_ptr<mc::Executor> executor;
    mc::Router router;
    std::unique_ptr<mc::WebSocketHub> hub;
    std::unique_ptr<mc::HttpApiServer> server;
};
World *g_world = nullptr;
} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
    qputenv("MISSION_CONTROL_SETTINGS", "/dev/null");
    g_world = new World;
    g_world->store.open(g_world->dir.path());
    g_world->executor = std::make_unique<mc::Executor>(g_world->store, 5);
    mc::registerRunRoutes(g_world->router, g_world->store, *g_world->executor);
    mc::registerStoreRoutes(g_world->router, g_world->store, &mc::backends::validateConfig);
    mc::registerSystemRoutes(g_world->router, *g_world->executor, QStringLiteral("fuzz"));
    mc::ServerLimits limits;
    limits.requestTimeoutMs = 50;
    limits.idleTimeoutMs = 50;
    g_world->hub = std::make_unique<mc::WebSocketHub>(limits);
    g_world->server = std::make_unique<mc::HttpApiServer>(g_world->router, mc::AccessToken("fuzz-token"),
                                                          *g_world->hub, limits);
    QString error;
    if (!g_world->server->start(QHostAddress::LocalHost, 0, &error))
        std::abort();
    return 0;
}

namespace {
void pump(int ms, const std::function<bool()> &done)
{
    QDeadlineTimer deadline(ms);
    while (!done() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

bool answerComplete(const QByteArray &answer)
{
    const qsizetype headEnd = answer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QByteArray head = answer.left(headEnd).toLower();
    const qsizetype at = head.indexOf("content-length:");
    // An answer that closes the connection is complete once it is closed.
    if (at < 0 || head.contains("connection: close"))
        return false;
    const qint64 length = answer.mid(at + 15, answer.indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
    return answer.size() >= headEnd + 4 + length;
}

// Raw bytes through the real server.
void exchangeRaw(const QByteArray &bytes)
{
    mc::HttpApiServer &server = *g_world->server;
    pump(500, [&] { return server.openConnections() == 0; });
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    pump(500, [&] { return socket.state() == QAbstractSocket::ConnectedState; });
    socket.write(bytes);
    QByteArray answer;
    // Until a 101, a whole answer, or the request timeout (50 ms) closes the connection.
    pump(200, [&] {
        answer += socket.readAll();
        return answer.startsWith("HTTP/1.1 101") || socket.state() != QAbstractSocket::ConnectedState
                || answerComplete(answer);
    });
    answer += socket.readAll();
    if (answer.startsWith("HTTP/1.1 500"))
        std::abort();
    // Not upgraded and still open: the connection still counts, limits and all.
    if (!answer.startsWith("HTTP/1.1 101") && socket.state() == QAbstractSocket::ConnectedState
        && server.openConnections() < 1)
        std::abort();
    socket.abort();
    // Closed: its slot comes back.
    pump(2000, [&] { return server.openConnections() == 0; });
    if (server.openConnections() != 0)
        std::abort();
    g_world->hub->closeAll();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (input.startsWith("RAW\n")) {
        exchangeRaw(input.mid(4));
        return 0;
    }
    const qsizetype newline = input.indexOf('\n');
    const QByteArray line = newline < 0 ? input : input.left(newline);
    const QByteArray body = newline < 0 ? QByteArray() : input.mid(newline + 1);
    const qsizetype space = line.indexOf(' ');
    const QByteArray method = space < 0 ? QByteArray("GET") : line.left(space);
    const QUrl url(QString::fromUtf8(space < 0 ? line : line.mid(space + 1)));
    const mc::Reply reply = g_world->router.dispatch(method, url.path(), QUrlQuery(url), body);
    // Every answer is a JSON object with the contract's shape; never a 500.
    const QJsonDocument doc = QJsonDocument::fromJson(reply.joined());
    if (!doc.isObject() || reply.status == 500)
        std::abort();
    if (reply.status >= 400 && !doc.object().contains(QStringLiteral("detail")))
        std::abort();
    // Let queued work (run finishes, output) happen; nothing may run away.
    QCoreApplication::processEvents();
    return 0;
}
