#pragma once

#include <QString>

namespace mc {

class Executor;
class Router;
class Store;

// Run/stop/running (A.4, A.5), runs and their output (part B), health, and the
// OpenAPI document of the whole route table.
void registerRunRoutes(Router &router, Store &store, Executor &executor);
void registerSystemRoutes(Router &router, Executor &executor, const QString &version);

} // namespace mc
