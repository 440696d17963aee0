#include "rawwsclient.h"

RawWsClient::RawWsClient(quint16 port, const QByteArray &token, Handler onText, QObject *parent)
    : QObject(parent)
    , m_onText(std::move(onText))
{
    m_socket.setReadBufferSize(0);
    connect(&m_socket, &QTcpSocket::connected, this, [this, token] {
        m_socket.write("GET /ws?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                       "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n\r\n");
    });
    connect(&m_socket, &QTcpSocket::readyRead, this, &RawWsClient::onReadyRead);
    m_socket.connectToHost(QHostAddress::LocalHost, port);
}

void RawWsClient::onReadyRead()
{
    m_buffer += m_socket.readAll();
    qsizetype pos = 0;
    if (!m_open) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        m_open = m_buffer.startsWith("HTTP/1.1 101");
        pos = end + 4;
    }
    for (;;) {
        if (m_buffer.size() - pos < 2)
            break;
        const auto *p = reinterpret_cast<const unsigned char *>(m_buffer.constData() + pos);
        const int opcode = p[0] & 0x0f;
        quint64 length = p[1] & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (m_buffer.size() - pos < 4)
                break;
            length = (quint64(p[2]) << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (m_buffer.size() - pos < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | p[2 + i];
            header = 10;
        }
        if (quint64(m_buffer.size() - pos - header) < length)
            break;
        if (opcode == 1)
            m_onText(QByteArrayView(m_buffer).sliced(pos + header, qsizetype(length)));
        pos += header + qsizetype(length);
    }
    m_buffer.remove(0, pos);
}
