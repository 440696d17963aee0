#include "projectrepository.h"

#include "apierror.h"
#include "clock.h"
#include "taskrepository.h"

#include <QDir>
#include <QDirIterator>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kNotFound = u"Project not found"_qs;

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
    return QDir(m_store.dataDir()).filePath(u"projects/"_qs + id);
}

QJsonObject ProjectRepository::decorate(QJsonObject project)
{
    const QString id = project.value(u"id"_qs).toString();
    QJsonArray taskIds;
    QSqlQuery &q = m_store.exec(u"SELECT id FROM tasks WHERE project_id = ? ORDER BY created_at, rowid"_qs, {id});
    while (q.next())
        taskIds.append(q.value(0).toString());
    q.finish();
    project.insert(u"task_ids"_qs, taskIds);
    const QString folder = folderPath(id);
    project.insert(u"folder_path"_qs, folder);
    project.insert(u"file_count"_qs, countFiles(folder));
    return project;
}

Page ProjectRepository::list(const QString &status, int limit)
{
    QString where;
    QVariantList binds;
    if (!status.isEmpty()) {
        where = u"WHERE status = ?"_qs;
        binds.append(status);
    }
    Page page;
    page.count = m_store.count(u"SELECT COUNT(*) FROM projects "_qs + where, binds);
    binds.append(limit);
    for (const QJsonObject &p : m_store.fetchMany(
                 projectTable(), where + u" ORDER BY updated_at DESC, rowid DESC LIMIT ?"_qs, binds))
        page.items.append(decorate(p));
    return page;
}

QJsonObject ProjectRepository::create(const QJsonObject &body)
{
    const QString id = newId();
    if (!QDir().mkpath(folderPath(id)))
        throw StoreError(u"cannot create the project folder"_qs);
    return m_store.write([&] {
        const QString now = nowIso();
        const QJsonObject project{
            {u"id"_qs, id},
            {u"title"_qs, body.value(u"title"_qs)},
            {u"description"_s, body.value(u"description"_s).toString()},
            {u"status"_qs, u"draft"_qs},
            {u"planner_agent_id"_qs, body.value(u"planner_agent_id"_qs).isString() ? body.value(u"planner_agent_id"_qs) : QJsonValue()},
            {u"team_agent_ids"_qs, body.value(u"team_agent_ids"_qs).toArray()},
            {u"prd_document_id"_qs, body.value(u"prd_document_id"_qs).isString() ? body.value(u"prd_document_id"_qs) : QJsonValue()},
            {u"creator_id"_qs, body.value(u"creator_id"_qs).toString(u"human"_qs)},
            {u"tags"_qs, body.value(u"tags"_qs).toArray()},
            {u"started_at"_qs, QJsonValue()},
            {u"completed_at"_qs, QJsonValue()},
            {u"created_at"_qs, now},
            {u"updated_at"_qs, now},
            {u"metadata"_qs, body.value(u"metadata"_qs).toObject()}};
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
        const QString status = t.value(u"status"_qs).toString();
        completed += status == u"done"_qs;
        skipped += status == u"skipped"_qs;
        inProgress += status == u"in_progress"_qs;
        blocked += status == u"blocked"_qs;
        humanPending += t.value(u"task_type"_qs).toString() == u"human"_qs && status != u"done"_qs
                && status != u"skipped"_qs;
    }
    const qsizetype total = tasks.size();
    const double percent = total == 0 ? 0.0 : std::round(1000.0 * (completed + skipped) / double(total)) / 10.0;
    const QJsonObject progress{{u"total"_qs, total},           {u"completed"_qs, completed},
                               {u"skipped"_qs, skipped},       {u"in_progress"_qs, inProgress},
                               {u"blocked"_qs, blocked},       {u"human_pending"_qs, humanPending},
                               {u"percent"_qs, percent}};
    return {{u"project"_qs, project}, {u"tasks"_qs, tasks}, {u"progress"_qs, progress}};
}

QJsonObject ProjectRepository::update(const QString &id, const QJsonObject &patch)
{
    return m_store.write([&] {
        const QJsonObject before = m_store.fetchOr404(projectTable(), id, kNotFound);
        QJsonObject changes;
        static const QStringList editable{u"title"_qs, u"description"_qs, u"tags"_qs, u"metadata"_qs,
                                          u"planner_agent_id"_qs, u"team_agent_ids"_qs,
                                          u"prd_document_id"_qs};
        for (const QString &key : editable) {
            if (patch.contains(key) && !patch.value(key).isNull())
                changes.insert(key, patch.value(key));
        }
        m_store.update(projectTable(), id, changes);
        if (patch.value(u"status"_qs).isString())
            setStatus(id, patch.value(u"status"_qs).toString());
        else
            m_store.update(projectTable(), id, {{u"updated_at"_qs, nowIso()}});
        return get(id);
    });
}

QJsonObject ProjectRepository::setStatus(const QString &id, const QString &status)
{
    return m_store.write([&] {
        const QJsonObject before = m_store.fetchOr404(projectTable(), id, kNotFound);
        const QString now = nowIso();
        QJsonObject changes{{u"status"_qs, status}, {u"updated_at"_qs, now}};
        if (status == u"executing"_qs && before.value(u"started_at"_qs).isNull())
            changes.insert(u"started_at"_qs, now);
        if (status == u"completed"_qs && before.value(u"completed_at"_qs).isNull())
            changes.insert(u"completed_at"_qs, now);
        m_store.update(projectTable(), id, changes);
        return get(id);
    });
}

void ProjectRepository::remove(const QString &id)
{
    m_store.write([&] {
        m_store.fetchOr404(projectTable(), id, kNotFound);
        m_store.tasks().removeForProject(id);
        m_store.exec(u"DELETE FROM projects WHERE id = ?"_qs, {id});
    });
}

} // namespace mc
