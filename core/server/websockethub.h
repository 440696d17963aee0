#pragma once

#include "outputchunk.h"
#include "serverlimits.h"

#include <QJsonObject>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>

#include <functional>
#include <memory>

class QWebSocket;

namespace mc {

// Fans events out to every WebSocket client. Each event is serialised once and
// shared by all clients; a client whose unsent bytes pass the limit is dropped
// instead of growing memory or stalling the others.
class WebSocketHub final : public QObject
{
    Q_OBJECT

public:
    // Up to maxChunks of a task's output after a sequence number, in order, from
    // its run runId (its current or latest run when runId is empty).
    using ReplayProvider = std::function<QList<OutputChunk>(const QString &taskId, const QString &runId,
                                                            qint64 afterSeq, qsizetype maxChunks)>;

    explicit WebSocketHub(const ServerLimits &limits, QObject *parent = nullptr);
    ~WebSocketHub() override;

    void accept(std::unique_ptr<QWebSocket> socket);
    void broadcast(const QString &eventType, const QJsonObject &data);
    // mc_task_output, written only when a client is there to get it.
    void broadcastOutput(const OutputChunk &chunk);
    static QString eventFrame(const QString &eventType, const QJsonObject &data);
    // The mc_task_output event of a chunk, written directly: it is the one
    // event sent at agent speed (the same text as eventFrame would give).
    static QString outputFrame(const OutputChunk &chunk);
    void setReplayProvider(ReplayProvider provider) { m_replay = std::move(provider); }
    int clientCount() const { return int(m_clients.size()); }
    void closeAll();

Q_SIGNALS:
    void clientCountChanged(int count);

private:
    void broadcastFrame(const QString &frame);
    void send(QWebSocket *client, const QString &frame);
    void onMessage(QWebSocket *client, const QString &message);
    void drop(QWebSocket *client);
    void continueReplay(QWebSocket *client);
    void finishReplays(QWebSocket *client);
    void flushClients();

    ServerLimits m_limits;
    QList<QWebSocket *> m_clients;
    QHash<QWebSocket *, qint64> m_lastProgressMs;   // when each client last took bytes
    QElapsedTimer m_clock;
    bool m_flushScheduled = false;
    ReplayProvider m_replay;
    // A subscribe's replay, sent a page at a time as the client takes it.
    struct Replay
    {
        QJsonValue taskId;
        QString runId;
        qint64 afterSeq = 0;
        qsizetype replayed = 0;

        bool covers(const QString &chunkTaskId, const QString &chunkRunId) const
        {
            return runId.isEmpty() ? taskId.toString() == chunkTaskId : runId == chunkRunId;
        }
    };
    // A live frame that arrived while its client was replaying.
    struct Held
    {
        QString frame;
        QString taskId;   // of an output frame, else empty
        QString runId;
    };
    // A replaying client's subscribes (the first is replaying, the others wait
    // their turn) and the live frames held back meanwhile, in order: they go
    // out after the last replay, so a run's mc_task_completed never overtakes
    // its replayed output. Live output of a run being (or waiting to be)
    // replayed is left to the replay: no gap, no duplicate.
    struct Replays
    {
        QList<Replay> queue;
        QList<Held> held;
        qint64 heldBytes = 0;
    };
    void hold(QWebSocket *client, Held held);
    QHash<QWebSocket *, Replays> m_replays;
};

} // namespace mc
