#include "websockethub.h"

#include "clock.h"
#include "jsontext.h"
#include "qtcompat.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QWebSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHub, "mc.websocket")

namespace mc {

WebSocketHub::WebSocketHub(const ServerLimits &limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
{
    m_clock.start();
}

WebSocketHub::~WebSocketHub()
{
    closeAll();
}

QString WebSocketHub::eventFrame(const QString &eventType, const QJsonObject &data)
{
    const QJsonObject event{{u"type"_s, u"system_event"_s}, {u"event_type"_s, eventType}, {u"data"_s, data}};
    return QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact));
}

QString WebSocketHub::outputFrame(const OutputChunk &chunk)
{
    // Keys in QJsonDocument's (sorted) order, so both writers agree byte for byte.
    QByteArray out;
    out.reserve(160 + chunk.content.size() * 3 / 2);
    out.append(R"({"data":{"content":)");
    appendJsonString(out, chunk.content);
    out.append(R"(,"output_type":)");
    appendJsonString(out, chunk.type);
    out.append(R"(,"run_id":)");
    appendJsonString(out, chunk.runId);
    out.append(R"(,"seq":)");
    out.append(QByteArray::number(chunk.seq));
    out.append(R"(,"task_id":)");
    appendJsonString(out, chunk.taskId);
    out.append(R"(,"timestamp":)");
    appendJsonString(out, chunk.timestamp);
    out.append(R"(},"event_type":"mc_task_output","type":"system_event"})");
    return QString::fromUtf8(out);
}

void WebSocketHub::accept(std::unique_ptr<QWebSocket> owned)
{
    QWebSocket *client = owned.release();
    if (m_clients.size() >= m_limits.maxWebSocketClients) {
        client->close(QWebSocketProtocol::CloseCodeTooMuchData, u"Too many WebSocket clients"_s);
        client->deleteLater();
        return;
    }
    client->setParent(this);
    client->setMaxAllowedIncomingMessageSize(quint64(m_limits.maxWebSocketMessageBytes));
    client->setMaxAllowedIncomingFrameSize(quint64(m_limits.maxWebSocketMessageBytes));
    m_clients.append(client);
    m_lastProgressMs.insert(client, m_clock.elapsed());
    connect(client, &QWebSocket::bytesWritten, this, [this, client] {
        m_lastProgressMs[client] = m_clock.elapsed();
        if (m_replays.contains(client))
            continueReplay(client);
    });
    connect(client, &QWebSocket::textMessageReceived, this,
            [this, client](const QString &message) { onMessage(client, message); });
    connect(client, &QWebSocket::disconnected, this, [this, client] { drop(client); });
    connect(client, qtcompat::webSocketError, this,
            [this, client](QAbstractSocket::SocketError) { drop(client); });
    const QJsonObject hello{{u"type"_s, u"connection_info"_s},
                            {u"content"_s, u"Connected to Mission Control"_s},
                            {u"id"_s, QString(u"websocket_"_s + newId())}};
    send(client, QString::fromUtf8(QJsonDocument(hello).toJson(QJsonDocument::Compact)));
    Q_EMIT clientCountChanged(clientCount());
}

void WebSocketHub::drop(QWebSocket *client)
{
    if (!m_clients.removeOne(client))
        return;
    m_lastProgressMs.remove(client);
    m_replays.remove(client);
    client->disconnect(this);
    client->abort();
    client->deleteLater();
    Q_EMIT clientCountChanged(clientCount());
}

void WebSocketHub::send(QWebSocket *client, const QString &frame)
{
    const qint64 pending = client->bytesToWrite();
    if (pending > m_limits.maxWebSocketUnsentBytes) {
        const bool stalled = m_clock.elapsed() - m_lastProgressMs.value(client) > m_limits.webSocketStallMs;
        if (stalled || pending > m_limits.hardWebSocketUnsentBytes) {
            qCInfo(lcHub) << "dropping a WebSocket client with" << pending << "unsent bytes:"
                          << (stalled ? "it stopped reading" : "it cannot keep up");
            drop(client);
            return;
        }
    }
    client->sendTextMessage(frame);
    // QAbstractSocket (6.4) writes one buffered block per event-loop turn: at
    // full output rate that caps a client at ~10k frames/s. Flush explicitly,
    // once per burst of sends.
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &WebSocketHub::flushClients, Qt::QueuedConnection);
    }
}

void WebSocketHub::flushClients()
{
    m_flushScheduled = false;
    // flush() emits bytesWritten at once, and a replay page sent from there may drop a client.
    const QList<QWebSocket *> clients = m_clients;
    for (QWebSocket *client : clients) {
        if (m_clients.contains(client))
            client->flush();
    }
}

void WebSocketHub::broadcast(const QString &eventType, const QJsonObject &data)
{
    if (m_clients.isEmpty())
        return;
    broadcastFrame(eventFrame(eventType, data));
}

