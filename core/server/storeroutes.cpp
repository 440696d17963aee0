#include "storeroutes.h"

#include "activityrepository.h"
#include "agentrepository.h"
#include "apierror.h"
#include "documentrepository.h"
#include "enums.h"
#include "listlimit.h"
#include "messagerepository.h"
#include "notificationrepository.h"
#include "projectrepository.h"
#include "reportbuilder.h"
#include "router.h"
#include "runrepository.h"
#include "secretnames.h"
#include "store.h"
#include "taskrepository.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {

using F = FieldSpec;

QJsonObject envelope(const QString &key, const Page &page)
{
    return {{key, page.items}, {u"count"_s, page.count}};
}

QJsonObject success(const QString &message)
{
    return {{u"success"_s, true}, {u"message"_s, message}};
}

// `after` given (even empty: from the start) asks for cursor paging.
std::optional<QString> cursorOf(const ApiRequest &r)
{
    if (!r.query.hasQueryItem(u"after"_s))
        return std::nullopt;
    return r.query.queryItemValue(u"after"_s, QUrl::FullyDecoded);
}

// A tag filter names at most this many tags: more is a 422, not a query that
// takes every client's time.
constexpr qsizetype kMaxFilterTags = 100;

QStringList tagsOf(const ApiRequest &r)
{
    const QString raw = r.query.queryItemValue(u"tags"_s, QUrl::FullyDecoded);
    QStringList tags;
    for (const QString &t : raw.split(u',', Qt::SkipEmptyParts))
        tags.append(t.trimmed());
    if (tags.size() > kMaxFilterTags) {
        throw ApiError::validation({QJsonObject{
                {u"type"_s, u"too_long"_s},
                {u"loc"_s, QJsonArray{u"query"_s, u"tags"_s}},
                {u"msg"_s, u"List should have at most %1 items after validation, not %2"_s.arg(kMaxFilterTags).arg(tags.size())},
                {u"input"_s, raw.left(200)},
                {u"ctx"_s, QJsonObject{{u"max_length"_s, kMaxFilterTags}, {u"actual_length"_s, tags.size()}}}}});
    }
    return tags;
}

QString q(const ApiRequest &r, const QString &name)
{
    return r.query.queryItemValue(name, QUrl::FullyDecoded);
}

