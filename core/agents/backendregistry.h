#pragma once

#include "agentbackend.h"

#include <QJsonArray>
#include <QStringList>

#include <memory>

namespace mc {

// The backends this build can run, their config validation and construction.
namespace backends {

QStringList known();                       // command, openai, anthropic, claude_code, ...
bool isKnown(const QString &name);
std::unique_ptr<AgentBackend> create(const QString &name);
// Validates metadata.backend_config for a known backend (unknown names pass:
// they are stored as given and refused at run time).
QJsonArray validateConfig(const QString &backend, const QJsonObject &metadata);

} // namespace backends
} // namespace mc
