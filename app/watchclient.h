#pragma once

#include <QObject>
#include <QUrl>
#include <QWebSocket>

namespace mc {

// `mission-control watch [TASK_ID]`: connects to a running instance's /ws and
// prints each event as one line (replaying the task's stored output first).
class WatchClient final : public QObject
{
    Q_OBJECT

public:
    WatchClient(QUrl url, QString taskId, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onMessage(const QString &message);

    QUrl m_url;
    QString m_taskId;
    QWebSocket m_socket;
};

} // namespace mc
