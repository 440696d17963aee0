#include "commandbackend.h"

#include "fieldspec.h"
#include "processrunner.h"

#include <QJsonArray>

namespace mc {

RunOutcome CommandBackend::run(const RunSpec &spec, RunSink &sink)
{
    ProcessSpec process;
    process.argv = toStringList(spec.config.value(u"command"_qs));
    process.workingDir = spec.config.value(u"cwd"_qs).toString(spec.workingDir);
    process.environment = ProcessRunner::agentEnvironment(toStringList(spec.config.value(u"env"_qs)));
    process.environment.insert(u"MC_TASK_ID"_qs, spec.taskId);
    process.environment.insert(u"MC_RUN_ID"_qs, spec.runId);
    process.environment.insert(u"MC_WORKDIR"_qs, spec.workingDir);
    process.standardInput = spec.prompt.toUtf8();
    process.timeoutMs = spec.timeoutS * 1000;
    process.idleTimeoutMs = spec.idleTimeoutS * 1000;
    if (spec.config.value(u"kill_grace_s"_qs).isDouble())
        process.killGraceMs = int(spec.config.value(u"kill_grace_s"_qs).toDouble() * 1000);
    ProcessRunner runner;
    return runner.run(process, sink, [&sink](const QByteArray &line) {
        sink.output(u"message"_qs, QString::fromUtf8(line));
    });
}

} // namespace mc
