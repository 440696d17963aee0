#include "codexbackend.h"

#include <QJsonArray>

namespace mc {

QStringList CodexBackend::arguments(const RunSpec &spec) const
{
    QStringList args{u"exec"_qs, u"--json"_qs, u"--skip-git-repo-check"_qs};
    if (spec.config.value(u"model"_qs).isString())
        args += {u"--model"_qs, spec.config.value(u"model"_qs).toString()};
    args.append(u"-"_qs);
    return args;
}

void CodexBackend::handleLine(const QJsonObject &event, RunSink &sink, Result &result)
{
    const QString type = event.value(u"type"_qs).toString();
    if (type == u"item.completed"_qs) {
        const QJsonObject item = event.value(u"item"_qs).toObject();
        const QString itemType = item.value(u"type"_qs).toString();
        if (itemType == u"agent_message"_qs) {
            sink.output(u"message"_qs, item.value(u"text"_qs).toString());
            result.texts.append(item.value(u"text"_qs).toString());
        } else if (itemType == u"command_execution"_qs) {
            sink.output(u"tool_use"_qs, compact(QJsonObject{{u"name"_qs, u"shell"_qs},
                                                            {u"input"_qs, QJsonObject{{u"command"_qs, item.value(u"command"_qs)}}}}));
            sink.output(u"tool_result"_qs, item.value(u"aggregated_output"_qs).toString()
                                + (item.value(u"exit_code"_qs).isDouble() && item.value(u"exit_code"_qs).toInt() != 0
                                           ? u"\n[exit code %1]"_qs.arg(item.value(u"exit_code"_qs).toInt())
                                           : QString()));
        } else if (itemType == u"file_change"_qs) {
            sink.output(u"tool_use"_qs, compact(QJsonObject{{u"name"_qs, u"file_change"_qs},
                                                            {u"input"_qs, QJsonObject{{u"changes"_qs, item.value(u"changes"_qs)}}}}));
        } else if (itemType == u"mcp_tool_call"_qs || itemType == u"web_search"_qs) {
            sink.output(u"tool_use"_qs, compact(item));
        } else if (itemType == u"error"_qs) {
            sink.output(u"message"_qs, item.value(u"message"_qs).toString());
        }
        // reasoning and todo lists stay private
    } else if (type == u"turn.completed"_qs) {
        result.seenEnd = true;
        const QJsonObject usage = event.value(u"usage"_qs).toObject();
        result.usage = {{u"input_tokens"_qs, usage.value(u"input_tokens"_qs).toInteger()},
                        {u"output_tokens"_qs, usage.value(u"output_tokens"_qs).toInteger()}};
    } else if (type == u"turn.failed"_qs) {
        result.seenEnd = true;
        result.error = u"Codex turn failed: "_qs + event.value(u"error"_qs).toObject().value(u"message"_qs).toString();
    } else if (type == u"error"_qs) {
        result.error = u"Codex error: "_qs + event.value(u"message"_qs).toString();
    }
}

} // namespace mc
