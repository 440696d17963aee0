#include "activityrepository.h"

using namespace Qt::StringLiterals;

namespace mc {

Page ActivityRepository::list(const QString &agentId, const QString &taskId, int limit)
{
    QStringList conditions;
    QVariantList binds;
    if (!agentId.isEmpty()) {
        conditions.append(u"agent_id = ?"_s);
        binds.append(agentId);
    }
    if (!taskId.isEmpty()) {
        conditions.append(u"task_id = ?"_s);
        binds.append(taskId);
    }
    const QString where = conditions.isEmpty() ? QString() : u"WHERE "_s + conditions.join(u" AND "_s);
    Page page;
    page.count = m_store.countWhere(u"activities"_s, where, binds);
    binds.append(limit);
    for (const QJsonObject &a : m_store.fetchMany(
                 activityTable(), where + u" ORDER BY created_at DESC, rowid DESC LIMIT ?"_s, binds))
        page.items.append(a);
    return page;
}

} // namespace mc
