#pragma once

#include "accesstoken.h"
#include "answercache.h"
#include "browserguard.h"
#include "qtcompat.h"
#include "requesthead.h"
#include "serverlimits.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QPointer>

namespace mc {

class ConnectionGuard;
class LimitedTcpServer;
class Router;
class WebSocketHub;

// The HTTP front: every request goes through handleRequest() (QHttpServer's own
// router is not used, see DESIGN.md facts 1 and 3): auth, then the Router.
// WebSocket upgrades on /ws are accepted only with a valid token.
class HttpApiServer final : public QAbstractHttpServer
{
    Q_OBJECT

public:
    HttpApiServer(const Router &router, AccessToken token, WebSocketHub &hub,
                  const ServerLimits &limits, QObject *parent = nullptr);
    ~HttpApiServer() override;

    // Binds host:port (0 = any free port). Returns false with a reason on failure.
    bool start(const QHostAddress &address, quint16 port, QString *error);
    void stop();
    quint16 port() const;
    int openConnections() const;
    // The fast path (on by default): repeats of a cacheable GET are answered
    // by the connection guard from AnswerCache, byte for byte what the route
    // would answer, without QHttpServer parsing them. Off: every request goes
    // through QHttpServer (tests compare the two).
    void setFastPath(bool on);
    quint64 fastAnswers() const { return m_fastAnswers; }   // requests answered by the fast path

protected:
#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;
#else
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override;
    void missingHandler(const QHttpServerRequest &request, qtcompat::MissingResponder responder) override;
#endif

private:
    bool authorized(const QHttpServerRequest &request) const;
    // The verdict of an Authorization header's Bearer token; none for another scheme.
    std::optional<bool> bearerVerdict(QByteArrayView authorization) const;
    bool hostAllowed(QByteArrayView host);
    std::optional<Reply> cachedAnswer(const RequestHead &head);
    bool isWebSocketUpgrade(const QHttpServerRequest &request) const;
    bool acceptsUpgrade(const QHttpServerRequest &request) const;
    struct Reply upgradeRefusal(const QHttpServerRequest &request) const;
    struct Reply answer(const QHttpServerRequest &request, std::optional<AnswerStamp> *stamp = nullptr) const;
    struct Reply options(const QHttpServerRequest &request) const;
    QByteArray allowedMethods(const QString &path) const;
    // Writes the answer on the request's connection as RFC 9112 asks (HEAD,
    // Connection: close, HTTP/1.0) and closes the connection when it ends it.
    void respond(const QHttpServerRequest &request, ConnectionGuard &guard);

    const Router &m_router;
    AccessToken m_token;
    WebSocketHub &m_hub;
    ServerLimits m_limits;
    BrowserGuard m_browser;
    QPointer<LimitedTcpServer> m_tcp;
    AnswerCache m_answers;
    bool m_fastPath = true;
    quint64 m_fastAnswers = 0;
    std::optional<QByteArray> m_allowedHost;   // the last Host value found allowed
};

} // namespace mc
