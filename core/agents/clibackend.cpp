#include "clibackend.h"

#include "fieldspec.h"
#include "processrunner.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace mc {

QString compactJson(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

QJsonObject CliBackend::sumUsage(const QHash<QString, QJsonObject> &turns)
{
    QJsonObject sum;
    for (const QJsonObject &turn : turns) {
        for (auto it = turn.begin(); it != turn.end(); ++it) {
            if (it.value().isDouble())
                sum.insert(it.key(), sum.value(it.key()).toDouble() + it.value().toDouble());
        }
    }
    return sum;
}

RunOutcome CliBackend::run(const RunSpec &spec, RunSink &sink)
{
    // `command` may replace the executable (argv list: program plus leading arguments).
    QStringList argv = toStringList(spec.config.value(u"command"_s));
    if (argv.isEmpty())
        argv = {program()};
    const QString executable = argv.first().contains(u'/') ? argv.first()
                                                           : QStandardPaths::findExecutable(argv.first());
    if (executable.isEmpty() || !QFileInfo(executable).isExecutable())
        return RunOutcome::failed(u"'%1' was not found on PATH: %2"_s.arg(argv.first(), installHint()));
    argv[0] = executable;
    argv += arguments(spec);
    argv += toStringList(spec.config.value(u"extra_args"_s));

    ProcessSpec process = processSpecFor(spec);
    process.argv = argv;
    process.environment = ProcessRunner::agentEnvironment(
            spec.config.value(u"env"_s), spec.agent.value(u"id"_s).toString(), {u"ANTHROPIC_API_KEY"_s, u"OPENAI_API_KEY"_s, u"CODEX_HOME"_s,
                                          u"CLAUDE_CONFIG_DIR"_s, u"XDG_CONFIG_HOME"_s, u"NODE_OPTIONS"_s});
    process.standardInput = spec.prompt.toUtf8();

    Result result;
    int malformed = 0;
    ProcessRunner runner;
    RunOutcome outcome = runner.run(process, sink, [&](const QByteArray &raw) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            return;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject()) {
            // Not an event: show it rather than lose it (CLIs print warnings).
            ++malformed;
            sink.output(u"message"_s, QString::fromUtf8(raw));
            return;
        }
        handleLine(doc.object(), sink, result);
    });
    // Tokens spent count however the run ends.
    const QJsonObject usage = result.seenEnd && !result.usage.isEmpty() ? result.usage : sumUsage(result.turnUsage);
    if (outcome.status == RunOutcome::Status::Stopped) {
        outcome.usage = usage;
        return outcome;
    }
    if (!result.failure.isEmpty())
        outcome = RunOutcome::failed(result.failure);
    else if (outcome.status == RunOutcome::Status::Error)
        outcome.error = explainFailure(spec, outcome.error);
    else if (!result.seenEnd)
        outcome = RunOutcome::failed(u"%1 ended without its final result event%2%3"_s.arg(
                displayName(), malformed ? u" (%1 unreadable lines)"_s.arg(malformed) : QString(),
                result.lastError.isEmpty() ? QString() : u"; last error: "_s + result.lastError));
    outcome.usage = usage;
    if (!result.permissionDenials.isEmpty())
        outcome.usage.insert(u"permission_denials"_s, result.permissionDenials);
    return outcome;
}

} // namespace mc
