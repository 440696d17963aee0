#include "notificationmodel.h"

#include "agentnames.h"
#include "errortext.h"
#include "notificationrepository.h"
#include "runstate.h"
#include "store.h"

#include <QFont>

using namespace Qt::StringLiterals;

namespace mc {

NotificationModel::NotificationModel(Store &store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    // Notifications are written with the activity of the same change.
    connect(&store, &Store::activityCreated, this, [this](const QJsonObject &activity) {
        static const QStringList makers{u"mention"_s, u"message_sent"_s, u"task_assigned"_s, u"task_created"_s};
        if (makers.contains(activity.value(u"type"_s).toString()))
            reload();
    });
    const auto agentsChanged = [this] {
        m_agentNames.clear();
        if (!m_items.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_items.size()) - 1), {Qt::DisplayRole});
    };
    connect(&store, &Store::agentChanged, this, agentsChanged);
    connect(&store, &Store::agentRemoved, this, agentsChanged);
    reload();
}

void NotificationModel::reload()
{
    QList<QJsonObject> items;
    for (const QJsonValue &n : m_store.notifications().list(QString(), false, false, maxShown).items)
        items.append(n.toObject());
    // New notifications come first: when the shown ones follow them unchanged,
    // they are inserted above, so the list keeps the user's selection and scroll.
    const auto idOf = [](const QJsonObject &n) { return n.value(u"id"_s).toString(); };
    qsizetype fresh = 0;
    while (fresh < items.size() && (m_items.isEmpty() || idOf(items.at(fresh)) != idOf(m_items.constFirst())))
        ++fresh;
    const qsizetype kept = items.size() - fresh;
    bool same = fresh > 0 && kept <= m_items.size();
    for (qsizetype i = 0; same && i < kept; ++i)
        same = items.at(fresh + i) == m_items.at(i);
    if (same) {
        if (kept < m_items.size()) {
            beginRemoveRows({}, int(kept), int(m_items.size()) - 1);
            m_items.resize(kept);
            endRemoveRows();
        }
        beginInsertRows({}, 0, int(fresh) - 1);
        m_items = items.first(fresh) + m_items;
        endInsertRows();
    } else if (items != m_items) {
        beginResetModel();
        m_items = items;
        endResetModel();
    }
    const int unread = int(m_store.counter(u"read:0"_s));
    if (unread != m_unread) {
        m_unread = unread;
        Q_EMIT unreadCountChanged(unread);
    }
}

int NotificationModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant NotificationModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &n = m_items.at(index.row());
    const bool read = n.value(u"read"_s).toBool();
    switch (role) {
    case NotificationIdRole:
        return n.value(u"id"_s).toString();
    case ReadRole:
        return read;
    case TaskIdRole:
        return n.value(u"source_task_id"_s).toString();
    case Qt::FontRole: {
        QFont font;
        font.setBold(!read);
        return font;
    }
    case Qt::DisplayRole: {
        const QString agentId = n.value(u"agent_id"_s).toString();
        auto it = m_agentNames.constFind(agentId);
        if (it == m_agentNames.constEnd())
            it = m_agentNames.insert(agentId, agentDisplayName(m_store, agentId));
        return tr("%1 · %2 · %3\n%4")
                .arg(*it, n.value(u"type"_s).toString(), localTimeText(n.value(u"created_at"_s).toString()),
                     n.value(u"content"_s).toString());
    }
    case Qt::ToolTipRole:
        return read ? tr("Read") : tr("Unread — Enter or “Mark read” marks it read");
    default:
        return {};
    }
}

bool NotificationModel::markRead(const QModelIndex &index)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || m_items.at(index.row()).value(u"read"_s).toBool())
        return false;
    try {
        m_store.notifications().markRead(m_items.at(index.row()).value(u"id"_s).toString());
    } catch (const std::exception &e) {
        Q_EMIT failed(errorText(e));
        return false;
    }
    m_items[index.row()].insert(u"read"_s, true);
    Q_EMIT dataChanged(index, index, {Qt::FontRole, ReadRole, Qt::ToolTipRole});
    m_unread = qMax(0, m_unread - 1);
    Q_EMIT unreadCountChanged(m_unread);
    return true;
}

int NotificationModel::markAllRead()
{
    int marked = 0;
    for (int row = 0; row < m_items.size(); ++row)
        marked += markRead(index(row)) ? 1 : 0;
    // Unread ones beyond the shown page too.
    reload();
    return marked;
}

} // namespace mc
