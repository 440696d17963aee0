// What keeps reads flat as the data grows (issue 19): counters kept by
// triggers agree with full counts under every kind of write; cursor paging
// walks every task exactly once while tasks are added; filtered pages come out
// in list order; output stored a batch per row replays by seq exactly; an
// older database migrates; checkpoints happen off the writing connection.

#include "agentrepository.h"
#include "clock.h"
#include "messagerepository.h"
#include "notificationrepository.h"
#include "reportbuilder.h"
#include "runrepository.h"
#include "schema.h"
#include "store.h"
#include "taskrepository.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestStoreScale : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_store = std::make_unique<mc::Store>();
        m_store->open(m_dir->path());
    }
    void cleanup()
    {
        m_store.reset();
        m_dir.reset();
    }

    void countersMatchFullCounts();
    void cursorWalkSeesEveryTaskOnce_data();
    void cursorWalkSeesEveryTaskOnce();
    void badCursorIsRefused();
    void filteredPagesAreInListOrder();
    void severalTagsAreCountedExactly();
    void outputReplaysBySeqAcrossBatches();
    void outputIsCompact();
    void olderDatabaseMigrates();
    void checkpointsRunOffTheWritingConnection();

private:
    QString newTask(const QStringList &tags = {}, const QStringList &assignees = {})
    {
        return m_store->tasks()
                .create({{u"title"_s, u"t"_s},
                         {u"tags"_s, QJsonArray::fromStringList(tags)},
                         {u"assignee_ids"_s, QJsonArray::fromStringList(assignees)}})
                .value(u"id"_s)
                .toString();
    }
    QString newAgent(const QString &name)
    {
        return m_store->agents().create({{u"name"_s, name}, {u"role"_s, u"r"_s}}).value(u"id"_s).toString();
    }
    qint64 full(const QString &sql, const QVariantList &binds = {}) { return m_store->count(sql, binds); }
    void compareCounters(const QStringList &agents);
    // Every union of two or more of the tags in use (and one nobody has):
    // the count of tasks having any of them, against COUNT(DISTINCT).
    void compareTagUnions()
    {
        QStringList tags{u"never used"_s};
        QSqlQuery &q = m_store->exec(u"SELECT DISTINCT tag FROM task_tags ORDER BY tag LIMIT 7"_s);
        while (q.next())
            tags.append(q.value(0).toString());
        q.finish();
        for (int mask = 0; mask < (1 << tags.size()); ++mask) {
            QStringList chosen;
            for (int i = 0; i < tags.size(); ++i) {
                if (mask & (1 << i))
                    chosen.append(tags.at(i));
            }
            if (chosen.size() < 2)
                continue;
            QVariantList binds;
            for (const QString &t : chosen)
                binds.append(t);
            const qint64 expected = full(u"SELECT COUNT(DISTINCT task_id) FROM task_tags WHERE tag IN (%1)"_s
                                                 .arg(QStringList(chosen.size(), u"?"_s).join(u", "_s)),
                                         binds);
            QVERIFY2(m_store->tasks().countMatching({}, {}, chosen) == expected,
                     qPrintable(chosen.join(u'|') + u" expected %1"_s.arg(expected)));
        }
        // No set is kept for tasks that no longer have it.
        QCOMPARE(full(u"SELECT COUNT(*) FROM tag_sets WHERE n <= 0"_s), 0);
    }
    QStringList ids(const mc::RawPage &page)
    {
        QStringList out;
        for (const QJsonValue &t : QJsonDocument::fromJson(page.items).array())
            out.append(t.toObject().value(u"id"_s).toString());
        return out;
    }
    static QList<mc::OutputChunk> lines(const QString &runId, qint64 from, qint64 to)
    {
        QList<mc::OutputChunk> out;
        for (qint64 seq = from; seq <= to; ++seq) {
            mc::OutputChunk c;
            c.runId = runId;
            c.seq = seq;
            c.type = seq % 7 == 0 ? u"tool_use"_s : (seq % 11 == 0 ? u"custom-kind"_s : u"message"_s);
            c.content = seq % 13 == 0 ? u"ünïcødé line %1 \u20ac"_s.arg(seq) : u"line %1"_s.arg(seq);
            c.timestamp = seq % 17 == 0 ? u"not a time %1"_s.arg(seq) : mc::isoFromMicros(1764000000000000 + seq * 1234567);
            out.append(c);
        }
        return out;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<mc::Store> m_store;
};

