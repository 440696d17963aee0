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
    const QString tag = u"execution"_qs;
    router.add({.method = "GET", .path = u"/tasks/running"_qs, .summary = u"Tasks running now"_qs, .tag = tag,
                .responseKey = u"running_tasks"_qs,
                .handler = [&executor](const ApiRequest &) {
                    const QJsonArray tasks = executor.runningTasks();
                    return QJsonObject{{u"running_tasks"_qs, tasks}, {u"count"_qs, tasks.size()}};
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/run"_qs,
                .summary = u"Run a task with an agent in the background"_qs, .tag = tag,
                .body = {F::uuid(u"agent_id"_qs).required()}, .hasBody = true, .responseKey = u"run_id"_qs,
                .handler = [&executor](const ApiRequest &r) {
                    return executor.start(r.param(u"task_id"_qs), r.body.value(u"agent_id"_qs).toString());
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/stop"_qs, .summary = u"Stop a running task"_qs,
                .tag = tag, .responseKey = u"status"_qs,
                .handler = [&executor](const ApiRequest &r) {
                    executor.stop(r.param(u"task_id"_qs));
                    return QJsonObject{{u"status"_qs, u"stopped"_qs},
                                       {u"task_id"_qs, r.param(u"task_id"_qs)},
                                       {u"message"_qs, u"Task execution stopped"_qs}};
                }});
    router.add({.method = "GET", .path = u"/tasks/{task_id}/runs"_qs, .summary = u"A task's runs, newest first"_qs,
                .tag = tag, .responseKey = u"runs"_qs,
                .handler = [&store, &executor](const ApiRequest &r) {
                    store.tasks().get(r.param(u"task_id"_qs));
                    executor.syncOutput();   // exact output counters
                    const Page page = store.runs().listForTask(r.param(u"task_id"_qs));
                    return QJsonObject{{u"runs"_qs, page.items}, {u"count"_qs, page.count}};
                }});
    router.add({.method = "GET", .path = u"/runs/{run_id}"_qs, .summary = u"A run with its usage"_qs, .tag = tag,
                .responseKey = u"run"_qs,
                .handler = [&store, &executor](const ApiRequest &r) {
                    executor.syncOutput();
                    return QJsonObject{{u"run"_qs, store.runs().get(r.param(u"run_id"_qs))}};
                }});
    router.add({.method = "GET", .path = u"/runs/{run_id}/output"_qs,
                .summary = u"A run's stored output chunks after a sequence number"_qs, .tag = tag,
                .query = {F::integer(u"after_seq"_s, u"0"_s).atMost(std::numeric_limits<qint64>::max()), F::integer(u"limit"_s, u"1000"_s)},
                .responseKey = u"chunks"_qs,
                .handler = [&store, &executor](const ApiRequest &r) {
                    executor.syncOutput();
                    const Page page = store.runs().output(r.param(u"run_id"_s), queryInt64(r.query, u"after_seq"_s, 0),
                                                          queryInt(r.query, u"limit"_qs, 1000));
                    return QJsonObject{{u"run_id"_qs, r.param(u"run_id"_qs)}, {u"chunks"_qs, page.items},
                                       {u"count"_qs, page.count}};
                }});
}

void registerSystemRoutes(Router &router, Executor &executor, const QString &version)
{
    router.add({.method = "GET", .path = u"/health"_qs, .summary = u"Liveness and load"_qs, .tag = u"system"_qs,
                .responseKey = u"status"_qs,
                .handler = [&executor, version](const ApiRequest &) {
                    return QJsonObject{{u"status"_qs, u"ok"_qs},
                                       {u"version"_qs, version},
                                       {u"running"_qs, executor.running()},
                                       {u"max_concurrent"_qs, executor.maxConcurrent()}};
                }});
    router.add({.method = "GET", .path = u"/openapi.json"_qs, .summary = u"This document"_qs, .tag = u"system"_qs,
                .responseKey = u"openapi"_qs,
                .handler = [&router, version](const ApiRequest &) { return openApiDocument(router, version); }});
}

} // namespace mc
