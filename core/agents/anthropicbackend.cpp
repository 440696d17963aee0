#include "anthropicbackend.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mc {

HttpStreamBackend::Request AnthropicBackend::buildRequest(const RunSpec &spec, const QString &apiKey) const
{
    const QJsonObject &cfg = spec.config;
    const QString base = baseUrl(cfg, u"https://api.anthropic.com"_s);
    QJsonObject body{{u"model"_s, cfg.value(u"model"_s).toString(u"claude-sonnet-4-5"_s)},
                     {u"max_tokens"_s, cfg.value(u"max_tokens"_s).toInt(4096)},
                     {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, spec.prompt}}}},
                     {u"stream"_s, true}};
    if (cfg.value(u"temperature"_s).isDouble())
        body.insert(u"temperature"_s, cfg.value(u"temperature"_s));
    if (cfg.value(u"system_prompt"_s).isString())
        body.insert(u"system"_s, cfg.value(u"system_prompt"_s));
    Request r;
    r.url = QUrl(base + u"/v1/messages"_s);
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    r.headers.append({"x-api-key", apiKey.toUtf8()});
    r.headers.append({"anthropic-version", cfg.value(u"anthropic_version"_s).toString(u"2023-06-01"_s).toUtf8()});
    return r;
}

void AnthropicBackend::handleEvent(const SseEvent &event, RunSink &sink, StreamState &state)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(event.data, &parseError);
    if (!doc.isObject()) {
        state.error = u"malformed stream data (%1)"_s.arg(parseError.errorString());
        return;
    }
    const QJsonObject o = doc.object();
    const QString type = o.value(u"type"_s).toString(QString::fromUtf8(event.event));
    if (type == u"message_start"_s) {
        const QJsonObject usage = o.value(u"message"_s).toObject().value(u"usage"_s).toObject();
        // input_tokens counts only the uncached part: the prompt read from or
        // written to the cache is input too, as Claude Code counts it.
        const qint64 cacheCreation = usage.value(u"cache_creation_input_tokens"_s).toInteger();
        const qint64 cacheRead = usage.value(u"cache_read_input_tokens"_s).toInteger();
        state.usage.insert(u"input_tokens"_s, usage.value(u"input_tokens"_s).toInteger() + cacheCreation + cacheRead);
        state.usage.insert(u"output_tokens"_s, usage.value(u"output_tokens"_s).toInteger());
        state.usage.insert(u"cache_creation_input_tokens"_s, cacheCreation);
        state.usage.insert(u"cache_read_input_tokens"_s, cacheRead);
    } else if (type == u"content_block_start"_s) {
        const QJsonObject block = o.value(u"content_block"_s).toObject();
        m_block = {block.value(u"type"_s).toString(), block.value(u"id"_s).toString(),
                   block.value(u"name"_s).toString(), {}};
        const QString text = block.value(u"text"_s).toString();
        if (!text.isEmpty()) {
            sink.output(u"message"_s, text);
            state.producedOutput = true;
        }
    } else if (type == u"content_block_delta"_s) {
        const QJsonObject delta = o.value(u"delta"_s).toObject();
        const QString deltaType = delta.value(u"type"_s).toString();
        if (deltaType == u"text_delta"_s) {
            const QString text = delta.value(u"text"_s).toString();
            sink.output(u"message"_s, text);
            state.producedOutput = true;
        } else if (deltaType == u"input_json_delta"_s) {
            m_block.json += delta.value(u"partial_json"_s).toString();
        }
    } else if (type == u"content_block_stop"_s) {
        if (m_block.type == u"tool_use"_s) {
            const QJsonDocument input = QJsonDocument::fromJson(m_block.json.toUtf8());
            const QJsonObject use{{u"id"_s, m_block.id},
                                  {u"name"_s, m_block.name},
                                  {u"input"_s, input.isObject() ? input.object() : QJsonObject()}};
            const QString text = QString::fromUtf8(QJsonDocument(use).toJson(QJsonDocument::Compact));
            sink.output(u"tool_use"_s, text);
            state.producedOutput = true;
        }
        m_block = {};
    } else if (type == u"message_delta"_s) {
        const QJsonObject usage = o.value(u"usage"_s).toObject();
        if (usage.contains(u"output_tokens"_s))
            state.usage.insert(u"output_tokens"_s, usage.value(u"output_tokens"_s).toInteger());
        if (usage.contains(u"input_tokens"_s)) {
            state.usage.insert(u"input_tokens"_s, usage.value(u"input_tokens"_s).toInteger()
                                       + state.usage.value(u"cache_creation_input_tokens"_s).toInteger()
                                       + state.usage.value(u"cache_read_input_tokens"_s).toInteger());
        }
    } else if (type == u"message_stop"_s) {
        state.finished = true;
    } else if (type == u"error"_s) {
        const QJsonObject error = o.value(u"error"_s).toObject();
        const QString errorType = error.value(u"type"_s).toString();
        state.error = errorType + u": "_s + error.value(u"message"_s).toString();
        state.retryable = errorType == u"overloaded_error"_s || errorType == u"rate_limit_error"_s
                || errorType == u"api_error"_s;
    }
    // ping and unknown events: nothing to do
}

} // namespace mc
