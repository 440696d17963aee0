#include "rawhttp.h"

#include <QDeadlineTimer>
#include <QTest>

namespace mc::test {

QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(request);
    QByteArray answer;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        QTest::qWait(5);
        answer += socket.readAll();
        const qsizetype headEnd = answer.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            const qsizetype lengthAt = answer.toLower().indexOf("content-length:");
            if (lengthAt >= 0 && lengthAt < headEnd) {
                const qsizetype eol = answer.indexOf("\r\n", lengthAt);
                const qint64 length = answer.mid(lengthAt + 15, eol - lengthAt - 15).trimmed().toLongLong();
                if (answer.size() >= headEnd + 4 + length)
                    break;
            } else if (answer.startsWith("HTTP/1.1 101")) {
                break;
            }
        }
    }
    answer += socket.readAll();
    return answer;
}

int statusOf(const QByteArray &rawResponse)
{
    return rawResponse.mid(9, 3).toInt();
}

QByteArray bodyOf(const QByteArray &rawResponse)
{
    // Content-Length bytes, as an HTTP client reads them (Qt 6.8 follows a
    // refused WebSocket upgrade's body with an empty line of its own).
    const qsizetype headEnd = rawResponse.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return {};
    const QByteArray length = headerValue(rawResponse, "content-length");
    return length.isEmpty() ? rawResponse.mid(headEnd + 4) : rawResponse.mid(headEnd + 4, length.toLongLong());
}

QByteArray headerValue(const QByteArray &rawMessage, const QByteArray &name)
{
    const qsizetype headEnd = rawMessage.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = rawMessage.left(headEnd < 0 ? rawMessage.size() : headEnd).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

QByteArray upgradeRequest(const QByteArray &pathAndQuery)
{
    return "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

} // namespace mc::test
