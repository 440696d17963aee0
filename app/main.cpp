// mission-control: the desktop app; also the headless server and the `watch`
// client (mission-control-server is the same without any GUI library).

#include "databaseargument.h"
#include "application.h"
#include "instancechannel.h"
#include "instancelock.h"
#include "launcher.h"
#include "mainwindow.h"

#include <QApplication>
#include <QMessageBox>
#include <QThread>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
            || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

// Another instance holds the data folder and owns its runs; this start never
// touches them. A GUI start brings the running window to the front (exit 0).
// When the holder is the background service there is no window to show: say
// so, and how to follow or take over its runs.
int handOverGui(const mc::InstanceLock &lock, const QString &dataDir)
{
    // The running instance may still be starting (its channel not up yet): ask for up to 5 s.
    QByteArray answer;
    for (int attempt = 0; attempt < 10 && answer.isEmpty(); ++attempt) {
        answer = mc::InstanceChannel::activate(dataDir, 2000);
        if (answer.isEmpty())
            QThread::msleep(500);
    }
    if (answer == "window") {
        std::fprintf(stderr, "mission-control: brought the running window to the front (%s)\n",
                     qPrintable(lock.ownerDescription()));
        return 0;
    }
    if (answer.startsWith("service ")) {
        QMessageBox::information(nullptr, u"Mission Control is running as a service"_s,
                u"Mission Control already runs in the background for this data folder, at %1. The service owns "
                "the runs: they keep going without a window.\n\nFollow them with `mission-control watch` or the "
                "API. To use the window instead, stop the service (systemctl --user stop mission-control) and "
                "start Mission Control again."_s.arg(QString::fromUtf8(answer.mid(8))));
        return 0;
    }
    const QString message = u"Another Mission Control (%1) holds the data folder %2 and does not answer."_s
                                    .arg(lock.ownerDescription(), dataDir);
    std::fprintf(stderr, "mission-control: %s\n", qPrintable(message));
    QMessageBox::critical(nullptr, u"Mission Control cannot start"_s, message);
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    mc::hideDatabasePassword(argc, argv);
    // A QApplication without a display aborts, so decide before creating one.
    bool gui = !mc::commandNeedsNoGui(argc, argv);
    if (gui && !displayAvailable()) {
        std::fprintf(stderr, "mission-control: no display found; running headless (pass --headless to silence this)\n");
        gui = false;
    }
    std::unique_ptr<QCoreApplication> app = gui ? std::make_unique<QApplication>(argc, argv)
                                                : std::make_unique<QCoreApplication>(argc, argv);
    std::unique_ptr<mc::MainWindow> window;
    mc::LauncherHooks hooks;
    hooks.gui = gui;
    hooks.reportError = [gui](const QString &message) {
        std::fprintf(stderr, "mission-control: %s\n", qPrintable(message));
        if (gui)
            QMessageBox::critical(nullptr, u"Mission Control cannot start"_s, message);
    };
    hooks.handOver = gui ? handOverGui : mc::handOverHeadless;
    if (gui) {
        hooks.started = [&window](mc::Application &core) {
            window = std::make_unique<mc::MainWindow>(core.store(), core.executor(), core.url(),
                                                      QString::fromUtf8(core.token().value()));
            window->show();
        };
        hooks.activate = [&window](mc::Application &) -> QByteArray {
            window->setWindowState(window->windowState() & ~Qt::WindowMinimized);
            window->show();
            window->raise();
            window->activateWindow();
            return "window";
        };
        hooks.stopping = [&window] { window.reset(); };
    }
    return mc::runCommandLine(*app, hooks);
}
