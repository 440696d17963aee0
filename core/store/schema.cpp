#include "schema.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {

// Counters named "<facet>:<value>" kept by triggers in the transaction of every
// write, so totals and per-status, per-tag and per-assignee counts are read,
// not scanned (API reads at a million rows). An UPSERT adds, a plain UPDATE
// subtracts (the row exists once anything was added).
QString addTo(const QString &nameExpr)
{
    return u"INSERT INTO counters(name, n) VALUES(%1, 1) ON CONFLICT(name) DO UPDATE SET n = counters.n + 1;"_s.arg(nameExpr);
}

QString takeFrom(const QString &nameExpr)
{
    return u"UPDATE counters SET n = n - 1 WHERE name = %1;"_s.arg(nameExpr);
}

// Counts of a whole table, and of a facet of it.
QStringList tableCounter(const Dialect &d, const QString &table)
{
    const QString name = u"'%1'"_s.arg(table);
    return QStringList{u"INSERT INTO counters(name, n) SELECT '%1', COUNT(*) FROM %1"_s.arg(table)}
            + d.trigger(u"count_%1_insert"_s.arg(table), u"INSERT"_s, table, {}, addTo(name))
            + d.trigger(u"count_%1_delete"_s.arg(table), u"DELETE"_s, table, {}, takeFrom(name));
}

QStringList facetCounter(const Dialect &d, const QString &table, const QString &facet, const QString &column)
{
    const QString prefix = u"'%1:'"_s.arg(facet);
    const QString newName = u"%1 || NEW.%2"_s.arg(prefix, column);
    const QString oldName = u"%1 || OLD.%2"_s.arg(prefix, column);
    return QStringList{u"INSERT INTO counters(name, n) SELECT %1 || %2, COUNT(*) FROM %3 GROUP BY %2"_s.arg(
                   prefix, column, table)}
            + d.trigger(u"count_%1_insert"_s.arg(facet), u"INSERT"_s, table, {}, addTo(newName))
            + d.trigger(u"count_%1_delete"_s.arg(facet), u"DELETE"_s, table, {}, takeFrom(oldName))
            + d.trigger(u"count_%1_update"_s.arg(facet), u"UPDATE OF %1"_s.arg(column), table,
                        d.isDistinct(u"OLD."_s + column, u"NEW."_s + column), takeFrom(oldName) + addTo(newName));
}

// A link table (task_tags, task_assignees) carries its task's list order
// (updated_at, then the task's rowid), kept by triggers, so a filtered list
// reads its index in order and stops at the limit instead of sorting every match.
QStringList orderedLinks(const Dialect &d, const QString &table, const QString &column)
{
    return d.translate(QStringList{
                   u"ALTER TABLE %1 ADD COLUMN updated_at TEXT"_s.arg(table),
                   u"ALTER TABLE %1 ADD COLUMN task_rowid INTEGER"_s.arg(table),
                   u"UPDATE %1 SET updated_at = (SELECT t.updated_at FROM tasks t WHERE t.id = %1.task_id), "
                   "task_rowid = (SELECT t.rowid FROM tasks t WHERE t.id = %1.task_id)"_s.arg(table),
                   u"CREATE INDEX idx_%1_order ON %1(%2, updated_at, task_rowid)"_s.arg(table, column)})
            + d.trigger(u"order_%1_insert"_s.arg(table), u"INSERT"_s, table, {},
                        u"UPDATE %1 SET updated_at = (SELECT t.updated_at FROM tasks t WHERE t.id = NEW.task_id), "
                        "task_rowid = (SELECT t.rowid FROM tasks t WHERE t.id = NEW.task_id) "
                        "WHERE task_id = NEW.task_id AND %2 = NEW.%2;"_s.arg(table, column))
            + d.trigger(u"order_%1_update"_s.arg(table), u"UPDATE OF updated_at"_s, u"tasks"_s,
                        d.isDistinct(u"OLD.updated_at"_s, u"NEW.updated_at"_s),
                        u"UPDATE %1 SET updated_at = NEW.updated_at WHERE task_id = NEW.id;"_s.arg(table));
}

