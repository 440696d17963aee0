#include "taskeditor.h"

#include "agentnames.h"
#include "errortext.h"
#include "fieldspec.h"
#include "store.h"
#include "taskrepository.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
QString listText(const QStringList &items, const QString &none)
{
    return items.isEmpty() ? none : items.join(u", "_s);
}
} // namespace

TaskEditor::TaskEditor(Store &store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_assignees(new QToolButton(this))
    , m_assigneeMenu(new QMenu(this))
    , m_tags(new QLineEdit(this))
    , m_hasDue(new QCheckBox(tr("Due"), this))
    , m_due(new QDateTimeEdit(this))
    , m_blockedBy(new QToolButton(this))
    , m_blockerMenu(new QMenu(this))
    , m_blocks(new QLabel(this))
{
    m_assignees->setObjectName(u"assigneesEditor"_s);
    m_assignees->setMenu(m_assigneeMenu);
    m_assignees->setPopupMode(QToolButton::InstantPopup);
    m_assignees->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_assignees->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_assigneeMenu->setObjectName(u"assigneeMenu"_s);
    m_tags->setObjectName(u"tagsEditor"_s);
    m_tags->setPlaceholderText(tr("tags, separated by commas"));
    m_hasDue->setObjectName(u"hasDueDate"_s);
    m_due->setObjectName(u"dueDateEditor"_s);
    m_due->setCalendarPopup(true);
    m_due->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
    m_blockedBy->setObjectName(u"blockedByEditor"_s);
    m_blockedBy->setMenu(m_blockerMenu);
    m_blockedBy->setPopupMode(QToolButton::InstantPopup);
    m_blockedBy->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_blockedBy->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_blockerMenu->setObjectName(u"blockerMenu"_s);
    m_blocks->setObjectName(u"blocksLabel"_s);
    m_blocks->setWordWrap(true);
    m_blocks->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *dueRow = new QHBoxLayout;
    dueRow->addWidget(m_hasDue);
    dueRow->addWidget(m_due, 1);
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Assignees"), m_assignees);
    form->addRow(tr("Tags"), m_tags);
    form->addRow(tr("Due date"), dueRow);
    form->addRow(tr("Blocked by"), m_blockedBy);
    form->addRow(tr("Blocks"), m_blocks);

    connect(m_assigneeMenu, &QMenu::aboutToShow, this, &TaskEditor::fillAssigneeMenu);
    connect(m_blockerMenu, &QMenu::aboutToShow, this, &TaskEditor::fillBlockerMenu);
    connect(m_tags, &QLineEdit::editingFinished, this, [this] {
        if (!m_updating && m_tags->isModified())
            setTags(m_tags->text());
    });
    connect(m_hasDue, &QCheckBox::toggled, this, [this](bool on) {
        m_due->setEnabled(on);
        if (!m_updating && on)
            setDueDate(m_due->dateTime());
    });
    connect(m_due, &QDateTimeEdit::editingFinished, this, [this] {
        if (!m_updating && m_hasDue->isChecked())
            setDueDate(m_due->dateTime());
    });
}

QString TaskEditor::taskTitle(const QString &taskId)
{
    return m_store.fetch(taskTable(), taskId).value(u"title"_s).toString(tr("(deleted task)"));
}

void TaskEditor::showTask(const QJsonObject &task)
{
    m_updating = true;
    m_task = task;
    const QString id = task.value(u"id"_s).toString();
    QStringList names;
    for (const QString &agentId : toStringList(task.value(u"assignee_ids"_s)))
        names.append(agentDisplayName(m_store, agentId));
    m_assignees->setText(listText(names, tr("nobody — choose…")));
    if (!m_tags->hasFocus() || !m_tags->isModified()) {
        m_tags->setText(toStringList(task.value(u"tags"_s)).join(u", "_s));
        m_tags->setModified(false);
    }
    const QDateTime due = QDateTime::fromString(task.value(u"due_date"_s).toString(), Qt::ISODateWithMs);
    m_hasDue->setChecked(due.isValid());
    // Once set, a due date can be changed but not removed: PATCH ignores null.
    m_hasDue->setEnabled(!due.isValid());
    m_due->setEnabled(due.isValid());
    m_due->setDateTime(due.isValid() ? due.toLocalTime() : QDateTime(QDate::currentDate().addDays(7), QTime(17, 0)));
    QStringList blockers;
    for (const QString &blockerId : toStringList(task.value(u"blocked_by"_s)))
        blockers.append(taskTitle(blockerId));
    m_blockedBy->setText(listText(blockers, tr("nothing — choose…")));
    // The other way round: every task whose blocked_by names this one.
    QStringList blocked;
    if (!id.isEmpty()) {
        for (const QJsonObject &other : m_store.fetchMany(
                     taskTable(),
                     u"WHERE EXISTS (SELECT 1 FROM json_each(tasks.blocked_by) WHERE value = ?) ORDER BY title LIMIT 50"_s,
                     {id}))
            blocked.append(other.value(u"title"_s).toString());
    }
    m_blocks->setText(listText(blocked, tr("nothing")));
    m_updating = false;
}

void TaskEditor::fillPicker(QMenu *menu, const QList<QJsonObject> &items, const QString &labelKey,
                            const QString &field, const QString &none,
                            bool (TaskEditor::*store)(const QStringList &))
{
    menu->clear();
    const QStringList current = toStringList(m_task.value(field));
    if (items.isEmpty())
        menu->addAction(none)->setEnabled(false);
    for (const QJsonObject &item : items) {
        const QString itemId = item.value(u"id"_s).toString();
        QAction *action = menu->addAction(item.value(labelKey).toString());
        action->setCheckable(true);
        action->setChecked(current.contains(itemId));
        action->setData(itemId);
        connect(action, &QAction::toggled, this, [this, itemId, field, store](bool on) {
            QStringList ids = toStringList(m_task.value(field));
            if (on && !ids.contains(itemId))
                ids.append(itemId);
            if (!on)
                ids.removeAll(itemId);
            (this->*store)(ids);
        });
    }
}

void TaskEditor::fillAssigneeMenu()
{
    fillPicker(m_assigneeMenu, m_store.fetchMany(agentTable(), u"ORDER BY name COLLATE NOCASE LIMIT 500"_s, {}),
               u"name"_s, u"assignee_ids"_s, tr("No agents yet — create one first"), &TaskEditor::setAssignees);
}

void TaskEditor::fillBlockerMenu()
{
    const QList<QJsonObject> tasks = m_store.fetchMany(taskTable(), u"WHERE id <> ? ORDER BY updated_at DESC LIMIT ?"_s,
                                                       {m_task.value(u"id"_s).toString(), maxPickable});
    fillPicker(m_blockerMenu, tasks, u"title"_s, u"blocked_by"_s, tr("No other tasks"), &TaskEditor::setBlockedBy);
}

bool TaskEditor::apply(const std::function<void()> &change)
{
    const QString id = m_task.value(u"id"_s).toString();
    if (id.isEmpty())
        return false;
    try {
        change();
        showTask(m_task);
        return true;
    } catch (const std::exception &e) {
        Q_EMIT failed(errorText(e));
        // Show what is stored, not the refused edit.
        showTask(m_store.fetch(taskTable(), id));
        return false;
    }
}

bool TaskEditor::setAssignees(const QStringList &agentIds)
{
    return apply([&] { m_task = m_store.tasks().setAssignees(m_task.value(u"id"_s).toString(), agentIds); });
}

bool TaskEditor::setTags(const QString &commaSeparated)
{
    QStringList tags;
    for (const QString &tag : commaSeparated.split(u',', Qt::SkipEmptyParts)) {
        if (const QString t = tag.trimmed(); !t.isEmpty() && !tags.contains(t))
            tags.append(t);
    }
    m_tags->setModified(false);
    return apply([&] {
        m_task = m_store.tasks().update(m_task.value(u"id"_s).toString(), {{u"tags"_s, QJsonArray::fromStringList(tags)}});
    });
}

bool TaskEditor::setDueDate(const QDateTime &due)
{
    const QString iso = due.toUTC().toString(Qt::ISODateWithMs).replace(u"Z"_s, u"+00:00"_s);
    return apply([&] { m_task = m_store.tasks().update(m_task.value(u"id"_s).toString(), {{u"due_date"_s, iso}}); });
}

bool TaskEditor::setBlockedBy(const QStringList &taskIds)
{
    return apply([&] {
        m_task = m_store.tasks().update(m_task.value(u"id"_s).toString(),
                                        {{u"blocked_by"_s, QJsonArray::fromStringList(taskIds)}});
    });
}

} // namespace mc
