#include "runroutes.h"

#include "executor.h"
#include "openapi.h"
#include "router.h"
#include "runrepository.h"
#include "store.h"
#include "taskrepository.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace mc {

using F = FieldSpec;

void registerRunRoutes(Router &router, Store &store, Executor &executor)
{
    const QString tag = u"execution"_s;
    router.add({.method = "GET", .path = u"/tasks/running"_s, .summary = u"Tasks running now"_s, .tag = tag,
                .responseKey = u"running_tasks"_s,
                .handler = [&executor](const ApiRequest &) {
                    const QJsonArray tasks = executor.runningTasks();
                    return QJsonObject{{u"running_tasks"_s, tasks}, {u"count"_s, tasks.size()}};
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/run"_s,
                .summary = u"Run a task with an agent in the background"_s, .tag = tag,
                .body = {F::uuid(u"agent_id"_s).required()}, .hasBody = true, .responseKey = u"run_id"_s,
                .handler = [&executor](const ApiRequest &r) {
                    return executor.start(r.param(u"task_id"_s), r.body.value(u"agent_id"_s).toString());
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/stop"_s, .summary = u"Stop a running task"_s,
                .tag = tag, .responseKey = u"status"_s,
                .handler = [&executor](const ApiRequest &r) {
                    executor.stop(r.param(u"task_id"_s));
                    return QJsonObject{{u"status"_s, u"stopped"_s},
                                       {u"task_id"_s, r.param(u"task_id"_s)},
                                       {u"message"_s, u"Task execution stopped"_s}};
                }});
    router.add({.method = "GET", .path = u"/tasks/{task_id}/runs"_s, .summary = u"A task's runs, newest first"_s,
                .tag = tag, .responseKey = u"runs"_s,
                .handler = [&store, &executor](const ApiRequest &r) {
                    store.tasks().get(r.param(u"task_id"_s));
                    executor.syncOutput();   // exact output counters
                    const Page page = store.runs().listForTask(r.param(u"task_id"_s));
                    return QJsonObject{{u"runs"_s, page.items}, {u"count"_s, page.count}};
                }});
    router.add({.method = "GET", .path = u"/runs/{run_id}"_s, .summary = u"A run with its usage"_s, .tag = tag,
                .responseKey = u"run"_s,
                .handler = [&store, &executor](const ApiRequest &r) {
                    executor.syncOutput();
                    return QJsonObject{{u"run"_s, store.runs().get(r.param(u"run_id"_s))}};
                }});
    router.add({.method = "GET", .path = u"/runs/{run_id}/output"_s,
                .summary = u"A run's stored output chunks after a sequence number"_s, .tag = tag,
                .query = {F::integer(u"after_seq"_s, u"0"_s).atMost(std::numeric_limits<qint64>::max()), F::integer(u"limit"_s, u"1000"_s)},
                .responseKey = u"chunks"_s,
                .handler = [&store, &executor](const ApiRequest &r) {
                    executor.syncOutput();
                    const Page page = store.runs().output(r.param(u"run_id"_s), queryInt64(r.query, u"after_seq"_s, 0),
                                                          queryInt(r.query, u"limit"_s, 1000));
                    return QJsonObject{{u"run_id"_s, r.param(u"run_id"_s)}, {u"chunks"_s, page.items},
                                       {u"count"_s, page.count}};
                }});
}

void registerSystemRoutes(Router &router, Executor &executor, const QString &version)
{
    router.add({.method = "GET", .path = u"/health"_s, .summary = u"Liveness and load"_s, .tag = u"system"_s,
                .responseKey = u"status"_s,
                .handler = [&executor, version](const ApiRequest &) {
                    return QJsonObject{{u"status"_s, u"ok"_s},
                                       {u"version"_s, version},
                                       {u"running"_s, executor.running()},
                                       {u"max_concurrent"_s, executor.maxConcurrent()}};
                }});
    router.add({.method = "GET", .path = u"/openapi.json"_s, .summary = u"This document"_s, .tag = u"system"_s,
                .responseKey = u"openapi"_s,
                .handler = [&router, version](const ApiRequest &) { return openApiDocument(router, version); }});
}

} // namespace mc
