#pragma once

#include "agentbackend.h"

#include <QByteArray>
#include <QJsonValue>
#include <QProcessEnvironment>
#include <QStringList>

#include <functional>

namespace mc {

struct ProcessSpec
{
    QString runId;                          // exported as MC_RUN_ID: how the run's processes are found
    QStringList argv;
    QString workingDir;
    QProcessEnvironment environment;
    QByteArray standardInput;
    qint64 timeoutMs = 3600 * 1000;
    qint64 idleTimeoutMs = 600 * 1000;
    int killGraceMs = 3000;
    qsizetype maxLineBytes = 64 * 1024 * 1024;   // a longer line fails the run...
    qsizetype splitLinesAt = 0;                  // ...unless > 0: then it arrives in pieces of this size
};

// Runs a program in its own process group on the calling (pool) thread,
// feeding each stdout line to onLine, line break included (the last line may
// have none). Cancel, the run's time limit and the idle limit end the run:
// SIGTERM to the group, SIGKILL after the grace period; however the run ends,
// the group gets a final SIGKILL and every process carrying the run's identity
// (see runprocesses.h) is ended. The child dies with the thread that started it
// (PR_SET_PDEATHSIG), so an app crash takes the agent along.
class ProcessRunner final
{
public:
    using LineHandler = std::function<void(const QByteArray &line)>;
    RunOutcome run(const ProcessSpec &spec, RunSink &sink, const LineHandler &onLine);
    QByteArray stderrTail() const { return m_stderr; }

    // Environment for agent programs: a few basics, the names in passThrough,
    // and backend_config.env: a list of names to pass through, or an object of
    // NAME: value to set.
    static QProcessEnvironment agentEnvironment(const QJsonValue &envConfig, const QString &agentId,
                                                const QStringList &passThrough = {});
    static qint64 secondsToMs(double seconds);

private:
    QByteArray m_stderr;
};

// The common process settings of a run from its RunSpec and backend_config:
// working folder, time limits, kill grace, max line length, MC_RUN_ID.
ProcessSpec processSpecFor(const RunSpec &spec);

} // namespace mc
