#pragma once

#include <QByteArray>
#include <QTcpSocket>

// A blocking HTTP/1.1 keep-alive client for the load generator: one socket,
// one request at a time, Content-Length bodies.
class RawHttpClient
{
public:
    RawHttpClient(quint16 port, QByteArray token);
    // Returns the status code (0 on failure); body in *body when given.
    int request(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
                QByteArray *responseBody = nullptr);

private:
    bool ensureConnected();
    quint16 m_port;
    QByteArray m_token;
    QTcpSocket m_socket;
    QByteArray m_buffer;
};
