#include "agentmodel.h"

#include "runrepository.h"
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
    for (const QJsonObject &agent : std::as_const(m_agents)) {
        const QString id = agent.value(u"id"_s).toString();
        m_usage.insert(id, store.runs().usageTotals(u"agent_id"_s, id));
    }
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
        if (agent.isEmpty()) {
            m_usage.remove(id);
            if (row >= 0) {
                beginRemoveRows({}, row, row);
                m_agents.removeAt(row);
                endRemoveRows();
            }
            continue;
        }
        // An agent changes when its run ends: its usage is read again then.
        m_usage.insert(id, m_store.runs().usageTotals(u"agent_id"_s, id));
        const int at = sortedRow(agent, row);
        if (row >= 0 && at != row && at != row + 1) {   // renamed: moves to its place by name
            beginMoveRows({}, row, row, {}, at);
            m_agents.move(row, at > row ? at - 1 : at);
            endMoveRows();
            row = at > row ? at - 1 : at;
        }
        if (row >= 0) {
            m_agents[row] = agent;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else {
            beginInsertRows({}, at, at);
            m_agents.insert(at, agent);
            endInsertRows();
        }
    }
}

int AgentTableModel::sortedRow(const QJsonObject &agent, int ignoreRow) const
{
    // Where the agent goes among the others (ignoring its own row), as
    // SQLite's NOCASE orders: ASCII letters folded.
    const QString name = agent.value(u"name"_s).toString();
    const auto key = [](const QString &n) {
        QString folded = n;
        for (QChar &c : folded) {
            if (c >= u'A' && c <= u'Z')
                c = QChar(c.unicode() + 32);
        }
        return folded;
    };
    const QString mine = key(name);
    for (int i = 0; i < int(m_agents.size()); ++i) {
        if (i != ignoreRow && mine < key(m_agents.at(i).value(u"name"_s).toString()))
            return i;
    }
    return int(m_agents.size());
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
    const QJsonObject usage = m_usage.value(agent.value(u"id"_s).toString());
    if (role == Qt::ToolTipRole && index.column() >= Runs) {
        return tr("%1 runs, %2 input and %3 output tokens, $%4")
                .arg(usage.value(u"runs"_s).toInteger())
                .arg(usage.value(u"input_tokens"_s).toInteger())
                .arg(usage.value(u"output_tokens"_s).toInteger())
                .arg(usage.value(u"cost_usd"_s).toDouble(), 0, 'f', 4);
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Runs)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Runs:
        return usage.value(u"runs"_s).toInteger();
    case Tokens:
        return usage.value(u"input_tokens"_s).toInteger() + usage.value(u"output_tokens"_s).toInteger();
    case Cost:
        return QString(u"$"_s + QString::number(usage.value(u"cost_usd"_s).toDouble(), 'f', 4));
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
    static const QStringList headers{tr("Name"), tr("Role"), tr("Backend"), tr("Status"), tr("Current task"),
                                     tr("Runs"), tr("Tokens"), tr("Cost")};
    return headers.value(section);
}

} // namespace mc
