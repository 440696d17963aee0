#include "runrepository.h"

#include "apierror.h"

#include "clock.h"
#include "outputbatch.h"

#include <QHash>
#include <QJsonArray>

#include <limits>

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

bool RunRepository::finish(const QString &runId, const QString &status, const QJsonValue &error,
                           const QJsonObject &usage)
{
    return m_store.write([&] {
        if (m_store.text(u"SELECT status FROM runs WHERE id = ?"_s + m_store.dialect().forUpdate(), {runId})
            != u"running"_s)
            return false;
        QJsonObject changes{{u"status"_s, status}, {u"finished_at"_s, nowIso()}, {u"error"_s, error}};
        for (const QString &key : {u"input_tokens"_s, u"output_tokens"_s, u"cost_usd"_s,
                                   u"cache_creation_input_tokens"_s, u"cache_read_input_tokens"_s}) {
            if (usage.value(key).isDouble())
                changes.insert(key, usage.value(key));
        }
        if (usage.value(u"permission_denials"_s).isArray())
            changes.insert(u"permission_denials"_s, usage.value(u"permission_denials"_s));
        m_store.update(runTable(), runId, changes);
        return true;
    });
}

// The run's last batch row, filled until it reaches OutputBatch::targetBytes.
struct RunRepository::OpenBatch
{
    bool stored = false;   // a row exists (UPDATE) or not yet (INSERT)
    qint64 firstSeq = 0;
    qint64 lastSeq = 0;
    qint64 chunks = 0;
    QByteArray payload;
};

void RunRepository::appendOutput(const QList<OutputChunk> &chunks)
{
    if (chunks.isEmpty())
        return;
    m_store.write([&] {
        QHash<QString, QPair<qint64, qint64>> perRun;  // chunks, bytes
        QHash<QString, QString> latestByTask;          // the agent's latest action, per task
        QHash<QString, OpenBatch> open;
        QStringList order;
        const auto save = [this](const QString &runId, const OpenBatch &b) {
            if (b.stored) {
                m_store.exec(u"UPDATE run_output_batches SET last_seq = ?, chunks = ?, payload = ? WHERE run_id = ? AND first_seq = ?"_s,
                             {b.lastSeq, b.chunks, b.payload, runId, b.firstSeq});
            } else {
                m_store.exec(u"INSERT INTO run_output_batches(run_id, first_seq, last_seq, chunks, payload) VALUES(?, ?, ?, ?, ?)"_s,
                             {runId, b.firstSeq, b.lastSeq, b.chunks, b.payload});
            }
        };
        for (const OutputChunk &c : chunks) {
            if (!open.contains(c.runId)) {
                open.insert(c.runId, lastBatch(c.runId));
                order.append(c.runId);
            }
            OpenBatch &b = open[c.runId];
            if (c.seq <= b.lastSeq)
                continue;   // already stored by an earlier, retried batch
            // Sequence numbers are contiguous from 1: a gap means an earlier
            // batch failed and is still to be resent. Refuse this one too, so
            // the resend fills the gap in order instead of it being skipped.
            if (c.seq != b.lastSeq + 1)
                throw StoreError(u"Output of run %1 arrived out of order (line %2 after %3)"_s.arg(c.runId).arg(c.seq).arg(b.lastSeq));
            if (b.payload.size() >= OutputBatch::targetBytes) {
                save(c.runId, b);
                b = OpenBatch{false, c.seq, c.seq, 0, {}};
            }
            if (b.payload.isEmpty())
                b.firstSeq = c.seq;
            OutputBatch::append(b.payload, b.payload.isEmpty() ? c.seq : b.lastSeq, c);
            b.lastSeq = c.seq;
            ++b.chunks;
            auto &counts = perRun[c.runId];
            counts.first += 1;
            counts.second += c.content.toUtf8().size();
            latestByTask.insert(c.taskId, c.content);
        }
        for (const QString &runId : std::as_const(order)) {
            if (perRun.contains(runId))
                save(runId, open.value(runId));
        }
        for (auto it = latestByTask.cbegin(); it != latestByTask.cend(); ++it) {
            m_store.exec(u"UPDATE tasks SET active_description = ? WHERE id = ? AND status = 'in_progress'"_s,
                         {it.value().left(200).simplified(), it.key()});
        }
        for (auto it = perRun.cbegin(); it != perRun.cend(); ++it) {
            m_store.exec(u"UPDATE runs SET output_chunks = output_chunks + ?, output_bytes = output_bytes + ? WHERE id = ?"_s,
                         {it->first, it->second, it.key()});
            m_store.markRemote(u"output "_s + it.key());
        }
    });
}

RunRepository::OpenBatch RunRepository::lastBatch(const QString &runId)
{
    OpenBatch b;
    QSqlQuery &q = m_store.exec(u"SELECT first_seq, last_seq, chunks, payload FROM run_output_batches WHERE run_id = ? ORDER BY first_seq DESC LIMIT 1"_s,
                                {runId});
    if (q.next()) {
        b.stored = true;
        b.firstSeq = q.value(0).toLongLong();
        b.lastSeq = q.value(1).toLongLong();
        b.chunks = q.value(2).toLongLong();
        b.payload = q.value(3).toByteArray();
    }
    q.finish();
    if (!b.stored)   // a run written before schema 4 continues after the last old row
        b.lastSeq = m_store.count(u"SELECT COALESCE(MAX(seq), 0) FROM run_output WHERE run_id = ?"_s, {runId});
    return b;
}