void registerAgents(Router &router, Store &store, const BackendConfigValidator &validateBackend)
{
    const QString tag = u"agents"_s;
    auto checkBackend = [validateBackend](const QJsonObject &body, const QString &fallbackBackend) {
        if (!body.contains(u"metadata"_s) && !body.contains(u"backend"_s))
            return;
        // Rules for every backend name, known or not: no inline secrets, sane timeouts.
        QJsonArray errors = backendConfigPolicyErrors(body.value(u"metadata"_s).toObject());
        if (validateBackend) {
            for (const QJsonValue &e : validateBackend(body.value(u"backend"_s).toString(fallbackBackend),
                                                      body.value(u"metadata"_s).toObject()))
                errors.append(e);
        }
        if (!errors.isEmpty())
            throw ApiError::validation(errors);
    };
    router.add({.method = "GET", .path = u"/agents"_s, .summary = u"List agents sorted by name"_s, .tag = tag,
                .query = {F::oneOf(u"status"_s, enums::agentStatuses()), limitParam(100)},
                .responseKey = u"agents"_s,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"agents"_s, store.agents().list(q(r, u"status"_s), limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/agents"_s, .summary = u"Create an agent"_s, .tag = tag,
                .body = {F::string(u"name"_s, 1, 50).required(), F::string(u"role"_s, 1, 100).required(),
                         F::string(u"description"_s, 0, 2000), F::stringList(u"specialties"_s),
                         F::string(u"backend"_s, 1, 50).withDefault(u"claude_agent_sdk"_s),
                         F::oneOf(u"level"_s, enums::agentLevels()).withDefault(u"specialist"_s),
                         F::object(u"metadata"_s).describe(u"backend settings live in metadata.backend_config"_s)},
                .hasBody = true, .responseKey = u"agent"_s,
                .handler = [&store, checkBackend](const ApiRequest &r) {
                    checkBackend(r.body, u"claude_agent_sdk"_s);
                    return QJsonObject{{u"agent"_s, store.agents().create(r.body)}};
                }});
    router.add({.method = "GET", .path = u"/agents/{agent_id}"_s, .summary = u"Get an agent"_s,
                .tag = tag, .responseKey = u"agent"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"agent"_s, store.agents().get(r.param(u"agent_id"_s))}};
                }});
    // Usage has its own route: an agent compares equal across every route that returns it.
    router.add({.method = "GET", .path = u"/agents/{agent_id}/usage"_s,
                .summary = u"Token usage and cost totals of an agent's runs"_s, .tag = tag,
                .responseKey = u"usage"_s,
                .handler = [&store](const ApiRequest &r) {
                    const QString id = r.param(u"agent_id"_s);
                    store.agents().get(id);
                    return QJsonObject{{u"agent_id"_s, id}, {u"usage"_s, store.runs().usageTotals(u"agent_id"_s, id)}};
                }});
    router.add({.method = "PATCH", .path = u"/agents/{agent_id}"_s, .summary = u"Update an agent"_s, .tag = tag,
                .body = {F::string(u"name"_s, 1, 50), F::string(u"role"_s, 1, 100),
                         F::string(u"description"_s, 0, 2000), F::stringList(u"specialties"_s),
                         F::oneOf(u"status"_s, enums::agentStatuses()), F::oneOf(u"level"_s, enums::agentLevels()),
                         F::string(u"backend"_s, 1, 50), F::object(u"metadata"_s)},
                .hasBody = true, .responseKey = u"agent"_s,
                .handler = [&store, checkBackend](const ApiRequest &r) {
                    const QJsonObject current = store.agents().get(r.param(u"agent_id"_s));
                    checkBackend(r.body, current.value(u"backend"_s).toString());
                    return QJsonObject{{u"agent"_s, store.agents().update(r.param(u"agent_id"_s), r.body)}};
                }});
    router.add({.method = "DELETE", .path = u"/agents/{agent_id}"_s, .summary = u"Delete an agent"_s, .tag = tag,
                .responseKey = u"success"_s,
                .handler = [&store](const ApiRequest &r) {
                    store.agents().remove(r.param(u"agent_id"_s));
                    return success(u"Agent %1 deleted"_s.arg(r.param(u"agent_id"_s)));
                }});
    router.add({.method = "POST", .path = u"/agents/{agent_id}/heartbeat"_s, .summary = u"Record a heartbeat"_s,
                .tag = tag, .responseKey = u"agent"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"agent"_s, store.agents().heartbeat(r.param(u"agent_id"_s))}};
                }});
}

FieldSpecs taskExtras()
{
    return {F::stringList(u"blocked_by"_s), F::string(u"parent_task_id"_s),
            F::oneOf(u"task_type"_s, enums::taskTypes()), F::string(u"due_date"_s, 0, 64),
            F::integer(u"estimated_minutes"_s), F::object(u"metadata"_s),
            // Part B: the run queue (validated for range by the task repository).
            F::boolean(u"auto_run"_s, u"false"_s).describe(u"queued by itself once assigned and unblocked"_s),
            F::integer(u"max_attempts"_s, u"1"_s).atMost(10).describe(u"runs made before an error is final (1-10)"_s),
            F::integer(u"retry_delay_s"_s, u"30"_s).atMost(3600).describe(u"delay before a retry, doubled per attempt"_s)};
}

