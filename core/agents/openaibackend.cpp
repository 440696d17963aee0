#include "openaibackend.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mc {

HttpStreamBackend::Request OpenAiBackend::buildRequest(const RunSpec &spec, const QString &apiKey) const
{
    const QJsonObject &cfg = spec.config;
    const QString base = baseUrl(cfg, u"http://127.0.0.1:11434/v1"_s);
    QJsonArray messages;
    if (cfg.value(u"system_prompt"_s).isString())
        messages.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, cfg.value(u"system_prompt"_s)}});
    messages.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, spec.prompt}});
    QJsonObject body{{u"model"_s, cfg.value(u"model"_s).toString(u"llama3.2"_s)},
                     {u"messages"_s, messages},
                     {u"stream"_s, true},
                     {u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}}}};
    for (const QString &key : {u"temperature"_s, u"max_tokens"_s}) {
        if (cfg.value(key).isDouble())
            body.insert(key, cfg.value(key));
    }
    Request r;
    r.url = QUrl(base + u"/chat/completions"_s);
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    if (!apiKey.isEmpty())
        r.headers.append({"Authorization", "Bearer " + apiKey.toUtf8()});
    return r;
}

void OpenAiBackend::flushToolCalls(RunSink &sink, StreamState &state)
{
    for (const ToolCall &call : std::as_const(m_toolCalls)) {
        const QJsonDocument args = QJsonDocument::fromJson(call.arguments.toUtf8());
        const QJsonObject use{{u"id"_s, call.id},
                              {u"name"_s, call.name},
                              {u"input"_s, args.isObject() ? QJsonValue(args.object()) : QJsonValue(call.arguments)}};
        const QString text = QString::fromUtf8(QJsonDocument(use).toJson(QJsonDocument::Compact));
        sink.output(u"tool_use"_s, text);
        state.producedOutput = true;
    }
    m_toolCalls.clear();
}

void OpenAiBackend::handleEvent(const SseEvent &event, RunSink &sink, StreamState &state)
{
    const QByteArray data = event.data.trimmed();
    if (data == "[DONE]") {
        flushToolCalls(sink, state);
        state.finished = true;
        return;
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (!doc.isObject()) {
        state.error = u"malformed stream data (%1)"_s.arg(parseError.errorString());
        return;
    }
    const QJsonObject chunk = doc.object();
    if (chunk.value(u"error"_s).isObject()) {
        const QJsonObject error = chunk.value(u"error"_s).toObject();
        state.error = error.value(u"message"_s).toString(u"error in stream"_s);
        const QString type = error.value(u"type"_s).toString();
        state.retryable = type.contains(u"overloaded"_s) || type.contains(u"rate_limit"_s)
                || type == u"server_error"_s;
        return;
    }
    const QJsonObject usage = chunk.value(u"usage"_s).toObject();
    if (!usage.isEmpty()) {
        state.usage = {{u"input_tokens"_s, usage.value(u"prompt_tokens"_s).toInteger()},
                       {u"output_tokens"_s, usage.value(u"completion_tokens"_s).toInteger()}};
        const QJsonValue cached = usage.value(u"prompt_tokens_details"_s).toObject().value(u"cached_tokens"_s);
        if (cached.isDouble())
            state.usage.insert(u"cache_read_input_tokens"_s, cached.toInteger());
    }
    // Some servers send "choices": null or [] (usage-only chunks): nothing to emit.
    const QJsonArray choices = chunk.value(u"choices"_s).toArray();
    if (choices.isEmpty())
        return;
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject delta = choice.value(u"delta"_s).toObject();
    const QString content = delta.value(u"content"_s).toString();
    if (!content.isEmpty()) {
        sink.output(u"message"_s, content);
        state.producedOutput = true;
    }
    for (const QJsonValue &v : delta.value(u"tool_calls"_s).toArray()) {
        const QJsonObject call = v.toObject();
        ToolCall &entry = m_toolCalls[call.value(u"index"_s).toInt()];
        if (call.value(u"id"_s).isString())
            entry.id = call.value(u"id"_s).toString();
        const QJsonObject function = call.value(u"function"_s).toObject();
        entry.name += function.value(u"name"_s).toString();
        entry.arguments += function.value(u"arguments"_s).toString();
    }
    if (!choice.value(u"finish_reason"_s).isNull() && !choice.value(u"finish_reason"_s).isUndefined())
        flushToolCalls(sink, state);
}

} // namespace mc
