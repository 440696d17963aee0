// mc-gui-bench: the GUI thread's responsiveness while five runs stream as fast
// as the agent can print. Runs the real window (offscreen unless a display is
// given), one task selected so its output pane streams, and records the
// largest gap between ticks of a 5 ms timer on the GUI thread.

#include "agentrepository.h"
#include "application.h"
#include "executor.h"
#include "mainwindow.h"
#include "measure.h"
#include "outputview.h"
#include "store.h"
#include "taskmodel.h"
#include "taskrepository.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>

using namespace Qt::StringLiterals;
#endif

static double rssMb(const char *field = "VmRSS:")
{
    return double(mc::test::procStatusKb(0, field)) / 1024;
}

// With MC_TRACE=N: every event the GUI thread takes longer than N ms to
// deliver, with its receiver (on stderr), so a stall can be traced to its
// cause; events delivered inside a slow one are printed too, indented (before it).
class TracingApplication final : public QApplication
{
public:
    using QApplication::QApplication;
    // Input to repaint: after armRepaint(), the time from the click until the
    // end of the first window repaint (UpdateRequest) that painted `pane`.
    void armRepaint(QWidget *pane)
    {
        m_pane = pane;
        m_panePainted = false;
        m_sinceClick.start();
    }
    QList<double> repaintMs;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_pane && QThread::currentThread() == thread())
            return notifyWatchingRepaint(receiver, event);
        if (!m_trace || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        return notifyTracing(receiver, event);
    }

