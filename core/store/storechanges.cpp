// What a transaction announces once it commits: the Store's own signals (to
// this process's windows and WebSocket clients) and, on a shared database,
// the change feed's records for the other instances (pg_notify, sent inside
// the transaction so they arrive at its commit, in commit order).

#include "store.h"

#include "instanceid.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace mc {

void Store::announce(const QList<Change> &changes)
{
    for (const Change &emitSignal : changes)
        emitSignal(*this);
}

void Store::markRemote(const QString &record)
{
    if (isShared())
        m_pendingRecords.append(record);
}

void Store::publish()
{
    // NOTIFY payloads are limited to 8000 bytes: a big transaction sends several,
    // each headed by this instance's id (its own listener skips them).
    constexpr qsizetype kMaxPayloadBytes = 7000;
    if (m_pendingRecords.isEmpty())
        return;
    const QStringList records = std::exchange(m_pendingRecords, {});
    const QByteArray head = thisInstanceId().toUtf8();
    QByteArray payload = head;
    const auto send = [this](const QByteArray &text) {
        QSqlQuery &q = exec(u"SELECT pg_notify(?, ?)"_s, {QString::fromLatin1(kChangeChannel), QString::fromUtf8(text)});
        q.finish();
    };
    for (const QString &record : records) {
        const QByteArray line = record.toUtf8().left(kMaxPayloadBytes - head.size() - 1);
        if (payload.size() + 1 + line.size() > kMaxPayloadBytes) {
            send(payload);
            payload = head;
        }
        payload += '\n' + line;
    }
    send(payload);
}

void Store::markTaskChanged(const QString &taskId)
{
    m_pendingSignals.append([taskId](Store &s) { Q_EMIT s.taskChanged(taskId); });
    markRemote(u"task "_s + taskId);
}

void Store::markTaskRemoved(const QString &taskId)
{
    m_pendingSignals.append([taskId](Store &s) { Q_EMIT s.taskRemoved(taskId); });
    markRemote(u"task-removed "_s + taskId);
}

void Store::markAgentChanged(const QString &agentId)
{
    m_pendingSignals.append([agentId](Store &s) { Q_EMIT s.agentChanged(agentId); });
    markRemote(u"agent "_s + agentId);
}

void Store::markAgentRemoved(const QString &agentId)
{
    m_pendingSignals.append([agentId](Store &s) { Q_EMIT s.agentRemoved(agentId); });
    markRemote(u"agent-removed "_s + agentId);
}

void Store::markDocumentChanged(const QString &documentId)
{
    m_pendingSignals.append([documentId](Store &s) { Q_EMIT s.documentChanged(documentId); });
    markRemote(u"document "_s + documentId);
}

void Store::markQueued(const QJsonObject &event)
{
    m_pendingSignals.append([event](Store &s) { Q_EMIT s.taskQueued(event); });
    markRemote(u"queued "_s + event.value(u"task_id"_s).toString());
}

void Store::markDequeued(const QString &taskId, const QString &reason)
{
    m_pendingSignals.append([taskId, reason](Store &s) { Q_EMIT s.taskDequeued(taskId, reason); });
    markRemote(u"dequeued "_s + taskId + u' ' + reason);
}

} // namespace mc
