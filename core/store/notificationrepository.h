#pragma once

#include "store.h"

namespace mc {

// Notifications for agents (assignments, mentions) and their delivery state.
class NotificationRepository final
{
public:
    explicit NotificationRepository(Store &store) : m_store(store) {}
    Page list(const QString &agentId, bool unreadOnly, bool undeliveredOnly, int limit);
    void markDelivered(const QString &id);
    void markRead(const QString &id);

private:
    Store &m_store;
};

} // namespace mc
