#include "projectrepository.h"

#include "apierror.h"
#include "clock.h"
#include "queuerepository.h"
#include "taskrepository.h"

#include <QDir>
#include <QDirIterator>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kNotFound = u"Project not found"_s;

int countFiles(const QString &path)
{
    int n = 0;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext() && n < 100000) {
        it.next();
        ++n;
    }
    return n;
}
} // namespace

QString ProjectRepository::folderPath(const QString &id) const
{
    return QDir(m_store.dataDir()).filePath(u"projects/"_s + id);
}

QJsonObject ProjectRepository::decorate(QJsonObject project)
{
    const QString id = project.value(u"id"_s).toString();
    QJsonArray taskIds;
    QSqlQuery &q = m_store.exec(u"SELECT id FROM tasks WHERE project_id = ? ORDER BY created_at, rowid"_s, {id});
    while (q.next())
        taskIds.append(q.value(0).toString());
    q.finish();
    project.insert(u"task_ids"_s, taskIds);
    const QString folder = folderPath(id);
    project.insert(u"folder_path"_s, folder);
    project.insert(u"file_count"_s, countFiles(folder));
    return project;
}

Page ProjectRepository::list(const QString &status, int limit)
{
    QString where;
    QVariantList binds;
    if (!status.isEmpty()) {
        where = u"WHERE status = ?"_s;
        binds.append(status);
    }
    Page page;
    page.count = m_store.count(u"SELECT COUNT(*) FROM projects "_s + where, binds);
    binds.append(limit);
    for (const QJsonObject &p : m_store.fetchMany(
                 projectTable(), where + u" ORDER BY updated_at DESC, rowid DESC LIMIT ?"_s, binds))
        page.items.append(decorate(p));
    return page;
}

QJsonObject ProjectRepository::create(const QJsonObject &body)
{
    const QString id = newId();
    if (!QDir().mkpath(folderPath(id)))
        throw StoreError(u"cannot create the project folder"_s);
    return m_store.write([&] {
        const QString now = nowIso();
        const QJsonObject project{
            {u"id"_s, id},
            {u"title"_s, body.value(u"title"_s)},
            {u"description"_s, body.value(u"description"_s).toString()},
            {u"status"_s, u"draft"_s},
            {u"planner_agent_id"_s, body.value(u"planner_agent_id"_s).isString() ? body.value(u"planner_agent_id"_s) : QJsonValue()},
            {u"team_agent_ids"_s, body.value(u"team_agent_ids"_s).toArray()},
            {u"prd_document_id"_s, body.value(u"prd_document_id"_s).isString() ? body.value(u"prd_document_id"_s) : QJsonValue()},
            {u"creator_id"_s, body.value(u"creator_id"_s).toString(u"human"_s)},
            {u"tags"_s, body.value(u"tags"_s).toArray()},
            {u"started_at"_s, QJsonValue()},
            {u"completed_at"_s, QJsonValue()},
            {u"created_at"_s, now},
            {u"updated_at"_s, now},
            {u"metadata"_s, body.value(u"metadata"_s).toObject()}};
        m_store.insert(projectTable(), project);
        // PocketPaw logs a project's creation as task_created, with no agent for "human".
        const QString creator = project.value(u"creator_id"_s).toString();
        m_store.logActivity(u"task_created"_s, u"Created project: %1"_s.arg(project.value(u"title"_s).toString()),
                            creator == u"human"_s ? QJsonValue() : QJsonValue(creator));
        return decorate(project);
    });
}

QJsonObject ProjectRepository::get(const QString &id)
{
    return decorate(m_store.fetchOr404(projectTable(), id, kNotFound));
}

QJsonObject ProjectRepository::details(const QString &id)
{
    const QJsonObject project = get(id);
    QJsonArray tasks;
    int completed = 0, skipped = 0, inProgress = 0, blocked = 0, humanPending = 0;
    for (const QJsonObject &t : m_store.tasks().forProject(id)) {
        tasks.append(t);
        const QString status = t.value(u"status"_s).toString();
        completed += status == u"done"_s;
        skipped += status == u"skipped"_s;
        inProgress += status == u"in_progress"_s;
        blocked += status == u"blocked"_s;
        humanPending += t.value(u"task_type"_s).toString() == u"human"_s && status != u"done"_s
                && status != u"skipped"_s;
    }
    const qsizetype total = tasks.size();
    const double percent = total == 0 ? 0.0 : std::round(1000.0 * (completed + skipped) / double(total)) / 10.0;
    const QJsonObject progress{{u"total"_s, total},           {u"completed"_s, completed},
                               {u"skipped"_s, skipped},       {u"in_progress"_s, inProgress},
                               {u"blocked"_s, blocked},       {u"human_pending"_s, humanPending},
                               {u"percent"_s, percent}};
    return {{u"project"_s, project}, {u"tasks"_s, tasks}, {u"progress"_s, progress}};
}

QJsonObject ProjectRepository::update(const QString &id, const QJsonObject &patch)
{
    return m_store.write([&] {
        const QJsonObject before = m_store.fetchOr404(projectTable(), id, kNotFound);
        QJsonObject changes;
        static const QStringList editable{u"title"_s, u"description"_s, u"tags"_s, u"metadata"_s,
                                          u"planner_agent_id"_s, u"team_agent_ids"_s,
                                          u"prd_document_id"_s};
        for (const QString &key : editable) {
            if (patch.contains(key) && !patch.value(key).isNull())
                changes.insert(key, patch.value(key));
        }
        m_store.update(projectTable(), id, changes);
        if (patch.value(u"status"_s).isString())
            setStatus(id, patch.value(u"status"_s).toString());
        else
            m_store.update(projectTable(), id, {{u"updated_at"_s, nowIso()}});
        return get(id);
    });
}

QJsonObject ProjectRepository::setStatus(const QString &id, const QString &status)
{
    return m_store.write([&] {
        const QJsonObject before = m_store.fetchOr404(projectTable(), id, kNotFound);
        const QString now = nowIso();
        QJsonObject changes{{u"status"_s, status}, {u"updated_at"_s, now}};
        if (status == u"executing"_s && before.value(u"started_at"_s).isNull())
            changes.insert(u"started_at"_s, now);
        if (status == u"completed"_s && before.value(u"completed_at"_s).isNull())
            changes.insert(u"completed_at"_s, now);
        m_store.update(projectTable(), id, changes);
        startOrHold(id, status);
        return get(id);
    });
}

void ProjectRepository::startOrHold(const QString &id, const QString &status)
{
    // Approving hands the project's tasks to the dispatcher (auto_run, in
    // dependency order); pausing holds their queued runs; resuming releases them.
    if (status == u"approved"_s)
        m_store.exec(u"UPDATE tasks SET auto_run = 1 WHERE project_id = ?"_s, {id});
    if (status == u"paused"_s || status == u"executing"_s)
        m_store.queue().setHeldForProject(id, status == u"paused"_s);
    if (status == u"approved"_s || status == u"executing"_s) {
        QSqlQuery &q = m_store.exec(u"SELECT id FROM tasks WHERE project_id = ?"_s, {id});
        QStringList tasks;
        while (q.next())
            tasks.append(q.value(0).toString());
        q.finish();
        for (const QString &task : std::as_const(tasks))
            m_store.markTaskChanged(task);
    }
}

void ProjectRepository::remove(const QString &id)
{
    m_store.write([&] {
        m_store.fetchOr404(projectTable(), id, kNotFound);
        m_store.tasks().removeForProject(id);
        m_store.exec(u"DELETE FROM projects WHERE id = ?"_s, {id});
    });
}

} // namespace mc