void WebSocketHub::broadcastOutput(const OutputChunk &chunk)
{
    if (m_clients.isEmpty())
        return;
    if (m_replays.isEmpty()) {
        broadcastFrame(outputFrame(chunk));
        return;
    }
    const QString frame = outputFrame(chunk);
    const QList<QWebSocket *> clients = m_clients;   // send() may drop
    for (QWebSocket *client : clients) {
        const auto replays = m_replays.constFind(client);
        if (replays == m_replays.cend()) {
            send(client, frame);
            continue;
        }
        const bool replayed = std::any_of(replays->queue.cbegin(), replays->queue.cend(),
                                          [&chunk](const Replay &r) { return r.covers(chunk.taskId, chunk.runId); });
        if (!replayed)
            hold(client, {frame, chunk.taskId, chunk.runId});
    }
}

void WebSocketHub::broadcastFrame(const QString &frame)
{
    const QList<QWebSocket *> clients = m_clients;   // send() may drop
    for (QWebSocket *client : clients) {
        if (m_replays.contains(client))
            hold(client, {frame, {}, {}});
        else
            send(client, frame);
    }
}

void WebSocketHub::hold(QWebSocket *client, Held held)
{
    Replays &replays = m_replays[client];
    replays.heldBytes += held.frame.size() * qint64(sizeof(QChar));
    replays.held.append(std::move(held));
    if (replays.heldBytes > m_limits.hardWebSocketUnsentBytes) {
        qCInfo(lcHub) << "dropping a WebSocket client with" << replays.heldBytes
                      << "bytes of events held behind its replay: it cannot keep up";
        drop(client);
    }
}

void WebSocketHub::onMessage(QWebSocket *client, const QString &message)
{
    const QJsonObject msg = QJsonDocument::fromJson(message.toUtf8()).object();
    const QString action = msg.value(u"action"_s).toString();
    auto reply = [&](const QJsonObject &o) {
        send(client, QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    };
    // Frames of actions we do not know are ignored, as PocketPaw ignores them:
    // its dashboard sends `authenticate`, session and settings actions on
    // connect and would show every error frame as a toast. Only a malformed
    // frame of a known action is answered with an error.
    if (action == u"ping"_s) {
        reply({{u"type"_s, u"pong"_s}});
    } else if (action == u"subscribe"_s && (!msg.value(u"task_id"_s).isString()
                                            || (msg.contains(u"after_seq"_s) && !msg.value(u"after_seq"_s).isDouble()))) {
        reply({{u"type"_s, u"error"_s},
               {u"detail"_s, u"subscribe needs a task_id and a numeric after_seq: {\"action\": \"subscribe\", \"task_id\": ..., \"after_seq\": N}"_s}});
    } else if (action == u"subscribe"_s && m_replay) {
        const Replay replay{msg.value(u"task_id"_s), msg.value(u"run_id"_s).toString(),
                            qMax<qint64>(0, qint64(msg.value(u"after_seq"_s).toDouble()))};
        Replays &replays = m_replays[client];
        // Output of that run held back so far comes with its replay instead.
        replays.held.removeIf([&](const Held &h) {
            const bool covered = !h.taskId.isEmpty() && replay.covers(h.taskId, h.runId);
            if (covered)
                replays.heldBytes -= h.frame.size() * qint64(sizeof(QChar));
            return covered;
        });
        replays.queue.append(replay);
        if (replays.queue.size() == 1)
            continueReplay(client);
    }
}

void WebSocketHub::continueReplay(QWebSocket *client)
{
    // Paced by the socket: a page goes out only when the client has taken most
    // of what it was sent, so a run of any size replays within the send limits.
    constexpr qsizetype kPageChunks = 16;
    constexpr qint64 kLowWaterBytes = 512 * 1024;
    while (m_replays.contains(client) && client->bytesToWrite() <= kLowWaterBytes) {
        Replay &replay = m_replays[client].queue.first();
        const QList<OutputChunk> page = m_replay(replay.taskId.toString(), replay.runId, replay.afterSeq, kPageChunks);
        if (page.isEmpty()) {
            // Caught up: what the run prints from now on arrives live.
            const QJsonObject done{{u"type"_s, u"subscribed"_s}, {u"task_id"_s, replay.taskId},
                                   {u"replayed"_s, replay.replayed}};
            m_replays[client].queue.removeFirst();
            send(client, QString::fromUtf8(QJsonDocument(done).toJson(QJsonDocument::Compact)));
            if (m_replays.contains(client) && m_replays[client].queue.isEmpty())
                finishReplays(client);
            continue;
        }
        replay.runId = page.constFirst().runId;
        replay.afterSeq = page.constLast().seq;
        replay.replayed += page.size();
        for (const OutputChunk &chunk : page) {
            if (!m_replays.contains(client))
                return;   // dropped
            send(client, outputFrame(chunk));
        }
    }
}

void WebSocketHub::finishReplays(QWebSocket *client)
{
    const QList<Held> held = m_replays.take(client).held;
    for (const Held &h : held) {
        if (!m_clients.contains(client))
            return;   // dropped
        send(client, h.frame);
    }
}

void WebSocketHub::closeAll()
{
    const QList<QWebSocket *> clients = std::exchange(m_clients, {});
    m_lastProgressMs.clear();
    m_replays.clear();
    for (QWebSocket *client : clients) {
        client->disconnect(this);
        client->close(QWebSocketProtocol::CloseCodeGoingAway, u"Server shutting down"_s);
        client->deleteLater();
    }
}

} // namespace mc
