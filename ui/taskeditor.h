#pragma once

#include <QJsonObject>
#include <QWidget>

#include <functional>

class QCheckBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QMenu;
class QToolButton;

namespace mc {

class Store;

// Edits a task's assignees, tags, due date and blocked_by; shows what it
// blocks. Every change goes through the store paths the API uses
// (TaskRepository::update as PATCH /tasks/{id}; assignees through assign()
// as POST /tasks/{id}/assign, plus removal), so activities and events follow.
class TaskEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit TaskEditor(Store &store, QWidget *parent = nullptr);
    void showTask(const QJsonObject &task);

    bool setAssignees(const QStringList &agentIds);
    bool setTags(const QString &commaSeparated);
    bool setDueDate(const QDateTime &due);
    bool setBlockedBy(const QStringList &taskIds);
    QToolButton *assigneesButton() const { return m_assignees; }
    QToolButton *blockedByButton() const { return m_blockedBy; }
    QLabel *blocksLabel() const { return m_blocks; }
    // Tasks offered in the blocked-by picker (the newest first).
    static constexpr int maxPickable = 200;

Q_SIGNALS:
    void failed(const QString &message);

private:
    bool apply(const std::function<void()> &change);
    // A menu of checkable items (agents, tasks); toggling one stores the new
    // list of ids in `field` with `store`.
    void fillPicker(QMenu *menu, const QList<QJsonObject> &items, const QString &labelKey, const QString &field,
                    const QString &none, bool (TaskEditor::*store)(const QStringList &));
    void fillAssigneeMenu();
    void fillBlockerMenu();
    QString taskTitle(const QString &taskId);

    Store &m_store;
    QJsonObject m_task;
    bool m_updating = false;
    QToolButton *m_assignees;
    QMenu *m_assigneeMenu;
    QLineEdit *m_tags;
    QCheckBox *m_hasDue;
    QDateTimeEdit *m_due;
    QToolButton *m_blockedBy;
    QMenu *m_blockerMenu;
    QLabel *m_blocks;
};

} // namespace mc
