#pragma once

#include <QWidget>

class QListView;
class QPushButton;

namespace mc {

class NotificationModel;

// The notifications list: "Mark read" for the selected one, "Mark all read";
// activating one (Enter, double-click) marks it read and opens its task.
class NotificationsView final : public QWidget
{
    Q_OBJECT

public:
    explicit NotificationsView(NotificationModel *model, QWidget *parent = nullptr);
    QListView *list() const { return m_list; }
    void markSelectedRead();

Q_SIGNALS:
    void openTask(const QString &taskId);

private:
    NotificationModel *m_model;
    QListView *m_list;
    QPushButton *m_markRead;
    QPushButton *m_markAll;
};

} // namespace mc
