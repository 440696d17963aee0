#include "anthropicbackend.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace mc {

HttpStreamBackend::Request AnthropicBackend::buildRequest(const RunSpec &spec, const QString &apiKey) const
{
    const QJsonObject &cfg = spec.config;
    const QString base = baseUrl(cfg, u"https://api.anthropic.com"_qs);
    QJsonObject body{{u"model"_qs, cfg.value(u"model"_qs).toString(u"claude-sonnet-4-5"_qs)},
                     {u"max_tokens"_qs, cfg.value(u"max_tokens"_qs).toInt(4096)},
                     {u"messages"_qs, QJsonArray{QJsonObject{{u"role"_qs, u"user"_qs}, {u"content"_qs, spec.prompt}}}},
                     {u"stream"_qs, true}};
    if (cfg.value(u"temperature"_qs).isDouble())
        body.insert(u"temperature"_qs, cfg.value(u"temperature"_qs));
    if (cfg.value(u"system_prompt"_qs).isString())
        body.insert(u"system"_qs, cfg.value(u"system_prompt"_qs));
    Request r;
    r.url = QUrl(base + u"/v1/messages"_qs);
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.headers.append({"x-api-key", apiKey.toUtf8()});
    r.headers.append({"anthropic-version", cfg.value(u"anthropic_version"_qs).toString(u"2023-06-01"_qs).toUtf8()});
    return r;
}

void AnthropicBackend::handleEvent(const SseEvent &event, RunSink &sink, StreamState &state)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(event.data, &parseError);
    if (!doc.isObject()) {
        state.error = u"malformed stream data (%1)"_qs.arg(parseError.errorString());
        return;
    }
    const QJsonObject o = doc.object();
    const QString type = o.value(u"type"_qs).toString(QString::fromUtf8(event.event));
    if (type == u"message_start"_qs) {
        const QJsonObject usage = o.value(u"message"_qs).toObject().value(u"usage"_qs).toObject();
        state.usage.insert(u"input_tokens"_qs, usage.value(u"input_tokens"_qs).toInteger());
        state.usage.insert(u"output_tokens"_qs, usage.value(u"output_tokens"_qs).toInteger());
    } else if (type == u"content_block_start"_qs) {
        const QJsonObject block = o.value(u"content_block"_qs).toObject();
        m_block = {block.value(u"type"_qs).toString(), block.value(u"id"_qs).toString(),
                   block.value(u"name"_qs).toString(), {}};
        const QString text = block.value(u"text"_qs).toString();
        if (!text.isEmpty()) {
            sink.output(u"message"_qs, text);
            state.text += text;
            state.producedOutput = true;
        }
    } else if (type == u"content_block_delta"_qs) {
        const QJsonObject delta = o.value(u"delta"_qs).toObject();
        const QString deltaType = delta.value(u"type"_qs).toString();
        if (deltaType == u"text_delta"_qs) {
            const QString text = delta.value(u"text"_qs).toString();
            sink.output(u"message"_qs, text);
            state.text += text;
            state.producedOutput = true;
        } else if (deltaType == u"input_json_delta"_qs) {
            m_block.json += delta.value(u"partial_json"_qs).toString();
        }
    } else if (type == u"content_block_stop"_qs) {
        if (m_block.type == u"tool_use"_qs) {
            const QJsonDocument input = QJsonDocument::fromJson(m_block.json.toUtf8());
            const QJsonObject use{{u"id"_qs, m_block.id},
                                  {u"name"_qs, m_block.name},
                                  {u"input"_qs, input.isObject() ? input.object() : QJsonObject()}};
            sink.output(u"tool_use"_qs, QString::fromUtf8(QJsonDocument(use).toJson(QJsonDocument::Compact)));
            state.producedOutput = true;
        }
        m_block = {};
    } else if (type == u"message_delta"_qs) {
        const QJsonObject usage = o.value(u"usage"_qs).toObject();
        if (usage.contains(u"output_tokens"_qs))
            state.usage.insert(u"output_tokens"_qs, usage.value(u"output_tokens"_qs).toInteger());
        if (usage.contains(u"input_tokens"_qs))
            state.usage.insert(u"input_tokens"_qs, usage.value(u"input_tokens"_qs).toInteger());
    } else if (type == u"message_stop"_qs) {
        state.finished = true;
    } else if (type == u"error"_qs) {
        const QJsonObject error = o.value(u"error"_qs).toObject();
        const QString errorType = error.value(u"type"_qs).toString();
        state.error = errorType + u": "_qs + error.value(u"message"_qs).toString();
        state.retryable = errorType == u"overloaded_error"_qs || errorType == u"rate_limit_error"_qs
                || errorType == u"api_error"_qs;
    }
    // ping and unknown events: nothing to do
}

} // namespace mc
