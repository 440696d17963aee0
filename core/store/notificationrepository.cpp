#include "notificationrepository.h"

#include "clock.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kNotFound = u"Notification not found"_s;
}

Page NotificationRepository::list(const QString &agentId, bool unreadOnly, bool undeliveredOnly, int limit)
{
    QStringList conditions;
    QVariantList binds;
    if (!agentId.isEmpty()) {
        conditions.append(u"agent_id = ?"_s);
        binds.append(agentId);
    }
    if (unreadOnly)
        conditions.append(u"read = 0"_s);
    if (undeliveredOnly)
        conditions.append(u"delivered = 0"_s);
    const QString where = conditions.isEmpty() ? QString() : u"WHERE "_s + conditions.join(u" AND "_s);
    Page page;
    page.count = m_store.countWhere(u"notifications"_s, where, binds);
    binds.append(limit);
    for (const QJsonObject &n : m_store.fetchMany(
                 notificationTable(), where + u" ORDER BY created_at DESC, rowid DESC LIMIT ?"_s, binds))
        page.items.append(n);
    return page;
}

void NotificationRepository::markDelivered(const QString &id)
{
    m_store.write([&] {
        m_store.fetchOr404(notificationTable(), id, kNotFound);
        m_store.update(notificationTable(), id, {{u"delivered"_s, true}, {u"delivered_at"_s, nowIso()}});
    });
}

void NotificationRepository::markRead(const QString &id)
{
    m_store.write([&] {
        m_store.fetchOr404(notificationTable(), id, kNotFound);
        m_store.update(notificationTable(), id, {{u"read"_s, true}});
    });
}

} // namespace mc
