#include "agentmodel.h"

#include "statuscolors.h"
#include "store.h"

#include <QApplication>

using namespace Qt::StringLiterals;

namespace mc {

AgentTableModel::AgentTableModel(Store &store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    m_agents = store.fetchMany(agentTable(), u"ORDER BY name COLLATE NOCASE"_s, {});
    m_batch.setSingleShot(true);
    m_batch.setInterval(100);
    connect(&m_batch, &QTimer::timeout, this, &AgentTableModel::applyPending);
    const auto mark = [this](const QString &id) {
        m_dirty.insert(id);
        if (!m_batch.isActive())
            m_batch.start();
    };
    connect(&store, &Store::agentChanged, this, mark);
    connect(&store, &Store::agentRemoved, this, mark);
}

void AgentTableModel::applyPending()
{
    m_batch.stop();
    for (const QString &id : std::exchange(m_dirty, {})) {
        const QJsonObject agent = m_store.fetch(agentTable(), id);
        int row = -1;
        for (int i = 0; i < m_agents.size(); ++i) {
            if (m_agents.at(i).value(u"id"_s).toString() == id)
                row = i;
        }
        if (agent.isEmpty() && row >= 0) {
            beginRemoveRows({}, row, row);
            m_agents.removeAt(row);
            endRemoveRows();
        } else if (!agent.isEmpty() && row >= 0) {
            m_agents[row] = agent;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else if (!agent.isEmpty()) {
            const int at = int(m_agents.size());
            beginInsertRows({}, at, at);
            m_agents.append(agent);
            endInsertRows();
        }
    }
}

int AgentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_agents.size());
}

int AgentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AgentTableModel::agentId(int row) const
{
    return row >= 0 && row < m_agents.size() ? m_agents.at(row).value(u"id"_s).toString() : QString();
}

QVariant AgentTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QJsonObject &agent = m_agents.at(index.row());
    if (role == AgentIdRole)
        return agent.value(u"id"_s).toString();
    if (role == Qt::BackgroundRole && index.column() == Status) {
        const QString status = agent.value(u"status"_s).toString();
        return statusBackground(status == u"active"_s ? u"in_progress"_s : status, QApplication::palette());
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return agent.value(u"name"_s).toString();
    case Role:
        return agent.value(u"role"_s).toString();
    case Backend:
        return agent.value(u"backend"_s).toString();
    case Status:
        return statusLabel(agent.value(u"status"_s).toString());
    case CurrentTask: {
        const QString taskId = agent.value(u"current_task_id"_s).toString();
        return taskId.isEmpty() ? QString() : m_store.fetch(taskTable(), taskId).value(u"title"_s).toString();
    }
    }
    return {};
}

QVariant AgentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList headers{tr("Name"), tr("Role"), tr("Backend"), tr("Status"), tr("Current task")};
    return headers.value(section);
}

} // namespace mc
