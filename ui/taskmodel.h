#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QTimer>

namespace mc {

class Executor;
class Store;
struct OutputChunk;

// The task list. Fed by the store's and the engine's signals; changes are
// collected and applied in batches (rows inserted, changed or removed -- never
// a full reset), so five streaming runs cost a handful of updates per second.
class TaskTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Title, Status, Priority, Assignees, Project, Updated, ColumnCount };
    enum Role {
        TaskIdRole = Qt::UserRole + 1, StatusRole, RunningRole, SortRole,
        // For the board's cards: the plain title, priority value, assignee
        // names, tags, the running agent's latest line and the run's start.
        TitleRole, PriorityRole, AssigneeNamesRole, TagsRole, LatestLineRole, RunStartedRole
    };

    TaskTableModel(Store &store, Executor &executor, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void reload();
    QString taskId(int row) const;
    int rowOf(const QString &taskId) const { return m_rowById.value(taskId, -1); }
    QJsonObject task(const QString &taskId) const;
    // Applies queued changes now (the batch timer does it otherwise).
    void applyPending();

    static constexpr int batchIntervalMs = 100;
    static constexpr int maxTasks = 5000;

private:
    void schedule(const QString &taskId, bool removed);
    void rebuildIndex();
    QString assigneeNames(const QJsonObject &task) const;
    QString projectTitle(const QJsonObject &task) const;

    Store &m_store;
    Executor &m_executor;
    QList<QJsonObject> m_tasks;
    QHash<QString, int> m_rowById;
    QSet<QString> m_dirty;
    QSet<QString> m_removed;
    QHash<QString, QString> m_latestAction;
    QHash<QString, QDateTime> m_runStarted;
    mutable QHash<QString, QString> m_agentNames;   // id -> name, for painting
    qint64 queuePosition(const QString &taskId) const;
    mutable QHash<QString, qint64> m_queuePositions;   // task -> place in the run queue (0: not queued)
    bool m_applying = false;
    bool m_queueMoved = false;
    QHash<QString, QString> m_latestChunk;   // task -> its latest output, not yet shown
    QTimer m_batch;
    QTimer m_spinner;
    int m_spinFrame = 0;
};

// Filters the task list by status and by text (title, assignees, project).
class TaskFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit TaskFilterProxy(QObject *parent = nullptr);
    void setStatusFilter(const QString &status);
    void setTextFilter(const QString &text);
    // The filter alone (the board's columns apply it to the task list too).
    bool accepts(int sourceRow) const { return filterAcceptsRow(sourceRow, {}); }

Q_SIGNALS:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_status;
    QString m_text;
};

} // namespace mc
