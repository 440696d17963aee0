#pragma once

#include <QJsonArray>
#include <QJsonObject>

#include <functional>

namespace mc {

class Router;
class Store;

// Checks metadata.backend_config for a backend; returns pydantic-shaped errors.
using BackendConfigValidator = std::function<QJsonArray(const QString &backend, const QJsonObject &metadata)>;

// Agents, tasks, messages, documents, activity, stats, standup, notifications,
// projects: every route of API.md A.4 except run/stop/running.
void registerStoreRoutes(Router &router, Store &store, BackendConfigValidator validateBackend);

} // namespace mc
