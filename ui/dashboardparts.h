#pragma once

#include <QObject>

class QMenu;

namespace mc {

class AgentActions;
class Executor;
class MainWindow;
class ProjectsPane;
class RunUsageBar;
class StatsHeader;
class Store;

// The window's projects pane (a dock), the numbers header, the shown run's
// usage with its Changes… view, agent edit/delete and the task rows' context
// menu, put into a built MainWindow: the window only creates this.
class DashboardParts final : public QObject
{
    Q_OBJECT

public:
    DashboardParts(Store &store, Executor &executor, MainWindow *window, QMenu *viewMenu);
    ProjectsPane *projects() const { return m_projects; }
    StatsHeader *stats() const { return m_stats; }
    RunUsageBar *runUsage() const { return m_runUsage; }
    AgentActions *agentActions() const { return m_agentActions; }
    // Non-modal windows: the standup report and a run's changes.
    void showStandup();
    void showChanges(const QString &runId);

private:
    void addTaskRowMenu();

    Store &m_store;
    MainWindow *m_window;
    ProjectsPane *m_projects;
    StatsHeader *m_stats;
    RunUsageBar *m_runUsage;
    AgentActions *m_agentActions = nullptr;
};

} // namespace mc
