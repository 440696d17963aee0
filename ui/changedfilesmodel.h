#pragma once

#include "gitchanges.h"

#include <QAbstractListModel>

namespace mc {

// The files a run changed (GitChanges), one row each: "M  src/main.cpp".
class ChangedFilesModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    enum { PathRole = Qt::UserRole + 1, StatusRole, DiffRole };

    using QAbstractListModel::QAbstractListModel;
    void setFiles(const QList<ChangedFile> &files);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // "modified", "new", ... for git's status letter.
    static QString statusWord(const QString &status);

private:
    QList<ChangedFile> m_files;
};

} // namespace mc
