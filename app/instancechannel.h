#pragma once

#include <QByteArray>
#include <QLocalServer>
#include <QObject>

#include <functional>

namespace mc {

// The usual QLocalServer single-instance pattern, per data folder: the
// instance holding the folder's lock listens; a second start asks it to come
// to the front and learns what it is ("window", or "service URL" when it is
// a headless instance with no window to show).
class InstanceChannel final : public QObject
{
    Q_OBJECT

public:
    explicit InstanceChannel(const QString &dataDir, QObject *parent = nullptr);

    // The holder: answers every activation with what `onActivate` returns.
    bool listen(std::function<QByteArray()> onActivate, QString *error);
    // A second start: the holder's answer, or empty when it does not answer in time.
    static QByteArray activate(const QString &dataDir, int timeoutMs);

private:
    static QString serverName(const QString &dataDir);

    QString m_name;
    QLocalServer m_server;
    std::function<QByteArray()> m_onActivate;
};

} // namespace mc
