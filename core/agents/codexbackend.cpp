#include "codexbackend.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

QString toolUse(const QJsonObject &item)
{
    const QString type = item.value(u"type"_s).toString();
    if (type == u"command_execution"_s)
        return compactJson(QJsonObject{{u"id"_s, item.value(u"id"_s)}, {u"name"_s, u"shell"_s},
                                                 {u"input"_s, QJsonObject{{u"command"_s, item.value(u"command"_s)}}}});
    if (type == u"file_change"_s)
        return compactJson(QJsonObject{{u"id"_s, item.value(u"id"_s)}, {u"name"_s, u"file_change"_s},
                                                 {u"input"_s, QJsonObject{{u"changes"_s, item.value(u"changes"_s)}}}});
    return compactJson(item);
}

QString toolResult(const QJsonObject &item)
{
    const QString type = item.value(u"type"_s).toString();
    if (type == u"command_execution"_s) {
        const QJsonValue code = item.value(u"exit_code"_s);
        return item.value(u"aggregated_output"_s).toString()
                + (code.isDouble() && code.toInt() != 0 ? u"[exit code %1]\n"_s.arg(code.toInt()) : QString());
    }
    if (type == u"file_change"_s) {
        QString text;
        for (const QJsonValue &v : item.value(u"changes"_s).toArray()) {
            const QJsonObject change = v.toObject();
            text += change.value(u"kind"_s).toString() + u' ' + change.value(u"path"_s).toString() + u'\n';
        }
        return text + item.value(u"status"_s).toString() + u'\n';
    }
    return item.value(u"status"_s).toString();
}

bool isTool(const QString &itemType)
{
    return itemType == u"command_execution"_s || itemType == u"file_change"_s || itemType == u"mcp_tool_call"_s
            || itemType == u"web_search"_s;
}

} // namespace

QStringList CodexBackend::sandboxModes()
{
    return {u"workspace-write"_s, u"read-only"_s, u"danger-full-access"_s};
}

QStringList CodexBackend::arguments(const RunSpec &spec) const
{
    QStringList args{u"exec"_s, u"--json"_s, u"--skip-git-repo-check"_s, u"--sandbox"_s,
                     spec.config.value(u"sandbox"_s).toString(defaultSandbox())};
    if (spec.config.value(u"model"_s).isString())
        args += {u"--model"_s, spec.config.value(u"model"_s).toString()};
    args.append(u"-"_s);
    return args;
}

void CodexBackend::handleLine(const QJsonObject &event, RunSink &sink, Result &result)
{
    const QString type = event.value(u"type"_s).toString();
    const QJsonObject item = event.value(u"item"_s).toObject();
    const QString itemType = item.value(u"type"_s).toString();
    if (type == u"item.started"_s) {
        // A running command is visible while it runs, not only when it ends.
        if (isTool(itemType)) {
            result.startedItems.insert(item.value(u"id"_s).toString());
            sink.output(u"tool_use"_s, toolUse(item));
        }
    } else if (type == u"item.completed"_s) {
        if (itemType == u"agent_message"_s) {
            sink.output(u"message"_s, item.value(u"text"_s).toString());
        } else if (isTool(itemType)) {
            if (!result.startedItems.remove(item.value(u"id"_s).toString()))
                sink.output(u"tool_use"_s, toolUse(item));
            if (itemType == u"command_execution"_s || itemType == u"file_change"_s)
                sink.output(u"tool_result"_s, toolResult(item));
        } else if (itemType == u"error"_s) {
            sink.notice(item.value(u"message"_s).toString() + u'\n');
        }
        // reasoning and todo lists stay private
    } else if (type == u"turn.completed"_s) {
        result.seenEnd = true;
        const QJsonObject usage = event.value(u"usage"_s).toObject();
        result.usage = {{u"input_tokens"_s, usage.value(u"input_tokens"_s).toInteger()},
                        {u"output_tokens"_s, usage.value(u"output_tokens"_s).toInteger()},
                        {u"cache_read_input_tokens"_s, usage.value(u"cached_input_tokens"_s).toInteger()}};
    } else if (type == u"turn.failed"_s) {
        result.seenEnd = true;
        result.failure = u"Codex turn failed: "_s + event.value(u"error"_s).toObject().value(u"message"_s).toString();
    } else if (type == u"error"_s) {
        // "Reconnecting... n/5" is progress; any error is shown, and only a
        // failed turn (or no completed turn at all) fails the run.
        const QString message = event.value(u"message"_s).toString();
        sink.notice(message + u'\n');
        result.lastError = message;
    }
}

} // namespace mc
