#pragma once

#include <QAbstractListModel>
#include <QJsonObject>

namespace mc {

class Store;

// The agents' notifications (assignments, @mentions), newest first, unread
// ones bold. Reloaded when the store logs an activity that may have made one,
// and after a mark-as-read from the window.
class NotificationModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { NotificationIdRole = Qt::UserRole + 1, ReadRole, TaskIdRole };

    explicit NotificationModel(Store &store, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    int unreadCount() const { return m_unread; }
    void reload();
    // Marks read through the store path POST /notifications/{id}/read takes.
    bool markRead(const QModelIndex &index);
    int markAllRead();

    static constexpr int maxShown = 500;

Q_SIGNALS:
    void unreadCountChanged(int unread);
    void failed(const QString &message);

private:
    Store &m_store;
    QList<QJsonObject> m_items;
    mutable QHash<QString, QString> m_agentNames;   // id -> name, for painting
    int m_unread = 0;
};

} // namespace mc