void TestStoreScale::compareCounters(const QStringList &agents)
{
    mc::TaskRepository &tasks = m_store->tasks();
    QCOMPARE(tasks.countMatching({}, {}, {}), full(u"SELECT COUNT(*) FROM tasks"_s));
    const QJsonObject stats = m_store->reports().stats();
    QCOMPARE(stats.value(u"tasks"_s).toObject().value(u"total"_s).toInteger(), full(u"SELECT COUNT(*) FROM tasks"_s));
    for (const QString &status : {u"inbox"_s, u"assigned"_s, u"in_progress"_s, u"review"_s, u"done"_s, u"blocked"_s}) {
        const qint64 n = full(u"SELECT COUNT(*) FROM tasks WHERE status = ?"_s, {status});
        QCOMPARE(tasks.countMatching(status, {}, {}), n);
        QCOMPARE(stats.value(u"tasks"_s).toObject().value(u"by_status"_s).toObject().value(status).toInteger(), n);
    }
    for (const QString &tag : {u"a"_s, u"b"_s, u"c"_s})
        QCOMPARE(tasks.countMatching({}, {}, {tag}), full(u"SELECT COUNT(*) FROM task_tags WHERE tag = ?"_s, {tag}));
    compareTagUnions();
    for (const QString &agent : agents)
        QCOMPARE(tasks.countMatching({}, agent, {}), full(u"SELECT COUNT(*) FROM task_assignees WHERE agent_id = ?"_s, {agent}));
    for (const QString &table : {u"messages"_s, u"activities"_s, u"documents"_s, u"notifications"_s}) {
        QCOMPARE(stats.value(table).toObject().value(u"total"_s).toInteger(), full(u"SELECT COUNT(*) FROM "_s + table));
        QCOMPARE(m_store->countWhere(table, {}, {}), full(u"SELECT COUNT(*) FROM "_s + table));
    }
    const QJsonObject notifications = stats.value(u"notifications"_s).toObject();
    QCOMPARE(notifications.value(u"undelivered"_s).toInteger(), full(u"SELECT COUNT(*) FROM notifications WHERE delivered = 0"_s));
    QCOMPARE(notifications.value(u"unread"_s).toInteger(), full(u"SELECT COUNT(*) FROM notifications WHERE read = 0"_s));
}

void TestStoreScale::countersMatchFullCounts()
{
    const QStringList agents{newAgent(u"Ann"_s), newAgent(u"Bob"_s)};
    QStringList tasks;
    for (int i = 0; i < 12; ++i) {
        tasks.append(newTask(i % 3 == 0 ? QStringList{u"a"_s, u"b"_s} : QStringList{u"c"_s},
                             i % 4 == 0 ? QStringList{agents.at(i % 2)} : QStringList{}));
    }
    compareCounters(agents);
    m_store->tasks().setStatus(tasks.at(0), u"in_progress"_s, QJsonValue());
    m_store->tasks().setStatus(tasks.at(1), u"done"_s, QJsonValue());
    m_store->tasks().update(tasks.at(2), {{u"status"_s, u"review"_s}, {u"tags"_s, QJsonArray{u"a"_s}}});
    m_store->tasks().update(tasks.at(2), {{u"status"_s, u"review"_s}});   // the same status again
    m_store->tasks().assign(tasks.at(3), {agents.at(1)});
    m_store->tasks().markRunning(tasks.at(4));
    compareCounters(agents);
    m_store->messages().post(tasks.at(5), {{u"content"_s, u"hello @Ann"_s}, {u"from_agent_id"_s, agents.at(1)}});
    const QJsonArray pending = m_store->notifications().list(agents.at(0), false, false, 100).items;
    QVERIFY(!pending.isEmpty());
    m_store->notifications().markDelivered(pending.first().toObject().value(u"id"_s).toString());
    m_store->notifications().markRead(pending.first().toObject().value(u"id"_s).toString());
    compareCounters(agents);
    m_store->tasks().remove(tasks.at(0));
    m_store->tasks().remove(tasks.at(5));   // its messages go with it (ON DELETE CASCADE)
    m_store->agents().remove(agents.at(1));
    compareCounters({agents.at(0)});
    // A write that fails leaves the counters as they were (same transaction).
    QVERIFY_THROWS_EXCEPTION(std::exception, m_store->write([&] {
        m_store->tasks().remove(tasks.at(6));
        throw std::runtime_error("abandoned");
    }));
    compareCounters({agents.at(0)});
}

