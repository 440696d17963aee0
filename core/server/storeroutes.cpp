#include "storeroutes.h"

#include "activityrepository.h"
#include "agentrepository.h"
#include "apierror.h"
#include "documentrepository.h"
#include "enums.h"
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
    return {{key, page.items}, {u"count"_qs, page.count}};
}

QJsonObject success(const QString &message)
{
    return {{u"success"_qs, true}, {u"message"_qs, message}};
}

F limitParam(int fallback)
{
    return F::integer(u"limit"_qs, QString::number(fallback)).describe(u"Maximum number of items returned"_qs);
}

int limitOf(const ApiRequest &r, int fallback)
{
    return queryInt(r.query, u"limit"_qs, fallback);
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
    const QString tag = u"agents"_qs;
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
    router.add({.method = "GET", .path = u"/agents"_qs, .summary = u"List agents sorted by name"_qs, .tag = tag,
                .query = {F::oneOf(u"status"_qs, enums::agentStatuses()), limitParam(100)},
                .responseKey = u"agents"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"agents"_qs, store.agents().list(q(r, u"status"_qs), limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/agents"_qs, .summary = u"Create an agent"_qs, .tag = tag,
                .body = {F::string(u"name"_qs, 1, 50).required(), F::string(u"role"_qs, 1, 100).required(),
                         F::string(u"description"_qs, 0, 2000), F::stringList(u"specialties"_qs),
                         F::string(u"backend"_qs, 1, 50).withDefault(u"claude_agent_sdk"_qs),
                         F::oneOf(u"level"_qs, enums::agentLevels()).withDefault(u"specialist"_qs),
                         F::object(u"metadata"_qs).describe(u"backend settings live in metadata.backend_config"_qs)},
                .hasBody = true, .responseKey = u"agent"_qs,
                .handler = [&store, checkBackend](const ApiRequest &r) {
                    checkBackend(r.body, u"claude_agent_sdk"_qs);
                    return QJsonObject{{u"agent"_qs, store.agents().create(r.body)}};
                }});
    router.add({.method = "GET", .path = u"/agents/{agent_id}"_s, .summary = u"Get an agent"_s,
                .tag = tag, .responseKey = u"agent"_qs,
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
    router.add({.method = "PATCH", .path = u"/agents/{agent_id}"_qs, .summary = u"Update an agent"_qs, .tag = tag,
                .body = {F::string(u"name"_qs, 1, 50), F::string(u"role"_qs, 1, 100),
                         F::string(u"description"_qs, 0, 2000), F::stringList(u"specialties"_qs),
                         F::oneOf(u"status"_qs, enums::agentStatuses()), F::oneOf(u"level"_qs, enums::agentLevels()),
                         F::string(u"backend"_qs, 1, 50), F::object(u"metadata"_qs)},
                .hasBody = true, .responseKey = u"agent"_qs,
                .handler = [&store, checkBackend](const ApiRequest &r) {
                    const QJsonObject current = store.agents().get(r.param(u"agent_id"_qs));
                    checkBackend(r.body, current.value(u"backend"_qs).toString());
                    return QJsonObject{{u"agent"_qs, store.agents().update(r.param(u"agent_id"_qs), r.body)}};
                }});
    router.add({.method = "DELETE", .path = u"/agents/{agent_id}"_qs, .summary = u"Delete an agent"_qs, .tag = tag,
                .responseKey = u"success"_qs,
                .handler = [&store](const ApiRequest &r) {
                    store.agents().remove(r.param(u"agent_id"_qs));
                    return success(u"Agent %1 deleted"_qs.arg(r.param(u"agent_id"_qs)));
                }});
    router.add({.method = "POST", .path = u"/agents/{agent_id}/heartbeat"_qs, .summary = u"Record a heartbeat"_qs,
                .tag = tag, .responseKey = u"agent"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"agent"_qs, store.agents().heartbeat(r.param(u"agent_id"_qs))}};
                }});
}

FieldSpecs taskExtras()
{
    return {F::stringList(u"blocked_by"_qs), F::string(u"parent_task_id"_qs),
            F::oneOf(u"task_type"_qs, enums::taskTypes()), F::string(u"due_date"_qs, 0, 64),
            F::integer(u"estimated_minutes"_qs), F::object(u"metadata"_qs)};
}

