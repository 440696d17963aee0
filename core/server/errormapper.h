#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QJsonValue>

#include <functional>

namespace mc {

// An HTTP answer: status and JSON body.
struct Reply
{
    int status = 200;
    QByteArray body;
    // Or the body in pieces (a cached page inside its envelope), written one
    // after the other as they are: a page is never copied to be sent.
    QByteArrayList pieces = {};

    QByteArray joined() const { return pieces.isEmpty() ? body : pieces.join(); }
};

// The one place where failures become HTTP answers (API.md A.2): ApiError keeps
// its status and detail; anything else is a 500 whose detail leaks nothing.
Reply replyFor(int status, const QJsonValue &detail);
Reply guarded(const std::function<Reply()> &work);
// A complete HTTP/1.1 error response for code paths below QHttpServer
// (connection guard, connection cap).
QByteArray rawHttpError(int status, const QString &detail);
QByteArray reasonPhrase(int status);

} // namespace mc
