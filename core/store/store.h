#pragma once

#include "apierror.h"
#include "database.h"
#include "listcursor.h"
#include "readcache.h"
#include "walcheckpointer.h"
#include "writegate.h"
#include "rowcodec.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSqlQuery>
#include <QVariantList>

class QSqlError;

#include <functional>
#include <memory>

namespace mc {

// A list answer: the items (after limit) and the count of all matches.
struct Page
{
    QJsonArray items;
    qint64 count = 0;
};

// A list answer already serialised: items is a JSON array's text.

// Where a store's data lives: the data folder (token, project folders and,
// without a URL, the SQLite file) and, optionally, a PostgreSQL database.
struct StoreLocation
{
    QString dataDir;
    QString databaseUrl;   // empty: <dataDir>/mission-control.db
};

class AgentRepository;
class TaskRepository;
class MessageRepository;
class DocumentRepository;
class ActivityRepository;
class NotificationRepository;
class ProjectRepository;
class ReportBuilder;
class RunRepository;
class QueueRepository;
class InstanceRepository;

// Owns the database and the repositories. Every API write goes through write():
// one transaction, and the signals describing it are emitted only after commit,
// so nobody hears about a change that was rolled back.
class Store final : public QObject
{
    Q_OBJECT

public:
    explicit Store(QObject *parent = nullptr);
    ~Store() override;

    // Opens (creating if needed) <dataDir>/mission-control.db, or the
    // PostgreSQL database of location.databaseUrl. Throws StoreError.
    void open(const StoreLocation &location);
    void open(const QString &dataDir) { open(StoreLocation{dataDir, {}}); }
    void close();
    QString dataDir() const { return m_dataDir; }
    // For another connection to the same data (the output writer's, a pager's).
    StoreLocation location() const { return {m_dataDir, m_databaseUrl}; }
    const Dialect &dialect() const { return m_db.dialect(); }

    template<typename F>
    auto write(F &&work) -> decltype(work())
    {
        int reconnects = 0;
        for (int attempt = 1;; ++attempt) {
            const bool outermost = m_depth == 0;
            try {
                begin();
            } catch (const StoreError &e) {
                if (!outermost || !runAgain(e, attempt, reconnects))
                    throw;
                continue;
            }
            try {
                if constexpr (std::is_void_v<decltype(work())>) {
                    work();
                    commit();
                    return;
                } else {
                    auto result = work();
                    commit();
                    return result;
                }
            } catch (const StoreError &e) {
                rollback();
                if (!outermost || !runAgain(e, attempt, reconnects))
                    throw;
            } catch (...) {
                rollback();
                throw;
            }
        }
    }
    static constexpr int kWriteAttempts = 4;

    // A change announced after commit: emits one of the signals below on a Store.
    using Change = std::function<void(Store &)>;

    // Like write(), but the signals are not emitted: they are returned, for the
    // Store of another thread (the one the GUI and the server listen to) to
    // announce(). Used by the output writer's connection.
    template<typename F>
    QList<Change> writeQuietly(F &&work)
    {
        m_deferAnnouncing = true;
        m_deferred.clear();
        try {
            write(std::forward<F>(work));
        } catch (...) {
            m_deferAnnouncing = false;
            throw;
        }
        m_deferAnnouncing = false;
        return std::exchange(m_deferred, {});
    }
    void announce(const QList<Change> &changes);

    // A page read through the read cache: `read` runs only when the database
    // changed since the same key was last read (or the key is new).
    template<typename F>
    RawPage cachedPage(const QString &key, F &&read)
    {
        if (m_depth > 0)
            return read();
        const DataVersion version = dataVersion();
        if (auto hit = m_readCache.find(key, version))
            return *hit;
        RawPage page = read();
        m_readCache.insert(key, version, page);
        return page;
    }
    DataVersion dataVersion();

    // Prepares (cached) and executes; throws StoreError on failure.
    QSqlQuery &exec(const QString &sql, const QVariantList &binds = {});
    // Generic entity helpers over a TableSchema.
    void insert(const TableSchema &table, const QJsonObject &entity);
    void update(const TableSchema &table, const QString &id, const QJsonObject &changes);
    QJsonObject fetch(const TableSchema &table, const QString &id);   // empty if none
    QJsonObject fetchOr404(const TableSchema &table, const QString &id, const QString &notFound);
    QList<QJsonObject> fetchMany(const TableSchema &table, const QString &whereOrderLimit,
                                 const QVariantList &binds);
    qint64 count(const QString &sql, const QVariantList &binds = {});
    // A counter kept by the schema's triggers ("activities", "status:inbox", "tag:x", ...).
    qint64 counter(const QString &name);
    // The rows of `table` matching `where`; a counter lookup for a whole counted table.
    qint64 countWhere(const QString &table, const QString &where, const QVariantList &binds);
    // The first column of the first row as text; empty when there is no row.
    QString text(const QString &sql, const QVariantList &binds = {});
    // A JSON array of the rows, written directly (see TableSchema::appendJson).
    // With `last`, also the last row's list position (its updated_at and rowid).
    QByteArray fetchManyJson(const TableSchema &table, const QString &whereOrderLimit, const QVariantList &binds,
                             ListCursor *last = nullptr, qsizetype *rows = nullptr);

