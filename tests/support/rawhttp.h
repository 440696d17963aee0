#pragma once

#include <QByteArray>
#include <QTcpSocket>

namespace mc::test {

// Sends raw bytes on a fresh connection and returns everything the server
// answers until it closes or the timeout passes.
QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 5000);
int statusOf(const QByteArray &rawResponse);
QByteArray bodyOf(const QByteArray &rawResponse);
// The value of header `name` in a raw request or response head, compared
// case-insensitively (Qt 6.8 sends and delivers header names in lower case).
QByteArray headerValue(const QByteArray &rawMessage, const QByteArray &name);
QByteArray upgradeRequest(const QByteArray &pathAndQuery);

} // namespace mc::test
