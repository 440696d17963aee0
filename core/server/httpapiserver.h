#pragma once

#include "accesstoken.h"
#include "browserguard.h"
#include "qtcompat.h"
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
    bool isWebSocketUpgrade(const QHttpServerRequest &request) const;
    bool acceptsUpgrade(const QHttpServerRequest &request) const;
    struct Reply upgradeRefusal(const QHttpServerRequest &request) const;
    struct Reply answer(const QHttpServerRequest &request) const;
    struct Reply options(const QHttpServerRequest &request) const;
    QByteArray allowedMethods(const QString &path) const;
    // Writes the answer on the request's connection as RFC 9112 asks (HEAD,
    // Connection: close, HTTP/1.0) and closes the connection when it ends it.
    void respond(const QHttpServerRequest &request, ConnectionGuard &guard) const;

    const Router &m_router;
    AccessToken m_token;
    WebSocketHub &m_hub;
    ServerLimits m_limits;
    BrowserGuard m_browser;
    QPointer<LimitedTcpServer> m_tcp;
};

} // namespace mc
