#include "projectspane.h"

#include "documentrepository.h"
#include "errortext.h"
#include "executor.h"
#include "projectmodel.h"
#include "projectrepository.h"
#include "statuscolors.h"
#include "store.h"
#include "storewatch.h"
#include "taskrepository.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>

#include "projectdialog.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {
QPushButton *button(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    b->setAutoDefault(false);
    return b;
}
} // namespace

ProjectsPane::ProjectsPane(Store &store, Executor &executor, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_executor(executor)
    , m_model(new ProjectTableModel(store, this))
    , m_watch(new StoreWatch(store, this))
    , m_view(new QTableView(this))
    , m_title(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_tasks(new QListWidget(this))
    , m_requirements(new QTextBrowser(this))
    , m_error(new QLabel(this))
    , m_new(button(tr("New…"), u"newProject"_s, this))
    , m_edit(button(tr("Edit…"), u"editProject"_s, this))
    , m_approve(button(tr("Approve"), u"approveProject"_s, this))
    , m_pause(button(tr("Pause"), u"pauseProject"_s, this))
    , m_resume(button(tr("Resume"), u"resumeProject"_s, this))
    , m_delete(button(tr("Delete…"), u"deleteProject"_s, this))
    , m_addTask(button(tr("Add Task…"), u"addProjectTask"_s, this))
    , m_openFolder(button(tr("Open Folder"), u"openProjectFolder"_s, this))
{
    setObjectName(u"projectsPane"_s);
    m_view->setObjectName(u"projectView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(ProjectTableModel::Title, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(ProjectTableModel::Status, QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(ProjectTableModel::Progress, QHeaderView::ResizeToContents);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_title->setObjectName(u"projectHeading"_s);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_progress->setObjectName(u"projectProgress"_s);
    m_tasks->setObjectName(u"projectTasks"_s);
    m_requirements->setObjectName(u"projectRequirements"_s);
    m_requirements->setOpenExternalLinks(true);
    m_error->setObjectName(u"projectError"_s);
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(u"color: #c0392b"_s);
    m_error->hide();
    m_openFolder->setToolTip(tr("Open the project's working folder, where its agents run"));

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_new, m_edit, m_approve, m_pause, m_resume, m_delete})
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto *detailButtons = new QHBoxLayout;
    detailButtons->addWidget(m_title, 1);
    detailButtons->addWidget(m_addTask);
    detailButtons->addWidget(m_openFolder);
    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(u"projectTabs"_s);
    tabs->addTab(m_tasks, tr("Tasks"));
    tabs->addTab(m_requirements, tr("Requirements"));
    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addLayout(detailButtons);
    detailLayout->addWidget(m_progress);
    detailLayout->addWidget(tabs, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_view);
    split->addWidget(detail);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(m_error);
    layout->addWidget(split, 1);

    // The same actions on the list's context menu; F2/Return edits, Delete deletes.
    for (QPushButton *b : {m_edit, m_approve, m_pause, m_resume, m_delete}) {
        auto *action = new QAction(b->text(), m_view);
        action->setShortcutContext(Qt::WidgetShortcut);
        if (b == m_edit)
            action->setShortcuts({QKeySequence(Qt::Key_F2), QKeySequence(Qt::Key_Return)});
        if (b == m_delete)
            action->setShortcut(QKeySequence::Delete);
        connect(action, &QAction::triggered, b, &QPushButton::click);
        m_view->addAction(action);
    }
    connect(m_new, &QPushButton::clicked, this, &ProjectsPane::newProject);
    connect(m_edit, &QPushButton::clicked, this, &ProjectsPane::editProject);
    connect(m_approve, &QPushButton::clicked, this, &ProjectsPane::approve);
    connect(m_pause, &QPushButton::clicked, this, &ProjectsPane::pause);
    connect(m_resume, &QPushButton::clicked, this, &ProjectsPane::resume);
    connect(m_delete, &QPushButton::clicked, this, &ProjectsPane::deleteProject);
    connect(m_addTask, &QPushButton::clicked, this, &ProjectsPane::addTask);
    connect(m_openFolder, &QPushButton::clicked, this, &ProjectsPane::openFolder);
    connect(m_view, &QTableView::doubleClicked, this, &ProjectsPane::editProject);
    connect(m_tasks, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT openTask(item->data(Qt::UserRole).toString()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ProjectsPane::showProject);
    connect(m_watch, &StoreWatch::changed, this, &ProjectsPane::refresh);
    connect(&executor, &Executor::runningChanged, this, &ProjectsPane::updateActions);
    showProject();
}

QString ProjectsPane::selectedProjectId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ProjectTableModel::ProjectIdRole).toString();
}

