// The task list's read cache never answers with stale rows: a change made
// through the store, a statement outside a transaction, and a commit by
// another connection (the output writer's, another process's) all show at once.

#include "store.h"
#include "taskrepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestReadCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_store = std::make_unique<mc::Store>();
        m_store->open(m_dir->path());
        m_task = m_store->tasks().create({{u"title"_s, u"first"_s}}).value(u"id"_s).toString();
    }
    void cleanup()
    {
        m_store.reset();
        m_dir.reset();
    }

    void repeatedReadIsServedFromTheCache();
    void changeThroughTheStoreShows();
    void statementOutsideATransactionShows();
    void commitByAnotherConnectionShows();
    void filtersAreCachedApart();
    void manyDistinctQueriesStayBounded();

private:
    QString firstTitle(const QString &status = {})
    {
        const mc::RawPage page = m_store->tasks().listJson(status, {}, {}, 100);
        return QJsonDocument::fromJson(page.items).array().first().toObject().value(u"title"_s).toString();
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<mc::Store> m_store;
    QString m_task;
};

void TestReadCache::repeatedReadIsServedFromTheCache()
{
    const mc::RawPage a = m_store->tasks().listJson({}, {}, {}, 100);
    const mc::RawPage b = m_store->tasks().listJson({}, {}, {}, 100);
    QCOMPARE(a.count, 1);
    QVERIFY(a.items.isSharedWith(b.items));   // the same bytes, not read again
}

void TestReadCache::changeThroughTheStoreShows()
{
    QCOMPARE(firstTitle(), u"first"_s);
    m_store->tasks().update(m_task, {{u"title"_s, u"renamed"_s}});
    QCOMPARE(firstTitle(), u"renamed"_s);
    m_store->tasks().create({{u"title"_s, u"second"_s}});
    QCOMPARE(m_store->tasks().listJson({}, {}, {}, 100).count, 2);
}

void TestReadCache::statementOutsideATransactionShows()
{
    QCOMPARE(firstTitle(), u"first"_s);
    m_store->exec(u"UPDATE tasks SET title = 'raw' WHERE id = ?"_s, {m_task});
    QCOMPARE(firstTitle(), u"raw"_s);
}

void TestReadCache::commitByAnotherConnectionShows()
{
    QCOMPARE(firstTitle(), u"first"_s);
    mc::Store other;   // as the output writer does: its own connection, same file
    other.open(m_dir->path());
    other.write([&] { other.exec(u"UPDATE tasks SET title = 'elsewhere' WHERE id = ?"_s, {m_task}); });
    QCOMPARE(firstTitle(), u"elsewhere"_s);
}

void TestReadCache::filtersAreCachedApart()
{
    m_store->tasks().create({{u"title"_s, u"second"_s}});
    m_store->tasks().update(m_task, {{u"status"_s, u"review"_s}});
    QCOMPARE(firstTitle(u"review"_s), u"first"_s);
    QCOMPARE(firstTitle(), u"first"_s);   // updated last, so newest first
    QCOMPARE(m_store->tasks().listJson(u"inbox"_s, {}, {}, 100).count, 1);
    QCOMPARE(m_store->tasks().listJson({}, {}, {}, 1).count, 2);
    QCOMPARE(QJsonDocument::fromJson(m_store->tasks().listJson({}, {}, {}, 1).items).array().size(), 1);
}

void TestReadCache::manyDistinctQueriesStayBounded()
{
    // A client varying a filter cannot grow the cache: it is cleared at the
    // entry bound, and every answer is still right.
    mc::ReadCache cache;
    const mc::DataVersion version{1, 1};
    for (int i = 0; i < 10 * mc::ReadCache::maxEntries; ++i)
        cache.insert(u"tag%1"_s.arg(i), version, {QByteArray("[]"), 0, 0, false, {}});
    int kept = 0;
    for (int i = 0; i < 10 * mc::ReadCache::maxEntries; ++i)
        kept += cache.find(u"tag%1"_s.arg(i), version).has_value() ? 1 : 0;
    QVERIFY(kept > 0);
    QVERIFY(kept <= mc::ReadCache::maxEntries);
    QVERIFY(!cache.find(u"tag1"_s, {1, 2}).has_value());   // another version never hits
    for (int i = 0; i < 3000; ++i)
        QCOMPARE(m_store->tasks().listJson({}, {}, {u"t%1"_s.arg(i)}, 100).count, 0);
    QCOMPARE(m_store->tasks().listJson({}, {}, {}, 100).count, 1);
}

QTEST_MAIN(TestReadCache)
#include "tst_read_cache.moc"
