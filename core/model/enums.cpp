#include "enums.h"

using namespace Qt::StringLiterals;

namespace mc::enums {

#define MC_ENUM(fn, ...)                                                                         \
    const QStringList &fn()                                                                      \
    {                                                                                            \
        static const QStringList values{__VA_ARGS__};                                            \
        return values;                                                                           \
    }

MC_ENUM(agentStatuses, u"idle"_s, u"active"_s, u"blocked"_s, u"offline"_s)
MC_ENUM(agentLevels, u"intern"_s, u"specialist"_s, u"lead"_s)
MC_ENUM(taskStatuses, u"inbox"_s, u"assigned"_s, u"in_progress"_s, u"review"_s, u"done"_s,
        u"blocked"_s, u"skipped"_s)
MC_ENUM(taskPriorities, u"low"_s, u"medium"_s, u"high"_s, u"urgent"_s)
MC_ENUM(taskTypes, u"agent"_s, u"human"_s, u"review"_s)
MC_ENUM(activityTypes, u"task_created"_s, u"task_updated"_s, u"task_assigned"_s,
        u"task_completed"_s, u"message_sent"_s, u"document_created"_s,
        u"document_updated"_s, u"agent_heartbeat"_s, u"agent_status_changed"_s, u"mention"_s)
MC_ENUM(documentTypes, u"deliverable"_s, u"research"_s, u"protocol"_s, u"template"_s,
        u"draft"_s)
MC_ENUM(projectStatuses, u"draft"_s, u"planning"_s, u"awaiting_approval"_s, u"approved"_s,
        u"executing"_s, u"paused"_s, u"completed"_s, u"failed"_s)
MC_ENUM(runStatuses, u"running"_s, u"completed"_s, u"error"_s, u"stopped"_s,
        u"interrupted"_s)
MC_ENUM(outputTypes, u"message"_s, u"tool_use"_s, u"tool_result"_s)

#undef MC_ENUM

} // namespace mc::enums
