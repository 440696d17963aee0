#include "connectionguard.h"

#include "errormapper.h"
#include "qtcompat.h"
#include "responsewriter.h"

#include <QDateTime>
#include <QTcpSocket>

#ifdef Q_OS_LINUX
#include <linux/sockios.h>
#include <sys/ioctl.h>
#endif

using namespace Qt::StringLiterals;

namespace mc {

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const ServerLimits &limits, CachedAnswer cachedAnswer)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(limits)
    , m_cachedAnswer(std::move(cachedAnswer))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        // A half-sent request or an idle keep-alive connection: drop it -- but
        // not one whose request the server is still working on, nor one whose
        // client is still taking a long answer.
        if (m_awaitingAnswer || answerStillMoving()) {
            m_timer.start(m_limits.idleTimeoutMs);
            return;
        }
        m_socket->abort();
    });
    connect(socket, &QTcpSocket::disconnected, this, &ConnectionGuard::release);
    // A client taking a long answer slowly is not idle: each block it takes
    // restarts the idle timeout (one that stops reading is still dropped).
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_closing) {
            if (m_socket->bytesToWrite() == 0)
                m_socket->disconnectFromHost();
            return;
        }
        m_awaitingAnswer = false;
        if (!m_upgraded && !m_rejected && m_state == State::Head && m_head.isEmpty()) {
            m_idleSince = QDateTime::currentMSecsSinceEpoch();
            m_timer.start(m_limits.idleTimeoutMs);
        }
    });
    m_timer.start(m_limits.requestTimeoutMs);
    m_idleSince = QDateTime::currentMSecsSinceEpoch();
}

ConnectionGuard::~ConnectionGuard()
{
    release();
}

void ConnectionGuard::release()
{
    if (m_released)
        return;
    m_released = true;
    m_timer.stop();
    Q_EMIT released();
}

qint64 ConnectionGuard::unsentBytes() const
{
    qint64 unsent = m_socket->bytesToWrite();
#ifdef Q_OS_LINUX
    // Bytes the kernel holds that the client has not acknowledged yet.
    int queued = 0;
    if (::ioctl(int(m_socket->socketDescriptor()), SIOCOUTQ, &queued) == 0)
        unsent += queued;
#endif
    return unsent;
}

bool ConnectionGuard::answerStillMoving()
{
    if (m_state != State::Head || !m_head.isEmpty() || m_rejected || m_upgraded)
        return false;
    const qint64 unsent = unsentBytes();
    const bool moved = unsent > 0 && unsent != m_unsentAtLastCheck;
    m_unsentAtLastCheck = unsent;
    return moved;
}

bool ConnectionGuard::isIdle() const
{
    return m_state == State::Head && m_head.isEmpty() && !m_rejected && !m_upgraded && !m_released && !m_awaitingAnswer
            && unsentBytes() == 0;
}

void ConnectionGuard::beforeHttpServerRead()
{
    if (m_upgraded)
        return;
    if (m_closing) {
        m_socket->readAll();   // after "Connection: close" nothing more is read
        return;
    }
    if (m_rejected) {
        // Swallow the rest of a refused body so the client sees our answer
        // rather than a reset; then close.
        m_drain -= m_socket->readAll().size();
        if (m_drain <= 0)
            m_socket->disconnectFromHost();
        return;
    }
    if (fastPathOpen()) {
        answerFromCache();
        if (m_closing)
            return;
    }
    const qint64 available = m_socket->bytesAvailable();
    if (available > m_unconsumed) {
        const QByteArray data = m_socket->peek(available);
        scan(QByteArrayView(data).sliced(m_unconsumed));
    }
    m_unconsumed = m_rejected ? 0 : available;
}

void ConnectionGuard::afterHttpServerRead()
{
    if (!m_upgraded && !m_rejected)
        m_unconsumed = m_socket->bytesAvailable();
    armAfterHook();
}

void ConnectionGuard::armAfterHook()
{
    // A slot connected during an emission is not called in it: this hook runs
    // once per readyRead, behind every slot connected before this call.
    disconnect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::afterHttpServerRead);
    connect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::afterHttpServerRead);
}

ConnectionGuard::RequestFrame ConnectionGuard::takeFrame()
{
    return m_frames.isEmpty() ? RequestFrame{} : m_frames.dequeue();
}

void ConnectionGuard::closeAfterAnswer()
{
    m_closing = true;
    m_frames.clear();
    m_socket->readAll();   // pipelined requests behind a "Connection: close" are not answered
    // Closed once the answer has left the socket (bytesWritten): Qt 6.8 deletes
    // a socket that is no longer connected when it ends the request's handling,
    // and with it whatever of the answer it still held.
    if (m_socket->bytesToWrite() == 0)
        m_socket->disconnectFromHost();
}