QStringList versionFourFlatAtScale(const Dialect &d)
{
    QStringList statements = d.translate(QStringList{u"CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL)"_s});
    for (const QString &table : {u"messages"_s, u"activities"_s, u"documents"_s, u"notifications"_s})
        statements += tableCounter(d, table);
    statements += facetCounter(d, u"tasks"_s, u"status"_s, u"status"_s);
    statements += facetCounter(d, u"task_tags"_s, u"tag"_s, u"tag"_s);
    statements += facetCounter(d, u"task_assignees"_s, u"assignee"_s, u"agent_id"_s);
    statements += facetCounter(d, u"notifications"_s, u"delivered"_s, u"delivered"_s);
    statements += facetCounter(d, u"notifications"_s, u"read"_s, u"read"_s);
    statements += orderedLinks(d, u"task_tags"_s, u"tag"_s);
    statements += orderedLinks(d, u"task_assignees"_s, u"agent_id"_s);
    // Output stored a batch of chunks per row (see outputbatch.h); rows of the
    // old run_output table are still read, so nothing is converted.
    statements += d.translate(uR"(CREATE TABLE run_output_batches (
                run_id TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
                chunks INTEGER NOT NULL, payload BLOB NOT NULL,
                PRIMARY KEY(run_id, first_seq)))"_s);
    return statements;
}

// A task's tags as one canonical key (a JSON array in tag order), from the
// task_tags rows `rows` selects (tag column only).
QString tagSetKey(const QString &rows)
{
    return u"(SELECT json_group_array(tag) FROM (%1 ORDER BY tag))"_s.arg(rows);
}

// Tasks with two tags or more, counted per exact tag set (tag_sets) and each
// set listed under its tags (tag_set_members), kept by triggers. The count of
// tasks having any of several tags is then the sum of the per-tag counters
// minus, for every set holding k >= 2 of those tags, (k - 1) times its tasks:
// exact, and read from as many rows as there are distinct multi-tag sets among
// those tags, however many tasks carry them.
// SQLite only: its row triggers run as each row changes, which the bodies
// rely on (the task's other tags are read at that moment). PostgreSQL runs
// them after the whole statement, so there the tables stay empty and several
// tags are counted from the tag index (Dialect::anyTagCount).
QStringList versionTagSets(const Dialect &d)
{
    const QStringList tables{
            u"CREATE TABLE tag_sets (tags TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID"_s,
            u"CREATE TABLE tag_set_members (tag TEXT NOT NULL, tags TEXT NOT NULL, PRIMARY KEY(tag, tags)) WITHOUT ROWID"_s,
            u"CREATE INDEX idx_tag_set_members_tags ON tag_set_members(tags)"_s};
    if (d.isPostgres())
        return d.translate(tables);
    const QString tagsOf = u"SELECT tag FROM task_tags WHERE task_id = %1"_s;
    const QString countOf = u"(SELECT COUNT(*) FROM task_tags WHERE task_id = %1)"_s;
    // Leaves set `key` (a task had it and has it no more); an emptied set goes.
    const auto leave = [](const QString &key, const QString &wasMulti) {
        return u"UPDATE tag_sets SET n = n - 1 WHERE tags = %1 AND %2; "
               "DELETE FROM tag_set_members WHERE tags = %1 AND (SELECT n FROM tag_sets WHERE tags = %1) = 0; "
               "DELETE FROM tag_sets WHERE tags = %1 AND n = 0;"_s.arg(key, wasMulti);
    };
    // Joins the task's current set, when it has two tags or more.
    const auto join = [&](const QString &task) {
        const QString key = tagSetKey(tagsOf.arg(task));
        const QString multi = countOf.arg(task) + u" >= 2"_s;
        return u"INSERT INTO tag_sets(tags, n) SELECT %1, 1 WHERE %2 ON CONFLICT(tags) DO UPDATE SET n = n + 1; "
               "INSERT OR IGNORE INTO tag_set_members(tag, tags) SELECT tag, %1 FROM task_tags "
               "WHERE task_id = %3 AND %2;"_s.arg(key, multi, task);
    };
    const QString perTask = u"SELECT id AS task_id, %1 AS tags FROM tasks WHERE %2 >= 2"_s.arg(
            tagSetKey(tagsOf.arg(u"tasks.id"_s)), countOf.arg(u"tasks.id"_s));
    return tables
            + QStringList{u"INSERT INTO tag_sets(tags, n) SELECT tags, COUNT(*) FROM (%1) GROUP BY tags"_s.arg(perTask),
                          u"INSERT OR IGNORE INTO tag_set_members(tag, tags) SELECT tt.tag, s.tags FROM task_tags tt "
                          "JOIN (%1) s ON s.task_id = tt.task_id"_s.arg(perTask)}
            + d.trigger(u"tag_sets_insert"_s, u"INSERT"_s, u"task_tags"_s, {},
                        leave(tagSetKey(tagsOf.arg(u"NEW.task_id"_s) + u" AND tag <> NEW.tag"_s),
                              countOf.arg(u"NEW.task_id"_s) + u" >= 3"_s)
                                + join(u"NEW.task_id"_s))
            + d.trigger(u"tag_sets_delete"_s, u"DELETE"_s, u"task_tags"_s, {},
                        leave(tagSetKey(tagsOf.arg(u"OLD.task_id"_s) + u" UNION SELECT OLD.tag"_s),
                              countOf.arg(u"OLD.task_id"_s) + u" >= 1"_s)
                                + join(u"OLD.task_id"_s));
}

