// Dispatch overhead of the run queue: the time from a slot freeing (the
// executor's runningChanged below the limit) to the next queued run's
// mc_task_started (Executor::taskStarted), with 10 and with 10,000 tasks queued.
// In-process: store, executor (one slot, so dispatches are strictly one after
// another) and dispatcher, with an agent that exits at once. The queue is
// topped up after every start, so its length stays at N throughout.

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

void measure(int queued, int samples)
{
    QTemporaryDir dir;
    mc::Store store;
    store.open(dir.path());
    mc::Executor executor(store, 1);
    mc::Dispatcher dispatcher(store, executor);
    const QString agent = store.agents()
                                  .create({{u"name"_s, u"Instant"_s}, {u"role"_s, u"bench"_s}, {u"backend"_s, u"command"_s},
                                           {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                                                        QJsonObject{{u"command"_s, QJsonArray{u"/bin/true"_s}}}}}}})
                                  .value(u"id"_s)
                                  .toString();
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
    std::printf("dispatch overhead: slot freed -> next run's mc_task_started at %5d queued   p50 %.2f ms / p99 %.2f ms (%lld dispatches, queue %lld)\n",
                queued, mc::test::percentile(ms, 0.5), mc::test::percentile(ms, 0.99), qlonglong(ms.size()),
                qlonglong(store.queue().size()));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int samples = argc > 1 ? QByteArray(argv[1]).toInt() : 200;
    measure(10, samples);
    measure(10000, samples);
    return 0;
}
