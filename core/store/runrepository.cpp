#include "runrepository.h"

#include "clock.h"

#include <QHash>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mc {

QJsonObject RunRepository::create(const QString &taskId, const QString &agentId)
{
    const QJsonObject run{{u"id"_s, newId()},
                          {u"task_id"_s, taskId},
                          {u"agent_id"_s, agentId},
                          {u"status"_s, u"running"_s},
                          {u"started_at"_s, nowIso()},
                          {u"finished_at"_s, QJsonValue()},
                          {u"error"_s, QJsonValue()},
                          {u"output_chunks"_s, 0},
                          {u"output_bytes"_s, 0},
                          {u"input_tokens"_s, QJsonValue()},
                          {u"output_tokens"_s, QJsonValue()},
                          {u"cost_usd"_s, QJsonValue()},
                          {u"cache_creation_input_tokens"_s, QJsonValue()},
                          {u"cache_read_input_tokens"_s, QJsonValue()},
                          {u"permission_denials"_s, QJsonArray()}};
    m_store.write([&] { m_store.insert(runTable(), run); });
    return run;
}

void RunRepository::finish(const QString &runId, const QString &status, const QJsonValue &error,
                           const QJsonObject &usage)
{
    m_store.write([&] {
        QJsonObject changes{{u"status"_s, status}, {u"finished_at"_s, nowIso()}, {u"error"_s, error}};
        for (const QString &key : {u"input_tokens"_s, u"output_tokens"_s, u"cost_usd"_s,
                                   u"cache_creation_input_tokens"_s, u"cache_read_input_tokens"_s}) {
            if (usage.value(key).isDouble())
                changes.insert(key, usage.value(key));
        }
        if (usage.value(u"permission_denials"_s).isArray())
            changes.insert(u"permission_denials"_s, usage.value(u"permission_denials"_s));
        m_store.update(runTable(), runId, changes);
    });
}

void RunRepository::appendOutput(const QList<OutputChunk> &chunks)
{
    if (chunks.isEmpty())
        return;
    m_store.write([&] {
        QHash<QString, QPair<qint64, qint64>> perRun;  // chunks, bytes
        QHash<QString, QString> latestByTask;          // the agent's latest action, per task
        for (const OutputChunk &c : chunks) {
            QSqlQuery &insert = m_store.exec(
                    u"INSERT OR IGNORE INTO run_output(run_id, seq, type, content, created_at) VALUES(?, ?, ?, ?, ?)"_s,
                    {c.runId, c.seq, c.type, c.content, c.timestamp});
            if (insert.numRowsAffected() != 1)
                continue;   // already stored by an earlier, retried batch
            auto &counts = perRun[c.runId];
            counts.first += 1;
            counts.second += c.content.toUtf8().size();
            latestByTask.insert(c.taskId, c.content);
        }
        for (auto it = latestByTask.cbegin(); it != latestByTask.cend(); ++it) {
            m_store.exec(u"UPDATE tasks SET active_description = ? WHERE id = ? AND status = 'in_progress'"_s,
                         {it.value().left(200).simplified(), it.key()});
        }
        for (auto it = perRun.cbegin(); it != perRun.cend(); ++it) {
            m_store.exec(u"UPDATE runs SET output_chunks = output_chunks + ?, output_bytes = output_bytes + ? WHERE id = ?"_s,
                         {it->first, it->second, it.key()});
        }
    });
}

QJsonObject RunRepository::get(const QString &runId)
{
    return m_store.fetchOr404(runTable(), runId, u"Run not found"_s);
}

Page RunRepository::listForTask(const QString &taskId)
{
    Page page;
    for (const QJsonObject &r : m_store.fetchMany(runTable(), u"WHERE task_id = ? ORDER BY started_at DESC, rowid DESC"_s,
                                                  {taskId}))
        page.items.append(r);
    page.count = page.items.size();
    return page;
}

QList<OutputChunk> RunRepository::chunksAfter(const QString &runId, qint64 afterSeq, qint64 upToSeq)
{
    QList<OutputChunk> out;
    QSqlQuery &q = m_store.exec(u"SELECT seq, type, content, created_at FROM run_output WHERE run_id = ? AND seq > ? AND seq <= ? ORDER BY seq"_s,
                                {runId, afterSeq, upToSeq});
    while (q.next()) {
        OutputChunk c;
        c.runId = runId;
        c.seq = q.value(0).toLongLong();
        c.type = q.value(1).toString();
        c.content = q.value(2).toString();
        c.timestamp = q.value(3).toString();
        out.append(std::move(c));
    }
    q.finish();
    return out;
}

Page RunRepository::output(const QString &runId, qint64 afterSeq, int limit)
{
    const QJsonObject run = get(runId);
    Page page;
    page.count = m_store.count(u"SELECT COUNT(*) FROM run_output WHERE run_id = ? AND seq > ?"_s, {runId, afterSeq});
    QSqlQuery &q = m_store.exec(u"SELECT seq, type, content, created_at FROM run_output WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?"_s,
                                {runId, afterSeq, limit});
    while (q.next()) {
        page.items.append(QJsonObject{{u"seq"_s, q.value(0).toLongLong()},
                                      {u"output_type"_s, q.value(1).toString()},
                                      {u"content"_s, q.value(2).toString()},
                                      {u"timestamp"_s, q.value(3).toString()}});
    }
    q.finish();
    return page;
}

QString RunRepository::latestRunId(const QString &taskId)
{
    return m_store.text(u"SELECT id FROM runs WHERE task_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1"_s, {taskId});
}

QList<QJsonObject> RunRepository::recoverInterrupted()
{
    return m_store.write([&] {
        const QList<QJsonObject> runs = m_store.fetchMany(runTable(), u"WHERE status = 'running'"_s, {});
        for (const QJsonObject &r : runs) {
            m_store.update(runTable(), r.value(u"id"_s).toString(),
                           {{u"status"_s, u"interrupted"_s},
                            {u"finished_at"_s, nowIso()},
                            {u"error"_s, u"The application stopped while this run was in progress"_s}});
        }
        return runs;
    });
}

QJsonObject RunRepository::usageTotals(const QString &column, const QString &id)
{
    // column is "task_id" or "agent_id" (never user input), or empty for all runs
    const QString where = column.isEmpty() ? QString() : u" WHERE %1 = ?"_s.arg(column);
    QSqlQuery &q = m_store.exec(u"SELECT COUNT(*), COALESCE(SUM(input_tokens),0), COALESCE(SUM(output_tokens),0), COALESCE(SUM(cost_usd),0) FROM runs"_s + where,
                                column.isEmpty() ? QVariantList() : QVariantList{id});
    QJsonObject usage;
    if (q.next()) {
        usage = {{u"runs"_s, q.value(0).toLongLong()},
                 {u"input_tokens"_s, q.value(1).toLongLong()},
                 {u"output_tokens"_s, q.value(2).toLongLong()},
                 {u"cost_usd"_s, q.value(3).toDouble()}};
    }
    q.finish();
    return usage;
}

} // namespace mc
