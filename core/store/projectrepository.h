#pragma once

#include "store.h"

namespace mc {

// Projects: a working folder under the data dir, their tasks and progress.
class ProjectRepository final
{
public:
    explicit ProjectRepository(Store &store) : m_store(store) {}

    Page list(const QString &status, int limit);
    QJsonObject create(const QJsonObject &body);
    QJsonObject get(const QString &id);       // with task_ids, folder_path, file_count
    QJsonObject details(const QString &id);   // {"project", "tasks", "progress"}
    QJsonObject update(const QString &id, const QJsonObject &patch);
    void remove(const QString &id);
    QJsonObject setStatus(const QString &id, const QString &status);
    QString folderPath(const QString &id) const;

private:
    QJsonObject decorate(QJsonObject project);
    void startOrHold(const QString &id, const QString &status);
    Store &m_store;
};

} // namespace mc
