// mission-control-server: the headless server and the `watch` client, linking
// no GUI library (for servers and the systemd user service). Same options as
// `mission-control --headless`.

#include "databaseargument.h"
#include "launcher.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    mc::hideDatabasePassword(argc, argv);
    QCoreApplication app(argc, argv);
    mc::LauncherHooks hooks;
    hooks.reportError = [](const QString &message) { std::fprintf(stderr, "mission-control: %s\n", qPrintable(message)); };
    hooks.handOver = mc::handOverHeadless;
    return mc::runCommandLine(app, hooks);
}
