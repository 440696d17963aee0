#include "fakellmserver.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace mc::test {

FakeLlmServer::FakeLlmServer(QObject *parent)
    : QTcpServer(parent)
{
    listen(QHostAddress::LocalHost, 0);
    connect(this, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
                buffer->append(socket->readAll());
                const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
                if (headEnd < 0)
                    return;
                const qsizetype at = buffer->toLower().indexOf("content-length:");
                const qint64 length = at < 0 ? 0 : buffer->mid(at + 15, buffer->indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
                if (buffer->size() < headEnd + 4 + length)
                    return;
                m_requests.append(*buffer);
                const FakeResponse response = m_script.isEmpty() ? FakeResponse{404, {}, 0, -1}
                        : m_script.size() > 1 ? m_script.takeFirst() : m_script.first();
                buffer->clear();
                serve(socket, response);
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

QString FakeLlmServer::baseUrl() const
{
    return u"http://127.0.0.1:%1"_qs.arg(serverPort());
}

QByteArray FakeLlmServer::sse(const QByteArray &data, const QByteArray &event)
{
    return (event.isEmpty() ? QByteArray() : "event: " + event + "\n") + "data: " + data + "\n\n";
}

void FakeLlmServer::serve(QTcpSocket *socket, const FakeResponse &response)
{
    const QByteArray type = response.status == 200 ? "text/event-stream" : "application/json";
    socket->write("HTTP/1.1 " + QByteArray::number(response.status) + " X\r\nContent-Type: " + type
                  + "\r\nConnection: close\r\n\r\n");
    writeChunks(socket, response, 0);
}

void FakeLlmServer::writeChunks(QTcpSocket *socket, FakeResponse response, int from)
{
    QPointer<QTcpSocket> guard(socket);
    for (int i = from; i < response.chunks.size(); ++i) {
        if (!guard)
            return;
        socket->write(response.chunks.at(i));
        socket->flush();
        if (i == response.holdAfterChunk) {
            m_held = [this, guard, response, i] {
                if (guard)
                    writeChunks(guard, response, i + 1);
            };
            return;
        }
        if (response.delayMs > 0 && i + 1 < response.chunks.size()) {
            QTimer::singleShot(response.delayMs, this, [this, guard, response, i] {
                if (guard)
                    writeChunks(guard, response, i + 1);
            });
            return;
        }
    }
    if (guard)
        socket->disconnectFromHost();
}

void FakeLlmServer::release()
{
    if (auto held = std::exchange(m_held, {}))
        held();
}

} // namespace mc::test