void TestStoreScale::cursorWalkSeesEveryTaskOnce_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("tags");
    QTest::addColumn<bool>("byAssignee");
    QTest::newRow("all") << QString() << QString() << false;
    QTest::newRow("status") << u"inbox"_s << QString() << false;
    QTest::newRow("one tag") << QString() << u"a"_s << false;
    QTest::newRow("two tags") << QString() << u"a,b"_s << false;
    QTest::newRow("assignee") << QString() << QString() << true;
    QTest::newRow("status and tag") << u"assigned"_s << u"b"_s << false;
}

void TestStoreScale::cursorWalkSeesEveryTaskOnce()
{
    QFETCH(QString, status);
    QFETCH(QString, tags);
    QFETCH(bool, byAssignee);
    const QString agent = newAgent(u"Walker"_s);
    const QStringList tagList = tags.split(u',', Qt::SkipEmptyParts);
    const QString assignee = byAssignee ? agent : QString();
    // Many tasks share an updated_at (a bulk insert in one statement), so the
    // rowid tie-break is what keeps the walk exact.
    m_store->write([&] {
        for (int i = 0; i < 45; ++i)
            newTask(i % 2 ? QStringList{u"a"_s} : QStringList{u"b"_s, u"a"_s}, i % 3 ? QStringList{agent} : QStringList{});
    });
    m_store->exec(u"UPDATE tasks SET updated_at = '2026-01-01T00:00:00.000000+00:00' WHERE rowid % 4 = 0"_s);
    const QSet<QString> expected = [&] {
        const QStringList all = ids(m_store->tasks().listJson(status, assignee, tagList, 1000));
        return QSet<QString>(all.begin(), all.end());
    }();
    QVERIFY(expected.size() > 10);
    QStringList seen;
    std::optional<QString> cursor = QString();
    int pages = 0;
    while (cursor && pages < 100) {
        const mc::RawPage page = m_store->tasks().listJson(status, assignee, tagList, 7, cursor);
        QVERIFY(page.paged);
        seen += ids(page);
        cursor = page.nextCursor.isEmpty() ? std::nullopt : std::optional<QString>(page.nextCursor);
        // New tasks arrive during the walk; they are newer than the cursor.
        newTask({u"a"_s, u"b"_s}, {agent});
        ++pages;
    }
    QVERIFY(!cursor);
    QCOMPARE(QSet<QString>(seen.begin(), seen.end()).size(), seen.size());   // none twice
    QCOMPARE(QSet<QString>(seen.begin(), seen.end()), expected);             // every one
}

void TestStoreScale::badCursorIsRefused()
{
    newTask();
    for (const QString &bad : {u"nonsense!"_s, u"MTIz"_s /* "123": no separator */}) {
        try {
            m_store->tasks().listJson({}, {}, {}, 10, bad);
            QFAIL("a cursor the server never gave out was accepted");
        } catch (const mc::ApiError &e) {
            QCOMPARE(e.status(), 422);
        }
    }
}