qint64 RunRepository::lastSeq(const QString &runId)
{
    const qint64 batched = m_store.count(u"SELECT COALESCE(MAX(last_seq), 0) FROM run_output_batches WHERE run_id = ?"_s, {runId});
    if (batched > 0)
        return batched;
    return m_store.count(u"SELECT COALESCE(MAX(seq), 0) FROM run_output WHERE run_id = ?"_s, {runId});
}

void RunRepository::removeOutput(const QString &runId)
{
    m_store.exec(u"DELETE FROM run_output WHERE run_id = ?"_s, {runId});
    m_store.exec(u"DELETE FROM run_output_batches WHERE run_id = ?"_s, {runId});
}

void RunRepository::removeOutputOfTask(const QString &taskId)
{
    m_store.exec(u"DELETE FROM run_output WHERE run_id IN (SELECT id FROM runs WHERE task_id = ?)"_s, {taskId});
    m_store.exec(u"DELETE FROM run_output_batches WHERE run_id IN (SELECT id FROM runs WHERE task_id = ?)"_s, {taskId});
}

QJsonObject RunRepository::get(const QString &runId)
{
    return m_store.fetchOr404(runTable(), runId, u"Run not found"_s);
}

Page RunRepository::listForTask(const QString &taskId, int limit)
{
    Page page;
    // A negative limit is "all": no LIMIT (PostgreSQL refuses LIMIT -1).
    const QString order = u"WHERE task_id = ? ORDER BY started_at DESC, rowid DESC"_s;
    for (const QJsonObject &r : limit >= 0 ? m_store.fetchMany(runTable(), order + u" LIMIT ?"_s, {taskId, limit})
                                           : m_store.fetchMany(runTable(), order, {taskId}))
        page.items.append(r);
    page.count = limit >= 0 && page.items.size() == limit
            ? m_store.count(u"SELECT COUNT(*) FROM runs WHERE task_id = ?"_s, {taskId})
            : page.items.size();
    return page;
}

QList<OutputChunk> RunRepository::chunksAfter(const QString &runId, qint64 afterSeq, qint64 upToSeq, qsizetype limit)
{
    // Rows of the old run_output table (runs written before schema 4) ...
    QList<OutputChunk> out;
    QSqlQuery &q = m_store.exec(u"SELECT seq, type, content, created_at FROM run_output WHERE run_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?"_s,
                                {runId, afterSeq, upToSeq, limit});
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
    if (out.size() >= limit)
        return out;
    // ... then batches, from the one holding afterSeq + 1 (found by the primary key).
    QSqlQuery &b = m_store.exec(
            u"SELECT first_seq, payload FROM run_output_batches WHERE run_id = ? AND first_seq <= ? AND first_seq >= "
            "COALESCE((SELECT MAX(first_seq) FROM run_output_batches WHERE run_id = ? AND first_seq <= ?), 0) "
            "ORDER BY first_seq"_s,
            {runId, upToSeq, runId, afterSeq + 1});
    const qint64 fromSeq = out.isEmpty() ? afterSeq : out.last().seq;
    while (out.size() < limit && b.next())
        out += OutputBatch::read(b.value(1).toByteArray(), runId, b.value(0).toLongLong(), fromSeq, upToSeq,
                                 limit - out.size());
    b.finish();
    return out;
}

Page RunRepository::output(const QString &runId, qint64 afterSeq, int limit)
{
    get(runId);
    Page page;
    // Sequence numbers are contiguous per run from 1.
    page.count = qMax<qint64>(0, lastSeq(runId) - qMax<qint64>(0, afterSeq));
    for (const OutputChunk &c : chunksAfter(runId, afterSeq, std::numeric_limits<qint64>::max(), limit)) {
        page.items.append(QJsonObject{{u"seq"_s, c.seq},
                                      {u"output_type"_s, c.type},
                                      {u"content"_s, c.content},
                                      {u"timestamp"_s, c.timestamp}});
    }
    return page;
}

QString RunRepository::latestRunId(const QString &taskId)
{
    return m_store.text(u"SELECT id FROM runs WHERE task_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1"_s, {taskId});
}

QList<QJsonObject> RunRepository::running()
{
    return m_store.fetchMany(runTable(), u"WHERE status = 'running' ORDER BY started_at, rowid"_s, {});
}

QList<QJsonObject> RunRepository::recoverInterrupted(const QStringList &instanceIds, bool unowned)
{
    QString where = u"WHERE status = 'running'"_s;
    QVariantList binds;
    if (!instanceIds.isEmpty()) {
        for (const QString &id : instanceIds)
            binds.append(id);
        where += u" AND (instance_id IN (%1)%2)"_s.arg(placeholders(instanceIds.size()),
                                                       unowned ? u" OR instance_id IS NULL"_s : QString());
    }
    return m_store.write([&] {
        const QList<QJsonObject> runs = m_store.fetchMany(runTable(), where, binds);
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
