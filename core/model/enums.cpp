#include "enums.h"

namespace mc::enums {

#define MC_ENUM(fn, ...)                                                                         \
    const QStringList &fn()                                                                      \
    {                                                                                            \
        static const QStringList values{__VA_ARGS__};                                            \
        return values;                                                                           \
    }

MC_ENUM(agentStatuses, u"idle"_qs, u"active"_qs, u"blocked"_qs, u"offline"_qs)
MC_ENUM(agentLevels, u"intern"_qs, u"specialist"_qs, u"lead"_qs)
MC_ENUM(taskStatuses, u"inbox"_qs, u"assigned"_qs, u"in_progress"_qs, u"review"_qs, u"done"_qs,
        u"blocked"_qs, u"skipped"_qs)
MC_ENUM(taskPriorities, u"low"_qs, u"medium"_qs, u"high"_qs, u"urgent"_qs)
MC_ENUM(taskTypes, u"agent"_qs, u"human"_qs, u"review"_qs)
MC_ENUM(activityTypes, u"task_created"_qs, u"task_updated"_qs, u"task_assigned"_qs,
        u"task_completed"_qs, u"message_sent"_qs, u"document_created"_qs,
        u"document_updated"_qs, u"agent_heartbeat"_qs, u"agent_status_changed"_qs, u"mention"_qs)
MC_ENUM(documentTypes, u"deliverable"_qs, u"research"_qs, u"protocol"_qs, u"template"_qs,
        u"draft"_qs)
MC_ENUM(projectStatuses, u"draft"_qs, u"planning"_qs, u"awaiting_approval"_qs, u"approved"_qs,
        u"executing"_qs, u"paused"_qs, u"completed"_qs, u"failed"_qs)
MC_ENUM(runStatuses, u"running"_qs, u"completed"_qs, u"error"_qs, u"stopped"_qs,
        u"interrupted"_qs)
MC_ENUM(outputTypes, u"message"_qs, u"tool_use"_qs, u"tool_result"_qs)

#undef MC_ENUM

} // namespace mc::enums
