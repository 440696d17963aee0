#include "activityrepository.h"

namespace mc {

Page ActivityRepository::list(const QString &agentId, const QString &taskId, int limit)
{
    QStringList conditions;
    QVariantList binds;
    if (!agentId.isEmpty()) {
        conditions.append(u"agent_id = ?"_qs);
        binds.append(agentId);
    }
    if (!taskId.isEmpty()) {
        conditions.append(u"task_id = ?"_qs);
        binds.append(taskId);
    }
    const QString where = conditions.isEmpty() ? QString() : u"WHERE "_qs + conditions.join(u" AND "_qs);
    Page page;
    page.count = m_store.count(u"SELECT COUNT(*) FROM activities "_qs + where, binds);
    binds.append(limit);
    for (const QJsonObject &a : m_store.fetchMany(
                 activityTable(), where + u" ORDER BY created_at DESC, rowid DESC LIMIT ?"_qs, binds))
        page.items.append(a);
    return page;
}

} // namespace mc