private:
    bool notifyWatchingRepaint(QObject *receiver, QEvent *event)
    {
        const QEvent::Type type = event->type();
        if (type == QEvent::Paint && receiver->isWidgetType()
            && (receiver == m_pane || m_pane->isAncestorOf(static_cast<QWidget *>(receiver))))
            m_panePainted = true;
        const bool result = m_trace ? notifyTracing(receiver, event) : QApplication::notify(receiver, event);
        if (type == QEvent::UpdateRequest && m_panePainted) {
            repaintMs.append(double(m_sinceClick.nsecsElapsed()) / 1e6);
            m_pane = nullptr;
        }
        return result;
    }

    bool notifyTracing(QObject *receiver, QEvent *event)
    {
        QElapsedTimer timer;
        timer.start();
        const int type = event->type();
        // The receiver may be deleted while it handles the event.
        const QByteArray name = QByteArray(receiver->metaObject()->className()) + " ("
                + receiver->objectName().toUtf8() + ')';
        ++m_depth;
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        if (timer.nsecsElapsed() > m_thresholdNs)
            std::fprintf(stderr, "%lld %*sslow event %d to %s: %.1f ms\n",
                         QDateTime::currentMSecsSinceEpoch() % 100000, 2 * m_depth, "", type, name.constData(),
                         double(timer.nsecsElapsed()) / 1e6);
        return result;
    }

    bool m_trace = qEnvironmentVariableIsSet("MC_TRACE"); // read once, before any event
    qint64 m_thresholdNs = qEnvironmentVariableIntValue("MC_TRACE") * 1000000LL;
    int m_depth = 0;
    QWidget *m_pane = nullptr;
    bool m_panePainted = false;
    QElapsedTimer m_sinceClick;
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TracingApplication app(argc, argv);
    const int lines = argc > 1 ? QByteArray(argv[1]).toInt() : 200000;
    QTemporaryDir dir;
    mc::AppConfig config;
    config.dataDir = dir.path();
    config.port = 0;
    mc::Application core(config);
    core.start();
    mc::MainWindow window(core.store(), core.executor(), QUrl(u"http://127.0.0.1"_s), u"token"_s);
    window.show();

    const QString agent
            = core.store()
                      .agents()
                      .create({{u"name"_s, u"Firehose"_s},
                               {u"role"_s, u"bench"_s},
                               {u"backend"_s, u"command"_s},
                               {u"metadata"_s,
                                QJsonObject {
                                        {u"backend_config"_s,
                                         QJsonObject {{u"command"_s,
                                                       QJsonArray {QStringLiteral(MC_BENCH_AGENT),
                                                                   QString::number(lines)}}}}}}})
                      .value(u"id"_s)
                      .toString();
    QStringList tasks;
    for (int i = 0; i < 5; ++i)
        tasks.append(core.store()
                             .tasks()
                             .create({{u"title"_s, u"gui stream %1"_s.arg(i)}})
                             .value(u"id"_s)
                             .toString());
    const double rssBefore = rssMb();
    const double anonBefore = rssMb("RssAnon:");
    QElapsedTimer clock;
    QElapsedTimer sinceTick;
    qint64 maxGapNs = 0;
    long ticks = 0;
    double rssPeak = rssBefore;
    int completed = 0;
    // How far the pane is behind the shown run's output: the age of the
    // oldest chunk printed but not on screen yet, sampled at every tick.
    QHash<qint64, qint64> emittedAt;   // seq of the shown run -> ms
    QString lagRun;
    qint64 maxLagMs = 0;
    QObject::connect(&core.executor(), &mc::Executor::taskOutput, &app, [&](const mc::OutputChunk &chunk) {
        if (chunk.runId != window.outputView()->runId())
            return;
        if (chunk.runId != lagRun) {
            lagRun = chunk.runId;
            emittedAt.clear();
        }
        emittedAt.insert(chunk.seq, clock.elapsed());
    });
    const auto sampleLag = [&] {
        if (lagRun != window.outputView()->runId() || window.outputView()->isLoading())
            return;
        const auto next = emittedAt.constFind(window.outputView()->lastSeq() + 1);
        if (next != emittedAt.constEnd())
            maxLagMs = qMax(maxLagMs, clock.elapsed() - *next);
    };
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        if (ticks++ > 0) {
            maxGapNs = qMax(maxGapNs, sinceTick.nsecsElapsed());
            if (qEnvironmentVariableIsSet("MC_TRACE") && sinceTick.nsecsElapsed() > 30000000)
                std::fprintf(stderr, "%lld GAP %.1f ms at %lld ms\n",
                             QDateTime::currentMSecsSinceEpoch() % 100000,
                             sinceTick.nsecsElapsed() / 1e6, clock.elapsed());
        }
        sinceTick.restart();
        if (completed < 5)
            sampleLag();
        if (ticks % 40 == 0)
            rssPeak = qMax(rssPeak, rssMb());
    });
    // A mouse click on another running task's row every 200 ms while they
    // stream: how long until the GUI thread is back in its event loop, ready
    // for the next input, and until the window has repainted the output pane.
    QList<double> clickMs;
    QTimer clicker;
    int clicks = 0;
    QTableView *table = window.taskView();
    const auto rowOf = [table](const QString &task) {
        const QAbstractItemModel *model = table->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(mc::TaskTableModel::TaskIdRole).toString() == task)
                return model->index(row, 0);
        }
        return QModelIndex();
    };
    QObject::connect(&clicker, &QTimer::timeout, &app, [&] {
        const QModelIndex index = rowOf(tasks.at(++clicks % 5));
        if (!index.isValid())
            return;
        QElapsedTimer click;
        click.start();
        app.armRepaint(window.outputView());
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
        QTimer::singleShot(0, &app, [&clickMs, click] { clickMs.append(double(click.nsecsElapsed()) / 1e6); });
    });
    // After the runs: select a task whose run has `lines` lines, from another.
    double selectLongMs = 0, loadedLongMs = 0;
    qint64 maxGapAfterSelectNs = 0;
    const auto selectLongRun = [&] {
        window.selectTask(tasks.at(0));
        QTimer::singleShot(300, &app, [&] {
            const qint64 gapsBefore = maxGapNs;
            maxGapNs = 0;
            QElapsedTimer select;
            select.start();
            window.selectTask(tasks.at(1));
            selectLongMs = double(select.nsecsElapsed()) / 1e6;
            auto *poll = new QTimer(&app);
            QObject::connect(poll, &QTimer::timeout, &app, [&, poll, select, gapsBefore] {
                if (window.outputView()->isLoading())
                    return;
                loadedLongMs = double(select.nsecsElapsed()) / 1e6;
                poll->stop();
                QTimer::singleShot(500, &app, [&, gapsBefore] {
                    maxGapAfterSelectNs = maxGapNs;
                    maxGapNs = gapsBefore;
                    QTimer::singleShot(1500, &app, &QCoreApplication::quit);   // memory is trimmed 1 s after the last run
                });
            });
            poll->start(1);
        });
    };
    QObject::connect(&core.executor(), &mc::Executor::taskCompleted, &app, [&] {
        if (qEnvironmentVariableIsSet("MC_TRACE"))
            std::fprintf(stderr, "DONE at %lld ms\n", clock.elapsed());
        clicker.stop();
        if (++completed == 5)
            selectLongRun();
    });
    QTimer::singleShot(100, &app, [&] {
        clock.start();
        // Four start at once; the fifth while they stream, as a user would.
        for (const QString &task : tasks.first(4))
            window.runTask(task, agent);
        QTimer::singleShot(500, &app, [&] { window.runTask(tasks.last(), agent); });
        window.selectTask(tasks.first());
        sinceTick.start();
        ticker.start(5);
        QTimer::singleShot(700, &app, [&] { clicker.start(200); });
    });
    app.exec();
    std::printf("%-58s %.1f ms (timer interval 5 ms, %ld ticks over %.1f s)\n",
                "6. GUI thread: largest gap between timer ticks", double(maxGapNs) / 1e6, ticks,
                double(clock.elapsed()) / 1000);
    std::sort(clickMs.begin(), clickMs.end());
    std::printf("%-58s %lld ms\n", "6. output pane behind the shown run (max, while streaming)", maxLagMs);
    std::printf("%-58s median %.1f ms / max %.1f ms (%lld clicks)\n",
                "6. click between streaming tasks -> event loop free", clickMs.isEmpty() ? 0 : clickMs.at(clickMs.size() / 2),
                clickMs.isEmpty() ? 0 : clickMs.constLast(), qlonglong(clickMs.size()));
    std::sort(app.repaintMs.begin(), app.repaintMs.end());
    std::printf("%-58s median %.1f ms / max %.1f ms (%lld repaints)\n",
                "6. click between streaming tasks -> pane repainted",
                app.repaintMs.isEmpty() ? 0 : app.repaintMs.at(app.repaintMs.size() / 2),
                app.repaintMs.isEmpty() ? 0 : app.repaintMs.constLast(), qlonglong(app.repaintMs.size()));
    std::printf("%-58s %.1f ms (its last page shown after %.1f ms; largest tick gap %.1f ms)\n",
                qPrintable(QStringLiteral("6. select a task whose run has %1 lines").arg(lines)), selectLongMs, loadedLongMs,
                double(maxGapAfterSelectNs) / 1e6);
    std::printf("%-58s %.1f MB before / %.1f MB peak / %.1f MB 2 s after\n",
                "6. GUI process RSS (5 x lines streaming)", rssBefore, rssPeak, rssMb());
    std::printf("%-58s %.1f MB before / %.1f MB 2 s after\n",
                "6. GUI process anonymous RSS (heap, no mapped files)", anonBefore,
                rssMb("RssAnon:"));
#ifdef __GLIBC__
    const struct mallinfo2 mi = mallinfo2();
    std::printf("%-58s %.1f MB in use / %.1f MB free in malloc's arenas\n",
                "6. GUI process heap 2 s after", double(mi.uordblks) / 1e6,
                double(mi.fordblks) / 1e6);
#endif
    core.shutdown();
    return 0;
}
