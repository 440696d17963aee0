#pragma once

#include <QJsonObject>
#include <QWidget>

#include <functional>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace mc {

class Executor;
class ProjectTableModel;
class Store;
class StoreWatch;

// One line of a project's task list: the task, its text and its status.
struct ProjectTaskRow
{
    QString taskId;
    QString text;
    QString status;
};

// The projects pane: the list (status, progress), and for the selected
// project its tasks, its requirements document rendered from Markdown and
// the actions -- New, Edit, Approve, Pause, Resume, Delete, Add Task, Open
// Folder. Every change goes through the same store functions as the API's
// project routes, so validation, activities and events are the same.
class ProjectsPane final : public QWidget
{
    Q_OBJECT

public:
    ProjectsPane(Store &store, Executor &executor, QWidget *parent = nullptr);
    ProjectTableModel *model() const { return m_model; }
    QString selectedProjectId() const;
    void selectProject(const QString &projectId);

    void newProject();
    void editProject();
    // POST /projects/{id}/approve, /pause, /resume: the same status changes.
    void approve();
    void pause();
    void resume();
    void deleteProject();
    void addTask();
    void openFolder();
    // The last error shown in the pane (empty when the last action worked).
    QString errorText() const;

Q_SIGNALS:
    void openTask(const QString &taskId);
    void failed(const QString &message);

private:
    void setStatus(const QString &status);
    void refresh();
    void showProject();
    void showTaskRows(const QList<ProjectTaskRow> &rows);
    void updateActions();
    void showError(const QString &message);
    // Runs a change through the store; its failure is shown as `failure` (with %1).
    void attempt(const QString &failure, const std::function<void()> &change);
    void saveRequirements(const QString &projectId, const QString &title, const QString &markdown);
    QString requirementsOf(const QJsonObject &project);

    Store &m_store;
    Executor &m_executor;
    ProjectTableModel *m_model;
    StoreWatch *m_watch;
    QTableView *m_view;
    QLabel *m_title;
    QProgressBar *m_progress;
    QListWidget *m_tasks;
    QString m_shownProjectId;
    QTextBrowser *m_requirements;
    QLabel *m_error;
    QPushButton *m_new;
    QPushButton *m_edit;
    QPushButton *m_approve;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_delete;
    QPushButton *m_addTask;
    QPushButton *m_openFolder;
    QString m_shownMarkdown;
};

} // namespace mc
