#include "runend.h"

#include "agentrepository.h"
#include "clock.h"
#include "documentrepository.h"
#include "runrepository.h"
#include "store.h"
#include "taskrepository.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mc {

void recordRunEnd(Store &store, const RunEnd &end)
{
    store.write([&] {
        if (store.fetch(taskTable(), end.taskId).isEmpty()) {
            store.exec(u"DELETE FROM run_output WHERE run_id = ?"_qs, {end.runId});
            store.exec(u"DELETE FROM runs WHERE id = ?"_qs, {end.runId});
            store.agents().release(end.agentId);
            return;
        }
        const bool ok = end.status == u"completed"_qs;
        const bool stopped = end.status == u"stopped"_qs;
        store.runs().finish(end.runId, end.status,
                            ok ? QJsonValue() : QJsonValue(stopped ? u"Stopped by user"_qs : end.error), end.usage);
        // PocketPaw's executor words these activities so.
        const QString message = ok ? u"%1 completed '%2'"_s.arg(end.agentName, end.title)
                : stopped          ? u"Execution stopped for '%1'"_s.arg(end.title)
                                   : u"%1 encountered an error on '%2': %3"_s.arg(end.agentName, end.title, end.error);
        store.tasks().setStatus(end.taskId, ok ? u"done"_qs : u"blocked"_qs, end.agentId, message);
        store.tasks().setActiveDescription(end.taskId, QJsonValue());
        store.agents().release(end.agentId);
        // As PocketPaw: no deliverable when the run printed no message text.
        if (ok && !end.deliverable.trimmed().isEmpty()) {
            store.documents().create({{u"title"_qs, QString(u"Deliverable: "_qs + end.title)},
                                      {u"content"_qs, end.deliverable},
                                      {u"type"_qs, u"deliverable"_qs},
                                      {u"task_id"_qs, end.taskId},
                                      {u"author_id"_qs, end.agentId},
                                      {u"tags"_qs, QJsonArray{u"auto-generated"_qs, u"task-output"_qs}},
                                      {u"metadata"_s, QJsonObject{{u"run_id"_s, end.runId}}}},
                                     u"Deliverable saved for '%1'"_s.arg(end.title));
        }
    });
}

QJsonObject completedEvent(const RunEnd &end)
{
    return {{u"task_id"_qs, end.taskId},
            {u"agent_id"_qs, end.agentId},
            {u"status"_qs, end.status},
            {u"error"_qs, end.error.isEmpty() ? QJsonValue() : QJsonValue(end.error)},
            {u"run_id"_qs, end.runId},
            {u"timestamp"_qs, nowIso()}};
}

} // namespace mc
