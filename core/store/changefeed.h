#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QSqlDatabase>
#include <QStringList>
#include <QTimer>

namespace mc {

// Hears the changes other instances commit to the shared database: LISTEN on
// Store::kChangeChannel over a connection of its own (cloned from the
// store's), on the thread that starts it. Each notification is one
// transaction's records, in commit order; this instance's own are dropped.
//
// The connection is checked every kCheckIntervalMs; when the server dropped it
// (a restart, a failover) it is opened again and LISTENs again. What was
// notified meanwhile is lost, so the records it can rebuild from the rows are
// emitted then: the tasks and agents changed since shortly before the loss,
// and the other instances' runs started, still running (their output) or
// ended since then -- each run's start and end once.
class ChangeFeed final : public QObject
{
    Q_OBJECT

public:
    explicit ChangeFeed(QObject *parent = nullptr);
    ~ChangeFeed() override;

    // False (and nothing heard) when the driver cannot listen (SQLite).
    bool start(const QSqlDatabase &storeConnection, const QString &selfId);
    void stop();

    static constexpr int kCheckIntervalMs = 2000;
    // How far before the last check the rows are read again after a loss: a
    // transaction stamps its rows before it commits, and the instances' clocks
    // differ a little.
    static constexpr qint64 kCatchUpMarginUs = 10 * 1000 * 1000;

Q_SIGNALS:
    // instanceId is empty for the records rebuilt after a reconnect.
    void changed(const QString &instanceId, const QStringList &records);

private:
    bool listen(QSqlDatabase &db);
    void check();
    void heard(const QStringList &records);
    QStringList missedRecords(QSqlDatabase &db, qint64 sinceUs);

    QString m_connectionName;
    QString m_selfId;
    QTimer m_check;
    bool m_lost = false;
    qint64 m_aliveUs = 0;                  // the last moment the connection was known to work
    QSet<QString> m_openRuns;              // other instances' runs heard started, not yet ended
    QHash<QString, qint64> m_endedRuns;    // runs heard ended (run -> when), for kCatchUpMarginUs
};

} // namespace mc
