#include "notificationsview.h"

#include "emptystate.h"
#include "notificationmodel.h"

#include <QHBoxLayout>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mc {

NotificationsView::NotificationsView(NotificationModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_list(new QListView(this))
    , m_markRead(new QPushButton(tr("Mark read"), this))
    , m_markAll(new QPushButton(tr("Mark all read"), this))
{
    setObjectName(u"notificationsView"_s);
    m_list->setObjectName(u"notificationList"_s);
    m_list->setModel(model);
    m_list->setWordWrap(true);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_markRead->setObjectName(u"markRead"_s);
    m_markAll->setObjectName(u"markAllRead"_s);
    auto *empty = new EmptyState(m_list, model,
                                 tr("No notifications. Agents are notified here when a task is assigned to "
                                    "them or a message @mentions them."),
                                 QString(), this);
    empty->actionButton()->hide();
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_markRead);
    buttons->addWidget(m_markAll);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(empty, 1);
    layout->addLayout(buttons);

    const auto update = [this] {
        m_markAll->setEnabled(m_model->unreadCount() > 0);
        bool unreadSelected = false;
        for (const QModelIndex &index : m_list->selectionModel()->selectedIndexes())
            unreadSelected = unreadSelected || !index.data(NotificationModel::ReadRole).toBool();
        m_markRead->setEnabled(unreadSelected);
    };
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this, update);
    connect(model, &NotificationModel::unreadCountChanged, this, update);
    connect(model, &QAbstractItemModel::modelReset, this, update);
    connect(m_markRead, &QPushButton::clicked, this, &NotificationsView::markSelectedRead);
    connect(m_markAll, &QPushButton::clicked, this, [this] { m_model->markAllRead(); });
    connect(m_list, &QListView::activated, this, [this](const QModelIndex &index) {
        const QString taskId = index.data(NotificationModel::TaskIdRole).toString();
        m_model->markRead(index);
        if (!taskId.isEmpty())
            Q_EMIT openTask(taskId);
    });
    update();
}

void NotificationsView::markSelectedRead()
{
    for (const QModelIndex &index : m_list->selectionModel()->selectedIndexes())
        m_model->markRead(index);
}

} // namespace mc
