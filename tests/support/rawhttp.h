#pragma once

#include <QByteArray>
#include <QTcpSocket>

namespace mc::test {

// Sends raw bytes on a fresh connection and returns everything the server
// answers until it closes or the timeout passes.
QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 5000);
int statusOf(const QByteArray &rawResponse);
QByteArray bodyOf(const QByteArray &rawResponse);
QByteArray upgradeRequest(const QByteArray &pathAndQuery);

} // namespace mc::test
