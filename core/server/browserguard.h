#pragma once

#include <QByteArray>
#include <QHostAddress>

namespace mc {

// The defences of a local server against web pages in the user's browser:
// DNS rebinding (a Host that is not this server's), cross-site WebSocket
// connections (an Origin that is not this server's) and cross-site forms
// (a body that is not application/json).
class BrowserGuard
{
public:
    BrowserGuard() = default;
    BrowserGuard(QHostAddress bound, quint16 port) : m_bound(std::move(bound)), m_port(port) {}

    // A loopback name or address, or the address the server was bound to (any
    // IP literal when bound to a wildcard address). No Host at all (HTTP/1.0,
    // raw clients) is fine: browsers always send one.
    bool hostAllowed(const QByteArray &hostHeader) const;
    // Absent or "null" (a non-browser client), or http(s)://<allowed host>:<our port>.
    bool originAllowed(const QByteArray &originHeader) const;
    // application/json (parameters such as charset allowed) or application/*+json.
    static bool isJsonContentType(const QByteArray &contentType);

private:
    bool hostNameAllowed(const QString &host) const;

    QHostAddress m_bound = QHostAddress::LocalHost;
    quint16 m_port = 0;
};

} // namespace mc
