#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QTimer>

namespace mc {

class Store;

// The agents panel: name, role, backend, status, current task and usage
// (runs, tokens in+out, cost: GET /agents/{id}/usage), sorted by name
// (case-insensitive, as GET /agents). Batched like the task list.
class AgentTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Role, Backend, Status, CurrentTask, Runs, Tokens, Cost, ColumnCount };
    enum { AgentIdRole = Qt::UserRole + 1 };

    explicit AgentTableModel(Store &store, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QString agentId(int row) const;
    QList<QJsonObject> agents() const { return m_agents; }
    void applyPending();

    QJsonObject usage(int row) const { return m_usage.value(agentId(row)); }

private:
    int sortedRow(const QJsonObject &agent, int ignoreRow) const;

    Store &m_store;
    QList<QJsonObject> m_agents;
    QHash<QString, QJsonObject> m_usage;   // by agent id
    QSet<QString> m_dirty;
    QTimer m_batch;
};

} // namespace mc
