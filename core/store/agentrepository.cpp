#include "agentrepository.h"

#include "agentsecrets.h"

#include "clock.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kNotFound = u"Agent not found"_qs;

QString sessionKey(const QString &name)
{
    return u"agent:"_qs + name.toLower() + u":main"_qs;
}
} // namespace

Page AgentRepository::list(const QString &status, int limit)
{
    QString where;
    QVariantList binds;
    if (!status.isEmpty()) {
        where = u"WHERE status = ?"_qs;
        binds.append(status);
    }
    Page page;
    page.count = m_store.count(u"SELECT COUNT(*) FROM agents "_qs + where, binds);
    binds.append(limit);
    for (const QJsonObject &a : m_store.fetchMany(
                 agentTable(), where + u" ORDER BY name COLLATE NOCASE, rowid LIMIT ?"_qs, binds))
        page.items.append(a);
    return page;
}

QList<QJsonObject> AgentRepository::all()
{
    return m_store.fetchMany(agentTable(), u"ORDER BY name COLLATE NOCASE"_qs, {});
}

QJsonObject AgentRepository::create(const QJsonObject &body)
{
    return m_store.write([&] {
        const QString now = nowIso();
        const QString name = body.value(u"name"_qs).toString();
        const QString id = newId();
        const QJsonObject agent{
            {u"id"_qs, id},
            {u"name"_qs, name},
            {u"role"_qs, body.value(u"role"_qs).toString()},
            {u"description"_s, body.value(u"description"_s).toString()},
            {u"session_key"_qs, sessionKey(name)},
            {u"backend"_qs, body.value(u"backend"_qs).toString(u"claude_agent_sdk"_qs)},
            {u"status"_qs, u"idle"_qs},
            {u"level"_qs, body.value(u"level"_qs).toString(u"specialist"_qs)},
            {u"current_task_id"_qs, QJsonValue()},
            {u"specialties"_qs, body.value(u"specialties"_qs).toArray()},
            {u"last_heartbeat"_qs, QJsonValue()},
            {u"created_at"_qs, now},
            {u"updated_at"_qs, now},
            {u"metadata"_qs, agentsecrets::stash(id, body.value(u"metadata"_qs).toObject())}};
        m_store.insert(agentTable(), agent);
        m_store.logActivity(u"agent_status_changed"_qs,
                            u"%1 joined the team as %2"_s.arg(name, agent.value(u"role"_s).toString()),
                            agent.value(u"id"_qs));
        m_store.markAgentChanged(agent.value(u"id"_qs).toString());
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
        static const QStringList editable{u"name"_qs,   u"role"_qs,  u"description"_qs,
                                          u"specialties"_qs, u"status"_qs, u"level"_qs,
                                          u"backend"_qs, u"metadata"_qs};
        for (const QString &key : editable) {
            if (patch.contains(key) && !patch.value(key).isNull())
                changes.insert(key, patch.value(key));
        }
        if (changes.contains(u"metadata"_qs))
            changes.insert(u"metadata"_qs, agentsecrets::stash(id, changes.value(u"metadata"_qs).toObject()));
        if (changes.contains(u"name"_qs))
            changes.insert(u"session_key"_qs, sessionKey(changes.value(u"name"_qs).toString()));
        changes.insert(u"updated_at"_qs, nowIso());
        m_store.update(agentTable(), id, changes);
        const QString newStatus = changes.value(u"status"_qs).toString();
        if (!newStatus.isEmpty() && newStatus != before.value(u"status"_qs).toString()) {
            m_store.logActivity(u"agent_status_changed"_qs,
                                u"%1 is now %2"_qs.arg(before.value(u"name"_qs).toString(), newStatus),
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
        m_store.exec(u"DELETE FROM agents WHERE id = ?"_qs, {id});
        agentsecrets::forget(id);
        m_store.markAgentRemoved(id);
    });
}

QJsonObject AgentRepository::heartbeat(const QString &id)
{
    return m_store.write([&] {
        const QJsonObject agent = get(id);
        const QString now = nowIso();
        m_store.update(agentTable(), id,
                       {{u"last_heartbeat"_qs, now}, {u"status"_qs, u"idle"_qs}, {u"updated_at"_qs, now}});
        m_store.logActivity(u"agent_heartbeat"_qs,
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
                       {{u"status"_qs, status}, {u"current_task_id"_qs, taskId}, {u"updated_at"_qs, nowIso()}});
        m_store.markAgentChanged(id);
    });
}

void AgentRepository::release(const QString &id)
{
    m_store.write([&] {
        const QString stillRunning = m_store.text(
                u"SELECT task_id FROM runs WHERE agent_id = ? AND status = 'running' ORDER BY started_at DESC, rowid DESC LIMIT 1"_qs,
                {id});
        if (stillRunning.isEmpty())
            setWorking(id, u"idle"_qs, QJsonValue());
        else
            setWorking(id, u"active"_qs, stillRunning);   // its current task is one it still works on
    });
}

} // namespace mc
