#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QMainWindow;
class QMenu;
class QToolButton;

namespace mc {

class FirstStartGuide;
class NotificationModel;
class NotificationsView;
class Store;

// Assembles into the main window what issue 16 (part A) added around the
// task views: the notifications dock with its unread count in the status bar,
// and the first-start guide above the panes.
class WindowExtras final : public QObject
{
    Q_OBJECT

public:
    struct Actions
    {
        QAction *newAgent;
        QAction *newTask;
        QAction *run;
    };
    WindowExtras(QMainWindow &window, Store &store, Actions actions, QMenu *viewMenu);
    NotificationModel *notifications() const { return m_notifications; }
    NotificationsView *notificationsView() const { return m_view; }
    QToolButton *unreadButton() const { return m_unread; }
    // Null once the guide is finished or dismissed.
    FirstStartGuide *guide() const;

Q_SIGNALS:
    void openTask(const QString &taskId);

private:
    NotificationModel *m_notifications;
    NotificationsView *m_view;
    QToolButton *m_unread;
    QPointer<QObject> m_guide;
};

} // namespace mc
