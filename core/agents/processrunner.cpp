#include "processrunner.h"

#include "agentsecrets.h"
#include "runprocesses.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

// pid is the group id (the child called setpgid(0, 0)); never 0 or 1, which
// would signal our own group or everything.
void signalGroup(qint64 pid, int signalNumber)
{
    if (pid > 1)
        ::kill(-pid_t(pid), signalNumber);
}

// SIGTERM first so the agent can clean up; the final SIGKILL comes in finish().
void terminateGroup(QProcess &p, qint64 pid, int graceMs)
{
    if (p.state() == QProcess::NotRunning)
        return;
    signalGroup(pid, SIGTERM);
    p.waitForFinished(graceMs);
}

QString mib(qsizetype bytes)
{
    return bytes % (1024 * 1024) == 0 ? u"%1 MiB"_s.arg(bytes / (1024 * 1024)) : u"%1 bytes"_s.arg(bytes);
}

} // namespace

qint64 ProcessRunner::secondsToMs(double seconds)
{
    // 64-bit, and clamped: a timeout of 10^12 s means "practically never", not an overflow.
    constexpr double kMaxMs = 100.0 * 365 * 24 * 3600 * 1000;
    return qint64(qBound(0.0, seconds * 1000.0, kMaxMs));
}

QProcessEnvironment ProcessRunner::agentEnvironment(const QJsonValue &envConfig, const QString &agentId,
                                                   const QStringList &passThrough)
{
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    QStringList names{u"PATH"_s, u"HOME"_s, u"LANG"_s, u"LC_ALL"_s, u"USER"_s, u"TMPDIR"_s, u"TERM"_s};
    names += passThrough;
    if (envConfig.isArray()) {
        for (const QJsonValue &name : envConfig.toArray())
            names.append(name.toString());
    }
    for (const QString &name : std::as_const(names)) {
        if (!name.isEmpty() && system.contains(name))
            env.insert(name, system.value(name));
    }
    const QJsonObject values = envConfig.toObject();
    const QString mask = QString::fromUtf16(agentsecrets::kMask);
    for (auto it = values.begin(); it != values.end(); ++it) {
        if (!it.value().isString())
            continue;
        // Secret values live in the settings file; the agent's metadata holds the mask.
        const QString value = it.value().toString();
        env.insert(it.key(), value == mask ? agentsecrets::value(agentId, it.key()) : value);
    }
    return env;
}

ProcessSpec processSpecFor(const RunSpec &spec)
{
    ProcessSpec process;
    process.runId = spec.runId;
    process.workingDir = spec.config.value(u"cwd"_s).toString(spec.workingDir);
    process.timeoutMs = ProcessRunner::secondsToMs(spec.timeoutS);
    process.idleTimeoutMs = ProcessRunner::secondsToMs(spec.idleTimeoutS);
    if (spec.config.value(u"kill_grace_s"_s).isDouble())
        process.killGraceMs = int(qMin<qint64>(ProcessRunner::secondsToMs(spec.config.value(u"kill_grace_s"_s).toDouble()), 600000));
    if (spec.config.value(u"max_line_bytes"_s).isDouble())
        process.maxLineBytes = qsizetype(qMax(1024.0, spec.config.value(u"max_line_bytes"_s).toDouble()));
    return process;
}

