#include "rawhttpclient.h"

RawHttpClient::RawHttpClient(quint16 port, QByteArray token)
    : m_port(port)
    , m_token(std::move(token))
{
}

bool RawHttpClient::ensureConnected()
{
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        return true;
    m_socket.abort();
    m_buffer.clear();
    m_socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!m_socket.waitForConnected(5000))
        return false;
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    return true;
}

int RawHttpClient::request(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                           QByteArray *responseBody)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!ensureConnected())
            return 0;
        QByteArray req = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + m_token + "\r\n";
        if (!body.isEmpty())
            req += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        req += "\r\n" + body;
        m_socket.write(req);
        for (;;) {
            const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                const QByteArray head = m_buffer.left(headEnd).toLower();
                const qsizetype at = head.indexOf("content-length:");
                const qint64 length = at < 0 ? 0 : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
                if (m_buffer.size() >= headEnd + 4 + length) {
                    const int status = m_buffer.mid(9, 3).toInt();
                    if (responseBody)
                        *responseBody = m_buffer.mid(headEnd + 4, length);
                    m_buffer.remove(0, headEnd + 4 + length);
                    return status;
                }
            }
            if (!m_socket.waitForReadyRead(10000))
                break;
            m_buffer += m_socket.readAll();
        }
        m_socket.abort();   // the server closed an idle keep-alive connection: reconnect once
    }
    return 0;
}