void registerTasks(Router &router, Store &store)
{
    const QString tag = u"tasks"_qs;
    router.add({.method = "GET", .path = u"/tasks"_qs, .summary = u"List tasks, newest update first"_qs, .tag = tag,
                .query = {F::oneOf(u"status"_qs, enums::taskStatuses()), F::string(u"assignee_id"_qs),
                          F::string(u"tags"_qs).describe(u"comma-separated; any match"_qs), limitParam(100)},
                .responseKey = u"tasks"_qs,
                .rawHandler = [&store](const ApiRequest &r) {
                    const RawPage page = store.tasks().listJson(q(r, u"status"_qs), q(r, u"assignee_id"_qs),
                                                                tagsOf(r), limitOf(r, 100));
                    return QByteArray("{\"tasks\":" + page.items + ",\"count\":" + QByteArray::number(page.count) + '}');
                }});
    router.add({.method = "POST", .path = u"/tasks"_qs, .summary = u"Create a task"_qs, .tag = tag,
                .body = FieldSpecs{F::string(u"title"_qs, 1, 200).required(), F::string(u"description"_qs, 0, 20000),
                                   F::oneOf(u"priority"_qs, enums::taskPriorities()).withDefault(u"medium"_qs),
                                   F::stringList(u"tags"_qs), F::stringList(u"assignee_ids"_qs),
                                   F::string(u"creator_id"_qs), F::string(u"project_id"_qs)}
                        + taskExtras(),
                .hasBody = true, .responseKey = u"task"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"task"_qs, store.tasks().create(r.body)}};
                }});
    router.add({.method = "GET", .path = u"/tasks/{task_id}"_qs, .summary = u"Get a task with its messages"_qs,
                .tag = tag, .responseKey = u"task"_qs,
                .handler = [&store](const ApiRequest &r) {
                    const QString id = r.param(u"task_id"_qs);
                    const QJsonObject task = store.tasks().get(id);
                    return QJsonObject{{u"task"_qs, task},
                                       {u"messages"_qs, store.messages().listForTask(id, 1000).items}};
                }});
    router.add({.method = "PATCH", .path = u"/tasks/{task_id}"_qs, .summary = u"Update a task"_qs, .tag = tag,
                .body = FieldSpecs{F::string(u"title"_qs, 1, 200), F::string(u"description"_qs, 0, 20000),
                                   F::oneOf(u"priority"_qs, enums::taskPriorities()),
                                   F::oneOf(u"status"_qs, enums::taskStatuses()), F::stringList(u"tags"_qs)}
                        + taskExtras(),
                .hasBody = true, .responseKey = u"task"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"task"_qs, store.tasks().update(r.param(u"task_id"_qs), r.body)}};
                }});
    router.add({.method = "DELETE", .path = u"/tasks/{task_id}"_qs, .summary = u"Delete a task"_qs, .tag = tag,
                .responseKey = u"success"_qs,
                .handler = [&store](const ApiRequest &r) {
                    store.tasks().remove(r.param(u"task_id"_qs));
                    return success(u"Task %1 deleted"_qs.arg(r.param(u"task_id"_qs)));
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/assign"_qs, .summary = u"Assign agents to a task"_qs,
                .tag = tag, .body = {F::stringList(u"agent_ids"_qs).required()}, .hasBody = true,
                .responseKey = u"task"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"task"_qs, store.tasks().assign(r.param(u"task_id"_qs),
                                                                         toStringList(r.body.value(u"agent_ids"_qs)))}};
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/status"_qs, .summary = u"Change a task's status"_qs,
                .tag = tag,
                .body = {F::string(u"status"_qs).required().describe(enums::taskStatuses().join(u" | "_qs)),
                         F::string(u"agent_id"_qs)},
                .hasBody = true, .responseKey = u"task"_qs,
                .handler = [&store](const ApiRequest &r) {
                    const QString status = r.body.value(u"status"_qs).toString();
                    if (!enums::taskStatuses().contains(status))
                        throw ApiError::badRequest(u"Invalid status: "_qs + status);
                    return QJsonObject{{u"task"_qs, store.tasks().setStatus(r.param(u"task_id"_qs), status,
                                                                            r.body.value(u"agent_id"_qs))}};
                }});
    router.add({.method = "GET", .path = u"/tasks/{task_id}/messages"_qs, .summary = u"A task's messages, oldest first"_qs,
                .tag = tag, .query = {limitParam(100)}, .responseKey = u"messages"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"messages"_qs, store.messages().listForTask(r.param(u"task_id"_qs), limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/messages"_qs,
                .summary = u"Post a message (@name and @all notify)"_qs, .tag = tag,
                .body = {F::string(u"from_agent_id"_s).required().describe(u"an agent id, or \"human\""_s),
                         F::string(u"content"_s, 1, 50000).required(),
                         F::stringList(u"attachment_ids"_qs), F::object(u"metadata"_qs)},
                .hasBody = true, .responseKey = u"message"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"message"_qs, store.messages().post(r.param(u"task_id"_qs), r.body)}};
                }});
    router.add({.method = "GET", .path = u"/tasks/{task_id}/documents"_qs, .summary = u"A task's documents"_qs,
                .tag = tag, .query = {limitParam(100)}, .responseKey = u"documents"_qs,
                .handler = [&store](const ApiRequest &r) {
                    store.tasks().get(r.param(u"task_id"_qs));
                    return envelope(u"documents"_qs,
                                    store.documents().list({}, r.param(u"task_id"_qs), {}, limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/tasks/{task_id}/attachments"_qs, .summary = u"Link a document to a task"_qs,
                .tag = tag, .body = {F::string(u"document_id"_qs).required()}, .hasBody = true,
                .responseKey = u"document"_qs,
                .handler = [&store](const ApiRequest &r) {
                    const QJsonObject doc = store.documents().attach(r.param(u"task_id"_qs),
                                                                     r.body.value(u"document_id"_qs).toString());
                    return QJsonObject{{u"document"_qs, doc}, {u"message"_qs, u"Document attached to task"_qs}};
                }});
}

void registerDocuments(Router &router, Store &store)
{
    const QString tag = u"documents"_qs;
    router.add({.method = "GET", .path = u"/documents"_qs, .summary = u"List documents, newest update first"_qs,
                .tag = tag,
                .query = {F::oneOf(u"type"_qs, enums::documentTypes()), F::string(u"task_id"_qs),
                          F::string(u"tags"_qs).describe(u"comma-separated; any match"_qs), limitParam(100)},
                .responseKey = u"documents"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"documents"_qs, store.documents().list(q(r, u"type"_qs), q(r, u"task_id"_qs),
                                                                           tagsOf(r), limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/documents"_qs, .summary = u"Create a document (version 1)"_qs, .tag = tag,
                .body = {F::string(u"title"_qs, 1, 200).required(), F::string(u"content"_qs).required(),
                         F::oneOf(u"type"_qs, enums::documentTypes()).withDefault(u"draft"_qs),
                         F::string(u"author_id"_qs), F::string(u"task_id"_qs), F::stringList(u"tags"_qs),
                         F::object(u"metadata"_qs)},
                .hasBody = true, .responseKey = u"document"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"document"_qs, store.documents().create(r.body)}};
                }});
    router.add({.method = "GET", .path = u"/documents/{document_id}"_qs, .summary = u"Get a document"_qs, .tag = tag,
                .responseKey = u"document"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"document"_qs, store.documents().get(r.param(u"document_id"_qs))}};
                }});
    router.add({.method = "PATCH", .path = u"/documents/{document_id}"_qs,
                .summary = u"Replace a document's content (version + 1)"_qs, .tag = tag,
                .body = {F::string(u"content"_qs).required(), F::string(u"editor_id"_qs)}, .hasBody = true,
                .responseKey = u"document"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"document"_qs, store.documents().update(r.param(u"document_id"_qs),
                                                                                 r.body.value(u"content"_qs).toString(),
                                                                                 r.body.value(u"editor_id"_qs))}};
                }});
    router.add({.method = "DELETE", .path = u"/documents/{document_id}"_qs, .summary = u"Delete a document"_qs,
                .tag = tag, .responseKey = u"success"_qs,
                .handler = [&store](const ApiRequest &r) {
                    store.documents().remove(r.param(u"document_id"_qs));
                    return success(u"Document %1 deleted"_qs.arg(r.param(u"document_id"_qs)));
                }});
}