void ProjectsPane::selectProject(const QString &projectId)
{
    m_model->reload();
    const int row = m_model->rowOf(projectId);
    if (row < 0)
        return m_view->clearSelection();
    m_view->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                              QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void ProjectsPane::refresh()
{
    const QString selected = selectedProjectId();
    m_model->reload();
    if (!selected.isEmpty() && selectedProjectId() != selected)
        selectProject(selected);   // a reorder reset the model
    else
        showProject();
}

QString ProjectsPane::requirementsOf(const QJsonObject &project)
{
    const QString documentId = project.value(u"prd_document_id"_s).toString();
    if (documentId.isEmpty())
        return {};
    return m_store.fetch(documentTable(), documentId).value(u"content"_s).toString();
}

void ProjectsPane::showProject()
{
    const QString id = selectedProjectId();
    const QJsonObject project = id.isEmpty() ? QJsonObject() : m_store.fetch(projectTable(), id);
    if (id != m_shownProjectId) {
        // Rows are reused in place: another project's tasks start unselected.
        m_shownProjectId = id;
        m_tasks->clearSelection();
        m_tasks->setCurrentRow(-1);
    }
    m_title->setText(project.isEmpty() ? tr("Select a project, or create one with New…")
                                       : QString(project.value(u"title"_s).toString() + u" — "_s
                                                         + statusLabel(project.value(u"status"_s).toString())));
    int total = 0, finished = 0;
    // The rows are updated in place: the store changes every second while a
    // run streams, and a rebuilt list would lose the user's selection and scroll.
    QList<ProjectTaskRow> rows;
    if (!project.isEmpty()) {
        for (const QJsonObject &task : m_store.tasks().forProject(id)) {
            const QString status = task.value(u"status"_s).toString();
            ++total;
            finished += status == u"done"_s || status == u"skipped"_s;
            rows.append({task.value(u"id"_s).toString(),
                         task.value(u"title"_s).toString() + u"  ·  "_s + statusLabel(status), status});
        }
        if (total == 0)
            rows.append({QString(), tr("No tasks yet — Add Task… creates one in this project"), QString()});
    }
    showTaskRows(rows);
    m_progress->setRange(0, qMax(1, total));
    m_progress->setValue(finished);
    m_progress->setFormat(total == 0 ? tr("no tasks") : tr("%v of %m tasks done (%p%)"));
    const QString markdown = project.isEmpty() ? QString() : requirementsOf(project);
    if (markdown != m_shownMarkdown || m_requirements->document()->isEmpty()) {
        m_shownMarkdown = markdown;
        if (markdown.isEmpty())
            m_requirements->setPlainText(project.isEmpty() ? QString()
                                                           : tr("No requirements document yet — Edit… adds one."));
        else
            m_requirements->setMarkdown(markdown);
    }
    updateActions();
}

void ProjectsPane::showTaskRows(const QList<ProjectTaskRow> &rows)
{
    while (m_tasks->count() > rows.size())
        delete m_tasks->takeItem(m_tasks->count() - 1);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const ProjectTaskRow &row = rows.at(i);
        QListWidgetItem *item = i < m_tasks->count() ? m_tasks->item(int(i)) : new QListWidgetItem(m_tasks);
        if (item->text() != row.text)
            item->setText(row.text);
        if (item->data(Qt::UserRole).toString() != row.taskId)
            item->setData(Qt::UserRole, row.taskId);
        const QBrush background = row.status.isEmpty() ? QBrush() : statusBackground(row.status, palette());
        if (item->background() != background)
            item->setBackground(background);
    }
}

void ProjectsPane::updateActions()
{
    const QString id = selectedProjectId();
    const QString status = id.isEmpty() ? QString() : m_store.fetch(projectTable(), id).value(u"status"_s).toString();
    const bool any = !status.isEmpty();
    m_edit->setEnabled(any);
    m_approve->setEnabled(status == u"draft"_s || status == u"planning"_s || status == u"awaiting_approval"_s);
    m_pause->setEnabled(status == u"approved"_s || status == u"executing"_s);
    m_resume->setEnabled(status == u"paused"_s || status == u"approved"_s);
    m_resume->setText(status == u"approved"_s ? tr("Start") : tr("Resume"));
    m_delete->setEnabled(any);
    m_addTask->setEnabled(any);
    m_openFolder->setEnabled(any);
    const QList<QAction *> actions = m_view->actions();
    const QList<QPushButton *> buttons{m_edit, m_approve, m_pause, m_resume, m_delete};
    for (qsizetype i = 0; i < actions.size() && i < buttons.size(); ++i) {
        actions.at(i)->setEnabled(buttons.at(i)->isEnabled());
        actions.at(i)->setText(buttons.at(i)->text());
    }
}