RunOutcome ProcessRunner::run(const ProcessSpec &spec, RunSink &sink, const LineHandler &onLine)
{
    if (spec.argv.isEmpty())
        return RunOutcome::failed(u"No command configured for this agent"_s);
    QProcess p;
    p.setProgram(spec.argv.first());
    p.setArguments(spec.argv.mid(1));
    if (!spec.workingDir.isEmpty())
        p.setWorkingDirectory(spec.workingDir);
    QProcessEnvironment environment = spec.environment;
    if (!spec.runId.isEmpty())
        environment.insert(QString::fromLatin1(runprocesses::kRunIdVariable), spec.runId);
    p.setProcessEnvironment(environment);
    const pid_t parent = ::getpid();
    p.setChildProcessModifier([parent] {
        // Own process group, so stop reaches the agent's children too; and
        // die with the thread that started us, so an app crash takes us along.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(127);   // the app died before prctl took effect
    });
    qint64 pid = 0;
    {
        runprocesses::StartGuard guard;
        p.start();
        if (p.waitForStarted(15000)) {
            pid = p.processId();
            runprocesses::registerAgent(pid_t(pid));
        }
    }
    if (pid <= 0) {
        const QString program = QFileInfo(spec.argv.first()).fileName();
        return RunOutcome::failed(p.error() == QProcess::FailedToStart
                                          ? u"Cannot start '%1': not found or not executable"_s.arg(program)
                                          : u"Cannot start '%1': %2"_s.arg(program, p.errorString()));
    }
    if (!spec.standardInput.isEmpty())
        p.write(spec.standardInput);
    p.closeWriteChannel();

    QElapsedTimer total;
    QElapsedTimer idle;
    total.start();
    idle.start();
    QByteArray partial;
    bool overlong = false;
    auto drain = [&](bool final) {
        const QByteArray data = p.readAllStandardOutput();
        if (!data.isEmpty())
            idle.restart();
        // Only the new bytes can hold the next line break: a long line is
        // scanned once, not once per read.
        qsizetype searchFrom = partial.size();
        partial.append(data);
        qsizetype start = 0;
        for (;;) {
            const qsizetype nl = partial.indexOf('\n', searchFrom);
            if (nl < 0)
                break;
            if (nl + 1 - start > spec.maxLineBytes && spec.splitLinesAt <= 0) {
                overlong = true;
                break;
            }
            onLine(partial.mid(start, nl + 1 - start));
            start = nl + 1;
            searchFrom = start;
        }
        partial.remove(0, start);
        if (spec.splitLinesAt > 0) {
            while (partial.size() >= spec.splitLinesAt) {
                onLine(partial.left(spec.splitLinesAt));
                partial.remove(0, spec.splitLinesAt);
            }
        } else if (partial.size() > spec.maxLineBytes) {
            overlong = true;
        }
        if (overlong) {
            partial.clear();
        } else if (final && !partial.isEmpty()) {
            onLine(partial);
            partial.clear();
        }
        m_stderr.append(p.readAllStandardError());
        if (m_stderr.size() > 8192)
            m_stderr = m_stderr.right(4096);
    };
    // However the run ends: nothing started for it may stay behind.
    auto finish = [&](RunOutcome outcome) {
        signalGroup(pid, SIGKILL);
        p.waitForFinished(2000);
        runprocesses::unregisterAgent(pid_t(pid));
        if (runprocesses::endAll({spec.runId}) == 0)
            runprocesses::reapOrphans();   // descendants of earlier runs that exited on their own
        return outcome;
    };

    while (p.state() != QProcess::NotRunning) {
        if (sink.cancelled()) {
            terminateGroup(p, pid, spec.killGraceMs);
            drain(true);
            return finish(RunOutcome::stopped());
        }
        if (total.elapsed() > spec.timeoutMs) {
            terminateGroup(p, pid, spec.killGraceMs);
            drain(true);
            return finish(RunOutcome::failed(u"Run timed out after %1 s"_s.arg(spec.timeoutMs / 1000)));
        }
        if (idle.elapsed() > spec.idleTimeoutMs) {
            terminateGroup(p, pid, spec.killGraceMs);
            drain(true);
            return finish(RunOutcome::failed(u"Agent produced no output for %1 s"_s.arg(spec.idleTimeoutMs / 1000)));
        }
        if (overlong) {
            terminateGroup(p, pid, spec.killGraceMs);
            return finish(RunOutcome::failed(
                    u"Agent printed a line longer than %1 (backend_config.max_line_bytes); the run was ended"_s.arg(
                            mib(spec.maxLineBytes))));
        }
        // waitForReadyRead() returns at once when the agent has closed its
        // stdout but runs on (`exec >log`): wait for its end instead of spinning.
        if (!p.waitForReadyRead(50) && p.state() != QProcess::NotRunning)
            p.waitForFinished(50);
        drain(false);
    }
    p.waitForFinished(1000);
    drain(true);
    const RunOutcome ended = finish(RunOutcome::completed());
    if (sink.cancelled())
        return RunOutcome::stopped();
    if (overlong)
        return RunOutcome::failed(u"Agent printed a line longer than %1 (backend_config.max_line_bytes)"_s.arg(mib(spec.maxLineBytes)));
    if (p.exitStatus() == QProcess::CrashExit) {
        const QString tail = QString::fromUtf8(m_stderr.trimmed().right(300));
        return RunOutcome::failed(tail.isEmpty() ? u"Agent crashed (killed by a signal)"_s
                                                 : u"Agent crashed (killed by a signal): %1"_s.arg(tail));
    }
    if (p.exitCode() != 0) {
        const QString tail = QString::fromUtf8(m_stderr.trimmed().right(300));
        return RunOutcome::failed(tail.isEmpty() ? u"Agent exited with code %1"_s.arg(p.exitCode())
                                                 : u"Agent exited with code %1: %2"_s.arg(p.exitCode()).arg(tail));
    }
    return ended;
}

} // namespace mc
