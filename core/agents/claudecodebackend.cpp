#include "claudecodebackend.h"

#include <QJsonArray>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

QJsonObject turnUsage(const QJsonObject &usage)
{
    const qint64 cacheCreation = usage.value(u"cache_creation_input_tokens"_s).toInteger();
    const qint64 cacheRead = usage.value(u"cache_read_input_tokens"_s).toInteger();
    return {{u"input_tokens"_s, usage.value(u"input_tokens"_s).toInteger() + cacheCreation + cacheRead},
            {u"output_tokens"_s, usage.value(u"output_tokens"_s).toInteger()},
            {u"cache_creation_input_tokens"_s, cacheCreation},
            {u"cache_read_input_tokens"_s, cacheRead}};
}

QString seconds(double ms)
{
    return QString::number(ms / 1000.0, 'f', ms < 10000 ? 1 : 0);
}

} // namespace

QStringList ClaudeCodeBackend::permissionModes()
{
    return {u"acceptEdits"_s, u"default"_s, u"plan"_s, u"bypassPermissions"_s, u"dontAsk"_s};
}

QStringList ClaudeCodeBackend::arguments(const RunSpec &spec) const
{
    QStringList args{u"-p"_s, u"--output-format"_s, u"stream-json"_s, u"--verbose"_s, u"--permission-mode"_s,
                     spec.config.value(u"permission_mode"_s).toString(defaultPermissionMode())};
    if (spec.config.value(u"model"_s).isString())
        args += {u"--model"_s, spec.config.value(u"model"_s).toString()};
    return args;
}

QString ClaudeCodeBackend::explainFailure(const RunSpec &spec, const QString &error) const
{
    if (error.contains(u"root"_s) && (error.contains(u"dangerously-skip-permissions"_s)
                                      || spec.config.value(u"permission_mode"_s).toString() == u"bypassPermissions"_s)) {
        // Short enough to survive the 200-character cut of shown errors.
        return u"Claude Code refuses permission_mode bypassPermissions (--dangerously-skip-permissions) as root; "
               "use permission_mode acceptEdits, or run Mission Control as a normal user"_s;
    }
    return error;
}

void ClaudeCodeBackend::handleLine(const QJsonObject &event, RunSink &sink, Result &result)
{
    const QString type = event.value(u"type"_s).toString();
    if (type == u"assistant"_s) {
        const QJsonObject message = event.value(u"message"_s).toObject();
        // One model turn may arrive as several events with the same id and usage.
        if (message.value(u"model"_s).toString() != u"<synthetic>"_s && message.value(u"usage"_s).isObject())
            result.turnUsage.insert(message.value(u"id"_s).toString(), turnUsage(message.value(u"usage"_s).toObject()));
        for (const QJsonValue &v : message.value(u"content"_s).toArray()) {
            const QJsonObject block = v.toObject();
            const QString blockType = block.value(u"type"_s).toString();
            if (blockType == u"text"_s) {
                sink.output(u"message"_s, block.value(u"text"_s).toString());
            } else if (blockType == u"tool_use"_s) {
                sink.output(u"tool_use"_s, compactJson(QJsonObject{{u"id"_s, block.value(u"id"_s)},
                                                               {u"name"_s, block.value(u"name"_s)},
                                                               {u"input"_s, block.value(u"input"_s)}}));
            }
            // thinking blocks stay private to the agent
        }
    } else if (type == u"user"_s) {
        for (const QJsonValue &v : event.value(u"message"_s).toObject().value(u"content"_s).toArray()) {
            const QJsonObject block = v.toObject();
            if (block.value(u"type"_s).toString() != u"tool_result"_s)
                continue;
            QString text;
            const QJsonValue content = block.value(u"content"_s);
            if (content.isArray()) {
                for (const QJsonValue &part : content.toArray())
                    text += part.toObject().value(u"text"_s).toString();
            } else {
                text = compactJson(content);
            }
            sink.output(u"tool_result"_s, text);
        }
    } else if (type == u"system"_s && event.value(u"subtype"_s).toString() == u"api_retry"_s) {
        // Claude Code waits and retries on its own; without this line the user
        // watches minutes of silence.
        const QJsonValue status = event.value(u"error_status"_s);
        const QString what = status.isDouble() ? u"API error %1"_s.arg(status.toInt()) : u"API error"_s;
        const QString reason = event.value(u"error"_s).toString();
        sink.notice(u"%1%2, retry %3/%4 in %5 s\n"_s.arg(
                                          what, reason.isEmpty() ? QString() : u" ("_s + reason + u')')
                                          .arg(event.value(u"attempt"_s).toInt())
                                          .arg(event.value(u"max_retries"_s).toInt())
                                          .arg(seconds(event.value(u"retry_delay_ms"_s).toDouble())));
        result.lastError = what + (reason.isEmpty() ? QString() : u": "_s + reason);
    } else if (type == u"result"_s) {
        result.seenEnd = true;
        result.usage = turnUsage(event.value(u"usage"_s).toObject());
        if (event.value(u"total_cost_usd"_s).isDouble())
            result.usage.insert(u"cost_usd"_s, event.value(u"total_cost_usd"_s));
        for (const QJsonValue &v : event.value(u"permission_denials"_s).toArray()) {
            const QJsonObject denial = v.toObject();
            result.permissionDenials.append(QJsonObject{{u"tool_name"_s, denial.value(u"tool_name"_s)},
                                                        {u"tool_input"_s, denial.value(u"tool_input"_s)}});
            sink.notice(u"Permission denied: %1 %2 (permission_mode decides what the agent may do)\n"_s.arg(
                                              denial.value(u"tool_name"_s).toString(),
                                              compactJson(denial.value(u"tool_input"_s))));
        }
        if (event.value(u"is_error"_s).toBool()) {
            QStringList details;
            for (const QJsonValue &e : event.value(u"errors"_s).toArray())
                details.append(e.toString());
            QString detail = event.value(u"result"_s).toString();
            if (detail.isEmpty())
                detail = details.isEmpty() ? event.value(u"subtype"_s).toString() : details.join(u"; "_s);
            result.failure = u"Claude Code reported an error: "_s + detail;
        }
    }
    // system/init, thinking_tokens, stream_event and other events carry nothing for the user
}

} // namespace mc
