#include "store.h"

#include "activityrepository.h"
#include "agentrepository.h"
#include "apierror.h"
#include "clock.h"
#include "documentrepository.h"
#include "messagerepository.h"
#include "notificationrepository.h"
#include "projectrepository.h"
#include "instancerepository.h"
#include "queuerepository.h"
#include "reportbuilder.h"
#include "runrepository.h"
#include "taskrepository.h"

#include <QDir>
#include <QLoggingCategory>
#include <QMutex>
#include <QSqlError>
#include <QStorageInfo>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcStore, "mc.store")

namespace mc {

Store::Store(QObject *parent)
    : QObject(parent)
    , m_agents(std::make_unique<AgentRepository>(*this))
    , m_tasks(std::make_unique<TaskRepository>(*this))
    , m_messages(std::make_unique<MessageRepository>(*this))
    , m_documents(std::make_unique<DocumentRepository>(*this))
    , m_activities(std::make_unique<ActivityRepository>(*this))
    , m_notifications(std::make_unique<NotificationRepository>(*this))
    , m_projects(std::make_unique<ProjectRepository>(*this))
    , m_reports(std::make_unique<ReportBuilder>(*this))
    , m_runs(std::make_unique<RunRepository>(*this))
    , m_queue(std::make_unique<QueueRepository>(*this))
    , m_instances(std::make_unique<InstanceRepository>(*this))
{
}

Store::~Store()
{
    close();
}

void Store::open(const StoreLocation &location)
{
    if (!QDir().mkpath(location.dataDir))
        throw StoreError(u"Cannot create the data directory %1"_s.arg(location.dataDir));
    m_dataDir = QDir(location.dataDir).absolutePath();
    m_databaseUrl = location.databaseUrl;
    if (!m_databaseUrl.isEmpty()) {
        // The server orders transactions itself; the gate only keeps this
        // process's connections taking turns, as on SQLite.
        m_db.openUrl(m_databaseUrl);
        m_gate = WriteGate::forDatabase(m_db.path());
        return;
    }
    const QString path = QDir(m_dataDir).filePath(u"mission-control.db"_s);
    m_gate = WriteGate::forDatabase(path);
    m_db.open(path);
    m_checkpointer = WalCheckpointer::forDatabase(path);
}

void Store::close()
{
    m_readCache.clear();
    m_statements.clear();
    m_db.close();
    m_connectionLost = false;
    m_checkpointer.reset();
}

QSqlQuery &Store::exec(const QString &sql, const QVariantList &binds)
{
    if (m_depth > 0)
        return execOnce(sql, binds);
    reconnectIfLost();
    try {
        return execOnce(sql, binds);
    } catch (const StoreError &) {
        // A read outside a transaction that found the connection lost runs
        // once more, on a new one (a write could have been done: it is not).
        if (!m_connectionLost || !sql.trimmed().startsWith(u"SELECT"_s, Qt::CaseInsensitive))
            throw;
    }
    reconnectIfLost();
    return execOnce(sql, binds);
}

QSqlQuery &Store::execOnce(const QString &sql, const QVariantList &binds)
{
    // Statements are cached by text; filters with a variable number of values
    // make new texts, so the cache is bounded.
    if (m_statements.size() > 512 && !m_statements.contains(sql) && m_depth == 0)
        m_statements.clear();
    auto &cached = m_statements[sql];
    if (!cached) {
        cached = std::make_shared<QSqlQuery>(m_db.connection());
        cached->setForwardOnly(true);
        if (!cached->prepare(sql)) {
            const QSqlError err = cached->lastError();
            cached.reset();
            m_statements.remove(sql);
            throw failure(u"prepare failed"_s, err);
        }
    }
    QSqlQuery &q = *cached;
    for (qsizetype i = 0; i < binds.size(); ++i) {
        const QVariant &v = binds.at(i);
        // Flags are INTEGER columns on both engines; PostgreSQL takes no bool for one.
        q.bindValue(int(i), v.typeId() == QMetaType::Bool ? QVariant(v.toBool() ? 1 : 0) : v);
    }
    const bool ok = q.exec();
    if (m_depth == 0 && !q.isSelect())
        ++m_ownChanges;   // a change outside write(): the read cache must not outlive it
    if (!ok)
        throw failure(u"query failed"_s, q.lastError());
    return q;
}

DataVersion Store::dataVersion()
{
    return {m_ownChanges, count(dialect().dataVersionQuery())};
}

QVariant Store::bind(const TableSchema &table, const Column &column, const QJsonValue &value) const
{
    QVariant v = table.bind(column, value);
    // JSON goes to SQLite as bytes (it stores them as they are); PostgreSQL
    // would take bytes for bytea and store their escaped form in a TEXT column.
    if (dialect().isPostgres() && v.typeId() == QMetaType::QByteArray)
        v = QString::fromUtf8(v.toByteArray());
    return v;
}

void Store::insert(const TableSchema &table, const QJsonObject &entity)
{
    QStringList marks;
    QVariantList binds;
    for (const Column &c : table.columns) {
        marks.append(u"?"_s);
        binds.append(bind(table, c, entity.value(c.name)));
    }
    exec(u"INSERT INTO %1 (%2) VALUES (%3)"_s.arg(table.table, table.selectList(), marks.join(u", "_s)),
         binds);
}

void Store::update(const TableSchema &table, const QString &id, const QJsonObject &changes)
{
    if (changes.isEmpty())
        return;
    QStringList sets;
    QVariantList binds;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        const Column *c = table.column(it.key());
        if (!c)
            continue;
        sets.append(c->name + u" = ?"_s);
        binds.append(bind(table, *c, it.value()));
    }
    binds.append(id);
    exec(u"UPDATE %1 SET %2 WHERE id = ?"_s.arg(table.table, sets.join(u", "_s)), binds);
}

