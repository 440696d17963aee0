#include "mainwindow.h"

#include "activitymodel.h"
#include "agentmodel.h"
#include "agentrepository.h"
#include "appicon.h"
#include "dashboardparts.h"
#include "desktopnotifier.h"
#include "emptystate.h"
#include "enums.h"
#include "errortext.h"
#include "executor.h"
#include "fieldspec.h"
#include "newagentdialog.h"
#include "newtaskdialog.h"
#include "queuerepository.h"
#include "noticebanner.h"
#include "outputview.h"
#include "settingsdialog.h"
#include "settingsfile.h"
#include "statuscolors.h"
#include "store.h"
#include "taskdetail.h"
#include "taskviews.h"
#include "windowextras.h"
#include "taskmodel.h"
#include "taskrepository.h"
#include "windowplacement.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mc {

MainWindow::MainWindow(Store &store, Executor &executor, QUrl serverUrl, QString token, QWidget *parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_executor(executor)
    , m_token(std::move(token))
    , m_port(serverUrl.port())
    , m_tasks(new TaskTableModel(store, executor, this))
    , m_proxy(new TaskFilterProxy(this))
    , m_agents(new AgentTableModel(store, this))
    , m_activity(new ActivityModel(store, this))
    , m_taskView(new QTableView(this))
    , m_statusFilter(new QComboBox(this))
    , m_textFilter(new QLineEdit(this))
    , m_detail(new TaskDetail(store, this))
    , m_output(new OutputView(store, executor, this))
    , m_mainSplitter(new QSplitter(Qt::Horizontal, this))
    , m_rightSplitter(new QSplitter(Qt::Vertical, this))
    , m_running(new QLabel(this))
    , m_banner(new NoticeBanner(this))
{
    setWindowTitle(tr("Mission Control"));
    setWindowIcon(appIcon());
    setObjectName(u"MainWindow"_s);

    m_proxy->setSourceModel(m_tasks);
    m_views = new TaskViews(store, m_taskView, m_proxy, this);
    m_statusFilter->setObjectName(u"statusFilter"_s);
    m_statusFilter->addItem(tr("All statuses"), QString());
    for (const QString &s : enums::taskStatuses())
        m_statusFilter->addItem(statusLabel(s), s);
    m_textFilter->setObjectName(u"textFilter"_s);
    m_textFilter->setPlaceholderText(tr("Filter tasks…"));
    m_textFilter->setClearButtonEnabled(true);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this] {
        applyFilter([this] { m_proxy->setStatusFilter(m_statusFilter->currentData().toString()); });
    });
    connect(m_textFilter, &QLineEdit::textChanged, this,
            [this](const QString &text) { applyFilter([this, text] { m_proxy->setTextFilter(text); }); });
    m_textFilter->installEventFilter(this);   // Escape clears it

    auto *left = new QWidget(this);
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_textFilter, 1);
    filters->addWidget(m_statusFilter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(filters);
    leftLayout->addWidget(m_views, 1);
    m_rightSplitter->addWidget(m_detail);
    m_rightSplitter->addWidget(m_output);
    m_rightSplitter->setStretchFactor(1, 2);
    // Neither pane can be dragged away for good (there would be no way back).
    m_rightSplitter->setChildrenCollapsible(false);
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->addWidget(left);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 3);
    m_mainSplitter->setStretchFactor(1, 2);
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_mainSplitter, 1);
    setCentralWidget(central);
    connect(m_banner, &NoticeBanner::openTask, this, [this](const QString &id) {
        selectTask(id);
        m_taskView->setFocus();
    });

    auto *agentView = new QTableView(this);
    agentView->setObjectName(u"agentView"_s);
    agentView->setModel(m_agents);
    agentView->verticalHeader()->hide();
    agentView->horizontalHeader()->setStretchLastSection(true);
    agentView->setSelectionBehavior(QAbstractItemView::SelectRows);
    auto *agentsDock = new QDockWidget(tr("Agents"), this);
    agentsDock->setObjectName(u"agentsDock"_s);
    auto *agentsEmpty = new EmptyState(agentView, m_agents, tr("No agents yet"), tr("Create Agent"), this);
    connect(agentsEmpty, &EmptyState::actionTriggered, this, &MainWindow::newAgent);
    agentsDock->setWidget(agentsEmpty);
    addDockWidget(Qt::BottomDockWidgetArea, agentsDock);
    auto *activityView = new QListView(this);
    activityView->setObjectName(u"activityView"_s);
    activityView->setModel(m_activity);
    activityView->setWordWrap(true);
    auto *activityDock = new QDockWidget(tr("Activity"), this);
    activityDock->setObjectName(u"activityDock"_s);
    activityDock->setWidget(activityView);
    addDockWidget(Qt::BottomDockWidgetArea, activityDock);
    splitDockWidget(agentsDock, activityDock, Qt::Horizontal);

    buildActions();
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(agentsDock->toggleViewAction());
    view->addAction(activityDock->toggleViewAction());
    // Issue 16A: board, notifications, first-start guide (ui/taskviews, ui/windowextras).
    view->addAction(m_views->boardAction());
    connect(m_views, &TaskViews::createTaskRequested, this, &MainWindow::newTask);
    connect(m_views, &TaskViews::taskChosen, this, &MainWindow::selectTask);
    connect(m_views, &TaskViews::failed, this, &MainWindow::showError);
    m_extras = new WindowExtras(*this, store, {m_newAgent, m_newTask, m_run}, view);
    connect(m_extras, &WindowExtras::openTask, this, &MainWindow::selectTask);
    // Projects pane, numbers header, run usage and changes, agent edit/delete, task row menu.
    m_parts = new DashboardParts(store, executor, this, view);

    auto *copy = new QPushButton(tr("Copy token"), this);
    copy->setObjectName(u"copyToken"_s);
    copy->setToolTip(tr("Copy the API access token to the clipboard"));
    connect(copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_token);
        statusBar()->showMessage(tr("Access token copied to the clipboard"), 4000);
    });
    auto *url = new QLabel(serverUrl.toString() + u"/api/mission-control"_s, this);
    url->setObjectName(u"serverUrl"_s);
    url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(url);
    statusBar()->addPermanentWidget(m_running);
    statusBar()->addPermanentWidget(copy);

    connect(m_taskView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(&executor, &Executor::runningChanged, this, &MainWindow::updateActions);
    connect(&executor, &Executor::taskCompleted, this, &MainWindow::onTaskCompleted);
    connect(m_detail, &TaskDetail::failed, this, &MainWindow::showError);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(appIcon(), this);
        m_tray->setToolTip(tr("Mission Control"));
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        m_tray->show();
    }
    m_notifier = new DesktopNotifier(m_tray, this);

    const auto settings = openSettings();
    if (!restoreGeometry(settings->value(u"window/geometry"_s).toByteArray()))
        resize(1280, 800);
    placeOnScreen(this);
    restoreState(settings->value(u"window/state"_s).toByteArray());
    m_mainSplitter->restoreState(settings->value(u"window/main_splitter"_s).toByteArray());
    m_rightSplitter->restoreState(settings->value(u"window/right_splitter"_s).toByteArray());
    for (QSplitter *splitter : {m_mainSplitter, m_rightSplitter}) {
        // restoreState() also restores "collapsible" as an older version saved it.
        splitter->setChildrenCollapsible(false);
        if (splitter->sizes().contains(0))   // saved collapsed by an older version
            splitter->setSizes({1, 1});
    }
    setTabOrder(m_statusFilter, m_textFilter);
    setTabOrder(m_textFilter, m_taskView);
    setTabOrder(m_taskView, m_detail);
    updateActions();
}

