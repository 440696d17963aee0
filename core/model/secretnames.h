#pragma once

#include "runlimits.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringView>

namespace mc {

// Whether a setting or environment variable of this name holds a secret:
// api_key, apiKey, OPENAI_API_KEY, GITHUB_TOKEN, password, Authorization...
// Names that only point at a secret (api_key_env, token_file) and counts
// (max_tokens) are not secrets.
bool isSecretName(QStringView name);

// The backend_config rules every backend shares (known or not), as 422
// entries: no inline secret (it would be stored and returned by GET /agents;
// the key belongs in the environment variable that api_key_env names), and
// timeouts within kMaxRunSeconds. `env` is the issue of whoever reads it.
QJsonArray backendConfigPolicyErrors(const QJsonObject &metadata);

} // namespace mc
