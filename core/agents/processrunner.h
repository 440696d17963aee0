#pragma once

#include "agentbackend.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QStringList>

#include <functional>

namespace mc {

struct ProcessSpec
{
    QStringList argv;
    QString workingDir;
    QProcessEnvironment environment;
    QByteArray standardInput;
    int timeoutMs = 3600 * 1000;
    int idleTimeoutMs = 600 * 1000;
    int killGraceMs = 3000;
    qsizetype maxLineBytes = 64 * 1024;   // longer lines are split into chunks
};

// Runs a program in its own process group on the calling (pool) thread,
// feeding each stdout line to onLine. Cancel, the run's time limit and the idle
// limit kill the whole group: SIGTERM, then SIGKILL after the grace period.
class ProcessRunner final
{
public:
    using LineHandler = std::function<void(const QByteArray &line)>;
    RunOutcome run(const ProcessSpec &spec, RunSink &sink, const LineHandler &onLine);
    // Environment for agent programs: a few basics plus the names asked for.
    static QProcessEnvironment agentEnvironment(const QStringList &passThrough);
    QByteArray stderrTail() const { return m_stderr; }

private:
    QByteArray m_stderr;
};

} // namespace mc