MainWindow::~MainWindow() = default;

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_textFilter && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape && !m_textFilter->text().isEmpty()) {
        m_textFilter->clear();
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

QString MainWindow::taskTitle(const QString &taskId)
{
    return m_store.fetch(taskTable(), taskId).value(u"title"_s).toString();
}

void MainWindow::onSelectionChanged()
{
    const QString id = selectedTaskId();
    if (!m_filtering)
        m_chosenTaskId = id;
    // A filter keystroke that keeps the selection reloads nothing.
    if (id != m_shownTaskId) {
        m_shownTaskId = id;
        m_detail->showTask(id);
        m_output->showTask(id);
    }
    updateActions();
}

void MainWindow::applyFilter(const std::function<void()> &change)
{
    // The selection stays the user's: a filter never picks another task for
    // Run or Delete. The picked task is selected again once it is shown again.
    m_filtering = true;
    change();
    QItemSelectionModel *selection = m_taskView->selectionModel();
    const int row = m_chosenTaskId.isEmpty() ? -1 : m_tasks->rowOf(m_chosenTaskId);
    const QModelIndex index = row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_tasks->index(row, 0));
    if (index.isValid()) {
        if (selectedTaskId() != m_chosenTaskId)
            selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    } else {
        selection->clearSelection();
        selection->setCurrentIndex(QModelIndex(), QItemSelectionModel::NoUpdate);
        if (!m_chosenTaskId.isEmpty())
            statusBar()->showMessage(tr("“%1” is hidden by the filter, so nothing is selected").arg(taskTitle(m_chosenTaskId)));
    }
    m_filtering = false;
    if (index.isValid() && statusBar()->currentMessage().contains(tr("is hidden by the filter")))
        statusBar()->clearMessage();
}