void TestStoreScale::filteredPagesAreInListOrder()
{
    const QString agent = newAgent(u"Orderly"_s);
    m_store->write([&] {
        for (int i = 0; i < 60; ++i)
            newTask(i % 3 ? QStringList{u"a"_s} : QStringList{u"b"_s}, i % 2 ? QStringList{agent} : QStringList{});
    });
    // Ties on updated_at, and updates that move tasks to the front.
    m_store->exec(u"UPDATE tasks SET updated_at = '2026-01-01T00:00:00.000000+00:00' WHERE rowid % 5 = 0"_s);
    const QJsonArray all = QJsonDocument::fromJson(m_store->tasks().listJson({}, {}, {}, 1000).items).array();
    for (int i = 0; i < 60; i += 9)
        m_store->tasks().update(all.at(i).toObject().value(u"id"_s).toString(), {{u"title"_s, u"moved"_s}});
    const auto reference = [&](const QString &where, const QVariantList &binds) {
        QStringList out;
        QSqlQuery &q = m_store->exec(u"SELECT id FROM tasks WHERE "_s + where + u" ORDER BY updated_at DESC, rowid DESC LIMIT 10"_s, binds);
        while (q.next())
            out.append(q.value(0).toString());
        q.finish();
        return out;
    };
    QCOMPARE(ids(m_store->tasks().listJson({}, {}, {u"a"_s}, 10)),
             reference(u"id IN (SELECT task_id FROM task_tags WHERE tag = 'a')"_s, {}));
    QCOMPARE(ids(m_store->tasks().listJson({}, {}, {u"a"_s, u"b"_s}, 10)),
             reference(u"id IN (SELECT task_id FROM task_tags WHERE tag IN ('a', 'b'))"_s, {}));
    QCOMPARE(ids(m_store->tasks().listJson({}, agent, {}, 10)),
             reference(u"id IN (SELECT task_id FROM task_assignees WHERE agent_id = ?)"_s, {agent}));
}

void TestStoreScale::severalTagsAreCountedExactly()
{
    // Overlapping tag sets, tags with quotes, commas and non-ASCII, then every
    // kind of tag change: added, removed, replaced, the task deleted.
    const QStringList pool{u"a"_s, u"b"_s, u"c, d"_s, u"it's"_s, u"ünï"_s, u"[\"x\"]"_s};
    QStringList tasks;
    m_store->write([&] {
        for (int i = 0; i < 40; ++i) {
            QStringList tags;
            for (int j = 0; j < pool.size(); ++j) {
                if ((i * 7 + j * 3) % (j + 2) == 0)
                    tags.append(pool.at(j));
            }
            tasks.append(newTask(tags));
        }
    });
    compareTagUnions();
    QCOMPARE(m_store->tasks().countMatching({}, {}, {u"a"_s, u"a"_s, u"b"_s}),
             m_store->tasks().countMatching({}, {}, {u"a"_s, u"b"_s}));
    for (int i = 0; i < 40; i += 3) {
        QStringList tags;
        for (int j = 0; j < pool.size(); ++j) {
            if ((i + j) % 3 != 0)
                tags.append(pool.at(j));
        }
        m_store->tasks().update(tasks.at(i), {{u"tags"_s, QJsonArray::fromStringList(tags)}});
    }
    compareTagUnions();
    for (int i = 1; i < 40; i += 4)
        m_store->tasks().update(tasks.at(i), {{u"tags"_s, QJsonArray{}}});
    for (int i = 2; i < 40; i += 5)
        m_store->tasks().update(tasks.at(i), {{u"tags"_s, QJsonArray{pool.at(i % pool.size())}}});
    compareTagUnions();
    for (int i = 0; i < 40; i += 6)
        m_store->tasks().remove(tasks.at(i));
    compareTagUnions();
    // The page of several tags is the same as sorting every match.
    QStringList reference;
    QSqlQuery &q = m_store->exec(u"SELECT id FROM tasks WHERE id IN (SELECT task_id FROM task_tags WHERE tag IN (?, ?, ?)) "
                                 "ORDER BY updated_at DESC, rowid DESC LIMIT 7"_s,
                                 {pool.at(1), pool.at(3), pool.at(5)});
    while (q.next())
        reference.append(q.value(0).toString());
    q.finish();
    QCOMPARE(ids(m_store->tasks().listJson({}, {}, {pool.at(1), pool.at(3), pool.at(5)}, 7)), reference);
}

