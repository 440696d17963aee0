#include "promptbuilder.h"

#include "fieldspec.h"
#include "projectrepository.h"
#include "store.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {

QString deliverableOf(Store &store, const QString &taskId)
{
    const QList<QJsonObject> docs = store.fetchMany(
            documentTable(), u"WHERE task_id = ? AND type = 'deliverable' ORDER BY updated_at DESC LIMIT 1"_s, {taskId});
    return docs.isEmpty() ? QString() : docs.first().value(u"content"_s).toString();
}

} // namespace

QString buildPrompt(Store &store, const QJsonObject &task, const QJsonObject &agent, const QString &workingDir)
{
    QString p;
    p += u"You are %1, %2.\n"_s.arg(agent.value(u"name"_s).toString(), agent.value(u"role"_s).toString());
    const QString description = agent.value(u"description"_s).toString();
    if (!description.isEmpty())
        p += description + u"\n"_s;
    const QStringList specialties = toStringList(agent.value(u"specialties"_s));
    if (!specialties.isEmpty())
        p += u"Specialties: "_s + specialties.join(u", "_s) + u"\n"_s;

    const QString projectId = task.value(u"project_id"_s).toString();
    const QJsonObject project = projectId.isEmpty() ? QJsonObject() : store.fetch(projectTable(), projectId);
    if (!project.isEmpty()) {
        p += u"\n## Project: "_s + project.value(u"title"_s).toString() + u"\n"_s;
        p += u"Working folder: "_s + workingDir + u"\n"_s;
        const QString prdId = project.value(u"prd_document_id"_s).toString();
        const QJsonObject prd = prdId.isEmpty() ? QJsonObject() : store.fetch(documentTable(), prdId);
        if (!prd.isEmpty())
            p += u"\n### Requirements\n"_s + prd.value(u"content"_s).toString().left(2000) + u"\n"_s;
        QString upstream;
        for (const QString &blockerId : toStringList(task.value(u"blocked_by"_s))) {
            const QJsonObject blocker = store.fetch(taskTable(), blockerId);
            if (blocker.value(u"status"_s).toString() != u"done"_s)
                continue;
            const QString deliverable = deliverableOf(store, blockerId);
            if (deliverable.isEmpty())
                continue;
            upstream += u"\n#### "_s + blocker.value(u"title"_s).toString() + u"\n"_s + deliverable.left(1000) + u"\n"_s;
        }
        if (!upstream.isEmpty())
            p += u"\n### Upstream deliverables\n"_s + upstream;
    }

    p += u"\n## Task: "_s + task.value(u"title"_s).toString() + u"\n"_s;
    const QString taskDescription = task.value(u"description"_s).toString();
    if (!taskDescription.isEmpty())
        p += taskDescription + u"\n"_s;
    p += u"Priority: "_s + task.value(u"priority"_s).toString() + u"\n"_s;
    return p;
}

} // namespace mc
