#include "remoterelay.h"

#include "executor.h"
#include "queuerepository.h"
#include "rowcodec.h"
#include "runrepository.h"
#include "store.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcRelay, "mc.relay")

namespace mc {

RemoteRelay::RemoteRelay(Store &store, Executor &executor, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_executor(executor)
{
}

void RemoteRelay::apply(const QStringList &records)
{
    m_store.noteRemoteChange();
    qCDebug(lcRelay) << "relaying" << records.size() << "change(s) of another instance";
    for (const QString &record : records) {
        const QString kind = record.section(u' ', 0, 0);
        const QString id = record.section(u' ', 1, 1);
        const QString rest = record.section(u' ', 2);
        try {
            applyOne(kind, id, rest);
        } catch (const std::exception &e) {
            qCWarning(lcRelay) << "relaying" << kind << id << "failed:" << e.what();
        }
    }
}

void RemoteRelay::applyOne(const QString &kind, const QString &id, const QString &rest)
{
    if (kind == u"task"_s) {
        m_store.announce({[id](Store &s) { Q_EMIT s.taskChanged(id); }});
    } else if (kind == u"task-removed"_s) {
        m_store.announce({[id](Store &s) { Q_EMIT s.taskRemoved(id); }});
    } else if (kind == u"agent"_s) {
        m_store.announce({[id](Store &s) { Q_EMIT s.agentChanged(id); }});
    } else if (kind == u"agent-removed"_s) {
        m_store.announce({[id](Store &s) { Q_EMIT s.agentRemoved(id); }});
    } else if (kind == u"document"_s) {
        m_store.announce({[id](Store &s) { Q_EMIT s.documentChanged(id); }});
    } else if (kind == u"activity"_s) {
        const QJsonObject activity = m_store.fetch(activityTable(), id);
        if (!activity.isEmpty())
            m_store.announce({[activity](Store &s) { Q_EMIT s.activityCreated(activity); }});
    } else if (kind == u"queued"_s) {
        const qint64 position = m_store.queue().position(id);
        const QString agentId = m_store.text(u"SELECT agent_id FROM task_queue WHERE task_id = ?"_s, {id});
        const QJsonObject event{{u"task_id"_s, id}, {u"agent_id"_s, agentId}, {u"position"_s, position}};
        if (position > 0)
            m_store.announce({[event](Store &s) { Q_EMIT s.taskQueued(event); }});
    } else if (kind == u"dequeued"_s) {
        m_store.announce({[id, rest](Store &s) { Q_EMIT s.taskDequeued(id, rest); }});
    } else if (kind == u"started"_s) {
        relayStart(id);
    } else if (kind == u"output"_s) {
        relayOutput(id);
    } else if (kind == u"ended"_s) {
        relayEnd(id);
    } else if (kind == u"stop"_s) {
        m_executor.stopRun(id, rest);   // POST /stop on another instance; only the run's owner acts
    }
}

void RemoteRelay::relayStart(const QString &runId)
{
    const QJsonObject run = m_store.fetch(runTable(), runId);
    if (run.isEmpty())
        return;
    const QString taskId = run.value(u"task_id"_s).toString();
    const QString agentId = run.value(u"agent_id"_s).toString();
    // Already being relayed (its output was heard first): its start is not
    // announced again nor its output sent again from the beginning.
    if (m_lastSeq.contains(runId))
        return;
    m_lastSeq.insert(runId, 0);
    m_executor.announceRemoteStart(
            {{u"task_id"_s, taskId},
             {u"agent_id"_s, agentId},
             {u"agent_name"_s, m_store.text(u"SELECT name FROM agents WHERE id = ?"_s, {agentId})},
             {u"task_title"_s, m_store.text(u"SELECT title FROM tasks WHERE id = ?"_s, {taskId})},
             {u"run_id"_s, runId},
             {u"timestamp"_s, run.value(u"started_at"_s).toString()}});
}

void RemoteRelay::relayOutput(const QString &runId)
{
    const QString taskId = m_store.text(u"SELECT task_id FROM runs WHERE id = ?"_s, {runId});
    if (taskId.isEmpty())
        return;
    // A run that started before this instance listened: its output from the start.
    qint64 &last = m_lastSeq[runId];
    const QList<OutputChunk> chunks = m_store.runs().chunksAfter(runId, last, std::numeric_limits<qint64>::max());
    for (OutputChunk chunk : chunks) {
        chunk.taskId = taskId;
        last = chunk.seq;
        m_executor.announceRemoteOutput(chunk);
    }
}

void RemoteRelay::relayEnd(const QString &runId)
{
    relayOutput(runId);   // whatever was committed before the end, first
    m_lastSeq.remove(runId);
    const QJsonObject run = m_store.fetch(runTable(), runId);
    if (run.isEmpty())
        return;
    m_executor.announceRemoteEnd({{u"task_id"_s, run.value(u"task_id"_s)},
                                  {u"agent_id"_s, run.value(u"agent_id"_s)},
                                  {u"status"_s, run.value(u"status"_s)},
                                  {u"error"_s, run.value(u"error"_s)},
                                  {u"run_id"_s, runId},
                                  {u"timestamp"_s, run.value(u"finished_at"_s)}});
}

} // namespace mc
