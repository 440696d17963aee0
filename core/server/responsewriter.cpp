#include "responsewriter.h"

#include <QTcpSocket>

#include <utility>

namespace mc {

namespace {
constexpr qsizetype largePiece = 4096;
}

QByteArray responseHead(int status, qint64 contentLength, const ResponseOptions &options)
{
    QByteArray head;
    head.reserve(160 + options.allow.size());
    head += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (status != 204) {   // RFC 9110 section 8.6: never a Content-Length with 204
        head += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(contentLength)
                + "\r\n";
    }
    if (!options.allow.isEmpty())
        head += "Allow: " + options.allow + "\r\n";
    if (!options.keepAlive)
        head += "Connection: close\r\n";
    else if (options.http10)
        head += "Connection: keep-alive\r\n";
    head += "\r\n";
    return head;
}

void writeResponse(QTcpSocket *socket, const Reply &reply, const ResponseOptions &options)
{
    qint64 length = reply.body.size();
    for (const QByteArray &piece : reply.pieces)
        length += piece.size();
    // Small pieces join the head in one block; a large one is handed over as
    // it is (shared, not copied). Each block is one write() to the kernel.
    QByteArray block = responseHead(reply.status, length, options);
    if (!options.headOnly && reply.status != 204) {
        const auto add = [&](const QByteArray &piece) {
            if (piece.size() < largePiece) {
                block += piece;
                return;
            }
            socket->write(std::exchange(block, {}));
            socket->write(piece);
        };
        add(reply.body);
        for (const QByteArray &piece : reply.pieces)
            add(piece);
    }
    if (!block.isEmpty())
        socket->write(block);
    // Now, not at the next turn of the event loop: the answer leaves while
    // this request is still hot, and a closing connection closes sooner.
    socket->flush();
}

} // namespace mc
