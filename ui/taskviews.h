#pragma once

#include <QWidget>

class QAction;
class QStackedWidget;
class QTableView;

namespace mc {

class BoardView;
class EmptyState;
class Store;
class TaskFilterProxy;

// The task list shown as a table or as a board (View ▸ Board, remembered),
// both over the one filtered list; with no tasks at all, a call to create one.
class TaskViews final : public QWidget
{
    Q_OBJECT

public:
    TaskViews(Store &store, QTableView *table, TaskFilterProxy *filtered, QWidget *parent = nullptr);
    QTableView *table() const { return m_table; }
    BoardView *board() const { return m_board; }
    EmptyState *emptyState() const { return m_empty; }
    QAction *boardAction() const { return m_boardAction; }
    bool boardShown() const;
    void showBoard(bool board);

Q_SIGNALS:
    void createTaskRequested();
    // A card was picked on the board.
    void taskChosen(const QString &taskId);
    void failed(const QString &message);

private:
    QTableView *m_table;
    BoardView *m_board;
    QStackedWidget *m_stack;
    EmptyState *m_empty;
    QAction *m_boardAction;
};

} // namespace mc
