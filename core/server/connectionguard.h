#pragma once

#include "errormapper.h"
#include "requesthead.h"
#include "serverlimits.h"

#include <QObject>
#include <QQueue>
#include <QTimer>

#include <functional>
#include <optional>

class QTcpSocket;

namespace mc {

// Watches one HTTP connection's bytes as they arrive, before QHttpServer parses
// them: enforces the head and body size limits, a deadline for a started request
// and an idle timeout, and steps aside once the connection has really upgraded
// to WebSocket (a request that only carries Upgrade headers keeps every limit).
// Lives as a child of its socket.
class ConnectionGuard final : public QObject
{
    Q_OBJECT

public:
    // The answer to a plain GET when it can be given without QHttpServer (a
    // cached answer, its request authorized and addressed to us), else nothing.
    using CachedAnswer = std::function<std::optional<Reply>(const RequestHead &)>;

    ConnectionGuard(QTcpSocket *socket, const ServerLimits &limits, CachedAnswer cachedAnswer = {});
    ~ConnectionGuard() override;

    // What a request asked of its connection (RFC 9112 section 9.3), in the order
    // the requests arrived.
    struct RequestFrame
    {
        bool keepAlive = true;   // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "keep-alive"
        bool http10 = false;
        QByteArray target = {};   // of a GET, as sent (the key of AnswerCache)
    };

    // Connected to readyRead before QHttpServer's slot / after it. The after
    // hook moves itself behind QHttpServer's slot on every call: Qt 6.8
    // disconnects and reconnects its slot around every request it handles,
    // which would leave it behind ours, so ours would count bytes it had not
    // read yet as read. (6.8 also posts a readyRead after each answer, which
    // puts the count right again unless more bytes came in between.)
    void beforeHttpServerRead();
    void afterHttpServerRead();
    void armAfterHook();
    // The frame of the oldest request not answered yet (HttpApiServer answers in order).
    RequestFrame takeFrame();
    // The answer just written ends the connection: read nothing more, close once it is sent.
    void closeAfterAnswer();
    bool isUpgraded() const { return m_upgraded; }
    // Called once the WebSocket handshake succeeded on this socket (a 101 went out).
    void confirmUpgrade();
    QTcpSocket *socket() const { return m_socket; }
    // Between requests on a keep-alive connection, its answer all sent: safe
    // to close to make room.
    bool isIdle() const;
    bool isReleased() const { return m_released; }
    qint64 idleSinceMs() const { return m_idleSince; }
    void evict();

Q_SIGNALS:
    void released();   // closed or handed to the WebSocket server

private:
    enum class State { Head, Body, Chunked };
    enum class ChunkPart { Size, Data, DataEnd, Trailer };
    void scan(QByteArrayView data);
    qsizetype scanChunked(QByteArrayView data);
    void headComplete();
    void requestComplete();
    void reject(int status, const QString &detail, qint64 drainBytes = 0);
    void readFrame(const QByteArray &requestLine, const QByteArray &connectionHeader);
    static RequestFrame frameOf(QByteArrayView requestLine, QByteArrayView connectionHeader);
    // The fast path: answers the complete plain GETs at the front of the unread
    // bytes from the cache, while QHttpServer has nothing of this connection in
    // hand (every earlier request answered, no partial request read).
    void answerFromCache();
    bool fastPathOpen() const;
    void release();
    qint64 unsentBytes() const;
    bool answerStillMoving();   // the client took part of our answer since the last check

    QTcpSocket *m_socket;
    ServerLimits m_limits;
    CachedAnswer m_cachedAnswer;
    QTimer m_timer;
    State m_state = State::Head;
    QByteArray m_head;
    qint64 m_remaining = 0;
    ChunkPart m_chunkPart = ChunkPart::Size;
    qint64 m_chunkRemaining = 0;
    qint64 m_chunkedBytes = 0;
    QByteArray m_chunkLine;
    qint64 m_unconsumed = 0;
    qint64 m_drain = 0;
    qint64 m_bodyBytesSeen = 0;   // body bytes that arrived with the head
    QQueue<RequestFrame> m_frames;
    bool m_closing = false;
    bool m_upgraded = false;
    bool m_rejected = false;
    bool m_released = false;
    // A whole request was read and its answer has not started: the server is
    // working on it, the connection is not idle.
    bool m_awaitingAnswer = false;
    qint64 m_idleSince = 0;
    qint64 m_unsentAtLastCheck = -1;
};

} // namespace mc
