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

using namespace Qt::StringLiterals;

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
    writer.start(QCoreApplication::applicationDirPath() + u"/durability_writer"_s, {dir.path()});
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
    QSqlQuery &check = store.exec(u"PRAGMA integrity_check"_s);
    QVERIFY(check.next());
    QCOMPARE(check.value(0).toString(), u"ok"_s);
    check.finish();
    for (const QString &id : acknowledged)
        QVERIFY2(!store.fetch(mc::taskTable(), id).isEmpty(), qPrintable(id));
    const qint64 tasks = store.count(u"SELECT COUNT(*) FROM tasks"_s);
    // Each task and its activity are one transaction: never one without the other.
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM activities WHERE type = 'task_created'"_s), tasks);
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM task_tags"_s), tasks);
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
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM schema_version"_s), mc::schemaMigrations().size());
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"_s), 1);
}

void TestStoreDurability::rollbackLeavesNoTrace()
{
    QTemporaryDir dir;
    mc::Store store;
    store.open(dir.path());
    int signalled = 0;
    connect(&store, &mc::Store::activityCreated, this, [&] { ++signalled; });
    QVERIFY_THROWS_EXCEPTION(mc::ApiError, store.write([&] {
        store.tasks().create({{u"title"_s, u"doomed"_s}});
        throw mc::ApiError::notFound(u"Agent not found"_s);
    }));
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM tasks"_s), 0);
    QCOMPARE(store.count(u"SELECT COUNT(*) FROM activities"_s), 0);
    QCOMPARE(signalled, 0);   // nobody heard of the rolled-back activity
    store.tasks().create({{u"title"_s, u"kept"_s}});
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
            note(u"second begins"_s);
            second.tasks().create({{u"title"_s, u"second"_s}});
        });
        note(u"second committed"_s);
    });
    first.write([&] {
        note(u"first begins"_s);
        first.tasks().create({{u"title"_s, u"first"_s}});
        firstInside = true;
        QThread::msleep(300);
        note(u"first commits"_s);
    });
    other.join();
    QCOMPARE(order, (QStringList{u"first begins"_s, u"first commits"_s, u"second begins"_s, u"second committed"_s}));
    QCOMPARE(first.count(u"SELECT COUNT(*) FROM tasks"_s), 2);
}

QTEST_MAIN(TestStoreDurability)
#include "tst_store_durability.moc"
