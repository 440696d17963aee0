#include "boardview.h"

#include "boardcolumnmodel.h"
#include "carddelegate.h"
#include "enums.h"
#include "statuscolors.h"
#include "taskmodel.h"

#include <QAbstractProxyModel>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QScrollArea>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mc {

BoardView::BoardView(Store &store, const TaskFilterProxy *filter, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"boardView"_s);
    auto *strip = new QWidget;
    auto *columns = new QHBoxLayout(strip);
    columns->setContentsMargins(4, 4, 4, 4);
    auto *delegate = new CardDelegate(this);
    for (const QString &status : enums::taskStatuses()) {
        Column c{new BoardColumnModel(store, status, filter, this), new QListView(strip), new QLabel(strip)};
        c.view->setObjectName(u"boardColumn_"_s + status);
        c.view->setModel(c.model);
        c.view->setItemDelegate(delegate);
        c.view->setSelectionMode(QAbstractItemView::SingleSelection);
        c.view->setDragDropMode(QAbstractItemView::DragDrop);
        c.view->setDefaultDropAction(Qt::MoveAction);
        c.view->setDragEnabled(true);
        c.view->setAcceptDrops(true);
        c.view->setDropIndicatorShown(true);
        c.view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
        c.view->setMinimumWidth(170);
        c.view->setUniformItemSizes(false);
        c.view->setAccessibleName(statusLabel(status));
        c.view->installEventFilter(this);
        c.header->setObjectName(u"boardHeader_"_s + status);
        c.header->setAutoFillBackground(true);
        QPalette tone = c.header->palette();
        tone.setColor(QPalette::Window, statusBackground(status, palette()));
        c.header->setPalette(tone);
        c.header->setMargin(4);
        c.header->setBuddy(c.view);
        auto *box = new QVBoxLayout;
        box->addWidget(c.header);
        box->addWidget(c.view, 1);
        columns->addLayout(box, 1);
        m_columns.append(c);
        const Column column = c;
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(c.model, signal, this, [this, column] { updateHeader(column); });
        connect(c.model, &QAbstractItemModel::modelReset, this, [this, column] { updateHeader(column); });
        connect(c.model, &QAbstractItemModel::layoutChanged, this, [this, column] { updateHeader(column); });
        connect(c.model, &BoardColumnModel::moveFailed, this, &BoardView::moveFailed);
        connect(c.view->selectionModel(), &QItemSelectionModel::currentChanged, this,
                [this, view = c.view] { onCurrentChanged(view); });
        updateHeader(c);
    }
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(strip);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    setFocusProxy(m_columns.first().view);
}

QStringList BoardView::statuses() const
{
    QStringList out;
    for (const Column &c : m_columns)
        out.append(c.model->status());
    return out;
}

BoardColumnModel *BoardView::column(const QString &status) const
{
    for (const Column &c : m_columns) {
        if (c.model->status() == status)
            return c.model;
    }
    return nullptr;
}

QListView *BoardView::columnView(const QString &status) const
{
    for (const Column &c : m_columns) {
        if (c.model->status() == status)
            return c.view;
    }
    return nullptr;
}

void BoardView::updateHeader(const Column &column)
{
    column.header->setText(tr("%1 (%2)").arg(statusLabel(column.model->status())).arg(column.model->rowCount()));
}

QString BoardView::currentTaskId() const
{
    return m_current;
}

void BoardView::onCurrentChanged(QListView *view)
{
    // A hidden board's current card changes as cards move between columns
    // (runs start and end): that must not change the window's selection.
    if (m_selecting || !view->isVisible())
        return;
    const QModelIndex current = view->currentIndex();
    if (!current.isValid())
        return;
    // One card is current on the whole board.
    m_selecting = true;
    for (const Column &c : std::as_const(m_columns)) {
        if (c.view != view)
            c.view->selectionModel()->clear();
    }
    m_selecting = false;
    const QString id = current.data(TaskTableModel::TaskIdRole).toString();
    if (id != m_current) {
        m_current = id;
        Q_EMIT currentTaskChanged(id);
    }
}

void BoardView::selectTask(const QString &taskId)
{
    m_selecting = true;
    QListView *found = nullptr;
    for (const Column &c : std::as_const(m_columns)) {
        QModelIndex hit;
        for (int row = 0; row < c.model->rowCount() && !taskId.isEmpty(); ++row) {
            if (c.model->index(row, 0).data(TaskTableModel::TaskIdRole).toString() == taskId) {
                hit = c.model->index(row, 0);
                break;
            }
        }
        if (hit.isValid()) {
            c.view->selectionModel()->setCurrentIndex(hit, QItemSelectionModel::ClearAndSelect);
            c.view->scrollTo(hit);
            found = c.view;
        } else {
            c.view->selectionModel()->clear();
        }
    }
    m_selecting = false;
    m_current = found ? taskId : QString();
}

int BoardView::indexOf(const QObject *view) const
{
    for (int i = 0; i < m_columns.size(); ++i) {
        if (m_columns.at(i).view == view)
            return i;
    }
    return -1;
}

bool BoardView::moveCurrent(int step)
{
    const QString id = m_current;
    int from = -1;
    for (int i = 0; i < m_columns.size() && !id.isEmpty(); ++i) {
        if (m_columns.at(i).view->currentIndex().data(TaskTableModel::TaskIdRole).toString() == id)
            from = i;
    }
    const int to = from + step;
    if (from < 0 || to < 0 || to >= m_columns.size())
        return false;
    if (!m_columns.at(to).model->moveHere(id))
        return false;
    // The list applies store changes in batches: apply now, so the card is
    // in its new column for the next key press.
    const QAbstractItemModel *model = m_columns.at(to).model;
    while (const auto *proxy = qobject_cast<const QAbstractProxyModel *>(model))
        model = proxy->sourceModel();
    if (auto *tasks = qobject_cast<TaskTableModel *>(const_cast<QAbstractItemModel *>(model)))
        tasks->applyPending();
    selectTask(id);
    if (QListView *view = m_columns.at(to).view; view->isVisible())
        view->setFocus();
    return true;
}

bool BoardView::eventFilter(QObject *watched, QEvent *event)
{
    const int column = indexOf(watched);
    if (column >= 0 && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const int step = key->key() == Qt::Key_Left ? -1 : key->key() == Qt::Key_Right ? 1 : 0;
        if (step != 0 && key->modifiers() == Qt::ControlModifier) {
            moveCurrent(step);
            return true;
        }
        // Left and Right walk between the columns.
        if (step != 0 && key->modifiers() == Qt::NoModifier) {
            const int to = column + step;
            if (to >= 0 && to < m_columns.size()) {
                QListView *next = m_columns.at(to).view;
                next->setFocus(Qt::TabFocusReason);
                if (!next->currentIndex().isValid() && next->model()->rowCount() > 0)
                    next->setCurrentIndex(next->model()->index(0, 0));
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace mc