QJsonObject Store::fetch(const TableSchema &table, const QString &id)
{
    QSqlQuery &q = exec(u"SELECT %1 FROM %2 WHERE id = ?"_s.arg(table.selectList(), table.table), {id});
    QJsonObject result = q.next() ? table.read(q) : QJsonObject();
    q.finish();
    return result;
}

QJsonObject Store::fetchOr404(const TableSchema &table, const QString &id, const QString &notFound)
{
    QJsonObject o = fetch(table, id);
    if (o.isEmpty())
        throw ApiError::notFound(notFound);
    return o;
}

QList<QJsonObject> Store::fetchMany(const TableSchema &table, const QString &whereOrderLimit,
                                    const QVariantList &binds)
{
    QSqlQuery &q = exec(u"SELECT %1 FROM %2 %3"_s.arg(table.selectList(), table.table, whereOrderLimit),
                       binds);
    QList<QJsonObject> rows;
    while (q.next())
        rows.append(table.read(q));
    q.finish();
    return rows;
}

QByteArray Store::fetchManyJson(const TableSchema &table, const QString &whereOrderLimit, const QVariantList &binds,
                                ListCursor *last, qsizetype *rows)
{
    const QString select = last ? table.selectList() + u", updated_at, rowid"_s : table.selectList();
    QSqlQuery &q = exec(u"SELECT %1 FROM %2 %3"_s.arg(select, table.table, whereOrderLimit), binds);
    QByteArray out("[");
    qsizetype n = 0;
    while (q.next()) {
        if (n++ > 0)
            out.append(',');
        table.appendJson(q, out);
        if (last) {
            const int keyAt = int(table.columns.size());
            last->valid = true;
            last->updatedAt = q.value(keyAt).toString();
            last->rowid = q.value(keyAt + 1).toLongLong();
        }
    }
    q.finish();
    out.append(']');
    if (rows)
        *rows = n;
    return out;
}

qint64 Store::count(const QString &sql, const QVariantList &binds)
{
    QSqlQuery &q = exec(sql, binds);
    const qint64 n = q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return n;
}

qint64 Store::counter(const QString &name)
{
    return count(u"SELECT COALESCE(MAX(n), 0) FROM counters WHERE name = ?"_s, {name});
}

qint64 Store::countWhere(const QString &table, const QString &where, const QVariantList &binds)
{
    static const QStringList counted{u"messages"_s, u"activities"_s, u"documents"_s, u"notifications"_s};
    if (where.isEmpty() && counted.contains(table))
        return counter(table);
    return count(u"SELECT COUNT(*) FROM %1 %2"_s.arg(table, where), binds);
}

QString Store::text(const QString &sql, const QVariantList &binds)
{
    QSqlQuery &q = exec(sql, binds);
    const QString value = q.next() ? q.value(0).toString() : QString();
    q.finish();
    return value;
}

void Store::begin()
{
    if (m_depth++ > 0)
        return;
    m_pendingSignals.clear();
    m_pendingRecords.clear();
    if (!m_gate) {
        m_depth = 0;
        throw StoreError(u"The database is not open"_s);
    }
    try {
        reconnectIfLost();
    } catch (...) {
        m_depth = 0;
        throw;
    }
    m_gate->lock();
    if (!m_db.connection().transaction()) {
        m_depth = 0;
        m_gate->unlock();
        throw failure(u"cannot begin a transaction"_s, m_db.connection().lastError());
    }
}

void Store::commit()
{
    if (m_depth > 1) {
        --m_depth;
        return;
    }
    ++m_ownChanges;
    // Still inside the transaction (depth 1) while notifying: its statements
    // are never run again on a new connection outside it. If it fails,
    // write()'s rollback() ends the transaction.
    publish();
    --m_depth;
    if (!m_db.connection().commit()) {
        // Still inside the transaction: write()'s rollback() ends it and opens
        // the gate -- exactly once (a second unlock would skip a ticket of the
        // gate and hang the next writer for good).
        ++m_depth;
        const StoreError error = failure(u"commit failed"_s, m_db.connection().lastError());
        // Lost while committing: the server may have committed it, so it is
        // not run again (the connection is still renewed before the next use).
        if (m_connectionLost)
            throw StoreError(error.message(), error.storageFull(), false);
        throw error;
    }
    m_gate->unlock();
    QList<Change> changes = std::exchange(m_pendingSignals, {});
    if (m_deferAnnouncing)
        m_deferred.append(std::move(changes));
    else
        announce(changes);
}

