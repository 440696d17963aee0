// A child process writes continuously and is SIGKILLed: every write it
// acknowledged is there after reopening, and the database is intact.

#include "agentrepository.h"
#include "apierror.h"
#include "schema.h"
#include "store.h"
#include "taskrepository.h"

#include <QFile>
#include <QThread>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <mutex>
#include <thread>

class TestStoreDurability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acknowledgedWritesSurviveSigkill_data();
    void acknowledgedWritesSurviveSigkill();
    void migrationIsRecordedOnce();
    void rollbackLeavesNoTrace();
    void writersOfOneFileTakeTurns();
};

void TestStoreDurability::acknowledgedWritesSurviveSigkill_data()
{
    QTest::addColumn<int>("killAfter");
    QTest::newRow("early") << 5;
    QTest::newRow("later") << 300;
}

void TestStoreDurability::acknowledgedWritesSurviveSigkill()
{
    QFETCH(int, killAfter);
    QTemporaryDir dir;
    QProcess writer;
    writer.start(QCoreApplication::applicationDirPath() + u"/durability_writer"_qs, {dir.path()});
    QVERIFY(writer.waitForStarted());
    QByteArray out;
    while (out.count('\n') < killAfter && writer.state() == QProcess::Running) {
        writer.waitForReadyRead(1000);
        out += writer.readAllStandardOutput();
    }
    writer.kill();   // SIGKILL, mid-transaction most likely
    writer.waitForFinished();
    out += writer.readAllStandardOutput();
    QStringList acknowledged;
    for (const QByteArray &line : out.split('\n')) {
        if (line.size() == 36)
            acknowledged.append(QString::fromLatin1(line));
    }
    QVERIFY(acknowledged.size() >= killAfter);

    mc::Store store;
    store.open(dir.path());
    QSqlQuery &check = store.exec(u"PRAGMA integrity_check"_qs);
    QVERIFY(check.next());
    QCOMPARE(check.value(0).toString(), u"ok"_qs);
    check.finish();
    for (const QString &id : acknowledged)
        QVERIFY2(!store.fetch(mc::taskTable(), id).isEmpty(), qPrintable(id));
    const qint64 tasks = store.count(u"SELECT COUNT(*) FROM tasks"_qs);
    // Each task and its activity are one transaction: never one without the other.
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM activities WHERE type = 'task_created'"_qs), tasks);
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM task_tags"_qs), tasks);
}

void TestStoreDurability::migrationIsRecordedOnce()
{
    QTemporaryDir dir;
    {
        mc::Store store;
        store.open(dir.path());
    }
    mc::Store store;
    store.open(dir.path());
    // One row per migration, each once however often the store is opened.
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM schema_version"_qs), mc::schemaMigrations().size());
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"_qs), 1);
}

void TestStoreDurability::rollbackLeavesNoTrace()
{
    QTemporaryDir dir;
    mc::Store store;
    store.open(dir.path());
    int signalled = 0;
    connect(&store, &mc::Store::activityCreated, this, [&] { ++signalled; });
    QVERIFY_THROWS_EXCEPTION(mc::ApiError, store.write([&] {
        store.tasks().create({{u"title"_qs, u"doomed"_qs}});
        throw mc::ApiError::notFound(u"Agent not found"_qs);
    }));
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM tasks"_qs), 0);
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM activities"_qs), 0);
    QCOMPARE(signalled, 0);   // nobody heard of the rolled-back activity
    store.tasks().create({{u"title"_qs, u"kept"_qs}});
    QCOMPARE(signalled, 1);
}

void TestStoreDurability::writersOfOneFileTakeTurns()
{
    // Two connections of this process to one file (the main thread's and the
    // output writer's): a transaction starts only once the one in progress has
    // committed, instead of waiting in SQLite's busy handler.
    QTemporaryDir dir;
    mc::Store first;
    first.open(dir.path());
    std::mutex mutex;
    QStringList order;
    const auto note = [&](const QString &what) {
        std::lock_guard lock(mutex);
        order.append(what);
    };
    std::atomic<bool> firstInside{false};
    std::thread other([&] {
        while (!firstInside.load())
            std::this_thread::yield();
        mc::Store second;
        second.open(dir.path());
        second.write([&] {
            note(u"second begins"_qs);
            second.tasks().create({{u"title"_qs, u"second"_qs}});
        });
        note(u"second committed"_qs);
    });
    first.write([&] {
        note(u"first begins"_qs);
        first.tasks().create({{u"title"_qs, u"first"_qs}});
        firstInside = true;
        QThread::msleep(300);
        note(u"first commits"_qs);
    });
    other.join();
    QCOMPARE(order, (QStringList{u"first begins"_qs, u"first commits"_qs, u"second begins"_qs, u"second committed"_qs}));
    QCOMPARE(first.count(u"SELECT COUNT(*) FROM tasks"_qs), 2);
}

QTEST_MAIN(TestStoreDurability)
#include "tst_store_durability.moc"
