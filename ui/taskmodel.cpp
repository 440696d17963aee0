#include "taskmodel.h"

#include "agentnames.h"
#include "executor.h"
#include "fieldspec.h"
#include "queuerepository.h"
#include "runstate.h"
#include "statuscolors.h"
#include "store.h"

#include <QApplication>
#include <QDateTime>
#include <QFont>
#include <QJsonArray>

#include <QScopeGuard>

using namespace Qt::StringLiterals;

namespace mc {

TaskTableModel::TaskTableModel(Store &store, Executor &executor, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_executor(executor)
{
    m_batch.setObjectName(u"taskBatch"_s);   // named for MC_TRACE in mc-gui-bench
    m_batch.setSingleShot(true);
    m_batch.setInterval(batchIntervalMs);
    connect(&m_batch, &QTimer::timeout, this, &TaskTableModel::applyPending);
    connect(&store, &Store::taskChanged, this, [this](const QString &id) { schedule(id, false); });
    connect(&store, &Store::taskRemoved, this, [this](const QString &id) { schedule(id, true); });
    // Queue positions move for every queued task when one joins or leaves.
    const auto queueMoved = [this] {
        m_queuePositions.clear();
        m_queueMoved = true;
        if (!m_batch.isActive())
            m_batch.start();
    };
    connect(&store, &Store::taskQueued, this, queueMoved);
    connect(&store, &Store::taskDequeued, this, queueMoved);
    const auto agentsChanged = [this] {
        m_agentNames.clear();
        Q_EMIT dataChanged(index(0, Assignees), index(rowCount() - 1, Assignees));
    };
    connect(&store, &Store::agentChanged, this, agentsChanged);
    connect(&store, &Store::agentRemoved, this, agentsChanged);
    // Called for every chunk of every run (thousands a second): only the
    // latest chunk is kept; its line is made in applyPending, once a batch.
    connect(&executor, &Executor::taskOutput, this, [this](const OutputChunk &chunk) {
        m_latestChunk.insert(chunk.taskId, chunk.content);
        if (!m_batch.isActive())
            m_batch.start();
    });
    m_spinner.setObjectName(u"taskSpinner"_s);
    connect(&executor, &Executor::taskStarted, this, [this](const QJsonObject &data) {
        m_runStarted.insert(data.value(u"task_id"_s).toString(), QDateTime::currentDateTimeUtc());
    });
    m_spinner.setInterval(150);
    connect(&m_spinner, &QTimer::timeout, this, [this] {
        ++m_spinFrame;
        for (int row = 0; row < m_tasks.size(); ++row) {
            if (m_executor.isRunning(m_tasks.at(row).value(u"id"_s).toString()))
                Q_EMIT dataChanged(index(row, Title), index(row, Status), {Qt::DisplayRole});
        }
    });
    m_spinner.start();
    reload();
}

void TaskTableModel::reload()
{
    beginResetModel();
    m_tasks = m_store.fetchMany(taskTable(), u"ORDER BY updated_at DESC LIMIT ?"_s, {maxTasks});
    rebuildIndex();
    m_dirty.clear();
    m_removed.clear();
    endResetModel();
}

void TaskTableModel::rebuildIndex()
{
    m_rowById.clear();
    for (int row = 0; row < m_tasks.size(); ++row)
        m_rowById.insert(m_tasks.at(row).value(u"id"_s).toString(), row);
}

void TaskTableModel::schedule(const QString &taskId, bool removed)
{
    if (removed) {
        m_removed.insert(taskId);
        m_dirty.remove(taskId);
    } else {
        m_dirty.insert(taskId);
    }
    if (!m_batch.isActive())
        m_batch.start();
}

qint64 TaskTableModel::queuePosition(const QString &taskId) const
{
    // Read once per batch of changes, not on every paint.
    auto it = m_queuePositions.constFind(taskId);
    if (it == m_queuePositions.constEnd())
        it = m_queuePositions.insert(taskId, m_store.queue().position(taskId));
    return it.value();
}

void TaskTableModel::applyPending()
{
    // Proxies and views react to the signals below, and a reaction may ask
    // for pending changes again (a card picked on the board selects its task).
    // Changing rows while a proxy is still handling a signal corrupts its
    // mapping: the nested call waits for the next batch instead.
    if (m_applying)
        return;   // the pass under way applies what is pending; a later change restarts the batch
    m_applying = true;
    const auto applied = qScopeGuard([this] { m_applying = false; });
    m_batch.stop();
    // When the queue moved, every queued task's position may have (a dispatch
    // changes only the head's row): read them again, and let the views repaint.
    if (std::exchange(m_queueMoved, false) && !m_tasks.isEmpty()) {
        Q_EMIT dataChanged(index(0, Status), index(int(m_tasks.size()) - 1, Status), {Qt::DisplayRole});
    }
    // Removals, from the bottom up so rows stay valid.
    QList<int> rows;
    for (const QString &id : std::as_const(m_removed)) {
        if (m_rowById.contains(id))
            rows.append(m_rowById.value(id));
        m_latestAction.remove(id);
        m_latestChunk.remove(id);
    }
    m_removed.clear();
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows)) {
        beginRemoveRows({}, row, row);
        m_tasks.removeAt(row);
        endRemoveRows();
    }
    if (!rows.isEmpty())
        rebuildIndex();
    // Views react to these rows while they are inserted and may change a task
    // (or ask for pending changes) meanwhile: work on a copy, taken out first.
    const QSet<QString> dirty = std::exchange(m_dirty, {});
    for (const QString &id : dirty) {
        const QJsonObject task = m_store.fetch(taskTable(), id);
        if (task.isEmpty())
            continue;
        const int row = m_rowById.value(id, -1);
        if (row >= 0) {
            m_tasks[row] = task;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        } else {
            const int at = int(m_tasks.size());
            beginInsertRows({}, at, at);
            m_tasks.append(task);
            m_rowById.insert(id, at);
            endInsertRows();
        }
    }
    const QHash<QString, QString> latest = std::exchange(m_latestChunk, {});
    for (auto it = latest.cbegin(); it != latest.cend(); ++it) {
        m_latestAction.insert(it.key(), it.value().left(160).simplified());
        const int row = m_rowById.value(it.key(), -1);
        if (row >= 0)
            Q_EMIT dataChanged(index(row, Title), index(row, Status), {Qt::DisplayRole, Qt::ToolTipRole});
    }
}

int TaskTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tasks.size());
}

int TaskTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString TaskTableModel::taskId(int row) const
{
    return row >= 0 && row < m_tasks.size() ? m_tasks.at(row).value(u"id"_s).toString() : QString();
}

QJsonObject TaskTableModel::task(const QString &taskId) const
{
    const int row = rowOf(taskId);
    return row >= 0 ? m_tasks.at(row) : QJsonObject();
}

QString TaskTableModel::assigneeNames(const QJsonObject &task) const
{
    QStringList names;
    // Painting asks for this often: agent names are cached until an agent changes.
    for (const QString &id : toStringList(task.value(u"assignee_ids"_s))) {
        auto it = m_agentNames.find(id);
        if (it == m_agentNames.end())
            it = m_agentNames.insert(id, agentDisplayName(m_store, id));
        names.append(*it);
    }
    return names.join(u", "_s);
}

QString TaskTableModel::projectTitle(const QJsonObject &task) const
{
    const QString projectId = task.value(u"project_id"_s).toString();
    return projectId.isEmpty() ? QString() : m_store.fetch(projectTable(), projectId).value(u"title"_s).toString();
}

QVariant TaskTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QJsonObject &task = m_tasks.at(index.row());
    const QString id = task.value(u"id"_s).toString();
    const QString status = task.value(u"status"_s).toString();
    const bool running = m_executor.isRunning(id);
    switch (role) {
    case TaskIdRole:
        return id;
    case StatusRole:
        return status;
    case RunningRole:
        return running;
    case TitleRole:
        return task.value(u"title"_s).toString();
    case PriorityRole:
        return task.value(u"priority"_s).toString();
    case AssigneeNamesRole:
        return assigneeNames(task);
    case TagsRole:
        return toStringList(task.value(u"tags"_s));
    case LatestLineRole:
        return running ? m_latestAction.value(id) : task.value(u"active_description"_s).toString();
    case RunStartedRole:
        return running ? m_runStarted.value(id, QDateTime::fromString(task.value(u"started_at"_s).toString(), Qt::ISODateWithMs))
                       : QDateTime();
    case Qt::BackgroundRole:
        return index.column() == Status ? QVariant(statusBackground(running ? u"in_progress"_s : status,
                                                                    QApplication::palette()))
                                        : QVariant();
    case Qt::FontRole:
        if (running) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ToolTipRole:
        if (running && m_latestAction.contains(id))
            return u"Running — latest: %1"_s.arg(m_latestAction.value(id));
        return task.value(u"description"_s).toString().left(500);
    case SortRole:
        if (index.column() == Priority) {
            static const QStringList order{u"low"_s, u"medium"_s, u"high"_s, u"urgent"_s};
            return int(order.indexOf(task.value(u"priority"_s).toString()));
        }
        if (index.column() == Updated)   // fixed-width ISO with microseconds: string order is time order
            return task.value(u"updated_at"_s).toString();
        return data(index, Qt::DisplayRole);
    case Qt::DisplayRole:
        switch (index.column()) {
        case Title: {
            const QString title = task.value(u"title"_s).toString();
            const QString action = running ? m_latestAction.value(id) : task.value(u"active_description"_s).toString();
            return action.isEmpty() ? title : QString(title + u"  —  "_s + action);
        }
        case Status: {
            if (const qint64 position = running ? 0 : queuePosition(id))
                return tr("Queued (#%1)").arg(position);
            if (!running)
                return statusLabel(status);
            static const QString frames[] = {u"◐"_s, u"◓"_s, u"◑"_s, u"◒"_s};
            return QString(frames[m_spinFrame % 4] + u" Running"_s);
        }
        case Priority:
            return statusLabel(task.value(u"priority"_s).toString());
        case Assignees:
            return assigneeNames(task);
        case Project:
            return projectTitle(task);
        case Updated:
            return localTimeText(task.value(u"updated_at"_s).toString());
        }
        return {};
    default:
        return {};
    }
}

QVariant TaskTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList headers{tr("Title"), tr("Status"), tr("Priority"), tr("Assignees"), tr("Project"), tr("Updated")};
    return headers.value(section);
}

TaskFilterProxy::TaskFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TaskTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void TaskFilterProxy::setStatusFilter(const QString &status)
{
    m_status = status;
    invalidateFilter();
    Q_EMIT filterChanged();
}

void TaskFilterProxy::setTextFilter(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
    Q_EMIT filterChanged();
}

bool TaskFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    if (!m_status.isEmpty()
        && model->index(sourceRow, 0, sourceParent).data(TaskTableModel::StatusRole).toString() != m_status)
        return false;
    if (m_text.isEmpty())
        return true;
    for (int column : {TaskTableModel::Title, TaskTableModel::Assignees, TaskTableModel::Project}) {
        if (model->index(sourceRow, column, sourceParent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace mc