void registerTasks(Router &router, Store &store)
{
    const QString tag = u"tasks"_s;
    router.add({.method = "GET", .path = u"/tasks"_s, .summary = u"List tasks, newest update first"_s, .tag = tag,
                .query = {F::oneOf(u"status"_s, enums::taskStatuses()), F::string(u"assignee_id"_s),
                          F::string(u"tags"_s).describe(u"comma-separated; any match"_s), limitParam(100),
                          F::string(u"after"_s).describe(u"cursor paging: empty for the first page, then the "
                                                         "previous answer's next_cursor (null at the end). A walk lists "
                                                         "exactly once every task not updated or deleted before the walk "
                                                         "reaches it; tasks created or updated meanwhile are newer than "
                                                         "the cursor and come first in a new walk"_s)},
                .responseKey = u"tasks"_s,
                .rawHandler = [&store](const ApiRequest &r) {
                    const RawPage page = store.tasks().listJson(q(r, u"status"_s), q(r, u"assignee_id"_s),
                                                                tagsOf(r), limitOf(r, 100), cursorOf(r));
                    QByteArray tail = ",\"count\":" + QByteArray::number(page.count);
                    if (page.paged) {
                        tail += ",\"next_cursor\":"
                                + (page.nextCursor.isEmpty() ? QByteArray("null") : '"' + page.nextCursor.toLatin1() + '"');
                    }
                    return QByteArrayList{"{\"tasks\":", page.items, tail + '}'};
                },
                // Dashboards poll this page: repeats are answered whole until the data changes.
                .answerVersion = [&store] { return store.dataVersion(); }});
    router.add({.method = "POST", .path = u"/tasks"_s, .summary = u"Create a task"_s, .tag = tag,
                .body = FieldSpecs{F::string(u"title"_s, 1, 200).required(), F::string(u"description"_s, 0, 20000),
                                   F::oneOf(u"priority"_s, enums::taskPriorities()).withDefault(u"medium"_s),
                                   F::stringList(u"tags"_s), F::stringList(u"assignee_ids"_s),
                                   F::string(u"creator_id"_s), F::string(u"project_id"_s)}
                        + taskExtras(),
                .hasBody = true, .responseKey = u"task"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"task"_s, store.tasks().create(r.body)}};
                }});
    router.add({.method = "GET", .path = u"/tasks/{task_id}"_s, .summary = u"Get a task with its messages"_s,
                .tag = tag, .responseKey = u"task"_s,
                .handler = [&store](const ApiRequest &r) {
                    const QString id = r.param(u"task_id"_s);
                    const QJsonObject task = store.tasks().get(id);
                    return QJsonObject{{u"task"_s, task},
                                       {u"messages"_s, store.messages().listForTask(id, 1000).items}};
                }});
    router.add({.method = "PATCH", .path = u"/tasks/{task_id}"_s, .summary = u"Update a task"_s, .tag = tag,
                .body = FieldSpecs{F::string(u"title"_s, 1, 200), F::string(u"description"_s, 0, 20000),
                                   F::oneOf(u"priority"_s, enums::taskPriorities()),
                                   F::oneOf(u"status"_s, enums::taskStatuses()), F::stringList(u"tags"_s)}
                        + taskExtras(),
                .hasBody = true, .responseKey = u"task"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"task"_s, store.tasks().update(r.param(u"task_id"_s), r.body)}};
                }});
    router.add({.method = "DELETE", .path = u"/tasks/{task_id}"_s, .summary = u"Delete a task"_s, .tag = tag,
                .responseKey = u"success"_s,
                .handler = [&store](const ApiRequest &r) {
                    store.tasks().remove(r.param(u"task_id"_s));
                    return success(u"Task %1 deleted"_s.arg(r.param(u"task_id"_s)));
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/assign"_s, .summary = u"Assign agents to a task"_s,
                .tag = tag, .body = {F::stringList(u"agent_ids"_s).required()}, .hasBody = true,
                .responseKey = u"task"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"task"_s, store.tasks().assign(r.param(u"task_id"_s),
                                                                         toStringList(r.body.value(u"agent_ids"_s)))}};
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/status"_s, .summary = u"Change a task's status"_s,
                .tag = tag,
                .body = {F::string(u"status"_s).required().describe(enums::taskStatuses().join(u" | "_s)),
                         F::string(u"agent_id"_s)},
                .hasBody = true, .responseKey = u"task"_s,
                .handler = [&store](const ApiRequest &r) {
                    const QString status = r.body.value(u"status"_s).toString();
                    if (!enums::taskStatuses().contains(status))
                        throw ApiError::badRequest(u"Invalid status: "_s + status);
                    return QJsonObject{{u"task"_s, store.tasks().setStatus(r.param(u"task_id"_s), status,
                                                                            r.body.value(u"agent_id"_s))}};
                }});
    router.add({.method = "GET", .path = u"/tasks/{task_id}/messages"_s, .summary = u"A task's messages, oldest first"_s,
                .tag = tag, .query = {limitParam(100)}, .responseKey = u"messages"_s,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"messages"_s, store.messages().listForTask(r.param(u"task_id"_s), limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/messages"_s,
                .summary = u"Post a message (@name and @all notify)"_s, .tag = tag,
                .body = {F::string(u"from_agent_id"_s).required().describe(u"an agent id, or \"human\""_s),
                         F::string(u"content"_s, 1, 50000).required(),
                         F::stringList(u"attachment_ids"_s), F::object(u"metadata"_s)},
                .hasBody = true, .responseKey = u"message"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"message"_s, store.messages().post(r.param(u"task_id"_s), r.body)}};
                }});
    router.add({.method = "GET", .path = u"/tasks/{task_id}/documents"_s, .summary = u"A task's documents"_s,
                .tag = tag, .query = {limitParam(100)}, .responseKey = u"documents"_s,
                .handler = [&store](const ApiRequest &r) {
                    store.tasks().get(r.param(u"task_id"_s));
                    return envelope(u"documents"_s,
                                    store.documents().list({}, r.param(u"task_id"_s), {}, limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/attachments"_s, .summary = u"Link a document to a task"_s,
                .tag = tag, .body = {F::string(u"document_id"_s).required()}, .hasBody = true,
                .responseKey = u"document"_s,
                .handler = [&store](const ApiRequest &r) {
                    const QJsonObject doc = store.documents().attach(r.param(u"task_id"_s),
                                                                     r.body.value(u"document_id"_s).toString());
                    return QJsonObject{{u"document"_s, doc}, {u"message"_s, u"Document attached to task"_s}};
                }});
}

void registerDocuments(Router &router, Store &store)
{
    const QString tag = u"documents"_s;
    router.add({.method = "GET", .path = u"/documents"_s, .summary = u"List documents, newest update first"_s,
                .tag = tag,
                .query = {F::oneOf(u"type"_s, enums::documentTypes()), F::string(u"task_id"_s),
                          F::string(u"tags"_s).describe(u"comma-separated; any match"_s), limitParam(100)},
                .responseKey = u"documents"_s,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"documents"_s, store.documents().list(q(r, u"type"_s), q(r, u"task_id"_s),
                                                                           tagsOf(r), limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/documents"_s, .summary = u"Create a document (version 1)"_s, .tag = tag,
                .body = {F::string(u"title"_s, 1, 200).required(), F::string(u"content"_s).required(),
                         F::oneOf(u"type"_s, enums::documentTypes()).withDefault(u"draft"_s),
                         F::string(u"author_id"_s), F::string(u"task_id"_s), F::stringList(u"tags"_s),
                         F::object(u"metadata"_s)},
                .hasBody = true, .responseKey = u"document"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"document"_s, store.documents().create(r.body)}};
                }});
    router.add({.method = "GET", .path = u"/documents/{document_id}"_s, .summary = u"Get a document"_s, .tag = tag,
                .responseKey = u"document"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"document"_s, store.documents().get(r.param(u"document_id"_s))}};
                }});
    router.add({.method = "PATCH", .path = u"/documents/{document_id}"_s,
                .summary = u"Replace a document's content (version + 1)"_s, .tag = tag,
                .body = {F::string(u"content"_s).required(), F::string(u"editor_id"_s)}, .hasBody = true,
                .responseKey = u"document"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"document"_s, store.documents().update(r.param(u"document_id"_s),
                                                                                 r.body.value(u"content"_s).toString(),
                                                                                 r.body.value(u"editor_id"_s))}};
                }});
    router.add({.method = "DELETE", .path = u"/documents/{document_id}"_s, .summary = u"Delete a document"_s,
                .tag = tag, .responseKey = u"success"_s,
                .handler = [&store](const ApiRequest &r) {
                    store.documents().remove(r.param(u"document_id"_s));
                    return success(u"Document %1 deleted"_s.arg(r.param(u"document_id"_s)));
                }});
}

