#include "agentrepository.h"

#include "queuerepository.h"

#include "agentsecrets.h"

#include "clock.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kNotFound = u"Agent not found"_s;

QString sessionKey(const QString &name)
{
    return u"agent:"_s + name.toLower() + u":main"_s;
}
} // namespace

Page AgentRepository::list(const QString &status, int limit)
{
    QString where;
    QVariantList binds;
    if (!status.isEmpty()) {
        where = u"WHERE status = ?"_s;
        binds.append(status);
    }
    Page page;
    page.count = m_store.count(u"SELECT COUNT(*) FROM agents "_s + where, binds);
    binds.append(limit);
    for (const QJsonObject &a : m_store.fetchMany(
                 agentTable(), where + u" ORDER BY %1, rowid LIMIT ?"_s.arg(m_store.dialect().caseInsensitive(u"name"_s)), binds))
        page.items.append(a);
    return page;
}

QList<QJsonObject> AgentRepository::all()
{
    return m_store.fetchMany(agentTable(), u"ORDER BY "_s + m_store.dialect().caseInsensitive(u"name"_s), {});
}

QJsonObject AgentRepository::create(const QJsonObject &body)
{
    return m_store.write([&] {
        const QString now = nowIso();
        const QString name = body.value(u"name"_s).toString();
        const QString id = newId();
        const QJsonObject agent{
            {u"id"_s, id},
            {u"name"_s, name},
            {u"role"_s, body.value(u"role"_s).toString()},
            {u"description"_s, body.value(u"description"_s).toString()},
            {u"session_key"_s, sessionKey(name)},
            {u"backend"_s, body.value(u"backend"_s).toString(u"claude_agent_sdk"_s)},
            {u"status"_s, u"idle"_s},
            {u"level"_s, body.value(u"level"_s).toString(u"specialist"_s)},
            {u"current_task_id"_s, QJsonValue()},
            {u"specialties"_s, body.value(u"specialties"_s).toArray()},
            {u"last_heartbeat"_s, QJsonValue()},
            {u"created_at"_s, now},
            {u"updated_at"_s, now},
            {u"metadata"_s, agentsecrets::stash(id, body.value(u"metadata"_s).toObject())}};
        m_store.insert(agentTable(), agent);
        m_store.logActivity(u"agent_status_changed"_s,
                            u"%1 joined the team as %2"_s.arg(name, agent.value(u"role"_s).toString()),
                            agent.value(u"id"_s));
        m_store.markAgentChanged(agent.value(u"id"_s).toString());
        return agent;
    });
}

QJsonObject AgentRepository::get(const QString &id)
{
    return m_store.fetchOr404(agentTable(), id, kNotFound);
}

QJsonObject AgentRepository::update(const QString &id, const QJsonObject &patch)
{
    return m_store.write([&] {
        const QJsonObject before = get(id);
        QJsonObject changes;
        static const QStringList editable{u"name"_s,   u"role"_s,  u"description"_s,
                                          u"specialties"_s, u"status"_s, u"level"_s,
                                          u"backend"_s, u"metadata"_s};
        for (const QString &key : editable) {
            if (patch.contains(key) && !patch.value(key).isNull())
                changes.insert(key, patch.value(key));
        }
        if (changes.contains(u"metadata"_s))
            changes.insert(u"metadata"_s, agentsecrets::stash(id, changes.value(u"metadata"_s).toObject()));
        if (changes.contains(u"name"_s))
            changes.insert(u"session_key"_s, sessionKey(changes.value(u"name"_s).toString()));
        changes.insert(u"updated_at"_s, nowIso());
        m_store.update(agentTable(), id, changes);
        const QString newStatus = changes.value(u"status"_s).toString();
        if (!newStatus.isEmpty() && newStatus != before.value(u"status"_s).toString()) {
            m_store.logActivity(u"agent_status_changed"_s,
                                u"%1 is now %2"_s.arg(before.value(u"name"_s).toString(), newStatus),
                                id);
        }
        m_store.markAgentChanged(id);
        return get(id);
    });
}

void AgentRepository::remove(const QString &id)
{
    m_store.write([&] {
        get(id);
        m_store.queue().removeForAgent(id);
        m_store.exec(u"DELETE FROM agents WHERE id = ?"_s, {id});
        m_store.markAgentRemoved(id);
    });
    // Only once the agent is really gone (a failed delete keeps its secrets).
    agentsecrets::forget(id);
}

QJsonObject AgentRepository::heartbeat(const QString &id)
{
    return m_store.write([&] {
        const QJsonObject agent = get(id);
        const QString now = nowIso();
        m_store.update(agentTable(), id,
                       {{u"last_heartbeat"_s, now}, {u"status"_s, u"idle"_s}, {u"updated_at"_s, now}});
        m_store.logActivity(u"agent_heartbeat"_s,
                            u"%1 checked in"_s.arg(agent.value(u"name"_s).toString()), id);
        m_store.markAgentChanged(id);
        return get(id);
    });
}

void AgentRepository::setWorking(const QString &id, const QString &status, const QJsonValue &taskId)
{
    m_store.write([&] {
        if (m_store.fetch(agentTable(), id).isEmpty())
            return;
        m_store.update(agentTable(), id,
                       {{u"status"_s, status}, {u"current_task_id"_s, taskId}, {u"updated_at"_s, nowIso()}});
        m_store.markAgentChanged(id);
    });
}

void AgentRepository::release(const QString &id)
{
    m_store.write([&] {
        const QString stillRunning = m_store.text(
                u"SELECT task_id FROM runs WHERE agent_id = ? AND status = 'running' ORDER BY started_at DESC, rowid DESC LIMIT 1"_s,
                {id});
        if (stillRunning.isEmpty())
            setWorking(id, u"idle"_s, QJsonValue());
        else
            setWorking(id, u"active"_s, stillRunning);   // its current task is one it still works on
    });
}

} // namespace mc
