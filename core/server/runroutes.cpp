#include "runroutes.h"

#include "dispatcher.h"
#include "executor.h"
#include "listlimit.h"
#include "openapi.h"
#include "queuerepository.h"
#include "router.h"
#include "runrepository.h"
#include "store.h"
#include "taskrepository.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace mc {

using F = FieldSpec;

void registerRunRoutes(Router &router, Store &store, Executor &executor, Dispatcher *dispatcher)
{
    const QString tag = u"execution"_s;
    router.add({.method = "GET", .path = u"/tasks/running"_s, .summary = u"Tasks running now"_s, .tag = tag,
                .responseKey = u"running_tasks"_s,
                .handler = [&executor](const ApiRequest &) {
                    const QJsonArray tasks = executor.runningTasks();
                    return QJsonObject{{u"running_tasks"_s, tasks}, {u"count"_s, tasks.size()}};
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/run"_s,
                .summary = u"Run a task with an agent in the background; with queue: true, queue it when every slot is taken (202)"_s,
                .tag = tag,
                .body = {F::uuid(u"agent_id"_s).required(),
                         F::boolean(u"queue"_s, u"false"_s).describe(u"queue instead of 429 when every slot is taken"_s)},
                .hasBody = true, .responseKey = u"run_id"_s,
                .acceptedSummary = u"Queued (queue: true and every slot taken): {success, message, status: \"queued\", task_id, agent_id, agent_name, position}"_s,
                .handler = [&executor, dispatcher](const ApiRequest &r) {
                    const QString taskId = r.param(u"task_id"_s);
                    const QString agentId = r.body.value(u"agent_id"_s).toString();
                    if (dispatcher && r.body.value(u"queue"_s).toBool())
                        return dispatcher->runOrQueue(taskId, agentId, &r.status);
                    return executor.start(taskId, agentId);
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/stop"_s,
                .summary = u"Stop a running task, or take a queued one out of the queue"_s,
                .tag = tag, .responseKey = u"status"_s,
                .handler = [&executor, dispatcher](const ApiRequest &r) {
                    if (dispatcher)
                        return dispatcher->stop(r.param(u"task_id"_s));
                    executor.stop(r.param(u"task_id"_s));
                    return QJsonObject{{u"status"_s, u"stopped"_s},
                                       {u"task_id"_s, r.param(u"task_id"_s)},
                                       {u"message"_s, u"Task execution stopped"_s}};
                }});
    router.add({.method = "GET", .path = u"/tasks/{task_id}/runs"_s, .summary = u"A task's runs, newest first"_s,
                .tag = tag, .query = {limitParam(1000)}, .responseKey = u"runs"_s,
                .handler = [&store, &executor](const ApiRequest &r) {
                    store.tasks().get(r.param(u"task_id"_s));
                    executor.syncOutput();   // exact output counters
                    const Page page = store.runs().listForTask(r.param(u"task_id"_s), limitOf(r, 1000));
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
                .query = {F::integer(u"after_seq"_s, u"0"_s)
                                  .atMost(std::numeric_limits<qint64>::max())
                                  .describe(u"the last seq already read: walk a run's whole output page by page"_s),
                          limitParam(1000)},
                .responseKey = u"chunks"_s,
                .handler = [&store, &executor](const ApiRequest &r) {
                    executor.syncOutput();
                    const Page page = store.runs().output(r.param(u"run_id"_s),
                                                          qMin(queryInt64(r.query, u"after_seq"_s, 0), std::numeric_limits<qint64>::max() - 1),
                                                          limitOf(r, 1000));
                    return QJsonObject{{u"run_id"_s, r.param(u"run_id"_s)}, {u"chunks"_s, page.items},
                                       {u"count"_s, page.count}};
                }});
}

void registerQueueRoutes(Router &router, Store &store, Dispatcher &dispatcher)
{
    const QString tag = u"execution"_s;
    router.add({.method = "GET", .path = u"/queue"_s,
                .summary = u"Queued runs in dispatch order (priority, then time queued)"_s, .tag = tag,
                .query = {limitParam(1000)}, .responseKey = u"queue"_s,
                .handler = [&store](const ApiRequest &r) {
                    return store.queue().list(limitOf(r, 1000));
                }});
    router.add({.method = "DELETE", .path = u"/queue/{task_id}"_s, .summary = u"Take a task out of the queue"_s,
                .tag = tag, .responseKey = u"success"_s,
                .handler = [&dispatcher](const ApiRequest &r) {
                    dispatcher.cancel(r.param(u"task_id"_s));
                    return QJsonObject{{u"success"_s, true},
                                       {u"message"_s, u"Task %1 removed from the queue"_s.arg(r.param(u"task_id"_s))}};
                }});
}

void registerSystemRoutes(Router &router, Executor &executor, const QString &version,
                          std::function<QJsonObject()> instanceFields)
{
    router.add({.method = "GET", .path = u"/health"_s, .summary = u"Liveness and load"_s, .tag = u"system"_s,
                .responseKey = u"status"_s,
                .handler = [&executor, version, instanceFields](const ApiRequest &) {
                    QJsonObject health{{u"status"_s, u"ok"_s},
                                       {u"version"_s, version},
                                       {u"running"_s, executor.running()},
                                       {u"max_concurrent"_s, executor.maxConcurrent()}};
                    if (instanceFields) {
                        const QJsonObject more = instanceFields();
                        for (auto it = more.begin(); it != more.end(); ++it)
                            health.insert(it.key(), it.value());
                    }
                    return health;
                }});
    router.add({.method = "GET", .path = u"/openapi.json"_s, .summary = u"This document"_s, .tag = u"system"_s,
                .responseKey = u"openapi"_s,
                .handler = [&router, version](const ApiRequest &) { return openApiDocument(router, version); }});
}

} // namespace mc