void registerReports(Router &router, Store &store)
{
    router.add({.method = "GET", .path = u"/activity"_s, .summary = u"The activity feed, newest first"_s,
                .tag = u"activity"_s,
                .query = {F::string(u"agent_id"_s), F::string(u"task_id"_s), limitParam(50)},
                .responseKey = u"activities"_s,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"activities"_s, store.activities().list(q(r, u"agent_id"_s), q(r, u"task_id"_s),
                                                                             limitOf(r, 50)));
                }});
    router.add({.method = "GET", .path = u"/stats"_s, .summary = u"Counts by entity and status"_s,
                .tag = u"reports"_s, .responseKey = u"stats"_s,
                .handler = [&store](const ApiRequest &) { return QJsonObject{{u"stats"_s, store.reports().stats()}}; }});
    router.add({.method = "GET", .path = u"/standup"_s, .summary = u"A Markdown standup report"_s,
                .tag = u"reports"_s, .responseKey = u"standup"_s,
                .handler = [&store](const ApiRequest &) { return QJsonObject{{u"standup"_s, store.reports().standup()}}; }});
    const QString tag = u"notifications"_s;
    router.add({.method = "GET", .path = u"/notifications"_s, .summary = u"List notifications"_s, .tag = tag,
                .query = {F::string(u"agent_id"_s), F::boolean(u"unread_only"_s, u"false"_s),
                          F::boolean(u"undelivered_only"_s, u"false"_s), limitParam(50)},
                .responseKey = u"notifications"_s,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"notifications"_s,
                                    store.notifications().list(q(r, u"agent_id"_s), queryBool(r.query, u"unread_only"_s, false),
                                                               queryBool(r.query, u"undelivered_only"_s, false),
                                                               limitOf(r, 50)));
                }});
    router.add({.method = "POST", .path = u"/notifications/{notification_id}/delivered"_s,
                .summary = u"Mark a notification delivered"_s, .tag = tag, .responseKey = u"success"_s,
                .handler = [&store](const ApiRequest &r) {
                    store.notifications().markDelivered(r.param(u"notification_id"_s));
                    return success(u"Notification marked as delivered"_s);
                }});
    router.add({.method = "POST", .path = u"/notifications/{notification_id}/read"_s,
                .summary = u"Mark a notification read"_s, .tag = tag, .responseKey = u"success"_s,
                .handler = [&store](const ApiRequest &r) {
                    store.notifications().markRead(r.param(u"notification_id"_s));
                    return success(u"Notification marked as read"_s);
                }});
}

