#pragma once

// Everything in the server that differs between Qt 6.4 and Qt 6.8+, behind one
// QT_VERSION switch (DESIGN.md "Qt 6.8 facts"). Nothing else in the tree tests
// QT_VERSION for these APIs.

#include "errormapper.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QWebSocket>
#include <QtGlobal>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#include <QHttpServerWebSocketUpgradeResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#endif

#include <functional>

namespace mc::qtcompat {

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)

// 6.8 answers "Expect: 100-continue" itself (and 6.4 never does: the connection guard does).
inline constexpr bool serverSendsContinue = true;

// 6.8: missingHandler takes an lvalue responder.
using MissingResponder = QHttpServerResponder &;

inline void writeJson(QHttpServerResponder &responder, const QByteArray &body, int status)
{
    QHttpHeaders headers;
    headers.append(QHttpHeaders::WellKnownHeader::ContentType, "application/json");
    responder.write(body, headers, static_cast<QHttpServerResponder::StatusCode>(status));
}

inline constexpr auto webSocketError = &QWebSocket::errorOccurred;

// 6.8 never calls handleRequest() for an upgrade: it asks the verifiers, and
// `verdict` answers 101 (accept) or the error status. An upgrade passed on gets
// no answer at all, and deny() writes only "HTTP/1.1 <status> <message>\r\n\r\n"
// and keeps the connection: so the message carries the reason phrase, our
// headers and the JSON body (rawHttpError), and the connection is closed once
// that is written (Connection: close).
inline void verifyUpgradesWith(QAbstractHttpServer *server, std::function<Reply(const QHttpServerRequest &)> verdict)
{
    server->addWebSocketUpgradeVerifier(server, [server, verdict = std::move(verdict)](const QHttpServerRequest &request) {
        const Reply reply = verdict(request);
        const int status = reply.status;
        if (status == 101)
            return QHttpServerWebSocketUpgradeResponse::accept();
        for (QTcpSocket *socket : server->findChildren<QTcpSocket *>()) {
            if (socket->peerPort() == request.remotePort() && socket->peerAddress().isEqual(request.remoteAddress()))
                QMetaObject::invokeMethod(socket, [socket] { socket->disconnectFromHost(); }, Qt::QueuedConnection);
        }
        const QByteArray raw = rawHttpError(status, QJsonDocument::fromJson(reply.body).object().value(QStringLiteral("detail")).toString());
        const QByteArray statusLine = "HTTP/1.1 " + QByteArray::number(status) + ' ';
        return QHttpServerWebSocketUpgradeResponse::deny(status, raw.mid(statusLine.size()));
    });
}

#else

inline constexpr bool serverSendsContinue = false;

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
inline void verifyUpgradesWith(QAbstractHttpServer *, std::function<Reply(const QHttpServerRequest &)>) {}

#endif

} // namespace mc::qtcompat
