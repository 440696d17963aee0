#include "activitymodel.h"

#include "activityrepository.h"
#include "store.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mc {

ActivityModel::ActivityModel(Store &store, QObject *parent)
    : QAbstractListModel(parent)
{
    for (const QJsonValue &v : store.activities().list({}, {}, maxRows).items)
        m_items.append(v.toObject());
    connect(&store, &Store::activityCreated, this, [this](const QJsonObject &activity) {
        beginInsertRows({}, 0, 0);
        m_items.prepend(activity);
        endInsertRows();
        if (m_items.size() > maxRows) {
            beginRemoveRows({}, maxRows, int(m_items.size()) - 1);
            m_items.resize(maxRows);
            endRemoveRows();
        }
    });
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QJsonObject &a = m_items.at(index.row());
    if (role == Qt::DisplayRole) {
        const QString time = QDateTime::fromString(a.value(u"created_at"_s).toString(), Qt::ISODateWithMs)
                                     .toLocalTime().toString(u"HH:mm:ss"_s);
        return QString(time + u"  "_s + a.value(u"message"_s).toString());
    }
    if (role == Qt::ToolTipRole)
        return a.value(u"type"_s).toString();
    return {};
}

} // namespace mc
