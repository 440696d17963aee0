#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QSet>
#include <QTimer>

namespace mc {

class Store;

// The agents panel: name, role, backend, status, current task. Batched like
// the task list.
class AgentTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Role, Backend, Status, CurrentTask, ColumnCount };
    enum { AgentIdRole = Qt::UserRole + 1 };

    explicit AgentTableModel(Store &store, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QString agentId(int row) const;
    QList<QJsonObject> agents() const { return m_agents; }
    void applyPending();

private:
    Store &m_store;
    QList<QJsonObject> m_agents;
    QSet<QString> m_dirty;
    QTimer m_batch;
};

} // namespace mc
