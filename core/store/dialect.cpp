#include "dialect.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

// Any fixed number: the key of the advisory lock that orders migrations.
constexpr qint64 kMigrationLockKey = 0x4d43'5343'4845'4d41;   // "MCSCHEMA"

QString postgresStatement(QString sql)
{
    static const QRegularExpression createTable(uR"(^\s*CREATE TABLE (IF NOT EXISTS )?(\w+) \()"_s);
    static const QRegularExpression alterTable(uR"(^\s*ALTER TABLE )"_s);
    static const QRegularExpression integer(uR"(\bINTEGER\b)"_s);
    static const QRegularExpression real(uR"(\bREAL\b)"_s);
    static const QRegularExpression blob(uR"(\bBLOB\b)"_s);
    static const QRegularExpression text(uR"(\bTEXT\b)"_s);
    static const QRegularExpression withoutRowid(uR"(\s*WITHOUT ROWID\s*$)"_s);
    static const QRegularExpression noCase(uR"((\w+) COLLATE NOCASE)"_s);

    const bool defines = sql.contains(createTable) || sql.contains(alterTable);
    if (defines) {
        sql.replace(text, u"TEXT COLLATE \"C\""_s);
        sql.replace(integer, u"BIGINT"_s);
        sql.replace(real, u"DOUBLE PRECISION"_s);
        sql.replace(blob, u"BYTEA"_s);
        sql.replace(withoutRowid, QString());
        sql.replace(createTable, u"CREATE TABLE \\1\\2 (rowid BIGINT GENERATED ALWAYS AS IDENTITY, "_s);
    }
    sql.replace(noCase, u"(lower(\\1))"_s);
    return sql;
}

} // namespace

QString Dialect::translate(const QString &sqliteStatement) const
{
    return isPostgres() ? postgresStatement(sqliteStatement) : sqliteStatement;
}

QStringList Dialect::translate(const QStringList &sqliteStatements) const
{
    QStringList out;
    out.reserve(sqliteStatements.size());
    for (const QString &s : sqliteStatements)
        out.append(translate(s));
    return out;
}

QStringList Dialect::trigger(const QString &name, const QString &event, const QString &table, const QString &when,
                             const QString &body) const
{
    if (!isPostgres()) {
        const QString condition = when.isEmpty() ? QString() : u" FOR EACH ROW WHEN "_s + when;
        return {u"CREATE TRIGGER %1 AFTER %2 ON %3%4 BEGIN %5 END"_s.arg(name, event, table, condition, body)};
    }
    const QString function = u"mc_trigger_"_s + name;
    const QString condition = when.isEmpty() ? QString() : u" WHEN (%1)"_s.arg(when);
    return {u"CREATE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN %2 RETURN NULL; END$$"_s.arg(
                    function, body),
            u"CREATE TRIGGER %1 AFTER %2 ON %3 FOR EACH ROW%4 EXECUTE FUNCTION %5()"_s.arg(name, event, table,
                                                                                           condition, function)};
}

QString Dialect::isDistinct(const QString &a, const QString &b) const
{
    return isPostgres() ? u"%1 IS DISTINCT FROM %2"_s.arg(a, b) : u"%1 IS NOT %2"_s.arg(a, b);
}

QString Dialect::caseInsensitive(const QString &expr) const
{
    return isPostgres() ? u"lower(%1)"_s.arg(expr) : u"%1 COLLATE NOCASE"_s.arg(expr);
}

QString Dialect::jsonArrayValues() const
{
    return isPostgres() ? u"SELECT jsonb_array_elements_text(CAST(? AS jsonb))"_s
                        : u"SELECT value FROM json_each(?)"_s;
}

QString Dialect::anyTagCount(const QString &in) const
{
    if (isPostgres()) {
        return u"SELECT COUNT(DISTINCT task_id) FROM task_tags WHERE ('tag:' || tag) IN (%1) AND tag IN (%1)"_s.arg(in);
    }
    // The per-tag counters add a task once per tag it has among them, so each
    // multi-tag set holding k of them takes (k - 1) times its tasks back off.
    return u"SELECT (SELECT COALESCE(SUM(n), 0) FROM counters WHERE name IN (%1)) - "
           "(SELECT COALESCE(SUM(s.n * (m.k - 1)), 0) FROM (SELECT tags, COUNT(*) AS k FROM tag_set_members "
           "WHERE tag IN (%1) GROUP BY tags HAVING COUNT(*) >= 2) AS m JOIN tag_sets AS s ON s.tags = m.tags)"_s.arg(in);
}

QString Dialect::jsonField(const QString &column, const QString &key) const
{
    return isPostgres() ? u"(CAST(%1 AS jsonb) ->> '%2')"_s.arg(column, key)
                        : u"json_extract(%1, '$.%2')"_s.arg(column, key);
}

QString Dialect::dataVersionQuery() const
{
    // PostgreSQL has no data_version. The WAL insert position moves when a
    // commit is logged, but the change becomes visible only after the WAL is
    // flushed: a version read in between would stamp old rows as new. The
    // transaction snapshot (which transactions are still running) changes when
    // the commit becomes visible, so the pair moves at both moments (and
    // sometimes more often, which only costs a cache miss). Compared for
    // equality only.
    return isPostgres() ? u"SELECT hashtextextended(CAST(pg_current_snapshot() AS TEXT) || '/' || "
                          "CAST(pg_current_wal_insert_lsn() AS TEXT), 0)"_s
                        : u"PRAGMA data_version"_s;
}

QString Dialect::skipLocked() const
{
    return isPostgres() ? u" FOR UPDATE SKIP LOCKED"_s : QString();
}

QString Dialect::forUpdate() const
{
    return isPostgres() ? u" FOR UPDATE"_s : QString();
}

QString Dialect::migrationLock() const
{
    return isPostgres() ? u"SELECT pg_advisory_lock(%1)"_s.arg(kMigrationLockKey) : QString();
}

QString Dialect::migrationUnlock() const
{
    return isPostgres() ? u"SELECT pg_advisory_unlock(%1)"_s.arg(kMigrationLockKey) : QString();
}

} // namespace mc
