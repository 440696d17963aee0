#include "promptbuilder.h"

#include "fieldspec.h"
#include "projectrepository.h"
#include "store.h"

namespace mc {

namespace {

QString deliverableOf(Store &store, const QString &taskId)
{
    const QList<QJsonObject> docs = store.fetchMany(
            documentTable(), u"WHERE task_id = ? AND type = 'deliverable' ORDER BY updated_at DESC LIMIT 1"_qs, {taskId});
    return docs.isEmpty() ? QString() : docs.first().value(u"content"_qs).toString();
}

} // namespace

QString buildPrompt(Store &store, const QJsonObject &task, const QJsonObject &agent, const QString &workingDir)
{
    QString p;
    p += u"You are %1, %2.\n"_qs.arg(agent.value(u"name"_qs).toString(), agent.value(u"role"_qs).toString());
    const QString description = agent.value(u"description"_qs).toString();
    if (!description.isEmpty())
        p += description + u"\n"_qs;
    const QStringList specialties = toStringList(agent.value(u"specialties"_qs));
    if (!specialties.isEmpty())
        p += u"Specialties: "_qs + specialties.join(u", "_qs) + u"\n"_qs;

    const QString projectId = task.value(u"project_id"_qs).toString();
    const QJsonObject project = projectId.isEmpty() ? QJsonObject() : store.fetch(projectTable(), projectId);
    if (!project.isEmpty()) {
        p += u"\n## Project: "_qs + project.value(u"title"_qs).toString() + u"\n"_qs;
        p += u"Working folder: "_qs + workingDir + u"\n"_qs;
        const QString prdId = project.value(u"prd_document_id"_qs).toString();
        const QJsonObject prd = prdId.isEmpty() ? QJsonObject() : store.fetch(documentTable(), prdId);
        if (!prd.isEmpty())
            p += u"\n### Requirements\n"_qs + prd.value(u"content"_qs).toString().left(2000) + u"\n"_qs;
        QString upstream;
        for (const QString &blockerId : toStringList(task.value(u"blocked_by"_qs))) {
            const QJsonObject blocker = store.fetch(taskTable(), blockerId);
            if (blocker.value(u"status"_qs).toString() != u"done"_qs)
                continue;
            const QString deliverable = deliverableOf(store, blockerId);
            if (deliverable.isEmpty())
                continue;
            upstream += u"\n#### "_qs + blocker.value(u"title"_qs).toString() + u"\n"_qs + deliverable.left(1000) + u"\n"_qs;
        }
        if (!upstream.isEmpty())
            p += u"\n### Upstream deliverables\n"_qs + upstream;
    }

    p += u"\n## Task: "_qs + task.value(u"title"_qs).toString() + u"\n"_qs;
    const QString taskDescription = task.value(u"description"_qs).toString();
    if (!taskDescription.isEmpty())
        p += taskDescription + u"\n"_qs;
    p += u"Priority: "_qs + task.value(u"priority"_qs).toString() + u"\n"_qs;
    return p;
}

} // namespace mc
