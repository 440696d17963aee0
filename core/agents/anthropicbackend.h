#pragma once

#include "httpstreambackend.h"

namespace mc {

// Anthropic Messages API streaming. backend_config: base_url (default
// https://api.anthropic.com), model, api_key_env (default ANTHROPIC_API_KEY),
// max_tokens (default 4096), temperature, system_prompt, anthropic_version,
// max_retries, retry_backoff_s.
class AnthropicBackend final : public HttpStreamBackend
{
protected:
    QString name() const override { return QStringLiteral("Anthropic"); }
    QString defaultApiKeyEnv() const override { return QStringLiteral("ANTHROPIC_API_KEY"); }
    Request buildRequest(const RunSpec &spec, const QString &apiKey) const override;
    void handleEvent(const SseEvent &event, RunSink &sink, StreamState &state) override;
    void reset() override { m_block = {}; }

private:
    struct Block
    {
        QString type;
        QString id;
        QString name;
        QString json;
    };
    Block m_block;
};

} // namespace mc
