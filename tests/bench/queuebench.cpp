// Dispatch overhead of the run queue: the time from a slot freeing (the
// executor's runningChanged below the limit) to the next queued run's
// mc_task_started (Executor::taskStarted), with 10 and with 10,000 tasks queued.
// In-process: store, executor (one slot, so dispatches are strictly one after
// another) and dispatcher, with an agent that exits at once. The queue is
// topped up after every start, so its length stays at N throughout.
// Also the run-start latency: Executor::start on an idle task (the claim's
// transaction: the run row, the queue row, task and agent), p50/p99.
// `--database URL` runs the same on PostgreSQL instead of a SQLite file (an
// empty database: the bench's tasks stay there).

#include "agentrepository.h"
#include "dispatcher.h"
#include "executor.h"
#include "measure.h"
#include "queuerepository.h"
#include "store.h"
#include "taskrepository.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

QStringList createTasks(mc::Store &store, int count, int from)
{
    QStringList ids;
    store.write([&] {
        for (int i = 0; i < count; ++i)
            ids.append(store.tasks().create({{u"title"_s, u"queued %1"_s.arg(from + i)}}).value(u"id"_s).toString());
    });
    return ids;
}

QString g_databaseUrl;

const char *engineName()
{
    return g_databaseUrl.isEmpty() ? "SQLite" : "PostgreSQL";
}

// An agent whose run ends at once (/bin/true).
QString createInstantAgent(mc::Store &store)
{
    return store.agents()
            .create({{u"name"_s, u"Instant"_s}, {u"role"_s, u"bench"_s}, {u"backend"_s, u"command"_s},
                     {u"metadata"_s, QJsonObject{{u"backend_config"_s, QJsonObject{{u"command"_s, QJsonArray{u"/bin/true"_s}}}}}}})
            .value(u"id"_s)
            .toString();
}

void measure(int queued, int samples)
{
    QTemporaryDir dir;
    mc::Store store;
    store.open(mc::StoreLocation{dir.path(), g_databaseUrl});
    mc::Executor executor(store, 1);
    mc::Dispatcher dispatcher(store, executor);
    const QString agent = createInstantAgent(store);
    int created = 0;
    auto enqueue = [&](int n) {
        const QStringList ids = createTasks(store, n, created);
        created += n;
        store.write([&] {
            for (const QString &id : ids)
                store.queue().enqueue(id, agent);
        });
    };
    enqueue(queued);
    QList<double> ms;
    QElapsedTimer freed;
    bool waiting = false;
    QObject::connect(&executor, &mc::Executor::runningChanged, &executor, [&](int running, int max) {
        if (running < max) {
            freed.start();
            waiting = true;
        }
    });
    QObject::connect(&executor, &mc::Executor::taskStarted, &executor, [&](const QJsonObject &) {
        if (waiting)
            ms.append(double(freed.nsecsElapsed()) / 1e6);
        waiting = false;
        QTimer::singleShot(0, &executor, [&] { enqueue(1); });   // keep N queued, outside the measured span
    });
    dispatcher.schedule();
    QElapsedTimer limit;
    limit.start();
    while (ms.size() < samples && limit.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    executor.shutdown();
    std::printf("%-10s dispatch overhead: slot freed -> next run's mc_task_started at %5d queued   p50 %.2f ms / p99 %.2f ms (%lld dispatches, queue %lld)\n",
                engineName(), queued, mc::test::percentile(ms, 0.5), mc::test::percentile(ms, 0.99), qlonglong(ms.size()),
                qlonglong(store.queue().size()));
}

void measureStart(int samples)
{
    QTemporaryDir dir;
    mc::Store store;
    store.open(mc::StoreLocation{dir.path(), g_databaseUrl});
    mc::Executor executor(store, 1);
    const QString agent = createInstantAgent(store);
    const QStringList tasks = createTasks(store, samples, 0);
    QList<double> ms;
    for (const QString &task : tasks) {
        QElapsedTimer limit;
        limit.start();
        while (executor.running() > 0 && limit.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
        QElapsedTimer took;
        took.start();
        executor.start(task, agent);
        ms.append(double(took.nsecsElapsed()) / 1e6);
    }
    executor.shutdown();
    std::printf("%-10s run start: Executor::start (the claim's transaction) p50 %.2f ms / p99 %.2f ms (%lld starts)\n",
                engineName(), mc::test::percentile(ms, 0.5), mc::test::percentile(ms, 0.99), qlonglong(ms.size()));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (const qsizetype at = args.indexOf(u"--database"_s); at >= 0 && at + 1 < args.size()) {
        g_databaseUrl = args.at(at + 1);
        args.remove(at, 2);
    }
    const int samples = args.isEmpty() ? 200 : args.first().toInt();
    measureStart(samples);
    measure(10, samples);
    measure(10000, samples);
    return 0;
}
