#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QStringView>

namespace mc {

// Whether a setting or environment variable of this name holds a secret:
// api_key, apiKey, OPENAI_API_KEY, GITHUB_TOKEN, password, Authorization...
// Names that only point at a secret (api_key_env, token_file) and counts
// (max_tokens) are not secrets.
bool isSecretName(QStringView name);

// The most a run may be given (timeout_s, idle_timeout_s): a week. Larger
// values are refused, and stored ones are clamped to it.
constexpr qint64 kMaxRunSeconds = 7 * 24 * 3600;

// The backend_config rules every backend shares (known or not), as 422
// entries: no inline secret (it would be stored and returned by GET /agents;
// the key belongs in the environment variable that api_key_env names), and
// timeouts within kMaxRunSeconds. `env` is the issue of whoever reads it.
QJsonArray backendConfigPolicyErrors(const QJsonObject &metadata);

} // namespace mc
