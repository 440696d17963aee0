#include "heartbeat.h"

#include "clock.h"
#include "dispatcher.h"
#include "executor.h"
#include "queuerepository.h"
#include "store.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcHeartbeat, "mc.heartbeat")

namespace mc {

Heartbeat::Heartbeat(Store &store, Executor &executor, Dispatcher &dispatcher, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_executor(executor)
    , m_dispatcher(dispatcher)
{
    connect(&m_timer, &QTimer::timeout, this, &Heartbeat::beat);
}

void Heartbeat::start(int intervalS)
{
    m_timer.stop();
    if (intervalS > 0)
        m_timer.start(intervalS * 1000);
}

void Heartbeat::beat()
{
    try {
        m_store.write([&] {
            QHash<QString, int> queuedFor;
            for (const QueueRepository::Head &q : m_store.queue().enqueueReady(m_dispatcher.stillRunning()))
                ++queuedFor[q.agentId];
            QSet<QString> busy;
            for (const QJsonValue &run : m_executor.runningTasks())
                busy.insert(run.toObject().value(u"agent_id"_s).toString());
            // Agents busy on other instances sharing the database are not stale either.
            QSqlQuery &running = m_store.exec(u"SELECT DISTINCT agent_id FROM runs WHERE status = 'running'"_s);
            while (running.next())
                busy.insert(running.value(0).toString());
            running.finish();
            const QString now = nowIso();
            for (const QJsonObject &agent : m_store.fetchMany(agentTable(), u"ORDER BY name"_s, {})) {
                const QString id = agent.value(u"id"_s).toString();
                const bool stale = agent.value(u"status"_s).toString() == u"active"_s && !busy.contains(id);
                QJsonObject changes{{u"last_heartbeat"_s, now}};
                if (stale)
                    changes.insert(u"status"_s, u"idle"_s);
                m_store.update(agentTable(), id, changes);
                m_store.markAgentChanged(id);
                const int queued = queuedFor.value(id);
                if (!stale && queued == 0)
                    continue;
                QStringList what;
                if (stale)
                    what.append(u"back to idle"_s);
                if (queued > 0)
                    what.append(u"%1 ready task(s) queued"_s.arg(queued));
                m_store.logActivity(u"agent_heartbeat"_s,
                                    u"%1 heartbeat: %2"_s.arg(agent.value(u"name"_s).toString(), what.join(u", "_s)), id);
            }
        });
    } catch (const std::exception &e) {
        qCWarning(lcHeartbeat) << "heartbeat failed:" << e.what();
    }
    m_dispatcher.schedule();
}

} // namespace mc
