// The projects pane in the real window, against the real server: what the
// GUI does to a project is what the API then answers (approve, pause,
// resume, delete with its tasks), API changes show in the pane, the
// requirements document is rendered, Open Folder opens the project's folder.

#include "dashboardparts.h"
#include "httpclient.h"
#include "mainwindow.h"
#include "projectmodel.h"
#include "projectrepository.h"
#include "projectspane.h"
#include "store.h"
#include "taskrepository.h"
#include "testserver.h"
#include "livewindow.h"
#include "uidriver.h"

#include <QAbstractItemModelTester>
#include <QDesktopServices>
#include <QDockWidget>
#include <QFileInfo>
#include <QJsonArray>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTextBlock>
#include <QTextBrowser>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

namespace {
const QString kApi = u"/api/mission-control"_s;
} // namespace

// Receives what QDesktopServices::openUrl would open in a file manager.
class UrlCatcher : public QObject
{
    Q_OBJECT

public:
    QList<QUrl> opened;

public Q_SLOTS:
    void open(const QUrl &url) { opened.append(url); }
};

class TestProjects : public QObject, public LiveWindow
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(openWindow());
        m_window->findChild<QDockWidget *>(u"projectsDock"_s)->raise();
    }
    void cleanup() { closeWindow(); }

    void createdInGuiApprovedInApi();
    void pauseResumeFollowTheApiRules();
    void apiChangesShowInThePane();
    void deleteAsksAndTakesTheTasks();
    void requirementsRenderedAndTasksListed();
    void openFolderOpensTheProjectFolder();
    void errorsAreShown();
    void screenshot();

private:
    ProjectsPane *pane() { return m_window->dashboardParts()->projects(); }
    QPushButton *button(const QString &name) { return pane()->findChild<QPushButton *>(name); }
    QString apiStatus(const QString &id)
    {
        return m_http->get(kApi + u"/projects/"_s + id).object().value(u"project"_s).toObject().value(u"status"_s).toString();
    }
    QString createInGui(const QString &title, const QString &requirements)
    {
        onNextDialog([title, requirements](QDialog *d) {
            d->findChild<QLineEdit *>(u"projectTitle"_s)->setText(title);
            d->findChild<QLineEdit *>(u"projectTags"_s)->setText(u"gui, q3"_s);
            d->findChild<QPlainTextEdit *>(u"projectRequirements"_s)->setPlainText(requirements);
        });
        QTest::mouseClick(button(u"newProject"_s), Qt::LeftButton);
        return pane()->selectedProjectId();
    }
};

