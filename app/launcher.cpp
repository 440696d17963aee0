#include "launcher.h"

#include "apierror.h"
#include "application.h"
#include "datafolder.h"
#include "instancechannel.h"
#include "instancelock.h"
#include "unixsignals.h"
#include "watchclient.h"

#include <QCommandLineParser>
#include <QUrlQuery>

#include <cstdio>
#include <cstring>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace mc {

bool commandNeedsNoGui(int argc, char **argv)
{
    if (argc > 1 && std::strcmp(argv[1], "watch") == 0)
        return true;
    for (int i = 1; i < argc; ++i) {
        for (const char *name : {"--headless", "--print-token", "--version", "-v", "--help", "-h", "--help-all"}) {
            if (std::strcmp(argv[i], name) == 0)
                return true;
        }
    }
    return false;
}

int handOverHeadless(const InstanceLock &lock, const QString &dataDir)
{
    std::fprintf(stderr, "mission-control: another instance already serves the data folder %s (%s); not starting\n",
                 qPrintable(dataDir), qPrintable(lock.ownerDescription()));
    return 1;
}

namespace {

int watch(QCoreApplication &app, const AppConfig &config, const AccessToken &token, const QString &taskId)
{
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(config.host.toString());
    url.setPort(config.port);
    url.setPath(u"/ws"_s);
    url.setQuery(QUrlQuery{{u"token"_s, QString::fromUtf8(token.value())}});
    WatchClient client(url, taskId);
    QObject::connect(&client, &WatchClient::finished, &app, [](int code) { QCoreApplication::exit(code); });
    client.start();
    return app.exec();
}

int serve(QCoreApplication &app, const AppConfig &config, const LauncherHooks &hooks)
{
    // One instance per data folder, decided before anything in it is read or recovered.
    InstanceLock lock(config.dataDir);
    QString lockError;
    switch (lock.tryLock(&lockError)) {
    case InstanceLock::Result::Failed:
        hooks.reportError(lockError);
        return 1;
    case InstanceLock::Result::HeldByOther:
        return hooks.handOver(lock, config.dataDir);
    case InstanceLock::Result::Acquired:
        break;
    }

    // Orphans of agent runs (tools that left the agent's process group, then
    // lost their parent) come back to us instead of init, so a run's end
    // finds and ends them, and their zombies are ours to reap.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    Application core(config);
    try {
        core.start();
    } catch (const StoreError &e) {
        hooks.reportError(e.message());
        return 1;
    }
    std::printf("listening on http://%s:%u\n", qPrintable(config.host.toString()), unsigned(core.url().port()));
    std::fflush(stdout);
    if (hooks.started)
        hooks.started(core);

    InstanceChannel channel(config.dataDir);
    QString channelError;
    const auto answer = [&core, &hooks]() -> QByteArray {
        if (hooks.activate)
            return hooks.activate(core);
        return QByteArray("service " + core.url().toString().toUtf8());
    };
    if (!channel.listen(answer, &channelError))
        std::fprintf(stderr, "mission-control: a second start cannot reach this instance: %s\n", qPrintable(channelError));
    // Published last: a second start that reads the address can also reach the channel.
    lock.publish(core.url());

    QObject::connect(&app, &QCoreApplication::aboutToQuit, &core, [&core] { core.shutdown(); });
    const int code = app.exec();
    if (hooks.stopping)
        hooks.stopping();
    core.shutdown();
    return code;
}

} // namespace

int runCommandLine(QCoreApplication &app, const LauncherHooks &hooks)
{
    // Both executables share the name, so they share the default data folder.
    QCoreApplication::setApplicationName(u"mission-control"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MC_VERSION));
    const bool watchMode = app.arguments().size() > 1 && app.arguments().at(1) == u"watch"_s;

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Mission Control: run AI agents on tasks. A desktop GUI, a local REST + WebSocket API "
            "under /api/mission-control and /ws, and `watch` to follow events from a terminal."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    AppConfig::addOptions(parser);
    parser.addPositionalArgument(u"watch"_s, u"`watch [TASK_ID]`: print a running instance's events."_s,
                                 u"[watch [TASK_ID]]"_s);
    parser.process(app);

    AppConfig config;
    QString error;
    if (!config.read(parser, &error)) {
        std::fprintf(stderr, "mission-control: %s\n", qPrintable(error));
        return 2;
    }
    config.headless = !hooks.gui;

    if (!secureDataFolder(config.dataDir, &error)) {
        hooks.reportError(error);
        return 1;
    }
    AccessToken token;
    try {
        token = AccessToken::loadOrCreate(config.dataDir);
    } catch (const StoreError &e) {
        hooks.reportError(e.message());
        return 1;
    }
    if (config.printToken) {
        std::printf("%s\n", token.value().constData());
        return 0;
    }

    UnixSignals signalsWatcher;
    QObject::connect(&signalsWatcher, &UnixSignals::terminationRequested, &app, [](int) { QCoreApplication::quit(); });

    if (watchMode) {
        const QStringList positional = parser.positionalArguments();
        return watch(app, config, token, positional.size() > 1 ? positional.at(1) : QString());
    }
    return serve(app, config, hooks);
}

} // namespace mc
