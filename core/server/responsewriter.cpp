#include "responsewriter.h"

#include <QTcpSocket>
#include <QVarLengthArray>

#include <utility>

#ifdef Q_OS_LINUX
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#endif

namespace mc {

namespace {
constexpr qsizetype largePiece = 4096;

// One sendmsg() for all blocks when nothing of an earlier answer is still
// queued in the socket (each write() would be a syscall and, with
// TCP_NODELAY, a segment of its own). What the kernel does not take at once
// is queued in the socket as usual. Listeners hear bytesWritten as they would
// from the socket. False: nothing was sent, the socket is to write it all.
bool sendAtOnce(QTcpSocket *socket, const QByteArrayList &blocks)
{
#ifdef Q_OS_LINUX
    if (socket->bytesToWrite() > 0 || socket->state() != QAbstractSocket::ConnectedState || blocks.size() > 16)
        return false;
    QVarLengthArray<iovec, 16> iov;
    for (const QByteArray &b : blocks)
        iov.append(iovec{const_cast<char *>(b.constData()), size_t(b.size())});
    msghdr message{};
    message.msg_iov = iov.data();
    message.msg_iovlen = size_t(iov.size());
    ssize_t sent = -1;
    do {
        sent = ::sendmsg(int(socket->socketDescriptor()), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        return false;   // a broken connection: the socket finds out and reports it
    qint64 skip = qMax<qint64>(sent, 0);
    for (const QByteArray &b : blocks) {
        if (skip >= b.size()) {
            skip -= b.size();
            continue;
        }
        socket->write(skip == 0 ? b : b.sliced(skip));
        skip = 0;
    }
    if (sent > 0)
        Q_EMIT socket->bytesWritten(sent);
    return true;
#else
    Q_UNUSED(socket);
    Q_UNUSED(blocks);
    return false;
#endif
}
} // namespace

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
    // it is (shared, not copied). All blocks go to the kernel in one call.
    QByteArrayList blocks;
    QByteArray block = responseHead(reply.status, length, options);
    if (!options.headOnly && reply.status != 204) {
        const auto add = [&](const QByteArray &piece) {
            if (piece.size() < largePiece) {
                block += piece;
                return;
            }
            blocks.append(std::exchange(block, {}));
            blocks.append(piece);
        };
        add(reply.body);
        for (const QByteArray &piece : reply.pieces)
            add(piece);
    }
    if (!block.isEmpty())
        blocks.append(block);
    if (!sendAtOnce(socket, blocks)) {
        for (const QByteArray &b : std::as_const(blocks))
            socket->write(b);
    }
    // Now, not at the next turn of the event loop: the answer leaves while
    // this request is still hot, and a closing connection closes sooner.
    socket->flush();
}

} // namespace mc