    // Inside write(): records an activity and queues its broadcast.
    QJsonObject logActivity(const QString &type, const QString &message,
                            const QJsonValue &agentId = QJsonValue::Null,
                            const QJsonValue &taskId = QJsonValue::Null,
                            const QJsonValue &documentId = QJsonValue::Null,
                            const QJsonObject &metadata = {});
    void notify(const QString &agentId, const QString &type, const QString &content,
                const QJsonValue &sourceMessageId = QJsonValue::Null,
                const QJsonValue &sourceTaskId = QJsonValue::Null);
    void markTaskChanged(const QString &taskId);
    void markTaskRemoved(const QString &taskId);
    void markAgentChanged(const QString &agentId);
    void markAgentRemoved(const QString &agentId);
    void markDocumentChanged(const QString &documentId);
    void markQueued(const QJsonObject &event);   // {task_id, agent_id, position}
    void markDequeued(const QString &taskId, const QString &reason);
    // A change only the other instances sharing the database hear of (a run's
    // start, output and end: this instance's executor announces its own).
    void markRemote(const QString &record);

    // Several instances on one database (PostgreSQL): every change committed
    // here is published to the others inside its transaction, as one line per
    // change ("task <id>", "activity <id>", ...; see RemoteRelay), so they hear
    // of it at commit and in commit order.
    bool isShared() const;
    // The connection (for a listener of the published changes to clone).
    QSqlDatabase connection() { return m_db.connection(); }
    // A change another instance committed: cached reads are read again.
    void noteRemoteChange() { ++m_ownChanges; }
    static constexpr auto kChangeChannel = "mc_changes";

    AgentRepository &agents() { return *m_agents; }
    TaskRepository &tasks() { return *m_tasks; }
    MessageRepository &messages() { return *m_messages; }
    DocumentRepository &documents() { return *m_documents; }
    ActivityRepository &activities() { return *m_activities; }
    NotificationRepository &notifications() { return *m_notifications; }
    ProjectRepository &projects() { return *m_projects; }
    ReportBuilder &reports() { return *m_reports; }
    RunRepository &runs() { return *m_runs; }
    QueueRepository &queue() { return *m_queue; }
    InstanceRepository &instances() { return *m_instances; }

Q_SIGNALS:
    void activityCreated(const QJsonObject &activity);
    void taskChanged(const QString &taskId);
    void taskRemoved(const QString &taskId);
    void agentChanged(const QString &agentId);
    void agentRemoved(const QString &agentId);
    void documentChanged(const QString &documentId);
    void taskQueued(const QJsonObject &event);
    void taskDequeued(const QString &taskId, const QString &reason);

private:
    void begin();
    void commit();
    // Whether a failed outermost transaction runs again: aborted for another
    // instance's transaction (PostgreSQL's deadlock detection), up to
    // kWriteAttempts; or its connection was lost (a restarted server), once,
    // on a new connection. The transaction is all-or-nothing, so either is safe.
    bool runAgain(const StoreError &e, int attempt, int &reconnects) const;
    // After a lost connection (PostgreSQL), a new one before the next
    // statement or transaction; throws StoreError while the server is away.
    void reconnectIfLost();
    QSqlQuery &execOnce(const QString &sql, const QVariantList &binds);
    void rollback();
    StoreError failure(const QString &what, const QSqlError &error);
    void publish();
    QVariant bind(const TableSchema &table, const Column &column, const QJsonValue &value) const;

    Database m_db;
    QString m_dataDir;
    QString m_databaseUrl;
    int m_depth = 0;
    std::shared_ptr<WriteGate> m_gate;   // held from begin() to commit() or rollback()
    std::shared_ptr<WalCheckpointer> m_checkpointer;
    quint64 m_ownChanges = 0;   // commits and statements outside a transaction
    ReadCache m_readCache;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    QList<Change> m_pendingSignals;
    QList<Change> m_deferred;
    QStringList m_pendingRecords;   // published at commit when the database is shared
    bool m_deferAnnouncing = false;
    bool m_connectionLost = false;   // PostgreSQL dropped the connection: reconnect before the next use

    std::unique_ptr<AgentRepository> m_agents;
    std::unique_ptr<TaskRepository> m_tasks;
    std::unique_ptr<MessageRepository> m_messages;
    std::unique_ptr<DocumentRepository> m_documents;
    std::unique_ptr<ActivityRepository> m_activities;
    std::unique_ptr<NotificationRepository> m_notifications;
    std::unique_ptr<ProjectRepository> m_projects;
    std::unique_ptr<ReportBuilder> m_reports;
    std::unique_ptr<RunRepository> m_runs;
    std::unique_ptr<QueueRepository> m_queue;
    std::unique_ptr<InstanceRepository> m_instances;
};

} // namespace mc
