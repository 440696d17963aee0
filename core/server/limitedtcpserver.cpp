#include "limitedtcpserver.h"

#include "connectionguard.h"
#include "errormapper.h"

#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace mc {

LimitedTcpServer::LimitedTcpServer(const ServerLimits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{
    // Also the listen backlog: a burst of connects is answered (503 beyond the cap), not dropped.
    setMaxPendingConnections(qMax(256, limits.maxConnections));
}

void LimitedTcpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    if (m_open >= m_limits.maxConnections && !evictIdleConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->write(rawHttpError(503, u"Too many open connections"_s));
        socket->disconnectFromHost();
        return;
    }
    ++m_open;
    // Answers are written as head + body: without TCP_NODELAY a keep-alive
    // client waits for a delayed ACK (~40 ms) on every request.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto *guard = new ConnectionGuard(socket, m_limits, m_cachedAnswer);
    const quint16 peerPort = socket->peerPort();
    m_byPeerPort.insert(peerPort, guard);
    connect(guard, &ConnectionGuard::released, this, [this, peerPort, guard] {
        --m_open;
        m_byPeerPort.remove(peerPort, guard);
    });
    connect(socket, &QTcpSocket::readyRead, guard, &ConnectionGuard::beforeHttpServerRead);
    m_fresh.append(guard);
    m_guards.append(guard);
    addPendingConnection(socket);
}

bool LimitedTcpServer::evictIdleConnection()
{
    m_guards.removeIf([](const QPointer<ConnectionGuard> &g) { return g.isNull() || g->isReleased(); });
    ConnectionGuard *oldest = nullptr;
    for (const QPointer<ConnectionGuard> &g : std::as_const(m_guards)) {
        if (g->isIdle() && (!oldest || g->idleSinceMs() < oldest->idleSinceMs()))
            oldest = g;
    }
    if (!oldest)
        return false;
    oldest->evict();   // releases its slot synchronously (disconnected -> released)
    return m_open < m_limits.maxConnections;
}

ConnectionGuard *LimitedTcpServer::guardOf(const QHostAddress &peer, quint16 peerPort) const
{
    for (auto it = m_byPeerPort.constFind(peerPort); it != m_byPeerPort.cend() && it.key() == peerPort; ++it) {
        ConnectionGuard *g = it.value();
        if (g && !g->isReleased() && g->socket()->peerAddress().isEqual(peer, QHostAddress::TolerantConversion))
            return g;
    }
    return nullptr;
}

void LimitedTcpServer::confirmUpgrade(const QHostAddress &peer, quint16 peerPort)
{
    if (ConnectionGuard *g = guardOf(peer, peerPort))
        g->confirmUpgrade();
}

void LimitedTcpServer::armGuards()
{
    for (const QPointer<ConnectionGuard> &guard : std::exchange(m_fresh, {})) {
        if (guard)
            guard->armAfterHook();
    }
}

} // namespace mc
