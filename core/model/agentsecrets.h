#pragma once

#include <QJsonObject>
#include <QString>

namespace mc::agentsecrets {

// What the API shows instead of a secret env value.
inline constexpr char16_t kMask[] = u"********";

// backend_config.env may be an object of NAME: value. The values of secret
// names (isSecretName) leave the agent's metadata (and so every API answer, event and log):
// they go to the owner-only settings file, and the metadata keeps kMask. A value
// equal to kMask keeps the secret stored before, so an agent read from the
// API and written back loses nothing. Returns the metadata to store.
QJsonObject stash(const QString &agentId, QJsonObject metadata);

// The stored value of a masked env entry (empty when there is none).
QString value(const QString &agentId, const QString &name);

// Drops an agent's stored env secrets (the agent was deleted).
void forget(const QString &agentId);

} // namespace mc::agentsecrets
