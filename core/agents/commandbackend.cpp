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
    // The deliverable is the output's text, assembled here on the pool thread
    // (bounded), so finishing a run costs the main thread nothing.
    constexpr qsizetype kDeliverableLimit = 1024 * 1024;
    QString text;
    bool truncated = false;
    ProcessRunner runner;
    RunOutcome outcome = runner.run(process, sink, [&](const QByteArray &line) {
        const QString content = QString::fromUtf8(line);
        if (text.size() < kDeliverableLimit) {
            if (!text.isEmpty())
                text += u'\n';
            text += content;
        } else {
            truncated = true;
        }
        sink.output(u"message"_qs, content);
    });
    if (truncated)
        text += u"\n\n[output truncated at 1 MB; the full output is in the run's stored output]"_qs;
    outcome.deliverable = text;
    return outcome;
}

} // namespace mc
