#pragma once

#include <QSortFilterProxyModel>

namespace mc {

class Store;
class TaskFilterProxy;

// One column of the board: the task list narrowed to one status and to what
// the table's filter (TaskFilterProxy) shows. It sits on the task list itself,
// not on the sorting filter proxy: a filter proxy over a sorting one is
// re-laid out on every sort and crashed under load. Cards dragged here -- or moved here by keyboard -- change their
// task's status through TaskRepository::update, the path PATCH /tasks/{id}
// takes, so the same activity and events follow.
class BoardColumnModel final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    BoardColumnModel(Store &store, QString status, const TaskFilterProxy *filter, QObject *parent = nullptr);
    QString status() const { return m_status; }
    // Moves a task into this column; false (and moveFailed emitted) when refused.
    bool moveHere(const QString &taskId);

    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;
    Qt::DropActions supportedDropActions() const override;
    Qt::DropActions supportedDragActions() const override;
    // A move is a status change, never a row removal.
    bool removeRows(int, int, const QModelIndex & = {}) override { return false; }

    static const QString mimeType;

Q_SIGNALS:
    void moveFailed(const QString &message);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    static QStringList taskIds(const QMimeData *data);

    Store &m_store;
    QString m_status;
    const TaskFilterProxy *m_filter;
};

} // namespace mc
