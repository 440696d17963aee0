#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <functional>

namespace mc {

class Application;
class InstanceLock;

// The command line both executables share (mission-control and the
// widget-free mission-control-server): options, the owner-only data folder,
// the token, --print-token, `watch`, and serving under the data folder's lock.
// The GUI plugs its window in through the hooks.
struct LauncherHooks
{
    bool gui = false;
    // Shown to the user: stderr always, a message box in the GUI.
    std::function<void(const QString &message)> reportError;
    // Another instance holds the data folder (see handOverHeadless()).
    std::function<int(const InstanceLock &lock, const QString &dataDir)> handOver;
    // Serving: after the server listens (open the window) ...
    std::function<void(Application &core)> started;
    // ... a second start asks this instance to come to the front ...
    std::function<QByteArray(Application &core)> activate;
    // ... and before the core shuts down (close the window).
    std::function<void()> stopping;
};

// True when argv asks for something that needs no GUI (watch, --headless, --help, ...).
bool commandNeedsNoGui(int argc, char **argv);
// Runs the command line; returns the process's exit code.
int runCommandLine(QCoreApplication &app, const LauncherHooks &hooks);
// A headless second start: names the running instance, exits 1.
int handOverHeadless(const InstanceLock &lock, const QString &dataDir);

} // namespace mc
