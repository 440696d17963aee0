#pragma once

#include "listcursor.h"
#include "store.h"

#include <optional>

namespace mc {

// Tasks, their assignees, tags and status transitions (API.md A.4).
class TaskRepository final
{
public:
    explicit TaskRepository(Store &store) : m_store(store) {}

    // GET /tasks: newest update first, serialised straight from the rows. With
    // `after` (empty: from the start) the page carries the cursor of the next.
    RawPage listJson(const QString &status, const QString &assigneeId, const QStringList &tags, int limit,
                     const std::optional<QString> &after = std::nullopt);
    // How many tasks match, from the counters where one filter (or none) is given.
    qint64 countMatching(const QString &status, const QString &assigneeId, const QStringList &tags);
    QJsonObject create(const QJsonObject &body);
    QJsonObject get(const QString &id);
    QJsonObject update(const QString &id, const QJsonObject &patch);
    void remove(const QString &id);
    QJsonObject assign(const QString &id, const QStringList &agentIds);
    // The window's assignee editor: new assignees go through assign() (its
    // activities and notifications), the others are dropped.
    QJsonObject setAssignees(const QString &id, const QStringList &agentIds);
    QJsonObject setStatus(const QString &id, const QString &status, const QJsonValue &agentId,
                          const QString &activityMessage = {});
    void setActiveDescription(const QString &id, const QJsonValue &text);
    // A run started: in_progress (started_at set the first time), no activity
    // here -- the engine logs "<agent> started working on ..." after its event.
    void markRunning(const QString &id);
    QList<QJsonObject> forProject(const QString &projectId);
    // Removes every task of a project (inside the caller's transaction).
    void removeForProject(const QString &projectId);

private:
    struct Filter
    {
        QString where;
        QVariantList binds;
    };
    Filter filter(const QString &status, const QString &assigneeId, const QStringList &tags);
    // The WHERE of a list page, shaped so its index is read in list order.
    Filter orderedFilter(const QString &status, const QString &assigneeId, const QStringList &tags,
                                const ListCursor &after, int limit);
    void applyStatus(const QJsonObject &task, const QString &status, QJsonObject &changes);
    void logStatusChange(const QJsonObject &task, const QString &status, const QJsonValue &agentId,
                         const QString &message = {});
    void replaceLinks(const QString &id, const QStringList &assignees, const QStringList &tags);
    void notifyAssigned(const QJsonObject &task, const QStringList &agentIds);
    // 422 for an unknown blocker or a dependency cycle (named, with ids).
    void checkBlockers(const QString &id, const QStringList &blockers);
    void linkBlockers(const QString &id, const QStringList &blockers, const QStringList &previous);
    // Adds (present) or removes a value of a task's JSON list column.
    void editList(const QString &taskId, const QString &column, const QString &value, bool present);

    Store &m_store;
};

} // namespace mc
