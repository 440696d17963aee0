#pragma once

#include "store.h"

namespace mc {

// The activity feed (written through Store::logActivity).
class ActivityRepository final
{
public:
    explicit ActivityRepository(Store &store) : m_store(store) {}
    Page list(const QString &agentId, const QString &taskId, int limit);

private:
    Store &m_store;
};

} // namespace mc