void registerReports(Router &router, Store &store)
{
    router.add({.method = "GET", .path = u"/activity"_qs, .summary = u"The activity feed, newest first"_qs,
                .tag = u"activity"_qs,
                .query = {F::string(u"agent_id"_qs), F::string(u"task_id"_qs), limitParam(50)},
                .responseKey = u"activities"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"activities"_qs, store.activities().list(q(r, u"agent_id"_qs), q(r, u"task_id"_qs),
                                                                             limitOf(r, 50)));
                }});
    router.add({.method = "GET", .path = u"/stats"_qs, .summary = u"Counts by entity and status"_qs,
                .tag = u"reports"_qs, .responseKey = u"stats"_qs,
                .handler = [&store](const ApiRequest &) { return QJsonObject{{u"stats"_qs, store.reports().stats()}}; }});
    router.add({.method = "GET", .path = u"/standup"_qs, .summary = u"A Markdown standup report"_qs,
                .tag = u"reports"_qs, .responseKey = u"standup"_qs,
                .handler = [&store](const ApiRequest &) { return QJsonObject{{u"standup"_qs, store.reports().standup()}}; }});
    const QString tag = u"notifications"_qs;
    router.add({.method = "GET", .path = u"/notifications"_qs, .summary = u"List notifications"_qs, .tag = tag,
                .query = {F::string(u"agent_id"_qs), F::boolean(u"unread_only"_qs, u"false"_qs),
                          F::boolean(u"undelivered_only"_qs, u"false"_qs), limitParam(50)},
                .responseKey = u"notifications"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"notifications"_qs,
                                    store.notifications().list(q(r, u"agent_id"_qs), queryBool(r.query, u"unread_only"_qs, false),
                                                               queryBool(r.query, u"undelivered_only"_qs, false),
                                                               limitOf(r, 50)));
                }});
    router.add({.method = "POST", .path = u"/notifications/{notification_id}/delivered"_qs,
                .summary = u"Mark a notification delivered"_qs, .tag = tag, .responseKey = u"success"_qs,
                .handler = [&store](const ApiRequest &r) {
                    store.notifications().markDelivered(r.param(u"notification_id"_qs));
                    return success(u"Notification marked as delivered"_qs);
                }});
    router.add({.method = "POST", .path = u"/notifications/{notification_id}/read"_qs,
                .summary = u"Mark a notification read"_qs, .tag = tag, .responseKey = u"success"_qs,
                .handler = [&store](const ApiRequest &r) {
                    store.notifications().markRead(r.param(u"notification_id"_qs));
                    return success(u"Notification marked as read"_qs);
                }});
}

