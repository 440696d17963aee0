#include "dashboardparts.h"

#include "agentactions.h"
#include "mainwindow.h"
#include "outputview.h"
#include "projectspane.h"
#include "runchangesdialog.h"
#include "runusage.h"
#include "standupdialog.h"
#include "statsheader.h"
#include "store.h"
#include "taskmodel.h"

#include <QPlainTextEdit>

#include <QAction>
#include <QDockWidget>
#include <QScrollArea>
#include <QMenu>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mc {

DashboardParts::DashboardParts(Store &store, Executor &executor, MainWindow *window, QMenu *viewMenu)
    : QObject(window)
    , m_store(store)
    , m_window(window)
    , m_projects(new ProjectsPane(store, executor, window))
    , m_stats(new StatsHeader(store, executor, window))
    , m_runUsage(new RunUsageBar(store, executor, window))
{
    const auto say = [window](const QString &text) { window->statusBar()->showMessage(text, 6000); };
    const auto complain = [window](const QString &text) { window->statusBar()->showMessage(text, 10000); };

    // The numbers head the window, above the notice banner.
    if (auto *central = qobject_cast<QVBoxLayout *>(window->centralWidget()->layout()))
        central->insertWidget(0, m_stats);
    connect(m_stats, &StatsHeader::standupRequested, this, &DashboardParts::showStandup);

    // The shown run's usage line sits under its output, in the same pane.
    OutputView *output = window->outputView();
    if (auto *split = qobject_cast<QSplitter *>(output->parentWidget())) {
        auto *pane = new QWidget(window);
        auto *layout = new QVBoxLayout(pane);
        layout->setContentsMargins(0, 0, 0, 0);
        split->replaceWidget(split->indexOf(output), pane);
        layout->addWidget(output, 1);
        layout->addWidget(m_runUsage);
    }
    connect(output, &OutputView::runShown, m_runUsage, &RunUsageBar::showRun);
    connect(m_runUsage, &RunUsageBar::showChanges, this, &DashboardParts::showChanges);

    auto *projectsDock = new QDockWidget(tr("Projects"), window);
    projectsDock->setObjectName(u"projectsDock"_s);
    // Scrolled rather than squeezed: the pane must not set the window's minimum size.
    auto *projectsScroll = new QScrollArea(projectsDock);
    projectsScroll->setWidgetResizable(true);
    projectsScroll->setFrameShape(QFrame::NoFrame);
    projectsScroll->setWidget(m_projects);
    projectsDock->setWidget(projectsScroll);
    window->addDockWidget(Qt::BottomDockWidgetArea, projectsDock);
    if (auto *agentsDock = window->findChild<QDockWidget *>(u"agentsDock"_s)) {
        window->tabifyDockWidget(agentsDock, projectsDock);
        agentsDock->raise();   // the agents stay the tab shown first
    }
    connect(m_projects, &ProjectsPane::openTask, window, &MainWindow::selectTask);
    connect(m_projects, &ProjectsPane::failed, this, complain);
    viewMenu->addAction(projectsDock->toggleViewAction());
    viewMenu->addSeparator();
    connect(viewMenu->addAction(tr("Standup Report…")), &QAction::triggered, this, &DashboardParts::showStandup);

    if (auto *agentView = window->findChild<QTableView *>(u"agentView"_s)) {
        m_agentActions = new AgentActions(store, agentView, window);
        connect(m_agentActions, &AgentActions::message, this, say);
        connect(m_agentActions, &AgentActions::failed, this, complain);
    }
    addTaskRowMenu();
}

void DashboardParts::addTaskRowMenu()
{
    QTableView *tasks = m_window->taskView();
    tasks->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(tasks, &QWidget::customContextMenuRequested, this, [this, tasks](const QPoint &pos) {
        const QModelIndex index = tasks->indexAt(pos);
        if (!index.isValid())
            return;
        // The actions act on the selection: the row under the pointer first.
        m_window->selectTask(index.data(TaskTableModel::TaskIdRole).toString());
        auto *menu = new QMenu(tasks);
        menu->setObjectName(u"taskMenu"_s);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addAction(m_window->runAction());
        menu->addAction(m_window->stopAction());
        connect(menu->addAction(tr("View Output")), &QAction::triggered, m_window,
                [this] { m_window->outputView()->editor()->setFocus(); });
        menu->addSeparator();
        menu->addAction(m_window->deleteAction());
        menu->popup(tasks->viewport()->mapToGlobal(pos));
    });
}

void DashboardParts::showStandup()
{
    auto *dialog = new StandupDialog(m_store, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void DashboardParts::showChanges(const QString &runId)
{
    if (runId.isEmpty())
        return;
    auto *dialog = new RunChangesDialog(m_store.dataDir(), runId, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace mc
