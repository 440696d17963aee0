#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpSocket>

#include <functional>

// A minimal WebSocket client for the load generator: handshake, then parses
// the server's (unmasked) frames straight from the socket buffer. QWebSocket
// decodes every frame into a QString; at 100k+ events/s that made the client,
// not the server, the bottleneck.
class RawWsClient final : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(QByteArrayView payload)>;
    RawWsClient(quint16 port, const QByteArray &token, Handler onText, QObject *parent = nullptr);
    bool isOpen() const { return m_open; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

private:
    void onReadyRead();

    QTcpSocket m_socket;
    QByteArray m_buffer;
    Handler m_onText;
    bool m_open = false;
};