void ProjectsPane::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    if (!message.isEmpty())
        Q_EMIT failed(message);
}

void ProjectsPane::attempt(const QString &failure, const std::function<void()> &change)
{
    try {
        change();
        showError({});
    } catch (const std::exception &e) {
        showError(failure.arg(mc::errorText(e)));
    }
    refresh();
}

QString ProjectsPane::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void ProjectsPane::saveRequirements(const QString &projectId, const QString &title, const QString &markdown)
{
    const QJsonObject project = m_store.projects().get(projectId);
    const QString documentId = project.value(u"prd_document_id"_s).toString();
    if (!documentId.isEmpty() && !m_store.fetch(documentTable(), documentId).isEmpty()) {
        if (m_store.fetch(documentTable(), documentId).value(u"content"_s).toString() != markdown)
            m_store.documents().update(documentId, markdown, QJsonValue(u"human"_s));
        return;
    }
    if (markdown.trimmed().isEmpty())
        return;
    const QJsonObject document = m_store.documents().create(
            {{u"title"_s, tr("Requirements: %1").arg(title).left(200)},
             {u"content"_s, markdown},
             {u"type"_s, u"protocol"_s},
             {u"author_id"_s, u"human"_s},
             {u"tags"_s, QJsonArray{u"prd"_s}}});
    m_store.projects().update(projectId, {{u"prd_document_id"_s, document.value(u"id"_s)}});
}

void ProjectsPane::newProject()
{
    ProjectDialog dialog({}, {}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString id;
    attempt(tr("The project was not created: %1"), [&] {
        const QJsonObject body = dialog.body();
        id = m_store.write([&] {
            const QString created = m_store.projects().create(body).value(u"id"_s).toString();
            saveRequirements(created, body.value(u"title"_s).toString(), dialog.requirements());
            return created;
        });
    });
    if (!id.isEmpty())
        selectProject(id);
}

void ProjectsPane::editProject()
{
    const QString id = selectedProjectId();
    if (id.isEmpty())
        return;
    const QJsonObject project = m_store.fetch(projectTable(), id);
    ProjectDialog dialog(project, requirementsOf(project), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    attempt(tr("The project was not saved: %1"), [&] {
        m_store.write([&] {
            m_store.projects().update(id, dialog.body());
            saveRequirements(id, dialog.body().value(u"title"_s).toString(), dialog.requirements());
        });
    });
}

void ProjectsPane::setStatus(const QString &status)
{
    const QString id = selectedProjectId();
    if (id.isEmpty())
        return;
    attempt(tr("The project's status was not changed: %1"), [&] { m_store.projects().setStatus(id, status); });
}

void ProjectsPane::approve()
{
    setStatus(u"approved"_s);
}

void ProjectsPane::pause()
{
    setStatus(u"paused"_s);
}

void ProjectsPane::resume()
{
    setStatus(u"executing"_s);
}

void ProjectsPane::deleteProject()
{
    const QString id = selectedProjectId();
    if (id.isEmpty())
        return;
    const QList<QJsonObject> tasks = m_store.tasks().forProject(id);
    for (const QJsonObject &task : tasks) {
        if (m_executor.isRunning(task.value(u"id"_s).toString()))
            return showError(tr("“%1” is running: stop it before deleting its project.")
                                     .arg(task.value(u"title"_s).toString()));
    }
    const QString title = m_store.fetch(projectTable(), id).value(u"title"_s).toString();
    if (QMessageBox::question(this, tr("Delete project"),
                              tr("Delete “%1” with its %n task(s), their messages and runs?", nullptr,
                                 int(tasks.size()))
                                      .arg(title))
        != QMessageBox::Yes)
        return;
    attempt(tr("The project was not deleted: %1"), [&] { m_store.projects().remove(id); });
}

void ProjectsPane::addTask()
{
    const QString id = selectedProjectId();
    if (id.isEmpty())
        return;
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Add Task"), tr("Title of the new task in this project:"),
                                                QLineEdit::Normal, {}, &ok).trimmed();
    if (!ok || title.isEmpty())
        return;
    attempt(tr("The task was not added: %1"),
            [&] { m_store.tasks().create({{u"title"_s, title.left(200)}, {u"project_id"_s, id}}); });
}

void ProjectsPane::openFolder()
{
    const QString id = selectedProjectId();
    if (id.isEmpty())
        return;
    const QString folder = m_store.projects().folderPath(id);
    QDir().mkpath(folder);
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(folder)))
        showError(tr("No file manager could open %1").arg(QDir::toNativeSeparators(folder)));
    else
        showError({});
}

} // namespace mc
