#include "changedfilesmodel.h"

#include <QColor>

using namespace Qt::StringLiterals;

namespace mc {

void ChangedFilesModel::setFiles(const QList<ChangedFile> &files)
{
    beginResetModel();
    m_files = files;
    endResetModel();
}

int ChangedFilesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_files.size());
}

QString ChangedFilesModel::statusWord(const QString &status)
{
    if (status == u"?"_s || status == u"A"_s)
        return tr("new");
    if (status == u"D"_s)
        return tr("deleted");
    if (status == u"T"_s)
        return tr("type changed");
    return tr("modified");
}

QVariant ChangedFilesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ChangedFile &file = m_files.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return QString(file.path + u"  ("_s + statusWord(file.status) + u")"_s);
    case Qt::ToolTipRole:
    case PathRole:
        return file.path;
    case StatusRole:
        return file.status;
    case DiffRole:
        return file.diff;
    case Qt::ForegroundRole:
        if (file.status == u"D"_s)
            return QColor(0xc0, 0x39, 0x2b);
        if (file.status == u"?"_s || file.status == u"A"_s)
            return QColor(0x1e, 0x84, 0x49);
        return {};
    }
    return {};
}

} // namespace mc
