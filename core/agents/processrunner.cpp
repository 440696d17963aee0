#include "processrunner.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>

#include <csignal>
#include <unistd.h>

namespace mc {

namespace {

// pid is the group id (the child called setpgid(0, 0)); never 0 or 1, which
// would signal our own group or everything.
void signalGroup(qint64 pid, int signalNumber)
{
    if (pid > 1)
        ::kill(-pid_t(pid), signalNumber);
}

void killGroup(QProcess &p, qint64 pid, int graceMs)
{
    if (p.state() == QProcess::NotRunning)
        return;
    signalGroup(pid, SIGTERM);
    if (!p.waitForFinished(graceMs)) {
        signalGroup(pid, SIGKILL);
        p.waitForFinished(2000);
    }
}

} // namespace

QProcessEnvironment ProcessRunner::agentEnvironment(const QStringList &passThrough)
{
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    QStringList names{u"PATH"_qs, u"HOME"_qs, u"LANG"_qs, u"LC_ALL"_qs, u"USER"_qs, u"TMPDIR"_qs, u"TERM"_qs};
    names += passThrough;
    for (const QString &name : names) {
        if (system.contains(name))
            env.insert(name, system.value(name));
    }
    return env;
}

RunOutcome ProcessRunner::run(const ProcessSpec &spec, RunSink &sink, const LineHandler &onLine)
{
    if (spec.argv.isEmpty())
        return RunOutcome::failed(u"No command configured for this agent"_qs);
    QProcess p;
    p.setProgram(spec.argv.first());
    p.setArguments(spec.argv.mid(1));
    if (!spec.workingDir.isEmpty())
        p.setWorkingDirectory(spec.workingDir);
    p.setProcessEnvironment(spec.environment);
    // Own process group, so stop reaches the agent's children too.
    p.setChildProcessModifier([] { ::setpgid(0, 0); });
    p.start();
    if (!p.waitForStarted(15000)) {
        const QString program = QFileInfo(spec.argv.first()).fileName();
        return RunOutcome::failed(p.error() == QProcess::FailedToStart
                                          ? u"Cannot start '%1': not found or not executable"_qs.arg(program)
                                          : u"Cannot start '%1': %2"_qs.arg(program, p.errorString()));
    }
    const qint64 pid = p.processId();
    if (!spec.standardInput.isEmpty())
        p.write(spec.standardInput);
    p.closeWriteChannel();

    QElapsedTimer total;
    QElapsedTimer idle;
    total.start();
    idle.start();
    QByteArray partial;
    auto drain = [&](bool final) {
        const QByteArray data = p.readAllStandardOutput();
        if (!data.isEmpty())
            idle.restart();
        partial.append(data);
        qsizetype start = 0;
        for (;;) {
            const qsizetype nl = partial.indexOf('\n', start);
            if (nl < 0)
                break;
            qsizetype end = nl;
            if (end > start && partial.at(end - 1) == '\r')
                --end;
            onLine(partial.mid(start, end - start));
            start = nl + 1;
        }
        partial.remove(0, start);
        while (partial.size() >= spec.maxLineBytes) {
            onLine(partial.left(spec.maxLineBytes));
            partial.remove(0, spec.maxLineBytes);
        }
        if (final && !partial.isEmpty()) {
            onLine(partial);
            partial.clear();
        }
        m_stderr.append(p.readAllStandardError());
        if (m_stderr.size() > 8192)
            m_stderr = m_stderr.right(4096);
    };

    while (p.state() != QProcess::NotRunning) {
        if (sink.cancelled()) {
            killGroup(p, pid, spec.killGraceMs);
            drain(true);
            return RunOutcome::stopped();
        }
        if (total.elapsed() > spec.timeoutMs) {
            killGroup(p, pid, spec.killGraceMs);
            drain(true);
            return RunOutcome::failed(u"Run timed out after %1 s"_qs.arg(spec.timeoutMs / 1000));
        }
        if (idle.elapsed() > spec.idleTimeoutMs) {
            killGroup(p, pid, spec.killGraceMs);
            drain(true);
            return RunOutcome::failed(u"Agent produced no output for %1 s"_qs.arg(spec.idleTimeoutMs / 1000));
        }
        p.waitForReadyRead(50);
        drain(false);
    }
    p.waitForFinished(1000);
    drain(true);
    // The agent's own children may outlive it in its group; they go with the run.
    signalGroup(pid, SIGKILL);
    if (sink.cancelled())
        return RunOutcome::stopped();
    if (p.exitStatus() == QProcess::CrashExit) {
        const QString tail = QString::fromUtf8(m_stderr.trimmed().right(300));
        return RunOutcome::failed(tail.isEmpty() ? u"Agent crashed (killed by a signal)"_qs
                                                 : u"Agent crashed (killed by a signal): %1"_qs.arg(tail));
    }
    if (p.exitCode() != 0) {
        const QString tail = QString::fromUtf8(m_stderr.trimmed().right(300));
        return RunOutcome::failed(tail.isEmpty() ? u"Agent exited with code %1"_qs.arg(p.exitCode())
                                                 : u"Agent exited with code %1: %2"_qs.arg(p.exitCode()).arg(tail));
    }
    return RunOutcome::completed();
}

} // namespace mc
