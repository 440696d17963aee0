#pragma once

#include <QString>

namespace mc {

class Store;

// An agent's name for display; an agent that was deleted is said to be so
// instead of showing a piece of its id.
QString agentDisplayName(Store &store, const QString &agentId);

} // namespace mc