QList<QStringList> buildMigrations(const Dialect &d)
{
    return {
        d.translate(QStringList{
            uR"(CREATE TABLE agents (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, description TEXT,
                session_key TEXT NOT NULL, backend TEXT NOT NULL, status TEXT NOT NULL,
                level TEXT NOT NULL, current_task_id TEXT, specialties TEXT NOT NULL DEFAULT '[]',
                last_heartbeat TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}'))"_s,
            u"CREATE INDEX idx_agents_name ON agents(name COLLATE NOCASE)"_s,
            u"CREATE INDEX idx_agents_status ON agents(status)"_s,
            uR"(CREATE TABLE tasks (
                id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT, status TEXT NOT NULL,
                priority TEXT NOT NULL, assignee_ids TEXT NOT NULL DEFAULT '[]', creator_id TEXT,
                parent_task_id TEXT, blocked_by TEXT NOT NULL DEFAULT '[]',
                tags TEXT NOT NULL DEFAULT '[]', due_date TEXT, started_at TEXT, completed_at TEXT,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}', project_id TEXT, task_type TEXT NOT NULL,
                blocks TEXT NOT NULL DEFAULT '[]', active_description TEXT,
                estimated_minutes INTEGER))"_s,
            u"CREATE INDEX idx_tasks_updated ON tasks(updated_at)"_s,
            u"CREATE INDEX idx_tasks_status_updated ON tasks(status, updated_at)"_s,
            u"CREATE INDEX idx_tasks_project ON tasks(project_id, created_at)"_s,
            u"CREATE TABLE task_assignees (task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE, agent_id TEXT NOT NULL, PRIMARY KEY(task_id, agent_id)) WITHOUT ROWID"_s,
            u"CREATE INDEX idx_task_assignees_agent ON task_assignees(agent_id)"_s,
            u"CREATE TABLE task_tags (task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY(task_id, tag)) WITHOUT ROWID"_s,
            u"CREATE INDEX idx_task_tags_tag ON task_tags(tag)"_s,
            uR"(CREATE TABLE messages (
                id TEXT PRIMARY KEY, task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
                from_agent_id TEXT, content TEXT NOT NULL,
                attachment_ids TEXT NOT NULL DEFAULT '[]', mentions TEXT NOT NULL DEFAULT '[]',
                created_at TEXT NOT NULL, metadata TEXT NOT NULL DEFAULT '{}'))"_s,
            u"CREATE INDEX idx_messages_task ON messages(task_id, created_at)"_s,
            uR"(CREATE TABLE activities (
                id TEXT PRIMARY KEY, type TEXT NOT NULL, agent_id TEXT, message TEXT NOT NULL,
                task_id TEXT, document_id TEXT, created_at TEXT NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}'))"_s,
            u"CREATE INDEX idx_activities_created ON activities(created_at)"_s,
            u"CREATE INDEX idx_activities_agent ON activities(agent_id, created_at)"_s,
            u"CREATE INDEX idx_activities_task ON activities(task_id, created_at)"_s,
            uR"(CREATE TABLE documents (
                id TEXT PRIMARY KEY, title TEXT NOT NULL, content TEXT NOT NULL, type TEXT NOT NULL,
                task_id TEXT, author_id TEXT, tags TEXT NOT NULL DEFAULT '[]',
                version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                metadata TEXT NOT NULL DEFAULT '{}'))"_s,
            u"CREATE INDEX idx_documents_updated ON documents(updated_at)"_s,
            u"CREATE INDEX idx_documents_task ON documents(task_id, updated_at)"_s,
            u"CREATE INDEX idx_documents_type ON documents(type, updated_at)"_s,
            u"CREATE TABLE document_tags (document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY(document_id, tag)) WITHOUT ROWID"_s,
            u"CREATE INDEX idx_document_tags_tag ON document_tags(tag)"_s,
            uR"(CREATE TABLE notifications (
                id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, type TEXT NOT NULL, content TEXT NOT NULL,
                source_message_id TEXT, source_task_id TEXT, delivered INTEGER NOT NULL DEFAULT 0,
                read INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, delivered_at TEXT,
                metadata TEXT NOT NULL DEFAULT '{}'))"_s,
            u"CREATE INDEX idx_notifications_agent ON notifications(agent_id, created_at)"_s,
            u"CREATE INDEX idx_notifications_created ON notifications(created_at)"_s,
            uR"(CREATE TABLE projects (
                id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT, status TEXT NOT NULL,
                planner_agent_id TEXT, team_agent_ids TEXT NOT NULL DEFAULT '[]',
                prd_document_id TEXT, creator_id TEXT, tags TEXT NOT NULL DEFAULT '[]',
                started_at TEXT, completed_at TEXT, created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL, metadata TEXT NOT NULL DEFAULT '{}'))"_s,
            u"CREATE INDEX idx_projects_status ON projects(status, updated_at)"_s,
            uR"(CREATE TABLE runs (
                id TEXT PRIMARY KEY, task_id TEXT NOT NULL, agent_id TEXT NOT NULL,
                status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, error TEXT,
                output_chunks INTEGER NOT NULL DEFAULT 0, output_bytes INTEGER NOT NULL DEFAULT 0,
                input_tokens INTEGER, output_tokens INTEGER, cost_usd REAL))"_s,
            u"CREATE INDEX idx_runs_task ON runs(task_id, started_at)"_s,
            u"CREATE INDEX idx_runs_status ON runs(status)"_s,
            uR"(CREATE TABLE run_output (
                run_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
                content TEXT NOT NULL, created_at TEXT NOT NULL,
                PRIMARY KEY(run_id, seq)) WITHOUT ROWID)"_s,
        }),
        // Version 2: what agent CLIs report beyond input and output tokens.
        d.translate(QStringList{
            u"ALTER TABLE runs ADD COLUMN cache_creation_input_tokens INTEGER"_s,
            u"ALTER TABLE runs ADD COLUMN cache_read_input_tokens INTEGER"_s,
            u"ALTER TABLE runs ADD COLUMN permission_denials TEXT NOT NULL DEFAULT '[]'"_s,
        }),
        // Version 3: tasks start themselves -- the durable run queue, opt-in
        // auto-run and retries. Portable SQL: plain TEXT/INTEGER columns.
        d.translate(QStringList{
            u"ALTER TABLE tasks ADD COLUMN auto_run INTEGER NOT NULL DEFAULT 0"_s,
            u"ALTER TABLE tasks ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 1"_s,
            u"ALTER TABLE tasks ADD COLUMN retry_delay_s INTEGER NOT NULL DEFAULT 30"_s,
            // Which attempt of its task a run was (1 for a run started by hand).
            u"ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1"_s,
            // The ready-task sweep reads only auto-run tasks.
            u"CREATE INDEX idx_tasks_auto_run ON tasks(auto_run, status)"_s,
            // priority_rank: 0 urgent .. 3 low; queued_us: microseconds since the
            // epoch, unique per process (the order among equal priorities);
            // held: 1 while the task's project is paused.
            uR"(CREATE TABLE task_queue (
                task_id TEXT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
                agent_id TEXT NOT NULL, priority_rank INTEGER NOT NULL,
                queued_at TEXT NOT NULL, queued_us INTEGER NOT NULL,
                attempt INTEGER NOT NULL DEFAULT 1, not_before TEXT,
                held INTEGER NOT NULL DEFAULT 0))"_s,
            // The head is the first row of this index: O(log n) however long the queue.
            u"CREATE INDEX idx_task_queue_order ON task_queue(held, priority_rank, queued_us, task_id)"_s,
            u"CREATE INDEX idx_task_queue_not_before ON task_queue(not_before)"_s,
            u"CREATE INDEX idx_task_queue_agent ON task_queue(agent_id)"_s,
        }),
        versionFourFlatAtScale(d),
        // Version 5: several instances on one database. A task has at most one
        // `running` run (the claim: a partial unique index, in SQLite and
        // PostgreSQL alike); each run names the instance that runs it; each
        // instance keeps a lease row that it renews while it lives.
        d.translate(QStringList{
            // A database never holds two running runs of a task, but should an
            // old one, the claim's index could not be built: the older ones end.
            uR"(UPDATE runs SET status = 'interrupted', finished_at = started_at,
                error = 'The application stopped while this run was in progress'
                WHERE status = 'running' AND EXISTS (SELECT 1 FROM runs newer WHERE newer.task_id = runs.task_id
                AND newer.status = 'running' AND (newer.started_at > runs.started_at
                OR (newer.started_at = runs.started_at AND newer.id > runs.id))))"_s,
            u"CREATE UNIQUE INDEX idx_runs_running_claim ON runs(task_id) WHERE status = 'running'"_s,
            u"ALTER TABLE runs ADD COLUMN instance_id TEXT"_s,
            u"CREATE INDEX idx_runs_instance ON runs(instance_id, status)"_s,
            uR"(CREATE TABLE instances (
                id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL,
                started_at TEXT NOT NULL, renewed_at TEXT NOT NULL, expires_at TEXT NOT NULL,
                max_concurrent INTEGER NOT NULL, version TEXT NOT NULL))"_s,
            u"CREATE INDEX idx_instances_expires ON instances(expires_at)"_s,
        }),
        // Version 6: exact counts of several tags (see versionTagSets).
        versionTagSets(d),
    };
}

} // namespace

const QList<QStringList> &schemaMigrations(Engine engine)
{
    static const QList<QStringList> sqlite = buildMigrations(Dialect(Engine::Sqlite));
    static const QList<QStringList> postgres = buildMigrations(Dialect(Engine::Postgres));
    return engine == Engine::Postgres ? postgres : sqlite;
}

} // namespace mc