void ConnectionGuard::scan(QByteArrayView data)
{
    while (!data.isEmpty() && !m_rejected && !m_upgraded) {
        switch (m_state) {
        case State::Head: {
            if (m_head.isEmpty())
                m_timer.start(m_limits.requestTimeoutMs);
            const qsizetype before = m_head.size();
            m_head.append(data);
            const qsizetype end = m_head.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_head.size() > m_limits.maxHeaderBytes)
                    reject(431, u"Request header fields too large"_s);
                return;
            }
            const qsizetype used = end + 4 - before;
            m_head.truncate(end + 4);
            if (m_head.size() > m_limits.maxHeaderBytes) {
                reject(431, u"Request header fields too large"_s);
                return;
            }
            data = data.sliced(used);
            m_bodyBytesSeen = data.size();
            headComplete();
            break;
        }
        case State::Body: {
            const qint64 take = qMin<qint64>(m_remaining, data.size());
            m_remaining -= take;
            data = data.sliced(take);
            if (m_remaining == 0)
                requestComplete();
            break;
        }
        case State::Chunked:
            data = data.sliced(scanChunked(data));
            break;
        }
    }
}

// RFC 9112 section 7.1: size line (hex, optional ;extensions), data, CRLF,
// ..., a zero size, then trailer lines up to an empty one. Returns the bytes
// of data that belong to this body.
qsizetype ConnectionGuard::scanChunked(QByteArrayView data)
{
    qsizetype used = 0;
    while (used < data.size() && !m_rejected) {
        if (m_chunkPart == ChunkPart::Data || m_chunkPart == ChunkPart::DataEnd) {
            const qint64 take = qMin<qint64>(m_chunkRemaining, data.size() - used);
            m_chunkRemaining -= take;
            used += take;
            if (m_chunkRemaining == 0 && m_chunkPart == ChunkPart::Data) {
                m_chunkPart = ChunkPart::DataEnd;
                m_chunkRemaining = 2; // the CRLF after the data
            } else if (m_chunkRemaining == 0) {
                m_chunkPart = ChunkPart::Size;
            }
            continue;
        }
        // A size line or a trailer line.
        const qsizetype newline = data.sliced(used).indexOf('\n');
        const qsizetype take = newline < 0 ? data.size() - used : newline + 1;
        m_chunkLine.append(data.sliced(used, take));
        used += take;
        if (m_chunkLine.size() > m_limits.maxHeaderBytes) {
            reject(431, u"Request header fields too large"_s);
            break;
        }
        if (newline < 0)
            break;
        QByteArray line = m_chunkLine.trimmed();
        m_chunkLine.clear();
        if (m_chunkPart == ChunkPart::Trailer) {
            // QHttpServer 6.4 never answers the request after one whose body
            // carries trailer fields: refuse them clearly instead of hanging.
            if (!line.isEmpty())
                reject(400, u"Bad Request: trailer fields after a chunked body are not supported"_s);
            else
                requestComplete();
            break;
        }
        if (const qsizetype semicolon = line.indexOf(';'); semicolon >= 0)
            line.truncate(semicolon);
        bool ok = false;
        const qint64 size = line.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0 || line.trimmed().isEmpty()) {
            reject(400, u"Bad Request: invalid chunk size"_s);
            break;
        }
        m_chunkedBytes += size;
        if (m_chunkedBytes > m_limits.maxBodyBytes) {
            reject(413, u"Request body too large (limit %1 bytes)"_s.arg(m_limits.maxBodyBytes));
            break;
        }
        m_chunkPart = size == 0 ? ChunkPart::Trailer : ChunkPart::Data;
        m_chunkRemaining = size;
    }
    return used;
}

void ConnectionGuard::headComplete()
{
    const QList<QByteArray> lines = m_head.split('\n');
    qint64 contentLength = 0;
    bool hasContentLength = false;
    QByteArray transferEncoding;
    QByteArray connection;
    bool expectsContinue = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            // Two lengths that differ (or a list of them) frame the body two ways.
            if (!ok || length < 0 || (hasContentLength && length != contentLength)) {
                reject(400, u"Invalid Content-Length"_s);
                return;
            }
            hasContentLength = true;
            contentLength = length;
        } else if (name == "transfer-encoding") {
            if (!transferEncoding.isEmpty())
                transferEncoding += ',';
            transferEncoding += value.toLower();
        } else if (name == "connection") {
            connection += ',' + value.toLower();
        } else if (name == "expect") {
            expectsContinue = value.toLower() == "100-continue";
        }
    }
    // RFC 9112 section 6: a body length that two headers state differently is
    // how requests get smuggled; chunked must be the final coding.
    const bool chunked = !transferEncoding.isEmpty();
    if (chunked && hasContentLength) {
        reject(400, u"Bad Request: Transfer-Encoding and Content-Length together"_s);
        return;
    }
    if (chunked && transferEncoding.replace(" ", "") != "chunked") {
        if (transferEncoding.endsWith(",chunked"))
            reject(501, u"Not Implemented: only the chunked transfer coding is understood"_s);
        else
            reject(400, u"Bad Request: chunked must be the final transfer coding"_s);
        return;
    }
    // An Upgrade header is not an upgrade: the request keeps every limit until
    // the WebSocket server confirms the handshake (confirmUpgrade()).
    const bool earlierRequestsPending = !m_frames.isEmpty();
    readFrame(lines.constFirst(), connection);
    m_head.clear();
    if (contentLength > m_limits.maxBodyBytes) {
        const qint64 drainable = contentLength <= 16 * m_limits.maxBodyBytes ? contentLength : 0;
        reject(413, u"Request body too large (limit %1 bytes)"_s.arg(m_limits.maxBodyBytes), drainable);
        return;
    }
    const bool bodyFollows = chunked || contentLength > 0;
    // A client that waits for "100 Continue" before its body (curl does, one
    // second) gets it at once. Not ahead of an earlier pipelined answer.
    if (bodyFollows && expectsContinue && m_bodyBytesSeen == 0 && !earlierRequestsPending
        && !qtcompat::serverSendsContinue)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    if (chunked) {
        m_state = State::Chunked;
        m_chunkedBytes = 0;
        m_chunkPart = ChunkPart::Size;
        m_chunkLine.clear();
    } else if (contentLength > 0) {
        m_state = State::Body;
        m_remaining = contentLength;
    } else {
        requestComplete();
    }
}

