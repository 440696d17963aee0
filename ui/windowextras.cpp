#include "windowextras.h"

#include "firststartguide.h"
#include "notificationmodel.h"
#include "notificationsview.h"

#include <QAction>
#include <QBoxLayout>
#include <QDockWidget>
#include <QListView>
#include <QMainWindow>
#include <QMenu>
#include <QPointer>
#include <QStatusBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace mc {

WindowExtras::WindowExtras(QMainWindow &window, Store &store, Actions actions, QMenu *viewMenu)
    : QObject(&window)
    , m_notifications(new NotificationModel(store, this))
    , m_view(new NotificationsView(m_notifications, &window))
    , m_unread(new QToolButton(&window))
{
    setObjectName(u"windowExtras"_s);
    auto *dock = new QDockWidget(tr("Notifications"), &window);
    dock->setObjectName(u"notificationsDock"_s);
    dock->setWidget(m_view);
    window.addDockWidget(Qt::RightDockWidgetArea, dock);
    dock->hide();   // until asked for (status bar, View menu); restoreState may show it
    viewMenu->addAction(dock->toggleViewAction());
    connect(m_view, &NotificationsView::openTask, this, &WindowExtras::openTask);

    m_unread->setObjectName(u"unreadNotifications"_s);
    m_unread->setAutoRaise(true);
    m_unread->setToolTip(tr("Show the notifications"));
    const auto showCount = [this](int unread) {
        m_unread->setText(unread == 0   ? tr("No unread notifications")
                          : unread == 1 ? tr("1 unread notification")
                                        : tr("%1 unread notifications").arg(unread));
        QFont font = m_unread->font();
        font.setBold(unread > 0);
        m_unread->setFont(font);
    };
    showCount(m_notifications->unreadCount());
    connect(m_notifications, &NotificationModel::unreadCountChanged, this, showCount);
    connect(m_unread, &QToolButton::clicked, this, [this, dock] {
        dock->show();
        dock->raise();
        m_view->list()->setFocus();
    });
    window.statusBar()->insertPermanentWidget(0, m_unread);

    if (FirstStartGuide::wanted()) {
        auto *guide = new FirstStartGuide(store, {actions.newAgent, actions.newTask, actions.run}, window.centralWidget());
        if (auto *layout = qobject_cast<QBoxLayout *>(window.centralWidget()->layout()))
            layout->insertWidget(0, guide);
        m_guide = guide;
    }
}

FirstStartGuide *WindowExtras::guide() const
{
    return qobject_cast<FirstStartGuide *>(m_guide.data());
}

} // namespace mc