void registerProjects(Router &router, Store &store)
{
    const QString tag = u"projects"_s;
    router.add({.method = "GET", .path = u"/projects"_s, .summary = u"List projects"_s, .tag = tag,
                .query = {F::oneOf(u"status"_s, enums::projectStatuses()), limitParam(100)},
                .responseKey = u"projects"_s,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"projects"_s, store.projects().list(q(r, u"status"_s), limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/projects"_s, .summary = u"Create a project and its working folder"_s,
                .tag = tag,
                .body = {F::string(u"title"_s, 1, 200).required(), F::string(u"description"_s, 0, 20000),
                         F::stringList(u"tags"_s), F::string(u"creator_id"_s), F::string(u"planner_agent_id"_s),
                         F::stringList(u"team_agent_ids"_s), F::string(u"prd_document_id"_s),
                         F::object(u"metadata"_s)},
                .hasBody = true, .responseKey = u"project"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"project"_s, store.projects().create(r.body)}};
                }});
    router.add({.method = "GET", .path = u"/projects/{project_id}"_s, .summary = u"A project with tasks and progress"_s,
                .tag = tag, .responseKey = u"project"_s,
                .handler = [&store](const ApiRequest &r) { return store.projects().details(r.param(u"project_id"_s)); }});
    router.add({.method = "PATCH", .path = u"/projects/{project_id}"_s, .summary = u"Update a project"_s, .tag = tag,
                .body = {F::string(u"title"_s, 1, 200), F::string(u"description"_s, 0, 20000),
                         F::oneOf(u"status"_s, enums::projectStatuses()), F::stringList(u"tags"_s),
                         F::string(u"planner_agent_id"_s), F::stringList(u"team_agent_ids"_s),
                         F::string(u"prd_document_id"_s), F::object(u"metadata"_s)},
                .hasBody = true, .responseKey = u"project"_s,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"project"_s, store.projects().update(r.param(u"project_id"_s), r.body)}};
                }});
    router.add({.method = "DELETE", .path = u"/projects/{project_id}"_s, .summary = u"Delete a project and its tasks"_s,
                .tag = tag, .responseKey = u"success"_s,
                .handler = [&store](const ApiRequest &r) {
                    store.projects().remove(r.param(u"project_id"_s));
                    return success(u"Project %1 deleted"_s.arg(r.param(u"project_id"_s)));
                }});
    const QList<QPair<QString, QString>> transitions{
            {u"approve"_s, u"approved"_s}, {u"pause"_s, u"paused"_s}, {u"resume"_s, u"executing"_s}};
    for (const auto &transition : transitions) {
        const QString status = transition.second;
        router.add({.method = "POST", .path = u"/projects/{project_id}/"_s + transition.first,
                    .summary = u"Set a project's status to "_s + status, .tag = tag, .responseKey = u"project"_s,
                    .handler = [&store, status](const ApiRequest &r) {
                        return QJsonObject{{u"project"_s, store.projects().setStatus(r.param(u"project_id"_s), status)}};
                    }});
    }
}

} // namespace

void registerStoreRoutes(Router &router, Store &store, BackendConfigValidator validateBackend)
{
    registerAgents(router, store, validateBackend);
    registerTasks(router, store);
    registerDocuments(router, store);
    registerReports(router, store);
    registerProjects(router, store);
}

} // namespace mc
