#include "notificationrepository.h"

#include "clock.h"

namespace mc {

namespace {
const QString kNotFound = u"Notification not found"_qs;
}

Page NotificationRepository::list(const QString &agentId, bool unreadOnly, bool undeliveredOnly, int limit)
{
    QStringList conditions;
    QVariantList binds;
    if (!agentId.isEmpty()) {
        conditions.append(u"agent_id = ?"_qs);
        binds.append(agentId);
    }
    if (unreadOnly)
        conditions.append(u"read = 0"_qs);
    if (undeliveredOnly)
        conditions.append(u"delivered = 0"_qs);
    const QString where = conditions.isEmpty() ? QString() : u"WHERE "_qs + conditions.join(u" AND "_qs);
    Page page;
    page.count = m_store.count(u"SELECT COUNT(*) FROM notifications "_qs + where, binds);
    binds.append(limit);
    for (const QJsonObject &n : m_store.fetchMany(
                 notificationTable(), where + u" ORDER BY created_at DESC, rowid DESC LIMIT ?"_qs, binds))
        page.items.append(n);
    return page;
}

void NotificationRepository::markDelivered(const QString &id)
{
    m_store.write([&] {
        m_store.fetchOr404(notificationTable(), id, kNotFound);
        m_store.update(notificationTable(), id, {{u"delivered"_qs, true}, {u"delivered_at"_qs, nowIso()}});
    });
}

void NotificationRepository::markRead(const QString &id)
{
    m_store.write([&] {
        m_store.fetchOr404(notificationTable(), id, kNotFound);
        m_store.update(notificationTable(), id, {{u"read"_qs, true}});
    });
}

} // namespace mc
