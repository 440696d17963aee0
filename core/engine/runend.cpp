#include "runend.h"

#include "agentrepository.h"
#include "clock.h"
#include "documentrepository.h"
#include "queuerepository.h"
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
            store.runs().removeOutput(end.runId);
            store.exec(u"DELETE FROM runs WHERE id = ?"_s, {end.runId});
            store.agents().release(end.agentId);
            return;
        }
        store.markRemote(u"ended "_s + end.runId);
        const bool ok = end.status == u"completed"_s;
        const bool stopped = end.status == u"stopped"_s;
        // Taken over by another instance (this one's lease had expired): the
        // task is that instance's now; this end changes nothing more.
        if (!store.runs().finish(end.runId, end.status,
                                 ok ? QJsonValue() : QJsonValue(stopped ? u"Stopped by user"_s : end.error), end.usage))
            return;
        // PocketPaw's executor words these activities so.
        const QString message = ok ? u"%1 completed '%2'"_s.arg(end.agentName, end.title)
                : stopped          ? u"Execution stopped for '%1'"_s.arg(end.title)
                                   : u"%1 encountered an error on '%2': %3"_s.arg(end.agentName, end.title, end.error);
        store.tasks().setStatus(end.taskId, ok ? u"done"_s : u"blocked"_s, end.agentId, message);
        store.tasks().setActiveDescription(end.taskId, QJsonValue());
        store.agents().release(end.agentId);
        // Retries and the project's status, in the same transaction as the end.
        store.queue().afterRunEnd(end.runId, end.taskId, end.agentId, end.status);
        // A quit is not the user's stop: an auto-run task goes back to the
        // queue as the same attempt, as after a crash (recoverInterrupted).
        if (end.byShutdown && stopped)
            store.queue().requeueInterrupted(end.runId, end.taskId, end.agentId);
        // As PocketPaw: no deliverable when the run printed no message text.
        if (ok && !end.deliverable.trimmed().isEmpty()) {
            store.documents().create({{u"title"_s, QString(u"Deliverable: "_s + end.title)},
                                      {u"content"_s, end.deliverable},
                                      {u"type"_s, u"deliverable"_s},
                                      {u"task_id"_s, end.taskId},
                                      {u"author_id"_s, end.agentId},
                                      {u"tags"_s, QJsonArray{u"auto-generated"_s, u"task-output"_s}},
                                      {u"metadata"_s, QJsonObject{{u"run_id"_s, end.runId}}}},
                                     u"Deliverable saved for '%1'"_s.arg(end.title));
        }
    });
}

QJsonObject completedEvent(const RunEnd &end)
{
    return {{u"task_id"_s, end.taskId},
            {u"agent_id"_s, end.agentId},
            {u"status"_s, end.status},
            {u"error"_s, end.error.isEmpty() ? QJsonValue() : QJsonValue(end.error)},
            {u"run_id"_s, end.runId},
            {u"timestamp"_s, nowIso()}};
}

} // namespace mc
