#pragma once

#include <QAbstractListModel>
#include <QJsonObject>

namespace mc {

class Store;

// The activity feed, newest first, live, bounded.
class ActivityModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    explicit ActivityModel(Store &store, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    static constexpr int maxRows = 500;

private:
    QList<QJsonObject> m_items;
};

} // namespace mc