ConnectionGuard::RequestFrame ConnectionGuard::frameOf(QByteArrayView requestLine, QByteArrayView connectionHeader)
{
    RequestFrame frame;
    frame.http10 = requestLine.trimmed().endsWith(" HTTP/1.0");
    bool close = false;
    bool keepAlive = false;
    for (const QByteArray &token : connectionHeader.toByteArray().toLower().split(',')) {
        close = close || token.trimmed() == "close";
        keepAlive = keepAlive || token.trimmed() == "keep-alive";
    }
    frame.keepAlive = frame.http10 ? keepAlive && !close : !close;
    return frame;
}

void ConnectionGuard::readFrame(const QByteArray &requestLine, const QByteArray &connectionHeader)
{
    RequestFrame frame = frameOf(requestLine, connectionHeader);
    if (requestLine.startsWith("GET ")) {
        const QByteArray line = requestLine.trimmed();
        const qsizetype end = line.indexOf(' ', 4);
        frame.target = line.mid(4, end < 0 ? -1 : end - 4);
    }
    m_frames.enqueue(frame);
}

bool ConnectionGuard::fastPathOpen() const
{
    return m_cachedAnswer && !m_upgraded && !m_closing && !m_rejected && m_state == State::Head && m_head.isEmpty()
            && m_unconsumed == 0 && m_frames.isEmpty();
}

void ConnectionGuard::answerFromCache()
{
    // Bounded: every turn consumes one whole request or stops.
    while (m_socket->bytesAvailable() > 0) {
        const QByteArray data = m_socket->peek(qMin<qint64>(m_socket->bytesAvailable(), m_limits.maxHeaderBytes));
        const qsizetype end = data.indexOf("\r\n\r\n");
        RequestHead head;
        if (end < 0 || !RequestHead::parsePlainGet(QByteArrayView(data).first(end), &head))
            return;
        std::optional<Reply> reply = m_cachedAnswer(head);
        if (!reply)
            return;
        // QHttpServer keeps a read transaction open between requests; it has
        // read nothing in it (no partial request is pending), so it can end
        // here and the bytes taken below are gone for good.
        if (m_socket->isTransactionStarted())
            m_socket->commitTransaction();
        m_socket->skip(end + 4);
        const QByteArrayView requestLine = QByteArrayView(data).first(data.indexOf("\r\n"));
        const RequestFrame frame = frameOf(requestLine, head.connection);
        ResponseOptions how;
        how.keepAlive = frame.keepAlive;
        how.http10 = frame.http10;
        writeResponse(m_socket, *reply, how);   // bytesWritten then restarts the idle timeout
        if (!how.keepAlive) {
            closeAfterAnswer();
            return;
        }
    }
}

void ConnectionGuard::requestComplete()
{
    m_awaitingAnswer = true;
    m_state = State::Head;
    m_idleSince = QDateTime::currentMSecsSinceEpoch();
    m_timer.start(m_limits.idleTimeoutMs);
}

void ConnectionGuard::confirmUpgrade()
{
    // The socket answered 101 and belongs to the WebSocket hub now, which has
    // its own limits.
    m_upgraded = true;
    release();
}

void ConnectionGuard::evict()
{
    m_socket->abort();
}

void ConnectionGuard::reject(int status, const QString &detail, qint64 drainBytes)
{
    m_rejected = true;
    m_timer.start(qMin(m_limits.requestTimeoutMs, 10000)); // bounded, whatever the client does
    // Bytes of this head's body already buffered count towards the drain.
    m_socket->readAll();
    m_drain = drainBytes - m_bodyBytesSeen;
    m_socket->write(rawHttpError(status, detail));
    if (m_drain <= 0)
        m_socket->disconnectFromHost();
}

} // namespace mc