void TestProjects::createdInGuiApprovedInApi()
{
    QAbstractItemModelTester tester(pane()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString id = createInGui(u"Website relaunch"_s, u"# Goals\n\n- fast\n"_s);
    QVERIFY(!id.isEmpty());
    const QJsonObject created = m_http->get(kApi + u"/projects/"_s + id).object().value(u"project"_s).toObject();
    QCOMPARE(created.value(u"title"_s).toString(), u"Website relaunch"_s);
    QCOMPARE(created.value(u"status"_s).toString(), u"draft"_s);
    QCOMPARE(created.value(u"tags"_s).toArray(), (QJsonArray{u"gui"_s, u"q3"_s}));
    QVERIFY(!created.value(u"prd_document_id"_s).toString().isEmpty());
    QVERIFY(button(u"approveProject"_s)->isEnabled());
    QTest::mouseClick(button(u"approveProject"_s), Qt::LeftButton);
    QCOMPARE(apiStatus(id), u"approved"_s);
    QCOMPARE(m_http->get(kApi + u"/projects?status=approved"_s).object().value(u"count"_s).toInt(), 1);
    QVERIFY(!button(u"approveProject"_s)->isEnabled());   // approved once
    const int row = pane()->model()->rowOf(id);
    QCOMPARE(pane()->model()->index(row, ProjectTableModel::Status).data().toString(), u"Approved"_s);
}

void TestProjects::pauseResumeFollowTheApiRules()
{
    const QString id = store().projects().create({{u"title"_s, u"Migration"_s}}).value(u"id"_s).toString();
    pane()->selectProject(id);
    // A draft can be approved, not paused or resumed.
    QVERIFY(button(u"approveProject"_s)->isEnabled());
    QVERIFY(!button(u"pauseProject"_s)->isEnabled());
    QVERIFY(!button(u"resumeProject"_s)->isEnabled());
    QTest::mouseClick(button(u"approveProject"_s), Qt::LeftButton);
    // Approved: start it (POST /resume: executing) or pause it.
    QCOMPARE(button(u"resumeProject"_s)->text(), u"Start"_s);
    QTest::mouseClick(button(u"resumeProject"_s), Qt::LeftButton);
    QJsonObject project = m_http->get(kApi + u"/projects/"_s + id).object().value(u"project"_s).toObject();
    QCOMPARE(project.value(u"status"_s).toString(), u"executing"_s);
    const QString startedAt = project.value(u"started_at"_s).toString();
    QVERIFY(!startedAt.isEmpty());
    QVERIFY(button(u"pauseProject"_s)->isEnabled());
    QVERIFY(!button(u"resumeProject"_s)->isEnabled());
    QTest::mouseClick(button(u"pauseProject"_s), Qt::LeftButton);
    QCOMPARE(apiStatus(id), u"paused"_s);
    QVERIFY(!button(u"pauseProject"_s)->isEnabled());
    QCOMPARE(button(u"resumeProject"_s)->text(), u"Resume"_s);
    QTest::mouseClick(button(u"resumeProject"_s), Qt::LeftButton);
    project = m_http->get(kApi + u"/projects/"_s + id).object().value(u"project"_s).toObject();
    QCOMPARE(project.value(u"status"_s).toString(), u"executing"_s);
    QCOMPARE(project.value(u"started_at"_s).toString(), startedAt);   // kept from the first start, as the API does
}

void TestProjects::apiChangesShowInThePane()
{
    QAbstractItemModelTester tester(pane()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString id = m_http->post(kApi + u"/projects"_s, {{u"title"_s, u"From a script"_s}})
                               .object().value(u"project"_s).toObject().value(u"id"_s).toString();
    QTRY_VERIFY_WITH_TIMEOUT(pane()->model()->rowOf(id) >= 0, 10000);
    pane()->selectProject(id);
    QCOMPARE(m_http->post(kApi + u"/projects/"_s + id + u"/approve"_s).status, 200);
    const auto statusShown = [&] {
        return pane()->model()->index(pane()->model()->rowOf(id), ProjectTableModel::Status).data().toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(statusShown(), u"Approved"_s, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(button(u"pauseProject"_s)->isEnabled(), 10000);
    // Progress: one of two tasks done.
    const QString a = m_http->createTask({{u"title"_s, u"first"_s}, {u"project_id"_s, id}});
    m_http->createTask({{u"title"_s, u"second"_s}, {u"project_id"_s, id}});
    QCOMPARE(m_http->patch(kApi + u"/tasks/"_s + a, {{u"status"_s, u"done"_s}}).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(pane()->model()->index(pane()->model()->rowOf(id), ProjectTableModel::Progress)
                                      .data().toString(), u"1/2 · 50%"_s, 10000);
    const QJsonObject progress = m_http->get(kApi + u"/projects/"_s + id).object().value(u"progress"_s).toObject();
    QCOMPARE(progress.value(u"percent"_s).toDouble(), 50.0);
    auto *bar = pane()->findChild<QProgressBar *>(u"projectProgress"_s);
    QTRY_COMPARE_WITH_TIMEOUT(bar->value(), 1, 10000);
    QCOMPARE(bar->maximum(), 2);
}

void TestProjects::deleteAsksAndTakesTheTasks()
{
    const QString id = store().projects().create({{u"title"_s, u"Doomed"_s}}).value(u"id"_s).toString();
    const QString task = m_http->createTask({{u"title"_s, u"part of it"_s}, {u"project_id"_s, id}});
    pane()->selectProject(id);
    QString question;
    answerNextMessageBox(QMessageBox::No, &question);
    QTest::mouseClick(button(u"deleteProject"_s), Qt::LeftButton);
    QVERIFY2(question.contains(u"Doomed"_s) && question.contains(u"1 task"_s), qPrintable(question));
    QCOMPARE(m_http->get(kApi + u"/projects/"_s + id).status, 200);   // "No" deletes nothing
    answerNextMessageBox(QMessageBox::Yes);
    QTest::mouseClick(button(u"deleteProject"_s), Qt::LeftButton);
    const HttpResponse gone = m_http->get(kApi + u"/projects/"_s + id);
    QCOMPARE(gone.status, 404);
    QCOMPARE(gone.object().value(u"detail"_s).toString(), u"Project not found"_s);
    QCOMPARE(m_http->get(kApi + u"/tasks/"_s + task).status, 404);   // its tasks went with it
    QCOMPARE(pane()->model()->rowOf(id), -1);
    QVERIFY(pane()->selectedProjectId().isEmpty());
}

void TestProjects::requirementsRenderedAndTasksListed()
{
    const QString id = createInGui(u"Docs"_s, u"# Requirements\n\nThe **manual** must cover:\n\n1. install\n2. use\n"_s);
    auto *browser = pane()->findChild<QTextBrowser *>(u"projectRequirements"_s);
    // Rendered, not shown as source: a level-1 heading, bold text, a list.
    const QString text = browser->document()->toPlainText();
    QVERIFY2(text.startsWith(u"Requirements\n"_s) && !text.contains(u'#') && !text.contains(u"**"_s), qPrintable(text));
    QCOMPARE(browser->document()->begin().blockFormat().headingLevel(), 1);
    QVERIFY(browser->document()->toHtml().contains(u"font-weight:700"_s));
    // Edit: the document is updated, not duplicated.
    const QString documentId = store().projects().get(id).value(u"prd_document_id"_s).toString();
    onNextDialog([](QDialog *d) {
        auto *edit = d->findChild<QPlainTextEdit *>(u"projectRequirements"_s);
        QVERIFY(edit->toPlainText().startsWith(u"# Requirements"_s));   // prefilled with the Markdown
        edit->setPlainText(u"# Requirements v2\n"_s);
        d->findChild<QLineEdit *>(u"projectTitle"_s)->setText(u"Docs and manual"_s);
    });
    QTest::mouseClick(button(u"editProject"_s), Qt::LeftButton);
    const QJsonObject project = m_http->get(kApi + u"/projects/"_s + id).object().value(u"project"_s).toObject();
    QCOMPARE(project.value(u"title"_s).toString(), u"Docs and manual"_s);
    QCOMPARE(project.value(u"prd_document_id"_s).toString(), documentId);
    const QJsonObject document = m_http->get(kApi + u"/documents/"_s + documentId).object().value(u"document"_s).toObject();
    QCOMPARE(document.value(u"content"_s).toString(), u"# Requirements v2\n"_s);
    QCOMPARE(document.value(u"version"_s).toInt(), 2);
    QTRY_VERIFY(browser->document()->toPlainText().startsWith(u"Requirements v2"_s));

    // The project's tasks, added in the pane and through the API.
    onNextDialog([](QDialog *d) { d->findChild<QLineEdit *>()->setText(u"Write the install chapter"_s); });
    QTest::mouseClick(button(u"addProjectTask"_s), Qt::LeftButton);
    m_http->createTask({{u"title"_s, u"Proofread"_s}, {u"project_id"_s, id}});
    auto *tasks = pane()->findChild<QListWidget *>(u"projectTasks"_s);
    QTRY_COMPARE_WITH_TIMEOUT(tasks->count(), 2, 10000);
    QVERIFY(tasks->item(0)->text().startsWith(u"Write the install chapter"_s));
    QVERIFY(tasks->item(1)->text().startsWith(u"Proofread"_s));
    QCOMPARE(m_http->get(kApi + u"/projects/"_s + id).object().value(u"project"_s).toObject()
                     .value(u"task_ids"_s).toArray().size(), 2);
    // A change in the store (here a task's status through the API) updates the
    // list in place: the row the user picked stays current and shows the change.
    tasks->setCurrentRow(1);
    QListWidgetItem *picked = tasks->currentItem();
    QCOMPARE(m_http->patch(kApi + u"/tasks/"_s + picked->data(Qt::UserRole).toString(),
                           {{u"status"_s, u"review"_s}}).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(tasks->item(1)->text().endsWith(u"Review"_s), 10000);
    QCOMPARE(tasks->currentItem(), picked);
    QCOMPARE(tasks->count(), 2);
    // Activating a task shows it in the window.
    Q_EMIT tasks->itemActivated(tasks->item(1));
    QCOMPARE(store().fetch(taskTable(), m_window->selectedTaskId()).value(u"title"_s).toString(), u"Proofread"_s);
}

void TestProjects::openFolderOpensTheProjectFolder()
{
    UrlCatcher catcher;
    QDesktopServices::setUrlHandler(u"file"_s, &catcher, "open");
    const QString id = store().projects().create({{u"title"_s, u"Folder"_s}}).value(u"id"_s).toString();
    pane()->selectProject(id);
    QTest::mouseClick(button(u"openProjectFolder"_s), Qt::LeftButton);
    QDesktopServices::unsetUrlHandler(u"file"_s);
    QCOMPARE(catcher.opened.size(), 1);
    const QString folder = m_http->get(kApi + u"/projects"_s).object().value(u"projects"_s).toArray().first()
                                   .toObject().value(u"folder_path"_s).toString();
    QCOMPARE(catcher.opened.first(), QUrl::fromLocalFile(folder));
    QVERIFY(QFileInfo(folder).isDir());
}

void TestProjects::errorsAreShown()
{
    const QString id = store().projects().create({{u"title"_s, u"Vanishing"_s}}).value(u"id"_s).toString();
    pane()->selectProject(id);
    // Deleted by a script while selected, before the pane heard of it.
    QCOMPARE(m_http->del(kApi + u"/projects/"_s + id).status, 200);
    pane()->approve();
    QCOMPARE(pane()->errorText(), u"The project's status was not changed: Project not found"_s);
    QVERIFY(m_window->statusMessage().contains(u"Project not found"_s));
    QTRY_COMPARE_WITH_TIMEOUT(pane()->model()->rowCount(), 0, 10000);
}

void TestProjects::screenshot()
{
    const QString id = createInGui(u"Website relaunch"_s,
            u"# Website relaunch\n\nA faster, accessible site.\n\n## Must have\n\n- pages load in **under 1 s**\n"
            "- keyboard navigation everywhere\n- the old URLs redirect\n"_s);
    for (const QString &t : {u"Audit the current pages"_s, u"Design the templates"_s, u"Set up redirects"_s})
        store().tasks().create({{u"title"_s, t}, {u"project_id"_s, id}});
    const QString first = store().tasks().forProject(id).first().value(u"id"_s).toString();
    store().tasks().setStatus(first, u"done"_s, QJsonValue());
    store().projects().setStatus(id, u"executing"_s);
    store().projects().create({{u"title"_s, u"Quarterly report"_s}});
    pane()->selectProject(id);
    QTRY_COMPARE_WITH_TIMEOUT(pane()->findChild<QListWidget *>(u"projectTasks"_s)->count(), 3, 10000);
    pane()->findChild<QTabWidget *>(u"projectTabs"_s)->setCurrentIndex(1);
    auto *dock = m_window->findChild<QDockWidget *>(u"projectsDock"_s);
    dock->setFloating(true);
    dock->resize(1000, 420);
    QTest::qWait(200);
    QVERIFY(saveScreenshot(dock, u"projects-pane"_s));
}

QTEST_MAIN(TestProjects)
#include "tst_projects.moc"
