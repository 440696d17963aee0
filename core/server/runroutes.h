#pragma once

#include <QJsonObject>

#include <functional>

#include <QString>

namespace mc {

class Dispatcher;
class Executor;
class Router;
class Store;

// Run/stop/running (A.4, A.5), runs and their output (part B), health, and the
// OpenAPI document of the whole route table.
// Without a dispatcher, run ignores "queue" and stop only stops.
void registerRunRoutes(Router &router, Store &store, Executor &executor, Dispatcher *dispatcher = nullptr);
// GET /queue and DELETE /queue/{task_id} (part B).
void registerQueueRoutes(Router &router, Store &store, Dispatcher &dispatcher);
// GET /health (with `instanceFields`' members: instance_id and the live
// instances sharing the database) and GET /openapi.json.
void registerSystemRoutes(Router &router, Executor &executor, const QString &version,
                          std::function<QJsonObject()> instanceFields = {});

} // namespace mc