void MainWindow::buildActions()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(u"mainToolBar"_s);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QMenu *task = menuBar()->addMenu(tr("&Task"));
    const auto make = [this](const QString &text, const QKeySequence &shortcut, auto slot) {
        auto *action = new QAction(text, this);
        action->setShortcut(shortcut);
        action->setToolTip(text + u" ("_s + shortcut.toString(QKeySequence::NativeText) + u")"_s);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_newTask = make(tr("New Task"), QKeySequence::New, &MainWindow::newTask);
    m_newAgent = make(tr("New Agent"), QKeySequence(tr("Ctrl+Shift+N")), &MainWindow::newAgent);
    m_run = make(tr("Run"), QKeySequence(tr("Ctrl+R")), &MainWindow::runSelected);
    m_stop = make(tr("Stop"), QKeySequence(tr("Ctrl+.")), &MainWindow::stopSelected);
    m_delete = make(tr("Delete"), QKeySequence::Delete, &MainWindow::deleteSelected);
    m_settings = make(tr("Settings"), QKeySequence(tr("Ctrl+,")), [this] { SettingsDialog(m_port, this).exec(); });
    auto *find = make(tr("Find Tasks"), QKeySequence::Find, [this] {
        m_textFilter->setFocus(Qt::ShortcutFocusReason);
        m_textFilter->selectAll();
    });
    find->setObjectName(u"findAction"_s);
    auto *quit = make(tr("Quit"), QKeySequence::Quit, &QWidget::close);
    for (QAction *a : {m_newTask, m_newAgent})
        file->addAction(a);
    file->addSeparator();
    file->addAction(m_settings);
    file->addAction(quit);
    for (QAction *a : {m_run, m_stop, m_delete})
        task->addAction(a);
    task->addSeparator();
    task->addAction(find);
    for (QAction *a : {m_newTask, m_newAgent, m_run, m_stop, m_delete, m_settings})
        bar->addAction(a);
}

QString MainWindow::selectedTaskId() const
{
    const QModelIndexList rows = m_taskView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(TaskTableModel::TaskIdRole).toString();
}

void MainWindow::selectTask(const QString &taskId)
{
    m_tasks->applyPending();
    const int row = m_tasks->rowOf(taskId);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_tasks->index(row, 0));
    if (!index.isValid()) {   // hidden by the filter: show it rather than act on something else
        m_textFilter->clear();
        m_statusFilter->setCurrentIndex(0);
        return selectTask(taskId);
    }
    // The keyboard's current row follows, so arrow keys start from here.
    m_taskView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_taskView->scrollTo(index);
}

void MainWindow::updateActions()
{
    const QString id = selectedTaskId();
    const bool running = !id.isEmpty() && m_executor.isRunning(id);
    const bool full = m_executor.running() >= m_executor.maxConcurrent();
    m_running->setText(tr("running %1/%2").arg(m_executor.running()).arg(m_executor.maxConcurrent()));
    const bool queued = !id.isEmpty() && m_store.queue().contains(id);
    // With every slot taken, Run queues: the task starts when a slot frees.
    m_run->setEnabled(!id.isEmpty() && !running && !queued);
    m_run->setToolTip(queued ? tr("This task is queued")
                      : full ? tr("Every slot is taken (%1): queue the selected task, it starts when a run ends").arg(m_executor.maxConcurrent())
                      : id.isEmpty() ? tr("Select a task to run")
                      : running      ? tr("This task is already running")
                                     : tr("Run the selected task with an agent (Ctrl+R)"));
    m_stop->setEnabled(running);
    m_delete->setEnabled(!id.isEmpty() && !running);
}

QString MainWindow::statusMessage() const
{
    return statusBar()->currentMessage();
}

void MainWindow::showError(const QString &message)
{
    statusBar()->showMessage(message, 10000);
}

