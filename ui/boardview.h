#pragma once

#include <QWidget>

class QAbstractItemModel;
class QLabel;
class QListView;

namespace mc {

class BoardColumnModel;
class Store;
class TaskFilterProxy;

// The board: a column per task status (with its count) over the same
// filtered task list as the table; cards are dragged between columns, or
// moved with Ctrl+Left / Ctrl+Right, to change their task's status.
class BoardView final : public QWidget
{
    Q_OBJECT

public:
    // `filter` is the table's filter over the task list; the board shows what it shows.
    BoardView(Store &store, const TaskFilterProxy *filter, QWidget *parent = nullptr);

    QStringList statuses() const;
    BoardColumnModel *column(const QString &status) const;
    QListView *columnView(const QString &status) const;
    QString currentTaskId() const;
    // Selects the task's card (nothing when it is not on the board).
    void selectTask(const QString &taskId);
    // Moves the current card `step` columns right (negative: left).
    bool moveCurrent(int step);

Q_SIGNALS:
    void currentTaskChanged(const QString &taskId);
    void moveFailed(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Column
    {
        BoardColumnModel *model;
        QListView *view;
        QLabel *header;
    };
    void updateHeader(const Column &column);
    void onCurrentChanged(QListView *view);
    int indexOf(const QObject *view) const;

    QList<Column> m_columns;
    QString m_current;
    bool m_selecting = false;
};

} // namespace mc
