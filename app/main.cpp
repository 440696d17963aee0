// mission-control: the desktop app, the headless server and the `watch` client.

#include "application.h"
#include "apierror.h"
#include "executor.h"
#include "mainwindow.h"
#include "unixsignals.h"
#include "watchclient.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QUrlQuery>

#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/prctl.h>

namespace {

bool hasArgument(int argc, char **argv, std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *name : names) {
            if (std::strcmp(argv[i], name) == 0)
                return true;
        }
    }
    return false;
}

bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
            || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

void reportError(bool gui, const QString &message)
{
    std::fprintf(stderr, "mission-control: %s\n", qPrintable(message));
    if (gui)
        QMessageBox::critical(nullptr, u"Mission Control cannot start"_qs, message);
}

} // namespace

int main(int argc, char **argv)
{
    // A QApplication without a display aborts, so decide before creating one.
    const bool watchMode = argc > 1 && std::strcmp(argv[1], "watch") == 0;
    bool gui = !watchMode && !hasArgument(argc, argv, {"--headless", "--print-token", "--version", "-v", "--help", "-h", "--help-all"});
    if (gui && !displayAvailable()) {
        std::fprintf(stderr, "mission-control: no display found; running headless (pass --headless to silence this)\n");
        gui = false;
    }
    std::unique_ptr<QCoreApplication> app = gui ? std::make_unique<QApplication>(argc, argv)
                                                : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(u"mission-control"_qs);
    QCoreApplication::setApplicationVersion(QStringLiteral(MC_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Mission Control: run AI agents on tasks. A desktop GUI, a local REST + WebSocket API "
            "under /api/mission-control and /ws, and `watch` to follow events from a terminal."_qs);
    parser.addHelpOption();
    parser.addVersionOption();
    mc::AppConfig::addOptions(parser);
    parser.addPositionalArgument(u"watch"_qs, u"`watch [TASK_ID]`: print a running instance's events."_qs,
                                 u"[watch [TASK_ID]]"_qs);
    parser.process(*app);

    mc::AppConfig config;
    QString error;
    if (!config.read(parser, &error)) {
        std::fprintf(stderr, "mission-control: %s\n", qPrintable(error));
        return 2;
    }
    config.headless = !gui;

    mc::AccessToken token;
    try {
        token = mc::AccessToken::loadOrCreate(config.dataDir);
    } catch (const mc::StoreError &e) {
        reportError(gui, e.message());
        return 1;
    }
    if (config.printToken) {
        std::printf("%s\n", token.value().constData());
        return 0;
    }

    mc::UnixSignals signalsWatcher;
    QObject::connect(&signalsWatcher, &mc::UnixSignals::terminationRequested, app.get(),
                     [](int) { QCoreApplication::quit(); });

    if (watchMode) {
        const QStringList positional = parser.positionalArguments();
        QUrl url;
        url.setScheme(u"ws"_qs);
        url.setHost(config.host.toString());
        url.setPort(config.port);
        url.setPath(u"/ws"_qs);
        url.setQuery(QUrlQuery{{u"token"_qs, QString::fromUtf8(token.value())}});
        mc::WatchClient client(url, positional.size() > 1 ? positional.at(1) : QString());
        QObject::connect(&client, &mc::WatchClient::finished, app.get(), [](int code) { QCoreApplication::exit(code); });
        client.start();
        return app->exec();
    }

    // Orphans of agent runs (tools that left the agent's process group, then
    // lost their parent) come back to us instead of init, so a run's end
    // finds and ends them, and their zombies are ours to reap.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    mc::Application core(config);
    try {
        core.start();
    } catch (const mc::StoreError &e) {
        reportError(gui, e.message());
        return 1;
    }
    std::printf("listening on http://%s:%u\n", qPrintable(config.host.toString()), unsigned(core.url().port()));
    std::fflush(stdout);

    std::unique_ptr<mc::MainWindow> window;
    if (gui) {
        window = std::make_unique<mc::MainWindow>(core.store(), core.executor(), core.url(),
                                                  QString::fromUtf8(core.token().value()));
        window->show();
    }
    QObject::connect(app.get(), &QCoreApplication::aboutToQuit, &core, [&core] { core.shutdown(); });
    const int code = app->exec();
    window.reset();
    core.shutdown();
    return code;
}
