#pragma once

#include <QStringList>

// The allowed values of every enumerated field of API.md A.3 and part B.
namespace mc::enums {

const QStringList &agentStatuses();   // idle active blocked offline
const QStringList &agentLevels();     // intern specialist lead
const QStringList &taskStatuses();    // inbox ... skipped
const QStringList &taskPriorities();  // low medium high urgent
const QStringList &taskTypes();       // agent human review
const QStringList &activityTypes();
const QStringList &documentTypes();
const QStringList &projectStatuses();
const QStringList &runStatuses();     // running completed error stopped interrupted
const QStringList &outputTypes();     // message tool_use tool_result

} // namespace mc::enums
