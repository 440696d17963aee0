// mc-gui-bench: the GUI thread's responsiveness while five runs stream as fast
// as the agent can print. Runs the real window (offscreen unless a display is
// given), one task selected so its output pane streams, and records the
// largest gap between ticks of a 5 ms timer on the GUI thread.

#include "agentrepository.h"
#include "application.h"
#include "executor.h"
#include "mainwindow.h"
#include "store.h"
#include "taskrepository.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

static double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024;
    }
    return -1;
}

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int lines = argc > 1 ? QByteArray(argv[1]).toInt() : 200000;
    QTemporaryDir dir;
    mc::AppConfig config;
    config.dataDir = dir.path();
    config.port = 0;
    mc::Application core(config);
    core.start();
    mc::MainWindow window(core.store(), core.executor(), QUrl(u"http://127.0.0.1"_qs), u"token"_qs);
    window.show();

    const QString agent = core.store().agents().create(
            {{u"name"_qs, u"Firehose"_qs}, {u"role"_qs, u"bench"_qs}, {u"backend"_qs, u"command"_qs},
             {u"metadata"_qs, QJsonObject{{u"backend_config"_qs, QJsonObject{{u"command"_qs, QJsonArray{QStringLiteral(MC_BENCH_AGENT), QString::number(lines)}}}}}}})
                                  .value(u"id"_qs).toString();
    QStringList tasks;
    for (int i = 0; i < 5; ++i)
        tasks.append(core.store().tasks().create({{u"title"_qs, u"gui stream %1"_qs.arg(i)}}).value(u"id"_qs).toString());
    const double rssBefore = rssMb();
    QElapsedTimer clock;
    QElapsedTimer sinceTick;
    qint64 maxGapNs = 0;
    long ticks = 0;
    double rssPeak = rssBefore;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        if (ticks++ > 0)
            maxGapNs = qMax(maxGapNs, sinceTick.nsecsElapsed());
        sinceTick.restart();
        if (ticks % 40 == 0)
            rssPeak = qMax(rssPeak, rssMb());
    });
    int completed = 0;
    QObject::connect(&core.executor(), &mc::Executor::taskCompleted, &app, [&] {
        if (++completed == 5)
            QTimer::singleShot(200, &app, &QCoreApplication::quit);
    });
    QTimer::singleShot(100, &app, [&] {
        clock.start();
        for (const QString &task : tasks)
            window.runTask(task, agent);
        window.selectTask(tasks.first());
        sinceTick.start();
        ticker.start(5);
    });
    app.exec();
    std::printf("%-58s %.1f ms (timer interval 5 ms, %ld ticks over %.1f s)\n",
                "6. GUI thread: largest gap between timer ticks", double(maxGapNs) / 1e6, ticks,
                double(clock.elapsed()) / 1000);
    std::printf("%-58s %.1f MB before / %.1f MB peak / %.1f MB after\n", "6. GUI process RSS (5 x lines streaming)",
                rssBefore, rssPeak, rssMb());
    core.shutdown();
    return 0;
}