void registerProjects(Router &router, Store &store)
{
    const QString tag = u"projects"_qs;
    router.add({.method = "GET", .path = u"/projects"_qs, .summary = u"List projects"_qs, .tag = tag,
                .query = {F::oneOf(u"status"_qs, enums::projectStatuses()), limitParam(100)},
                .responseKey = u"projects"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return envelope(u"projects"_qs, store.projects().list(q(r, u"status"_qs), limitOf(r, 100)));
                }});
    router.add({.method = "POST", .path = u"/projects"_qs, .summary = u"Create a project and its working folder"_qs,
                .tag = tag,
                .body = {F::string(u"title"_qs, 1, 200).required(), F::string(u"description"_qs, 0, 20000),
                         F::stringList(u"tags"_qs), F::string(u"creator_id"_qs), F::string(u"planner_agent_id"_qs),
                         F::stringList(u"team_agent_ids"_qs), F::string(u"prd_document_id"_qs),
                         F::object(u"metadata"_qs)},
                .hasBody = true, .responseKey = u"project"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"project"_qs, store.projects().create(r.body)}};
                }});
    router.add({.method = "GET", .path = u"/projects/{project_id}"_qs, .summary = u"A project with tasks and progress"_qs,
                .tag = tag, .responseKey = u"project"_qs,
                .handler = [&store](const ApiRequest &r) { return store.projects().details(r.param(u"project_id"_qs)); }});
    router.add({.method = "PATCH", .path = u"/projects/{project_id}"_qs, .summary = u"Update a project"_qs, .tag = tag,
                .body = {F::string(u"title"_qs, 1, 200), F::string(u"description"_qs, 0, 20000),
                         F::oneOf(u"status"_qs, enums::projectStatuses()), F::stringList(u"tags"_qs),
                         F::string(u"planner_agent_id"_qs), F::stringList(u"team_agent_ids"_qs),
                         F::string(u"prd_document_id"_qs), F::object(u"metadata"_qs)},
                .hasBody = true, .responseKey = u"project"_qs,
                .handler = [&store](const ApiRequest &r) {
                    return QJsonObject{{u"project"_qs, store.projects().update(r.param(u"project_id"_qs), r.body)}};
                }});
    router.add({.method = "DELETE", .path = u"/projects/{project_id}"_qs, .summary = u"Delete a project and its tasks"_qs,
                .tag = tag, .responseKey = u"success"_qs,
                .handler = [&store](const ApiRequest &r) {
                    store.projects().remove(r.param(u"project_id"_qs));
                    return success(u"Project %1 deleted"_qs.arg(r.param(u"project_id"_qs)));
                }});
    const QList<QPair<QString, QString>> transitions{
            {u"approve"_qs, u"approved"_qs}, {u"pause"_qs, u"paused"_qs}, {u"resume"_qs, u"executing"_qs}};
    for (const auto &transition : transitions) {
        const QString status = transition.second;
        router.add({.method = "POST", .path = u"/projects/{project_id}/"_qs + transition.first,
                    .summary = u"Set a project's status to "_qs + status, .tag = tag, .responseKey = u"project"_qs,
                    .handler = [&store, status](const ApiRequest &r) {
                        return QJsonObject{{u"project"_qs, store.projects().setStatus(r.param(u"project_id"_qs), status)}};
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