void TestStoreScale::outputReplaysBySeqAcrossBatches()
{
    const QString task = newTask();
    const QString runId = m_store->runs().create(task, u"agent"_s).value(u"id"_s).toString();
    const QList<mc::OutputChunk> all = lines(runId, 1, 3000);
    // Batches of different sizes, one retried (written twice).
    qsizetype at = 0;
    for (const qsizetype size : {1, 2, 500, 1, 997, 499}) {
        m_store->runs().appendOutput(all.mid(at, size));
        at += size;
    }
    m_store->runs().appendOutput(all.mid(at - 499, 499));
    m_store->runs().appendOutput(all.mid(at));
    QVERIFY(m_store->count(u"SELECT COUNT(*) FROM run_output_batches WHERE run_id = ?"_s, {runId}) > 3);
    QCOMPARE(m_store->runs().lastSeq(runId), 3000);
    QCOMPARE(m_store->runs().get(runId).value(u"output_chunks"_s).toInteger(), 3000);
    const auto same = [](const mc::OutputChunk &a, const mc::OutputChunk &b) {
        return a.runId == b.runId && a.seq == b.seq && a.type == b.type && a.content == b.content
                && a.timestamp == b.timestamp;
    };
    for (const qint64 after : {0, 1, 2, 3, 499, 500, 501, 1499, 1500, 2999, 3000}) {
        const QList<mc::OutputChunk> rest = m_store->runs().chunksAfter(runId, after, 3000);
        QCOMPARE(rest.size(), 3000 - after);
        for (qsizetype i = 0; i < rest.size(); ++i)
            QVERIFY2(same(rest.at(i), all.at(after + i)), qPrintable(u"seq %1"_s.arg(after + i + 1)));
        const QList<mc::OutputChunk> window = m_store->runs().chunksAfter(runId, after, after + 250, 100);
        QCOMPARE(window.size(), qMin<qint64>(100, 3000 - after));
        if (!window.isEmpty())
            QCOMPARE(window.first().seq, after + 1);
        const mc::Page page = m_store->runs().output(runId, after, 1000);
        QCOMPARE(page.count, 3000 - after);
        QCOMPARE(page.items.size(), qMin<qint64>(1000, 3000 - after));
        if (!page.items.isEmpty()) {
            const QJsonObject first = page.items.first().toObject();
            QCOMPARE(first.value(u"seq"_s).toInteger(), after + 1);
            QCOMPARE(first.value(u"content"_s).toString(), all.at(after).content);
            QCOMPARE(first.value(u"timestamp"_s).toString(), all.at(after).timestamp);
            QCOMPARE(first.value(u"output_type"_s).toString(), all.at(after).type);
        }
    }
    m_store->write([&] { m_store->runs().removeOutput(runId); });
    QCOMPARE(m_store->runs().lastSeq(runId), 0);
    QVERIFY(m_store->runs().chunksAfter(runId, 0, 3000).isEmpty());
}

void TestStoreScale::outputIsCompact()
{
    // A chatty agent: 20,000 short lines (~9 bytes) a few ms apart, written in
    // the output writer's small batches.
    const QString runId = m_store->runs().create(newTask(), u"agent"_s).value(u"id"_s).toString();
    constexpr int kLines = 20000;
    QList<mc::OutputChunk> batch;
    for (int seq = 1; seq <= kLines; ++seq) {
        mc::OutputChunk c;
        c.runId = runId;
        c.seq = seq;
        c.type = u"message"_s;
        c.content = u"line %1"_s.arg(seq % 100, 2, 10, QChar(u'0'));
        c.timestamp = mc::isoFromMicros(1764000000000000 + qint64(seq) * 3217);
        batch.append(c);
        if (batch.size() == 8 || seq == kLines) {
            m_store->runs().appendOutput(batch);
            batch.clear();
        }
    }
    m_store->exec(u"PRAGMA wal_checkpoint(TRUNCATE)"_s).finish();
    m_store->exec(u"VACUUM"_s).finish();
    const qint64 pageSize = m_store->count(u"PRAGMA page_size"_s);
    const qint64 before = m_store->count(u"PRAGMA page_count"_s) * pageSize;
    m_store->write([&] { m_store->runs().removeOutput(runId); });
    m_store->exec(u"VACUUM"_s).finish();
    const qint64 after = m_store->count(u"PRAGMA page_count"_s) * pageSize;
    const double perLine = double(before - after) / kLines;
    qInfo("stored output: %.1f bytes per 7-byte line (file %lld -> %lld bytes)", perLine, before, after);
    QVERIFY2(perLine < 40, qPrintable(u"%1 bytes per line"_s.arg(perLine)));
}

