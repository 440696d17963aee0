#pragma once

#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace mc {

// Every process started for a run carries MC_RUN_ID=<run id> in its
// environment, and its children inherit it. That is the identity by which a
// run's processes are found again -- also those that left the agent's process
// group (Claude Code starts its Bash tools in their own sessions), those
// reparented to us (the app is a child subreaper), and those that outlived a
// crash of the app. A run id is a UUID, so a reused PID can never match it.
namespace runprocesses {

inline constexpr char kRunIdVariable[] = "MC_RUN_ID";

// SIGKILLs every process (other than ourselves) whose environment names one of
// these runs, and reaps those that were our children. Returns how many it found.
int endAll(const QStringList &runIds);

// The pids of processes whose environment names this run (for tests and checks).
QList<pid_t> find(const QString &runId);

// Agent processes the runner waits on itself: the orphan reaper leaves them alone.
// Hold the returned guard while starting a process and registering it.
class StartGuard
{
public:
    StartGuard();
    ~StartGuard();
    StartGuard(const StartGuard &) = delete;
    StartGuard &operator=(const StartGuard &) = delete;
};
void registerAgent(pid_t pid);
void unregisterAgent(pid_t pid);

// Reaps zombie children that are not agents we wait on: descendants of agents
// that were reparented to us (we are a subreaper) and then exited.
// Waits (briefly) for the killed ones among them to die.
void reapOrphans(const QList<pid_t> &killed = {});

} // namespace runprocesses
} // namespace mc
