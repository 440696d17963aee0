#pragma once

#include <QObject>
#include <QSqlDatabase>
#include <QStringList>

namespace mc {

// Hears the changes other instances commit to the shared database: LISTEN on
// Store::kChangeChannel over a connection of its own (cloned from the
// store's), on the thread that starts it. Each notification is one
// transaction's records, in commit order; this instance's own are dropped.
class ChangeFeed final : public QObject
{
    Q_OBJECT

public:
    explicit ChangeFeed(QObject *parent = nullptr);
    ~ChangeFeed() override;

    // False (and nothing heard) when the driver cannot listen (SQLite).
    bool start(const QSqlDatabase &storeConnection, const QString &selfId);
    void stop();

Q_SIGNALS:
    void changed(const QString &instanceId, const QStringList &records);

private:
    QString m_connectionName;
    QString m_selfId;
};

} // namespace mc