void TestStoreScale::olderDatabaseMigrates()
{
    m_store.reset();
    const QString path = QDir(m_dir->path()).filePath(u"mission-control.db"_s);
    QFile::remove(path);
    // A database at schema 3: tasks with tags and assignees, a run whose output
    // is in the old one-row-per-chunk table.
    const QList<mc::OutputChunk> old = lines(u"run-1"_s, 1, 40);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"v3"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"_s));
        for (int v = 0; v < 3; ++v) {
            for (const QString &sql : mc::schemaMigrations().at(v))
                QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
            QVERIFY(q.exec(u"INSERT INTO schema_version VALUES(%1, '2026-01-01')"_s.arg(v + 1)));
        }
        for (int i = 1; i <= 5; ++i) {
            QVERIFY(q.exec(u"INSERT INTO tasks(id, title, status, priority, task_type, created_at, updated_at) "
                           "VALUES('t%1', 'T', '%2', 'medium', 'agent', '2026-01-0%1', '2026-01-0%1')"_s
                                   .arg(i).arg(i % 2 ? u"inbox"_s : u"done"_s)));
            QVERIFY(q.exec(u"INSERT INTO task_tags(task_id, tag) VALUES('t%1', 'x')"_s.arg(i)));
        }
        // Several tags per task: the tag sets are filled from them at the upgrade.
        for (const QString &link : {u"('t1', 'y')"_s, u"('t2', 'y')"_s, u"('t2', 'z')"_s, u"('t3', 'z')"_s})
            QVERIFY(q.exec(u"INSERT INTO task_tags(task_id, tag) VALUES"_s + link));
        QVERIFY(q.exec(u"INSERT INTO task_assignees(task_id, agent_id) VALUES('t2', 'ag')"_s));
        QVERIFY(q.exec(u"INSERT INTO runs(id, task_id, agent_id, status, started_at) VALUES('run-1', 't1', 'ag', 'completed', '2026')"_s));
        for (const mc::OutputChunk &c : old) {
            q.prepare(u"INSERT INTO run_output(run_id, seq, type, content, created_at) VALUES(?, ?, ?, ?, ?)"_s);
            q.addBindValue(c.runId);
            q.addBindValue(c.seq);
            q.addBindValue(c.type);
            q.addBindValue(c.content);
            q.addBindValue(c.timestamp);
            QVERIFY(q.exec());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"v3"_s);
    m_store = std::make_unique<mc::Store>();
    m_store->open(m_dir->path());
    QCOMPARE(m_store->count(u"SELECT MAX(version) FROM schema_version"_s), mc::schemaMigrations().size());
    compareCounters({u"ag"_s});
    QCOMPARE(ids(m_store->tasks().listJson({}, {}, {u"x"_s}, 2)), (QStringList{u"t5"_s, u"t4"_s}));
    QCOMPARE(ids(m_store->tasks().listJson({}, u"ag"_s, {}, 2)), QStringList{u"t2"_s});
    // The old output replays as before, and the run can go on in batches.
    QCOMPARE(m_store->runs().lastSeq(u"run-1"_s), 40);
    m_store->runs().appendOutput(lines(u"run-1"_s, 38, 60));   // 38-40 are already stored
    const QList<mc::OutputChunk> replay = m_store->runs().chunksAfter(u"run-1"_s, 30, 1000);
    QCOMPARE(replay.size(), 30);
    QCOMPARE(replay.at(9).content, old.at(39).content);
    QCOMPARE(replay.at(9).timestamp, old.at(39).timestamp);
    QCOMPARE(replay.at(10).seq, 41);
    QCOMPARE(m_store->runs().output(u"run-1"_s, 0, 5).count, 60);
}

void TestStoreScale::checkpointsRunOffTheWritingConnection()
{
    // The writing connection's automatic checkpoint is only a far bound ...
    QCOMPARE(m_store->count(u"PRAGMA wal_autocheckpoint"_s), mc::Database::kAutoCheckpointPages);
    const QString path = QDir(m_dir->path()).filePath(u"mission-control.db"_s);
    m_store->write([&] {
        for (int i = 0; i < 300; ++i)
            newTask({u"tag%1"_s.arg(i)});
    });
    const qint64 walBytes = QFileInfo(path + u"-wal"_s).size();
    QVERIFY(walBytes > 100 * 1024);
    QVERIFY(walBytes < mc::Database::kAutoCheckpointPages * 4096);
    // ... so what brings these pages into the database file is the checkpointer
    // thread, while this connection writes nothing more.
    const qint64 before = QFileInfo(path).size();
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(path).size() > before + 100 * 1024, 20000);
}

QTEST_GUILESS_MAIN(TestStoreScale)
#include "tst_store_scale.moc"
