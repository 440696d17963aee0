#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>

namespace mc {

class Store;

// The projects pane's list: title, status, progress (done or skipped tasks of
// all its tasks, as GET /projects/{id} counts them), newest change first.
// reload() rereads; rows keep their place when only values changed.
class ProjectTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Title, Status, Progress, ColumnCount };
    enum { ProjectIdRole = Qt::UserRole + 1, PercentRole };

    explicit ProjectTableModel(Store &store, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QJsonObject project(int row) const { return m_rows.value(row).project; }
    int rowOf(const QString &projectId) const;
    void reload();

private:
    struct Row
    {
        QJsonObject project;
        int total = 0;
        int finished = 0;   // done or skipped
        bool operator==(const Row &) const = default;
    };
    QList<Row> read() const;

    Store &m_store;
    QList<Row> m_rows;
};

} // namespace mc
