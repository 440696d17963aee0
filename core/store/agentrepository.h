#pragma once

#include "store.h"

namespace mc {

// Agents (API.md A.3/A.4). Bodies are already validated against the route's specs.
class AgentRepository final
{
public:
    explicit AgentRepository(Store &store) : m_store(store) {}

    Page list(const QString &status, int limit);
    QJsonObject create(const QJsonObject &body);
    QJsonObject get(const QString &id);
    QJsonObject update(const QString &id, const QJsonObject &patch);
    void remove(const QString &id);
    QJsonObject heartbeat(const QString &id);
    // Engine bookkeeping: status plus current task, with an activity when it changes.
    void setWorking(const QString &id, const QString &status, const QJsonValue &taskId);
    // Back to idle once the agent has no run left `running` (an agent may work
    // on several tasks at once; the last run to end frees it). Until then its
    // current task is the latest one it still works on.
    void release(const QString &id);
    QList<QJsonObject> all();

private:
    Store &m_store;
};

} // namespace mc
