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
    // Returns the frames replaying a task's stored output after a sequence number.
    using ReplayProvider =
            std::function<QList<QString>(const QString &taskId, const QString &runId, qint64 afterSeq)>;

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
    void flushClients();

    ServerLimits m_limits;
    QList<QWebSocket *> m_clients;
    QHash<QWebSocket *, qint64> m_lastProgressMs;   // when each client last took bytes
    QElapsedTimer m_clock;
    bool m_flushScheduled = false;
    ReplayProvider m_replay;
};

} // namespace mc
