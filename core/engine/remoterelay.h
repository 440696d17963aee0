#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>

namespace mc {

class Executor;
class Store;

// Announces here what other instances sharing the database committed
// (ChangeFeed's records): the rows are read by id and the same Store and
// Executor signals are emitted as for this instance's own changes, so the
// WebSocket clients and the windows see every instance's work. A remote run's
// output is read from the shared store after the last chunk announced, so its
// `seq` numbers are the run's own and replay works for it.
class RemoteRelay final : public QObject
{
    Q_OBJECT

public:
    RemoteRelay(Store &store, Executor &executor, QObject *parent = nullptr);

    // One transaction's records ("task <id>", "output <run id>", ...), in order;
    // "stop <run id> <task id>" asks the run's owner to stop it (Executor::stopRun).
    void apply(const QStringList &records);

private:
    void applyOne(const QString &kind, const QString &id, const QString &rest);
    void relayStart(const QString &runId);
    void relayOutput(const QString &runId);
    void relayEnd(const QString &runId);

    Store &m_store;
    Executor &m_executor;
    QHash<QString, qint64> m_lastSeq;   // per remote run: the last chunk announced
};

} // namespace mc
