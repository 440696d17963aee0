#pragma once

#include "httpstreambackend.h"

#include <QMap>

namespace mc {

// OpenAI-compatible Chat Completions streaming: OpenAI, Ollama, llama.cpp
// server, vLLM, LM Studio. backend_config: base_url (default a local Ollama,
// http://127.0.0.1:11434/v1), model, api_key_env, temperature, max_tokens,
// system_prompt, max_retries, retry_backoff_s.
class OpenAiBackend final : public HttpStreamBackend
{
protected:
    QString name() const override { return QStringLiteral("OpenAI-compatible server"); }
    QString defaultApiKeyEnv() const override { return QStringLiteral("OPENAI_API_KEY"); }
    Request buildRequest(const RunSpec &spec, const QString &apiKey) const override;
    void handleEvent(const SseEvent &event, RunSink &sink, StreamState &state) override;
    void reset() override { m_toolCalls.clear(); }

private:
    struct ToolCall
    {
        QString id;
        QString name;
        QString arguments;
    };
    void flushToolCalls(RunSink &sink, StreamState &state);
    QMap<int, ToolCall> m_toolCalls;
};

} // namespace mc
