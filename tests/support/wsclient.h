#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QWebSocket>

#include <functional>

namespace mc::test {

// A WebSocket client that records every event it receives.
class WsClient final : public QObject
{
    Q_OBJECT

public:
    explicit WsClient(QObject *parent = nullptr);
    bool connectTo(const QString &url, int timeoutMs = 5000);
    void send(const QJsonObject &message);
    // Waits until `done` holds for the received messages (or the timeout).
    bool waitFor(const std::function<bool(const QList<QJsonObject> &)> &done, int timeoutMs = 10000);
    QList<QJsonObject> events(const QString &eventType) const;
    const QList<QJsonObject> &messages() const { return m_messages; }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_messages;
};

} // namespace mc::test
