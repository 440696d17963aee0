#pragma once

#include "connectionguard.h"
#include "serverlimits.h"

#include <QList>
#include <QMultiHash>
#include <QPointer>
#include <QTcpServer>

namespace mc {

// The QTcpServer QHttpServer is bound to: caps open connections and puts a
// ConnectionGuard on each socket (QHttpServer 6.4 has no limits of its own).
// At the cap, the connection idle the longest makes room for the new one;
// only when every connection is mid-request is the newcomer refused (503).
class LimitedTcpServer final : public QTcpServer
{
    Q_OBJECT

public:
    explicit LimitedTcpServer(const ServerLimits &limits, QObject *parent = nullptr);

    int openConnections() const { return m_open; }
    // Given to the guard of every connection accepted from now on (the fast path).
    void setCachedAnswer(ConnectionGuard::CachedAnswer cachedAnswer) { m_cachedAnswer = std::move(cachedAnswer); }
    // Connect to pendingConnectionAvailable *after* QAbstractHttpServer::bind():
    // installs the guards' after-read hooks behind QHttpServer's own slot.
    void armGuards();
    // The WebSocket server accepted the connection from this peer: its guard
    // steps aside and it no longer counts against the HTTP connection cap.
    void confirmUpgrade(const QHostAddress &peer, quint16 peerPort);
    // The guard of the open HTTP connection from this peer, or null.
    ConnectionGuard *guardOf(const QHostAddress &peer, quint16 peerPort) const;

protected:
    void incomingConnection(qintptr handle) override;

private:
    ServerLimits m_limits;
    ConnectionGuard::CachedAnswer m_cachedAnswer;
    bool evictIdleConnection();

    int m_open = 0;
    QList<QPointer<ConnectionGuard>> m_fresh;
    QList<QPointer<ConnectionGuard>> m_guards;
    QMultiHash<quint16, QPointer<ConnectionGuard>> m_byPeerPort;
};

} // namespace mc
