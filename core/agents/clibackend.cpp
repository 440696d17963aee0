#include "clibackend.h"

#include "fieldspec.h"
#include "processrunner.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

namespace mc {

QString CliBackend::compact(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

RunOutcome CliBackend::run(const RunSpec &spec, RunSink &sink)
{
    // `command` may replace the executable (argv list: program plus leading arguments).
    QStringList argv = toStringList(spec.config.value(u"command"_qs));
    if (argv.isEmpty())
        argv = {program()};
    const QString executable = argv.first().contains(u'/') ? argv.first()
                                                           : QStandardPaths::findExecutable(argv.first());
    if (executable.isEmpty() || !QFileInfo(executable).isExecutable())
        return RunOutcome::failed(u"'%1' was not found on PATH: %2"_qs.arg(argv.first(), installHint()));
    argv[0] = executable;
    argv += arguments(spec);
    argv += toStringList(spec.config.value(u"extra_args"_qs));
    if (!promptOnStdin())
        argv.append(spec.prompt);

    ProcessSpec process;
    process.argv = argv;
    process.workingDir = spec.config.value(u"cwd"_qs).toString(spec.workingDir);
    QStringList passThrough = toStringList(spec.config.value(u"env"_qs));
    passThrough += {u"ANTHROPIC_API_KEY"_qs, u"OPENAI_API_KEY"_qs, u"CODEX_HOME"_qs, u"CLAUDE_CONFIG_DIR"_qs,
                    u"XDG_CONFIG_HOME"_qs, u"NODE_OPTIONS"_qs};
    process.environment = ProcessRunner::agentEnvironment(passThrough);
    process.standardInput = promptOnStdin() ? spec.prompt.toUtf8() : QByteArray();
    process.timeoutMs = spec.timeoutS * 1000;
    process.idleTimeoutMs = spec.idleTimeoutS * 1000;
    if (spec.config.value(u"kill_grace_s"_qs).isDouble())
        process.killGraceMs = int(spec.config.value(u"kill_grace_s"_qs).toDouble() * 1000);

    Result result;
    int malformed = 0;
    ProcessRunner runner;
    RunOutcome outcome = runner.run(process, sink, [&](const QByteArray &line) {
        if (line.trimmed().isEmpty())
            return;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject()) {
            // Not an event: show it rather than lose it (CLIs print warnings).
            ++malformed;
            sink.output(u"message"_qs, QString::fromUtf8(line));
            return;
        }
        handleLine(doc.object(), sink, result);
    });
    if (outcome.status == RunOutcome::Status::Stopped)
        return outcome;
    if (!result.error.isEmpty())
        outcome = RunOutcome::failed(result.error);
    else if (outcome.status == RunOutcome::Status::Completed && !result.seenEnd)
        outcome = RunOutcome::failed(u"%1 ended without its final result event%2"_qs.arg(
                program(), malformed ? u" (%1 unreadable lines)"_qs.arg(malformed) : QString()));
    outcome.usage = result.usage;
    outcome.deliverable = result.texts.join(u"\n\n"_qs);
    return outcome;
}

} // namespace mc
