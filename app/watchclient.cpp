#include "watchclient.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace mc {

WatchClient::WatchClient(QUrl url, QString taskId, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_taskId(std::move(taskId))
{
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        std::fprintf(stderr, "connected to %s\n", qPrintable(m_url.toString(QUrl::RemoveQuery)));
        if (!m_taskId.isEmpty()) {
            const QJsonObject subscribe{{u"action"_s, u"subscribe"_s}, {u"task_id"_s, m_taskId}, {u"after_seq"_s, 0}};
            m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(subscribe).toJson(QJsonDocument::Compact)));
        }
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &WatchClient::onMessage);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        std::fprintf(stderr, "disconnected: %s\n", qPrintable(m_socket.closeReason().isEmpty()
                                                                   ? m_socket.errorString()
                                                                   : m_socket.closeReason()));
        Q_EMIT finished(1);
    });
}

void WatchClient::start()
{
    m_socket.open(m_url);
}

void WatchClient::onMessage(const QString &message)
{
    const QJsonObject event = QJsonDocument::fromJson(message.toUtf8()).object();
    const QJsonObject data = event.value(u"data"_s).toObject();
    if (!m_taskId.isEmpty()) {
        const QString taskId = data.contains(u"activity"_s)
                ? data.value(u"activity"_s).toObject().value(u"task_id"_s).toString()
                : data.value(u"task_id"_s).toString();
        if (event.value(u"type"_s) == u"system_event"_s && taskId != m_taskId)
            return;
    }
    std::printf("%s\n", message.toUtf8().constData());
    std::fflush(stdout);
}

} // namespace mc
