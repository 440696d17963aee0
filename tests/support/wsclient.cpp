#include "wsclient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace mc::test {

WsClient::WsClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_messages.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
}

bool WsClient::connectTo(const QString &url, int timeoutMs)
{
    m_socket.open(QUrl(url));
    return waitFor([](const QList<QJsonObject> &m) { return !m.isEmpty(); }, timeoutMs);
}

void WsClient::send(const QJsonObject &message)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

bool WsClient::waitFor(const std::function<bool(const QList<QJsonObject> &)> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done(m_messages)) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(5);
    }
    return true;
}

QList<QJsonObject> WsClient::events(const QString &eventType) const
{
    QList<QJsonObject> out;
    for (const QJsonObject &m : m_messages) {
        if (m.value(u"event_type"_s).toString() == eventType)
            out.append(m.value(u"data"_s).toObject());
    }
    return out;
}

} // namespace mc::test
