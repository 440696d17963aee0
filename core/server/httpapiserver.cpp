#include "httpapiserver.h"

#include "connectionguard.h"
#include "errormapper.h"
#include "limitedtcpserver.h"
#include "qtcompat.h"
#include "responsewriter.h"
#include "router.h"
#include "websockethub.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpSocket>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

void writeReply(QHttpServerResponder &responder, const Reply &reply)
{
    qtcompat::writeJson(responder, reply.joined(), reply.status);
}

// HEAD is answered as GET without the body.
QByteArray routeMethod(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get: return "GET";
    case QHttpServerRequest::Method::Head: return "GET";
    case QHttpServerRequest::Method::Post: return "POST";
    case QHttpServerRequest::Method::Patch: return "PATCH";
    case QHttpServerRequest::Method::Put: return "PUT";
    case QHttpServerRequest::Method::Delete: return "DELETE";
    case QHttpServerRequest::Method::Options: return "OPTIONS";
    default: return "OTHER";
    }
}

Reply misdirected()
{
    return replyFor(421, u"Misdirected Request: this server answers only to its own address "
                         "(127.0.0.1, localhost or the configured --host)"_s);
}

} // namespace

HttpApiServer::HttpApiServer(const Router &router, AccessToken token, WebSocketHub &hub,
                             const ServerLimits &limits, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_router(router)
    , m_token(std::move(token))
    , m_hub(hub)
    , m_limits(limits)
{
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
        while (hasPendingWebSocketConnections()) {
            std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
            if (m_tcp)
                m_tcp->confirmUpgrade(socket->peerAddress(), socket->peerPort());
            m_hub.accept(std::move(socket));
        }
    });
    // The token is checked before the upgrade, on every Qt version.
    // A refusal answers as on every other path: 421, 404, 403 or 401 (upgradeRefusal).
    qtcompat::verifyUpgradesWith(this, [this](const QHttpServerRequest &request) {
        return acceptsUpgrade(request) ? Reply{101, {}} : upgradeRefusal(request);
    });
}

HttpApiServer::~HttpApiServer() = default;

bool HttpApiServer::start(const QHostAddress &address, quint16 port, QString *error)
{
    auto *tcp = new LimitedTcpServer(m_limits, this);
    if (!tcp->listen(address, port)) {
        if (error) {
            *error = u"Cannot listen on %1:%2: %3"_s.arg(address.toString()).arg(port).arg(tcp->errorString());
        }
        delete tcp;
        return false;
    }
    tcp->setCachedAnswer([this](const RequestHead &head) { return cachedAnswer(head); });
    bind(tcp);
    m_browser = BrowserGuard(address, tcp->serverPort());
    m_allowedHost.reset();
    // After bind(): QHttpServer's slots come first, the guards' after-read hooks second.
    connect(tcp, &QTcpServer::pendingConnectionAvailable, tcp, &LimitedTcpServer::armGuards);
    m_tcp = tcp;
    return true;
}

void HttpApiServer::stop()
{
    if (m_tcp)
        m_tcp->close();
}

quint16 HttpApiServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

int HttpApiServer::openConnections() const
{
    return m_tcp ? m_tcp->openConnections() : 0;
}

void HttpApiServer::setFastPath(bool on)
{
    m_fastPath = on;
    m_answers.clear();
}