StoreError Store::failure(const QString &what, const QSqlError &error)
{
    // SQLITE_FULL, or an I/O error on a disk with next to no room left.
    constexpr qint64 kNearlyFullBytes = 1024 * 1024;
    const QString code = error.nativeErrorCode();
    bool full = code == u"13"_s || code == u"53100"_s || error.text().contains(u"disk is full"_s);
    if (!full && (code == u"10"_s || error.text().contains(u"disk I/O error"_s)) && !m_dataDir.isEmpty())
        full = QStorageInfo(m_dataDir).bytesAvailable() < kNearlyFullBytes;
    // PostgreSQL: deadlock_detected, serialization_failure, or a statement
    // in a transaction one of those already aborted.
    const bool transient = code == u"40P01"_s || code == u"40001"_s || code == u"25P02"_s;
    if (dialect().isPostgres() && Database::isConnectionLoss(error)) {
        m_connectionLost = true;
        qCWarning(lcStore) << "the connection to PostgreSQL" << m_db.path() << "was lost:" << error.text();
    }
    return StoreError(what + u": "_s + error.text(), full, transient || m_connectionLost);
}

bool Store::runAgain(const StoreError &e, int attempt, int &reconnects) const
{
    if (!e.transient() || attempt >= kWriteAttempts)
        return false;
    return !m_connectionLost || ++reconnects <= 1;
}

namespace {
// Holds back the default category's warnings while it lives. Counted, so the
// main thread's and the output writer's Stores reconnecting at once restore
// the setting found by the first of them, never leave it off.
class QuietPlainWarnings
{
public:
    QuietPlainWarnings()
    {
        const QMutexLocker locker(&s_lock);
        if (s_count++ == 0) {
            s_wasEnabled = QLoggingCategory::defaultCategory()->isWarningEnabled();
            QLoggingCategory::defaultCategory()->setEnabled(QtWarningMsg, false);
        }
    }
    ~QuietPlainWarnings()
    {
        const QMutexLocker locker(&s_lock);
        if (--s_count == 0)
            QLoggingCategory::defaultCategory()->setEnabled(QtWarningMsg, s_wasEnabled);
    }
    Q_DISABLE_COPY_MOVE(QuietPlainWarnings)

private:
    static inline QMutex s_lock;
    static inline int s_count = 0;
    static inline bool s_wasEnabled = true;
};
} // namespace

void Store::reconnectIfLost()
{
    if (!m_connectionLost)
        return;
    // The statements were prepared on the old session. QPSQL frees each one
    // it drops with a DEALLOCATE that cannot work on a closed session, and
    // warns once per statement through the default category (hundreds of
    // lines that say nothing): those warnings are held back meanwhile.
    m_db.connection().close();
    {
        const QuietPlainWarnings quiet;
        m_statements.clear();
    }
    m_db.reconnect();
    m_connectionLost = false;
    qCInfo(lcStore) << "reconnected to PostgreSQL" << m_db.path();
}

void Store::rollback()
{
    if (--m_depth > 0)
        return;
    m_db.connection().rollback();
    m_gate->unlock();
    m_pendingSignals.clear();
    m_pendingRecords.clear();
}

bool Store::isShared() const
{
    return dialect().isPostgres();
}

namespace {
// An optional id: the string, or null for anything else (undefined included).
QJsonValue jsonOf(const QJsonValue &v)
{
    return v.isString() ? v : QJsonValue();
}
} // namespace

QJsonObject Store::logActivity(const QString &type, const QString &message,
                               const QJsonValue &agentId, const QJsonValue &taskId,
                               const QJsonValue &documentId, const QJsonObject &metadata)
{
    const QJsonObject activity{{u"id"_s, newId()},
                               {u"type"_s, type},
                               {u"agent_id"_s, jsonOf(agentId)},
                               {u"message"_s, message},
                               {u"task_id"_s, jsonOf(taskId)},
                               {u"document_id"_s, jsonOf(documentId)},
                               {u"created_at"_s, nowIso()},
                               {u"metadata"_s, metadata}};
    insert(activityTable(), activity);
    m_pendingSignals.append([activity](Store &s) { Q_EMIT s.activityCreated(activity); });
    markRemote(u"activity "_s + activity.value(u"id"_s).toString());
    return activity;
}

void Store::notify(const QString &agentId, const QString &type, const QString &content,
                   const QJsonValue &sourceMessageId, const QJsonValue &sourceTaskId)
{
    insert(notificationTable(), QJsonObject{{u"id"_s, newId()},
                                            {u"agent_id"_s, agentId},
                                            {u"type"_s, type},
                                            {u"content"_s, content},
                                            {u"source_message_id"_s, jsonOf(sourceMessageId)},
                                            {u"source_task_id"_s, jsonOf(sourceTaskId)},
                                            {u"delivered"_s, false},
                                            {u"read"_s, false},
                                            {u"created_at"_s, nowIso()},
                                            {u"delivered_at"_s, QJsonValue::Null},
                                            {u"metadata"_s, QJsonObject()}});
}

} // namespace mc
