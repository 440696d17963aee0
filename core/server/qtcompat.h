#pragma once

// Everything in the server that differs between Qt 6.4 and Qt 6.8+, behind one
// QT_VERSION switch (DESIGN.md "Qt 6.8 facts"). Nothing else in the tree tests
// QT_VERSION for these APIs.

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QWebSocket>
#include <QtGlobal>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#include <QHttpServerWebSocketUpgradeResponse>
#endif

#include <functional>

namespace mc::qtcompat {

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)

// 6.8: missingHandler takes an lvalue responder.
using MissingResponder = QHttpServerResponder &;

inline void writeJson(QHttpServerResponder &responder, const QByteArray &body, int status)
{
    QHttpHeaders headers;
    headers.append(QHttpHeaders::WellKnownHeader::ContentType, "application/json");
    responder.write(body, headers, static_cast<QHttpServerResponder::StatusCode>(status));
}

inline constexpr auto webSocketError = &QWebSocket::errorOccurred;

// 6.8 never calls handleRequest() for an upgrade: it asks the verifiers first.
// A refused upgrade is passed on (not denied): Qt then calls missingHandler(),
// which answers with our JSON 401 body; deny() would send a bare status line.
inline void verifyUpgradesWith(QAbstractHttpServer *server,
                               std::function<bool(const QHttpServerRequest &)> accepts)
{
    server->addWebSocketUpgradeVerifier(server, [accepts = std::move(accepts)](const QHttpServerRequest &request) {
        return accepts(request) ? QHttpServerWebSocketUpgradeResponse::accept()
                                : QHttpServerWebSocketUpgradeResponse::passToNext();
    });
}

#else

// 6.5-6.7 take an rvalue responder; 6.4 passes the socket (see HttpApiServer).
using MissingResponder = QHttpServerResponder &&;

inline void writeJson(QHttpServerResponder &responder, const QByteArray &body, int status)
{
    responder.write(body, {{"Content-Type", "application/json"}},
                    static_cast<QHttpServerResponder::StatusCode>(status));
}

#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
inline constexpr auto webSocketError = &QWebSocket::errorOccurred;
#else
inline constexpr auto webSocketError = qOverload<QAbstractSocket::SocketError>(&QWebSocket::error);
#endif

// Before 6.8 handleRequest() sees the upgrade and decides (HttpApiServer).
inline void verifyUpgradesWith(QAbstractHttpServer *, std::function<bool(const QHttpServerRequest &)>) {}

#endif

} // namespace mc::qtcompat
