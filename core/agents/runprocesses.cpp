#include "runprocesses.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QSet>
#include <QThread>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mc::runprocesses {

namespace {

QMutex g_mutex;
QSet<pid_t> g_agents;

QList<pid_t> allPids()
{
    QList<pid_t> pids;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const int pid = entry.toInt(&ok);
        if (ok && pid > 1)
            pids.append(pid_t(pid));
    }
    return pids;
}

QByteArray readProc(pid_t pid, const char *file)
{
    QFile f(u"/proc/%1/%2"_s.arg(pid).arg(QLatin1StringView(file)));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// State letter and parent pid from /proc/PID/stat (the command name may hold
// spaces and parentheses, so parse after the last ')').
bool statOf(pid_t pid, char *state, pid_t *ppid)
{
    const QByteArray stat = readProc(pid, "stat");
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return false;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 2 || fields.at(0).isEmpty())
        return false;
    *state = fields.at(0).at(0);
    *ppid = pid_t(fields.at(1).toInt());
    return true;
}

bool carriesRun(pid_t pid, const QList<QByteArray> &markers)
{
    const QByteArray environ = readProc(pid, "environ");
    if (environ.isEmpty())
        return false;
    for (const QByteArray &entry : environ.split('\0')) {
        if (markers.contains(entry))
            return true;
    }
    return false;
}

QList<QByteArray> markersFor(const QStringList &runIds)
{
    QList<QByteArray> markers;
    for (const QString &id : runIds) {
        if (!id.isEmpty())
            markers.append(QByteArray(kRunIdVariable) + '=' + id.toUtf8());
    }
    return markers;
}

QList<pid_t> findAll(const QList<QByteArray> &markers)
{
    QList<pid_t> found;
    if (markers.isEmpty())
        return found;
    const pid_t self = ::getpid();
    for (pid_t pid : allPids()) {
        if (pid != self && carriesRun(pid, markers))
            found.append(pid);
    }
    return found;
}

} // namespace

QList<pid_t> find(const QString &runId)
{
    return findAll(markersFor({runId}));
}

int endAll(const QStringList &runIds)
{
    const QList<QByteArray> markers = markersFor(runIds);
    QList<pid_t> killed;
    // A process may fork while we look: look again until a pass finds nothing
    // (bounded; a fork bomb is not our threat model).
    for (int pass = 0; pass < 5; ++pass) {
        const QList<pid_t> pids = findAll(markers);
        if (pids.isEmpty())
            break;
        killed += pids;
        for (pid_t pid : pids)
            ::kill(pid, SIGKILL);
    }
    if (!killed.isEmpty())
        reapOrphans(killed);
    return int(killed.size());
}

StartGuard::StartGuard()
{
    g_mutex.lock();
}

StartGuard::~StartGuard()
{
    g_mutex.unlock();
}

void registerAgent(pid_t pid)
{
    g_agents.insert(pid);   // called under StartGuard
}

void unregisterAgent(pid_t pid)
{
    QMutexLocker lock(&g_mutex);
    g_agents.remove(pid);
}

void reapOrphans(const QList<pid_t> &killed)
{
    const pid_t self = ::getpid();
    // Killed processes take a moment to become zombies: wait a little for
    // our children among them, never long.
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        bool pending = false;
        {
            QMutexLocker lock(&g_mutex);
            for (pid_t pid : allPids()) {
                char state = 0;
                pid_t ppid = 0;
                if (!statOf(pid, &state, &ppid) || ppid != self || g_agents.contains(pid))
                    continue;
                if (state == 'Z')
                    ::waitpid(pid, nullptr, WNOHANG);
                else if (killed.contains(pid))
                    pending = true;
            }
        }
        if (!pending || waited.elapsed() > 2000)
            return;
        QThread::msleep(10);
    }
}

} // namespace mc::runprocesses
