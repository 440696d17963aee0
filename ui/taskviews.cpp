#include "taskviews.h"

#include "boardview.h"
#include "emptystate.h"
#include "settingsfile.h"
#include "taskmodel.h"

#include <QAction>
#include <QHeaderView>
#include <QSettings>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kBoardKey = u"view/board"_s;
}

TaskViews::TaskViews(Store &store, QTableView *table, TaskFilterProxy *filtered, QWidget *parent)
    : QWidget(parent)
    , m_table(table)
    , m_board(new BoardView(store, filtered, this))
    , m_stack(new QStackedWidget(this))
    , m_boardAction(new QAction(tr("&Board"), this))
{
    m_table->setObjectName(u"taskView"_s);
    m_table->setModel(filtered);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TaskTableModel::Updated, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(TaskTableModel::Title, QHeaderView::Stretch);
    for (int column : {TaskTableModel::Status, TaskTableModel::Priority, TaskTableModel::Updated})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);

    m_stack->addWidget(m_table);
    m_stack->addWidget(m_board);
    // "No tasks yet" only when there are none: a filter that hides them all
    // leaves the (empty) list, so the filter stays in view.
    m_empty = new EmptyState(m_stack, filtered->sourceModel(), tr("No tasks yet"), tr("Create Task"), this);
    m_empty->setObjectName(u"tasksEmpty"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_empty);
    setFocusProxy(m_stack);
    connect(m_empty, &EmptyState::actionTriggered, this, &TaskViews::createTaskRequested);

    m_boardAction->setObjectName(u"boardAction"_s);
    m_boardAction->setCheckable(true);
    m_boardAction->setShortcut(QKeySequence(tr("Ctrl+B")));
    m_boardAction->setToolTip(tr("Show the tasks as a board, a column per status (Ctrl+B)"));
    connect(m_boardAction, &QAction::toggled, this, [this](bool board) {
        showBoard(board);
        const auto settings = openSettings();
        settings->setValue(kBoardKey, board);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        m_board->selectTask(rows.isEmpty() ? QString() : rows.first().data(TaskTableModel::TaskIdRole).toString());
    });
    connect(m_board, &BoardView::currentTaskChanged, this, &TaskViews::taskChosen);
    connect(m_board, &BoardView::moveFailed, this, &TaskViews::failed);
    const bool board = openSettings()->value(kBoardKey, false).toBool();
    m_boardAction->setChecked(board);
    showBoard(board);
}

bool TaskViews::boardShown() const
{
    return m_stack->currentWidget() == m_board;
}

void TaskViews::showBoard(bool board)
{
    const bool hadFocus = m_stack->currentWidget() && m_stack->currentWidget()->isAncestorOf(focusWidget());
    m_stack->setCurrentWidget(board ? static_cast<QWidget *>(m_board) : m_table);
    m_stack->setFocusProxy(m_stack->currentWidget());
    if (m_boardAction->isChecked() != board)
        m_boardAction->setChecked(board);
    if (hadFocus)
        m_stack->currentWidget()->setFocus();
}

} // namespace mc
