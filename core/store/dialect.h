#pragma once

#include <QString>
#include <QStringList>

namespace mc {

enum class Engine { Sqlite, Postgres };

// Everything that differs between SQLite and PostgreSQL SQL, in one place: the
// schema is written once (in SQLite's words) and translated here, and the
// repositories ask for the few expressions that are spelled differently.
// Repositories never test the engine themselves.
class Dialect final
{
public:
    explicit Dialect(Engine engine = Engine::Sqlite) : m_engine(engine) {}

    Engine engine() const { return m_engine; }
    bool isPostgres() const { return m_engine == Engine::Postgres; }

    // A migration statement written for SQLite, in this engine's words: on
    // PostgreSQL every table gains a `rowid` identity column (so ORDER BY rowid
    // reads the same), INTEGER is BIGINT, REAL is DOUBLE PRECISION, BLOB is
    // BYTEA, TEXT columns compare bytewise (COLLATE "C", as SQLite does, so ISO
    // timestamps order the same whatever the server's locale), a NOCASE index
    // is an index on lower(column) and WITHOUT ROWID goes.
    QString translate(const QString &sqliteStatement) const;
    QStringList translate(const QStringList &sqliteStatements) const;

    // A row trigger running `body` (statements, each ending in ';') after
    // `event` ("INSERT", "DELETE", "UPDATE OF col") on `table`, when `when`
    // holds (empty: always). PostgreSQL: a plpgsql function and its trigger.
    QStringList trigger(const QString &name, const QString &event, const QString &table, const QString &when,
                        const QString &body) const;
    // "a differs from b", NULLs included.
    QString isDistinct(const QString &a, const QString &b) const;

    // An ORDER BY term that ignores (ASCII) case.
    QString caseInsensitive(const QString &expr) const;
    // A subquery yielding the values of a JSON array of strings bound as text to one `?`.
    QString jsonArrayValues() const;
    // How many tasks have any of several tags; `in` is a list of placeholders,
    // bound first to the counter names ("tag:<t>") and then to the tags. SQLite:
    // from the per-tag counters and the tag sets its triggers keep (flat);
    // PostgreSQL: from the tag index (grows with the matches).
    QString anyTagCount(const QString &in) const;
    // The text at `key` of the JSON object in `column`.
    QString jsonField(const QString &column, const QString &key) const;
    // One number that moves whenever anybody (any connection, any process,
    // any instance) commits a change: the read cache's and the windows' clock.
    QString dataVersionQuery() const;
    // Appended to a SELECT that claims rows other transactions must skip
    // (PostgreSQL: " FOR UPDATE SKIP LOCKED"; SQLite has one writer: empty).
    QString skipLocked() const;
    // Appended to a SELECT that locks the rows it reads until the transaction
    // ends, waiting for other holders (PostgreSQL: " FOR UPDATE"; SQLite: empty).
    QString forUpdate() const;
    // Held around migrations so that instances starting together migrate once
    // (empty on SQLite, whose write lock already serialises them).
    QString migrationLock() const;
    QString migrationUnlock() const;

private:
    Engine m_engine;
};

} // namespace mc