void MainWindow::newTask()
{
    NewTaskDialog dialog(m_agents->agents(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    try {
        const QJsonObject task = m_store.tasks().create(dialog.body());
        selectTask(task.value(u"id"_s).toString());
    } catch (const std::exception &e) {
        showError(errorText(e));
    }
}

void MainWindow::newAgent()
{
    NewAgentDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    try {
        const QJsonObject agent = m_store.agents().create(dialog.body());
        statusBar()->showMessage(tr("Agent %1 created").arg(agent.value(u"name"_s).toString()), 4000);
    } catch (const std::exception &e) {
        showError(errorText(e));
    }
}

bool MainWindow::runTask(const QString &taskId, const QString &agentId)
{
    try {
        if (m_executor.running() >= m_executor.maxConcurrent()) {
            const qint64 position = m_store.queue().enqueue(taskId, agentId);
            statusBar()->showMessage(tr("“%1” queued at position %2").arg(taskTitle(taskId)).arg(position));
            updateActions();
            return true;
        }
        const QJsonObject started = m_executor.start(taskId, agentId);
        // Replaced by the run's end as soon as it ends (onTaskCompleted).
        statusBar()->showMessage(tr("%1 started on “%2”").arg(started.value(u"agent_name"_s).toString(), taskTitle(taskId)));
        m_output->showTask(taskId);
        updateActions();
        return true;
    } catch (const std::exception &e) {
        showError(errorText(e));
        updateActions();
        return false;
    }
}

void MainWindow::runSelected()
{
    const QString taskId = selectedTaskId();
    if (taskId.isEmpty())
        return;
    const QList<QJsonObject> agents = m_agents->agents();
    if (agents.isEmpty()) {
        showError(tr("Create an agent first (New Agent, Ctrl+Shift+N)"));
        return;
    }
    const QStringList assignees = toStringList(m_store.fetch(taskTable(), taskId).value(u"assignee_ids"_s));
    // Agents are told apart by id: two with the same name and backend get
    // the start of their id in the label, and the label maps back to its id.
    QStringList names;
    for (const QJsonObject &agent : agents)
        names.append(agent.value(u"name"_s).toString() + u" ("_s + agent.value(u"backend"_s).toString() + u")"_s);
    QHash<QString, QString> idByLabel;
    QStringList labels;
    int preferred = 0;
    for (int i = 0; i < agents.size(); ++i) {
        const QString id = agents.at(i).value(u"id"_s).toString();
        const QString label = names.count(names.at(i)) > 1 ? names.at(i) + u" · "_s + id.left(8) : names.at(i);
        labels.append(label);
        idByLabel.insert(label, id);
        if (!assignees.isEmpty() && id == assignees.first())
            preferred = i;
    }
    bool ok = false;
    const QString choice = QInputDialog::getItem(this, tr("Run task"), tr("Agent:"), labels, preferred, false, &ok);
    if (!ok || !idByLabel.contains(choice))
        return;
    runTask(taskId, idByLabel.value(choice));
}

void MainWindow::stopSelected()
{
    try {
        const QString taskId = selectedTaskId();
        m_executor.stop(taskId);
        // Replaced by "stopped" when the run has ended (onTaskCompleted).
        if (m_executor.isRunning(taskId))
            statusBar()->showMessage(tr("Stopping “%1”…").arg(taskTitle(taskId)));
    } catch (const std::exception &e) {
        showError(errorText(e));
    }
}

void MainWindow::deleteSelected()
{
    const QString id = selectedTaskId();
    if (id.isEmpty())
        return;
    const QString title = m_store.fetch(taskTable(), id).value(u"title"_s).toString();
    if (QMessageBox::question(this, tr("Delete task"), tr("Delete “%1” with its messages and runs?").arg(title))
        != QMessageBox::Yes)
        return;
    try {
        m_store.tasks().remove(id);
    } catch (const std::exception &e) {
        showError(errorText(e));
    }
}

void MainWindow::onTaskCompleted(const QJsonObject &data)
{
    updateActions();
    const QString taskId = data.value(u"task_id"_s).toString();
    const QString title = taskTitle(taskId);
    const QString status = data.value(u"status"_s).toString();
    const QString error = data.value(u"error"_s).toString();
    const bool failed = status != u"completed"_s && status != u"stopped"_s;
    const QString text = status == u"completed"_s ? tr("“%1” completed").arg(title)
                       : status == u"stopped"_s   ? tr("“%1” stopped").arg(title)
                                                  : tr("“%1” failed: %2").arg(title, error);
    statusBar()->showMessage(text, 15000);
    // A stop is the user's own doing: no notice for it.
    if (status == u"stopped"_s)
        return;
    m_banner->showNotice(taskId, text, failed);
    if (!isActiveWindow())
        m_notifier->notify(failed ? tr("Task failed") : tr("Task completed"), failed ? title + u"\n"_s + error : title,
                           failed);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Closing the window quits the app, which stops every run: ask first.
    const int running = m_executor.running();
    if (running > 0
        && QMessageBox::question(this, tr("Quit Mission Control"),
                                 tr("%n run(s) still going. Quitting stops them: they are recorded as stopped, "
                                    "their output so far is kept, and the tasks can be run again.\n\nQuit anyway?",
                                    nullptr, running),
                                 QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
                   != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    const auto settings = openSettings();
    settings->setValue(u"window/geometry"_s, saveGeometry());
    settings->setValue(u"window/state"_s, saveState());
    settings->setValue(u"window/main_splitter"_s, m_mainSplitter->saveState());
    settings->setValue(u"window/right_splitter"_s, m_rightSplitter->saveState());
    settings->sync();
    restrictSettingsFile();
    QMainWindow::closeEvent(event);
}

} // namespace mc
