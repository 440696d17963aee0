#pragma once

#include "store.h"

namespace mc {

// Tasks, their assignees, tags and status transitions (API.md A.4).
class TaskRepository final
{
public:
    explicit TaskRepository(Store &store) : m_store(store) {}

    // GET /tasks: newest update first, serialised straight from the rows.
    RawPage listJson(const QString &status, const QString &assigneeId, const QStringList &tags, int limit);
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
    static Filter filter(const QString &status, const QString &assigneeId, const QStringList &tags);
    void applyStatus(const QJsonObject &task, const QString &status, QJsonObject &changes);
    void logStatusChange(const QJsonObject &task, const QString &status, const QJsonValue &agentId,
                         const QString &message = {});
    void replaceLinks(const QString &id, const QStringList &assignees, const QStringList &tags);
    void notifyAssigned(const QJsonObject &task, const QStringList &agentIds);
    void linkBlockers(const QString &id, const QStringList &blockers);

    Store &m_store;
};

} // namespace mc
