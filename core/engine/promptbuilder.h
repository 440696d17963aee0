#pragma once

#include <QJsonObject>
#include <QString>

namespace mc {

class Store;

// Builds the prompt of A.5 step 2: the agent's identity; the project's title,
// working folder, requirements (first 2000 chars) and finished upstream
// deliverables (first 1000 chars each); then the task.
QString buildPrompt(Store &store, const QJsonObject &task, const QJsonObject &agent, const QString &workingDir);

} // namespace mc
