#pragma once

#include <QJsonObject>
#include <QString>

namespace mc {

class Store;

// How a run ended, as the engine records it (API.md A.5 step 4).
struct RunEnd
{
    QString runId;
    QString taskId;
    QString agentId;
    QString agentName;
    QString title;
    QString status;        // completed | error | stopped
    QString error;         // sanitised; empty unless status is error
    QJsonObject usage;
    QString deliverable;   // saved as the task's deliverable on success
    bool byShutdown = false;   // stopped because Mission Control quit, not by a user
};

// One transaction: the run's row, the task's status and activity, the agent
// back to idle (unless it runs something else), the deliverable document. A
// task deleted while it ran takes its run and output with it.
void recordRunEnd(Store &store, const RunEnd &end);

// The mc_task_completed payload.
QJsonObject completedEvent(const RunEnd &end);

} // namespace mc
