#include "projectmodel.h"

#include "statuscolors.h"
#include "store.h"

#include <QApplication>
#include <QHash>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
// A project's status in the colour of the task status that means the same.
QString likeTaskStatus(const QString &status)
{
    static const QHash<QString, QString> same{{u"executing"_s, u"in_progress"_s}, {u"completed"_s, u"done"_s},
                                              {u"failed"_s, u"blocked"_s},        {u"approved"_s, u"assigned"_s},
                                              {u"awaiting_approval"_s, u"review"_s}};
    return same.value(status, status);
}
} // namespace

ProjectTableModel::ProjectTableModel(Store &store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_rows(read())
{
}

QList<ProjectTableModel::Row> ProjectTableModel::read() const
{
    QHash<QString, QPair<int, int>> counts;
    QSqlQuery &q = m_store.exec(u"SELECT project_id, COUNT(*), SUM(status IN ('done', 'skipped')) FROM tasks "
                                "WHERE project_id IS NOT NULL GROUP BY project_id"_s);
    while (q.next())
        counts.insert(q.value(0).toString(), {q.value(1).toInt(), q.value(2).toInt()});
    q.finish();
    QList<Row> rows;
    for (const QJsonObject &p : m_store.fetchMany(projectTable(), u"ORDER BY updated_at DESC, rowid DESC"_s, {})) {
        const auto [total, finished] = counts.value(p.value(u"id"_s).toString());
        rows.append({p, total, finished});
    }
    return rows;
}

void ProjectTableModel::reload()
{
    const QList<Row> rows = read();
    if (rows == m_rows)
        return;
    bool sameOrder = rows.size() == m_rows.size();
    for (qsizetype i = 0; sameOrder && i < rows.size(); ++i)
        sameOrder = rows.at(i).project.value(u"id"_s) == m_rows.at(i).project.value(u"id"_s);
    if (!sameOrder) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    for (int i = 0; i < int(rows.size()); ++i) {
        if (rows.at(i) == m_rows.at(i))
            continue;
        m_rows[i] = rows.at(i);
        Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
    }
}

int ProjectTableModel::rowOf(const QString &projectId) const
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows.at(i).project.value(u"id"_s).toString() == projectId)
            return i;
    }
    return -1;
}

int ProjectTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProjectTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProjectTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int percent = row.total == 0 ? 0 : qRound(100.0 * row.finished / row.total);
    if (role == ProjectIdRole)
        return row.project.value(u"id"_s).toString();
    if (role == PercentRole)
        return percent;
    const QString status = row.project.value(u"status"_s).toString();
    if (role == Qt::BackgroundRole && index.column() == Status)
        return statusBackground(likeTaskStatus(status), QApplication::palette());
    if (role == Qt::ToolTipRole && index.column() == Progress)
        return tr("%1 of %n task(s) done or skipped", nullptr, row.total).arg(row.finished);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Title:
        return row.project.value(u"title"_s).toString();
    case Status:
        return statusLabel(status);
    case Progress:
        return row.total == 0 ? tr("no tasks") : tr("%1/%2 · %3%").arg(row.finished).arg(row.total).arg(percent);
    }
    return {};
}

QVariant ProjectTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList headers{tr("Project"), tr("Status"), tr("Progress")};
    return headers.value(section);
}

} // namespace mc
