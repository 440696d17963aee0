#include "claudecodebackend.h"

#include <QJsonArray>

namespace mc {

QStringList ClaudeCodeBackend::arguments(const RunSpec &spec) const
{
    QStringList args{u"-p"_qs, u"--output-format"_qs, u"stream-json"_qs, u"--verbose"_qs};
    if (spec.config.value(u"model"_qs).isString())
        args += {u"--model"_qs, spec.config.value(u"model"_qs).toString()};
    return args;
}

void ClaudeCodeBackend::handleLine(const QJsonObject &event, RunSink &sink, Result &result)
{
    const QString type = event.value(u"type"_qs).toString();
    if (type == u"assistant"_qs) {
        for (const QJsonValue &v : event.value(u"message"_qs).toObject().value(u"content"_qs).toArray()) {
            const QJsonObject block = v.toObject();
            const QString blockType = block.value(u"type"_qs).toString();
            if (blockType == u"text"_qs) {
                sink.output(u"message"_qs, block.value(u"text"_qs).toString());
                result.texts.append(block.value(u"text"_qs).toString());
            } else if (blockType == u"tool_use"_qs) {
                sink.output(u"tool_use"_qs, compact(QJsonObject{{u"id"_qs, block.value(u"id"_qs)},
                                                                {u"name"_qs, block.value(u"name"_qs)},
                                                                {u"input"_qs, block.value(u"input"_qs)}}));
            }
            // thinking blocks stay private to the agent
        }
    } else if (type == u"user"_qs) {
        for (const QJsonValue &v : event.value(u"message"_qs).toObject().value(u"content"_qs).toArray()) {
            const QJsonObject block = v.toObject();
            if (block.value(u"type"_qs).toString() != u"tool_result"_qs)
                continue;
            QString text;
            const QJsonValue content = block.value(u"content"_qs);
            if (content.isArray()) {
                for (const QJsonValue &part : content.toArray())
                    text += part.toObject().value(u"text"_qs).toString();
            } else {
                text = compact(content);
            }
            sink.output(u"tool_result"_qs, text);
        }
    } else if (type == u"result"_qs) {
        result.seenEnd = true;
        const QJsonObject usage = event.value(u"usage"_qs).toObject();
        result.usage = {{u"input_tokens"_qs, usage.value(u"input_tokens"_qs).toInteger()
                                 + usage.value(u"cache_read_input_tokens"_qs).toInteger()
                                 + usage.value(u"cache_creation_input_tokens"_qs).toInteger()},
                        {u"output_tokens"_qs, usage.value(u"output_tokens"_qs).toInteger()}};
        if (event.value(u"total_cost_usd"_qs).isDouble())
            result.usage.insert(u"cost_usd"_qs, event.value(u"total_cost_usd"_qs));
        if (event.value(u"is_error"_qs).toBool()) {
            const QString detail = event.value(u"result"_qs).toString(event.value(u"subtype"_qs).toString());
            result.error = u"Claude Code reported an error: "_qs + detail;
        }
    }
    // system/init and other events carry nothing for the user
}

} // namespace mc
