#pragma once

#include <QMainWindow>
#include <QUrl>

#include <functional>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QSplitter;
class QSystemTrayIcon;
class QTableView;

namespace mc {

class ActivityModel;
class DashboardParts;
class DesktopNotifier;
class NoticeBanner;
class AgentTableModel;
class Executor;
class OutputView;
class Store;
class TaskDetail;
class TaskFilterProxy;
class TaskTableModel;
class TaskViews;
class WindowExtras;

// The main window: task list (filter, sort), task detail, live output, agents
// and activity docks, toolbar, status bar (server URL, running n/max, token).
// It talks to the core directly -- store and engine -- never over HTTP.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(Store &store, Executor &executor, QUrl serverUrl, QString token, QWidget *parent = nullptr);
    ~MainWindow() override;

    QString selectedTaskId() const;
    void selectTask(const QString &taskId);
    // Starts a run; failures (429, 409, ...) are shown in the status bar.
    bool runTask(const QString &taskId, const QString &agentId);
    QAction *runAction() const { return m_run; }
    QAction *stopAction() const { return m_stop; }
    QAction *deleteAction() const { return m_delete; }
    DashboardParts *dashboardParts() const { return m_parts; }
    TaskTableModel *taskModel() const { return m_tasks; }
    AgentTableModel *agentModel() const { return m_agents; }
    OutputView *outputView() const { return m_output; }
    TaskDetail *taskDetail() const { return m_detail; }
    QString statusMessage() const;
    QTableView *taskView() const { return m_taskView; }
    TaskViews *taskViews() const { return m_views; }
    WindowExtras *extras() const { return m_extras; }
    QAction *newTaskAction() const { return m_newTask; }
    QAction *newAgentAction() const { return m_newAgent; }
    QLineEdit *textFilter() const { return m_textFilter; }
    NoticeBanner *noticeBanner() const { return m_banner; }
    DesktopNotifier *notifier() const { return m_notifier; }

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildActions();
    void updateActions();
    void newTask();
    void newAgent();
    void runSelected();
    void stopSelected();
    void deleteSelected();
    void showError(const QString &message);
    void onTaskCompleted(const QJsonObject &data);
    void onSelectionChanged();
    void applyFilter(const std::function<void()> &change);
    QString taskTitle(const QString &taskId);

    Store &m_store;
    Executor &m_executor;
    QString m_token;
    int m_port = 0;
    QString m_shownTaskId;    // the task the detail and output show
    QString m_chosenTaskId;   // the task the user picked, even while a filter hides it
    bool m_filtering = false;
    TaskTableModel *m_tasks;
    TaskFilterProxy *m_proxy;
    AgentTableModel *m_agents;
    ActivityModel *m_activity;
    QTableView *m_taskView;
    TaskViews *m_views = nullptr;
    WindowExtras *m_extras = nullptr;
    QComboBox *m_statusFilter;
    QLineEdit *m_textFilter;
    TaskDetail *m_detail;
    OutputView *m_output;
    QSplitter *m_mainSplitter;
    QSplitter *m_rightSplitter;
    QLabel *m_running;
    QSystemTrayIcon *m_tray = nullptr;
    NoticeBanner *m_banner;
    DesktopNotifier *m_notifier = nullptr;
    DashboardParts *m_parts = nullptr;
    QAction *m_newTask = nullptr;
    QAction *m_newAgent = nullptr;
    QAction *m_run = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_settings = nullptr;
};

} // namespace mc
