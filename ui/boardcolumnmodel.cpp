#include "boardcolumnmodel.h"

#include "errortext.h"
#include "store.h"
#include "taskmodel.h"
#include "taskrepository.h"

#include <QMimeData>

using namespace Qt::StringLiterals;

namespace mc {

const QString BoardColumnModel::mimeType = u"application/x-mission-control-task-ids"_s;

BoardColumnModel::BoardColumnModel(Store &store, QString status, const TaskFilterProxy *filter, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_store(store)
    , m_status(std::move(status))
    , m_filter(filter)
{
    setDynamicSortFilter(true);
    setSourceModel(filter->sourceModel());
    connect(filter, &TaskFilterProxy::filterChanged, this, [this] { invalidateFilter(); });
}

bool BoardColumnModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    return sourceModel()->index(sourceRow, 0, sourceParent).data(TaskTableModel::StatusRole).toString() == m_status
        && m_filter->accepts(sourceRow);
}

Qt::ItemFlags BoardColumnModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags flags = QSortFilterProxyModel::flags(index) | Qt::ItemIsDragEnabled;
    flags.setFlag(Qt::ItemIsEditable, false);
    return flags;
}

QStringList BoardColumnModel::mimeTypes() const
{
    return {mimeType};
}

QMimeData *BoardColumnModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList ids;
    for (const QModelIndex &index : indexes) {
        const QString id = index.data(TaskTableModel::TaskIdRole).toString();
        if (!id.isEmpty() && !ids.contains(id))
            ids.append(id);
    }
    auto *data = new QMimeData;
    data->setData(mimeType, ids.join(u'\n').toUtf8());
    return data;
}

QStringList BoardColumnModel::taskIds(const QMimeData *data)
{
    if (!data || !data->hasFormat(mimeType))
        return {};
    return QString::fromUtf8(data->data(mimeType)).split(u'\n', Qt::SkipEmptyParts);
}

bool BoardColumnModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int,
                                       const QModelIndex &) const
{
    return (action == Qt::MoveAction || action == Qt::CopyAction) && !taskIds(data).isEmpty();
}

bool BoardColumnModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                                    const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    bool moved = false;
    for (const QString &id : taskIds(data))
        moved = moveHere(id) || moved;
    return moved;
}

bool BoardColumnModel::moveHere(const QString &taskId)
{
    try {
        if (m_store.tasks().get(taskId).value(u"status"_s).toString() == m_status)
            return false;
        m_store.tasks().update(taskId, {{u"status"_s, m_status}});
        return true;
    } catch (const std::exception &e) {
        Q_EMIT moveFailed(errorText(e));
        return false;
    }
}

Qt::DropActions BoardColumnModel::supportedDropActions() const
{
    return Qt::MoveAction | Qt::CopyAction;
}

Qt::DropActions BoardColumnModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

} // namespace mc