std::optional<bool> HttpApiServer::bearerVerdict(QByteArrayView authorization) const
{
    const QByteArrayView header = authorization.trimmed();
    if (header.size() > 7 && header.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return m_token.matches(header.sliced(7).trimmed());
    return std::nullopt;
}

bool HttpApiServer::authorized(const QHttpServerRequest &request) const
{
    if (const std::optional<bool> verdict = bearerVerdict(request.value("Authorization")))
        return *verdict;
    const QUrlQuery query = request.query();
    if (query.hasQueryItem(u"token"_s))
        return m_token.matches(query.queryItemValue(u"token"_s, QUrl::FullyDecoded).toUtf8());
    return false;
}

bool HttpApiServer::hostAllowed(QByteArrayView host)
{
    // The same decision as the normal path; a client sends the same Host on
    // every request, so the last allowed value is remembered.
    if (m_allowedHost && *m_allowedHost == host)
        return true;
    if (!m_browser.hostAllowed(host.toByteArray()))
        return false;
    m_allowedHost = host.toByteArray();
    return true;
}

std::optional<Reply> HttpApiServer::cachedAnswer(const RequestHead &head)
{
    // Only what the normal path would answer 200 from the same cache entry:
    // our Host, a valid Bearer token (constant time); anything else (421, 401,
    // a token in the query) is the normal path's to answer.
    if (!m_fastPath || !hostAllowed(head.host))
        return std::nullopt;
    if (const std::optional<bool> verdict = bearerVerdict(head.authorization); !verdict || !*verdict)
        return std::nullopt;
    std::optional<Reply> reply = m_answers.find(head.target);
    if (reply)
        ++m_fastAnswers;
    return reply;
}

bool HttpApiServer::isWebSocketUpgrade(const QHttpServerRequest &request) const
{
    // What Qt's parser takes for an upgrade: both headers. Anything else is a
    // plain request and gets a plain answer.
    if (request.value("Upgrade").trimmed().toLower() != "websocket")
        return false;
    return request.value("Connection").toLower().contains("upgrade");   // Qt 6.4's own test
}

bool HttpApiServer::acceptsUpgrade(const QHttpServerRequest &request) const
{
    return request.url().path() == u"/ws"_s && m_browser.hostAllowed(request.value("Host"))
            && m_browser.originAllowed(request.value("Origin")) && authorized(request);
}

Reply HttpApiServer::upgradeRefusal(const QHttpServerRequest &request) const
{
    if (!m_browser.hostAllowed(request.value("Host")))
        return misdirected();
    if (request.url().path() != u"/ws"_s)
        return replyFor(404, u"Not Found"_s);
    if (!m_browser.originAllowed(request.value("Origin"))) {
        return replyFor(403, u"Forbidden: WebSocket connections from pages of another origin are refused"_s);
    }
    return replyFor(401, u"Unauthorized"_s);
}

QByteArray HttpApiServer::allowedMethods(const QString &path) const
{
    return path == u"/ws"_s ? QByteArray("GET, OPTIONS") : m_router.allowedMethods(path);
}

Reply HttpApiServer::options(const QHttpServerRequest &request) const
{
    // No CORS is granted: a page of another origin gets 403 (its browser then
    // refuses the real request); our own pages never send a preflight.
    if (!m_browser.originAllowed(request.value("Origin")))
        return replyFor(403, u"Forbidden: requests from pages of another origin are refused"_s);
    if (allowedMethods(request.url().path()).isEmpty())
        return replyFor(404, u"Not Found"_s);
    return {204, {}};
}

void HttpApiServer::respond(const QHttpServerRequest &request, ConnectionGuard &guard)
{
    const ConnectionGuard::RequestFrame frame = guard.takeFrame();
    ResponseOptions how;
    how.headOnly = request.method() == QHttpServerRequest::Method::Head;
    how.keepAlive = frame.keepAlive;
    how.http10 = frame.http10;
    // A GET of a cacheable route answered 200 is kept for the fast path; not
    // one whose target carries the token (the fast path wants the header).
    std::optional<AnswerStamp> stamp;
    const bool keepable = m_fastPath && request.method() == QHttpServerRequest::Method::Get
            && !frame.target.isEmpty() && !frame.target.contains("token=");
    const Reply reply = answer(request, keepable ? &stamp : nullptr);
    if (stamp && reply.status == 200)
        m_answers.remember(frame.target, *stamp, reply);
    if (reply.status == 405 || reply.status == 204)
        how.allow = allowedMethods(request.url().path());
    writeResponse(guard.socket(), reply, how);
    if (!how.keepAlive)
        guard.closeAfterAnswer();
}

Reply HttpApiServer::answer(const QHttpServerRequest &request, std::optional<AnswerStamp> *stamp) const
{
    if (!m_browser.hostAllowed(request.value("Host")))
        return misdirected();
    if (request.method() == QHttpServerRequest::Method::Options)
        return options(request);
    const QString path = request.url().path();
    const bool protectedPath = path.startsWith(u"/api"_s) || path == u"/ws"_s;
    if (protectedPath && !authorized(request))
        return replyFor(401, u"Unauthorized"_s);
    // A cross-site form can post urlencoded, multipart or text/plain bodies, never JSON.
    // No Content-Type at all is read as JSON, as FastAPI does (scripts written
    // for the original send none); a browser form always names its type.
    const QByteArray contentType = request.value("Content-Type");
    if (!request.body().isEmpty() && !contentType.isEmpty() && !BrowserGuard::isJsonContentType(contentType)) {
        return replyFor(415, u"Unsupported Media Type: request bodies must be JSON sent with "
                             "Content-Type: application/json"_s);
    }
    if (path == u"/ws"_s)   // a plain GET on /ws without an upgrade
        return replyFor(400, u"WebSocket upgrade required"_s);
    return m_router.dispatch(routeMethod(request.method()), path, request.query(), request.body(), stamp);
}

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
bool HttpApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (isWebSocketUpgrade(request))
        return acceptsUpgrade(request);
    if (ConnectionGuard *guard = m_tcp ? m_tcp->guardOf(socket->peerAddress(), socket->peerPort()) : nullptr) {
        respond(request, *guard);
        return true;
    }
    QHttpServerResponder responder = makeResponder(request, socket);
    writeReply(responder, answer(request));
    return true;
}

void HttpApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Only rejected WebSocket upgrades get here; their frame is answered now.
    if (ConnectionGuard *guard = m_tcp ? m_tcp->guardOf(socket->peerAddress(), socket->peerPort()) : nullptr)
        guard->takeFrame();
    QHttpServerResponder responder = makeResponder(request, socket);
    writeReply(responder, upgradeRefusal(request));
}
#else
bool HttpApiServer::handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    if (isWebSocketUpgrade(request))
        return acceptsUpgrade(request);
    if (ConnectionGuard *guard = m_tcp ? m_tcp->guardOf(request.remoteAddress(), request.remotePort()) : nullptr) {
        respond(request, *guard);
        return true;
    }
    writeReply(responder, answer(request));
    return true;
}

void HttpApiServer::missingHandler(const QHttpServerRequest &request, qtcompat::MissingResponder responder)
{
    if (ConnectionGuard *guard = m_tcp ? m_tcp->guardOf(request.remoteAddress(), request.remotePort()) : nullptr)
        guard->takeFrame();
    writeReply(responder, upgradeRefusal(request));
}
#endif

} // namespace mc
