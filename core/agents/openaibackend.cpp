#include "openaibackend.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace mc {

HttpStreamBackend::Request OpenAiBackend::buildRequest(const RunSpec &spec, const QString &apiKey) const
{
    const QJsonObject &cfg = spec.config;
    const QString base = baseUrl(cfg, u"http://127.0.0.1:11434/v1"_qs);
    QJsonArray messages;
    if (cfg.value(u"system_prompt"_qs).isString())
        messages.append(QJsonObject{{u"role"_qs, u"system"_qs}, {u"content"_qs, cfg.value(u"system_prompt"_qs)}});
    messages.append(QJsonObject{{u"role"_qs, u"user"_qs}, {u"content"_qs, spec.prompt}});
    QJsonObject body{{u"model"_qs, cfg.value(u"model"_qs).toString(u"llama3.2"_qs)},
                     {u"messages"_qs, messages},
                     {u"stream"_qs, true},
                     {u"stream_options"_qs, QJsonObject{{u"include_usage"_qs, true}}}};
    for (const QString &key : {u"temperature"_qs, u"max_tokens"_qs}) {
        if (cfg.value(key).isDouble())
            body.insert(key, cfg.value(key));
    }
    Request r;
    r.url = QUrl(base + u"/chat/completions"_qs);
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    if (!apiKey.isEmpty())
        r.headers.append({"Authorization", "Bearer " + apiKey.toUtf8()});
    return r;
}

void OpenAiBackend::flushToolCalls(RunSink &sink, StreamState &state)
{
    for (const ToolCall &call : std::as_const(m_toolCalls)) {
        const QJsonDocument args = QJsonDocument::fromJson(call.arguments.toUtf8());
        const QJsonObject use{{u"id"_qs, call.id},
                              {u"name"_qs, call.name},
                              {u"input"_qs, args.isObject() ? QJsonValue(args.object()) : QJsonValue(call.arguments)}};
        sink.output(u"tool_use"_qs, QString::fromUtf8(QJsonDocument(use).toJson(QJsonDocument::Compact)));
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
        state.error = u"malformed stream data (%1)"_qs.arg(parseError.errorString());
        return;
    }
    const QJsonObject chunk = doc.object();
    if (chunk.value(u"error"_qs).isObject()) {
        const QJsonObject error = chunk.value(u"error"_qs).toObject();
        state.error = error.value(u"message"_qs).toString(u"error in stream"_qs);
        const QString type = error.value(u"type"_qs).toString();
        state.retryable = type.contains(u"overloaded"_qs) || type.contains(u"rate_limit"_qs)
                || type == u"server_error"_qs;
        return;
    }
    const QJsonObject usage = chunk.value(u"usage"_qs).toObject();
    if (!usage.isEmpty()) {
        state.usage = {{u"input_tokens"_qs, usage.value(u"prompt_tokens"_qs).toInteger()},
                       {u"output_tokens"_qs, usage.value(u"completion_tokens"_qs).toInteger()}};
    }
    // Some servers send "choices": null or [] (usage-only chunks): nothing to emit.
    const QJsonArray choices = chunk.value(u"choices"_qs).toArray();
    if (choices.isEmpty())
        return;
    const QJsonObject choice = choices.first().toObject();
    const QJsonObject delta = choice.value(u"delta"_qs).toObject();
    const QString content = delta.value(u"content"_qs).toString();
    if (!content.isEmpty()) {
        sink.output(u"message"_qs, content);
        state.text += content;
        state.producedOutput = true;
    }
    for (const QJsonValue &v : delta.value(u"tool_calls"_qs).toArray()) {
        const QJsonObject call = v.toObject();
        ToolCall &entry = m_toolCalls[call.value(u"index"_qs).toInt()];
        if (call.value(u"id"_qs).isString())
            entry.id = call.value(u"id"_qs).toString();
        const QJsonObject function = call.value(u"function"_qs).toObject();
        entry.name += function.value(u"name"_qs).toString();
        entry.arguments += function.value(u"arguments"_qs).toString();
    }
    if (!choice.value(u"finish_reason"_qs).isNull() && !choice.value(u"finish_reason"_qs).isUndefined())
        flushToolCalls(sink, state);
}

} // namespace mc
