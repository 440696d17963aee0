// The real main window, driven like a user would in everyday use: create an
// agent (command backend) and a task through the dialogs, run it, watch the
// output arrive, stop it, post a message; Run queues at capacity; quitting
// while runs go asks first; editing, filtering and the keyboard lose nothing;
// a screenshot is saved. What a run leaves in the window: tst_runresults.

#include "agentmodel.h"
#include "agentrepository.h"
#include "executor.h"
#include "mainwindow.h"
#include "outputview.h"
#include "queuetesting.h"
#include "settingsdialog.h"
#include "store.h"
#include "taskdetail.h"
#include "taskmodel.h"
#include "taskrepository.h"
#include "windowfixture.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTableView>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture.startOnTestSettings(); }
    void cleanup() { m_fixture.stop(); }

    void createRunWatchStop();
    void postMessage();
    void runQueuesAtCapacity();
    void screenshot();
    void quitWhileRunningAsksFirst();
    void newAgentCommandSplitLikeShell();
    void unsavedDescriptionIsNotLost();
    void filterNeverPicksAnotherTask();
    void keyboardFlow();
    void agentNamesFollowTheStore();
    void windowFitsTheScreen();

private:
    WindowFixture m_fixture;
};

void TestMainWindow::createRunWatchStop()
{
    // New Agent dialog, command backend.
    onNextDialog([](QDialog *d) {
        d->findChild<QLineEdit *>(u"agentName"_s)->setText(u"Printer"_s);
        d->findChild<QLineEdit *>(u"agentRole"_s)->setText(u"prints lines"_s);
        auto *backend = d->findChild<QComboBox *>(u"agentBackend"_s);
        backend->setCurrentIndex(backend->findData(u"command"_s));
        d->findChild<QLineEdit *>(u"agentCommand"_s)
                ->setText(u"/bin/sh -c \"echo hello from the agent; trap '' TERM; while true; do echo tick; sleep 0.1; done\""_s);
    });
    for (QAction *a : m_fixture.window().findChildren<QAction *>()) {
        if (a->text() == u"New Agent"_s) {
            a->trigger();
            break;
        }
    }
    QTRY_COMPARE(m_fixture.window().agentModel()->rowCount(), 1);
    const QJsonObject agent = m_fixture.window().agentModel()->agents().first();
    QCOMPARE(agent.value(u"backend"_s).toString(), u"command"_s);
    QCOMPARE(agent.value(u"metadata"_s).toObject().value(u"backend_config"_s).toObject().value(u"command"_s).toArray().size(), 3);

    // New Task dialog, assigned to the agent.
    onNextDialog([](QDialog *d) {
        d->findChild<QLineEdit *>(u"taskTitle"_s)->setText(u"Print things"_s);
        auto *assignees = d->findChild<QListWidget *>();
        assignees->item(0)->setCheckState(Qt::Checked);
    });
    for (QAction *a : m_fixture.window().findChildren<QAction *>()) {
        if (a->text() == u"New Task"_s) {
            a->trigger();
            break;
        }
    }
    QTRY_COMPARE(m_fixture.window().taskModel()->rowCount(), 1);
    const QString taskId = m_fixture.window().taskModel()->taskId(0);
    QCOMPARE(m_fixture.window().selectedTaskId(), taskId);

    // Run: the agent picker defaults to the first assignee.
    QTimer::singleShot(50, [] {
        auto *picker = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        QVERIFY(picker);
        QVERIFY(picker->textValue().startsWith(u"Printer"_s));
        picker->accept();
    });
    QVERIFY(m_fixture.window().runAction()->isEnabled());
    m_fixture.window().runAction()->trigger();
    QTRY_VERIFY(m_fixture.executor().isRunning(taskId));
    QTRY_VERIFY(m_fixture.window().outputView()->plainText().contains(u"hello from the agent"_s));
    QTRY_VERIFY(m_fixture.window().outputView()->plainText().count(u"tick"_s) >= 3);
    QVERIFY(m_fixture.window().stopAction()->isEnabled());
    QVERIFY(!m_fixture.window().runAction()->isEnabled());

    // Stop: the agent ignores SIGTERM and is killed after the grace period.
    m_fixture.window().stopAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!m_fixture.executor().isRunning(taskId), 10000);
    QTRY_COMPARE(m_fixture.window().taskModel()->index(0, TaskTableModel::Status).data().toString(), u"Blocked"_s);
    QVERIFY(m_fixture.window().runAction()->isEnabled());
}

void TestMainWindow::postMessage()
{
    const QString agent = m_fixture.store().agents().create({{u"name"_s, u"Lea"_s}, {u"role"_s, u"r"_s}}).value(u"id"_s).toString();
    const QString task = m_fixture.store().tasks().create({{u"title"_s, u"Discuss"_s}}).value(u"id"_s).toString();
    m_fixture.window().selectTask(task);
    QCOMPARE(m_fixture.window().taskDetail()->taskId(), task);
    auto *input = m_fixture.window().findChild<QLineEdit *>(u"messageInput"_s);
    input->setText(u"please look @lea"_s);
    QVERIFY(m_fixture.window().taskDetail()->postMessage());
    QCOMPARE(input->text(), QString());
    auto *list = m_fixture.window().findChild<QListWidget *>(u"messageList"_s);
    QCOMPARE(list->count(), 1);
    QVERIFY(list->item(0)->text().contains(u"please look @lea"_s));
    QCOMPARE(m_fixture.store().count(u"SELECT COUNT(*) FROM notifications WHERE agent_id = ? AND type = 'mention'"_s, {agent}), 1);
    // Status editor changes the task through the core.
    auto *status = m_fixture.window().findChild<QComboBox *>(u"statusEditor"_s);
    status->setCurrentIndex(status->findData(u"review"_s));
    Q_EMIT status->activated(status->currentIndex());
    QCOMPARE(m_fixture.store().tasks().get(task).value(u"status"_s).toString(), u"review"_s);
}

void TestMainWindow::runQueuesAtCapacity()
{
    const QString agent = m_fixture.store().agents().create(shellAgent(u"Sleeper"_s, u"sleep 30"_s)).value(u"id"_s).toString();
    QStringList tasks;
    for (int i = 0; i < 6; ++i)
        tasks.append(m_fixture.store().tasks().create({{u"title"_s, u"t%1"_s.arg(i)}}).value(u"id"_s).toString());
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_fixture.window().runTask(tasks.at(i), agent));
    m_fixture.window().selectTask(tasks.at(5));
    QTRY_COMPARE(m_fixture.window().selectedTaskId(), tasks.at(5));
    // Every slot is taken: Run queues the task, which then shows "Queued (#1)".
    QVERIFY(m_fixture.window().runAction()->isEnabled());
    QVERIFY(m_fixture.window().runAction()->toolTip().contains(u"queue the selected task"_s));
    QVERIFY(m_fixture.window().runTask(tasks.at(5), agent));
    QCOMPARE(m_fixture.window().statusMessage(), u"“t5” queued at position 1"_s);
    QVERIFY(!m_fixture.window().runAction()->isEnabled());
    auto *model = m_fixture.window().findChild<TaskTableModel *>();
    QVERIFY(model);
    bool shown = false;
    for (int row = 0; row < model->rowCount(); ++row)
        shown = shown || model->index(row, 1).data().toString() == u"Queued (#1)"_s;
    QVERIFY(shown);
    // A slot frees: the queued task starts by itself.
    m_fixture.executor().stop(tasks.at(0));
    QTRY_VERIFY_WITH_TIMEOUT(m_fixture.executor().isRunning(tasks.at(5)), 10000);
}

void TestMainWindow::screenshot()
{
    const QString agent = m_fixture.store().agents().create(shellAgent(u"Narrator"_s,
            u"echo 'Reading the brief'; echo 'Drafting section 1'; sleep 0.2; echo 'Drafting section 2'; sleep 30"_s)).value(u"id"_s).toString();
    m_fixture.store().agents().create({{u"name"_s, u"Reviewer"_s}, {u"role"_s, u"reviews drafts"_s}, {u"backend"_s, u"openai"_s}});
    const QString done = m_fixture.store().tasks().create({{u"title"_s, u"Collect requirements"_s}, {u"priority"_s, u"high"_s}}).value(u"id"_s).toString();
    m_fixture.store().tasks().setStatus(done, u"done"_s, QJsonValue());
    m_fixture.store().tasks().create({{u"title"_s, u"Review the draft"_s}, {u"assignee_ids"_s, QJsonArray{agent}}});
    const QString blocked = m_fixture.store().tasks().create({{u"title"_s, u"Publish"_s}, {u"priority"_s, u"low"_s}}).value(u"id"_s).toString();
    m_fixture.store().tasks().setStatus(blocked, u"blocked"_s, QJsonValue());
    const QString running = m_fixture.store().tasks().create({{u"title"_s, u"Write the report"_s}, {u"priority"_s, u"urgent"_s},
                                                    {u"description"_s, u"Two sections, plain language."_s}}).value(u"id"_s).toString();
    QVERIFY(m_fixture.window().runTask(running, agent));
    m_fixture.window().selectTask(running);
    QTRY_VERIFY(m_fixture.window().outputView()->plainText().contains(u"Drafting section 2"_s));
    QTest::qWait(300);
    const QString dir = QCoreApplication::applicationDirPath() + u"/screenshots"_s;
    QDir().mkpath(dir);
    const QString path = dir + u"/main-window.png"_s;
    QVERIFY(m_fixture.window().grab().save(path));
    qInfo() << "screenshot saved to" << path;
    m_fixture.executor().stop(running);
}

void TestMainWindow::quitWhileRunningAsksFirst()
{
    const QString agent = m_fixture.store().agents().create(shellAgent(u"Sleeper"_s, u"echo started; sleep 30"_s)).value(u"id"_s).toString();
    const QString task = m_fixture.store().tasks().create({{u"title"_s, u"Long job"_s}}).value(u"id"_s).toString();
    QVERIFY(m_fixture.window().runTask(task, agent));
    QTRY_COMPARE(m_fixture.executor().running(), 1);
    QString asked;
    // Answers the question the window asks while close() runs its dialog.
    const auto answer = [&asked](QMessageBox::StandardButton button) {
        QTimer::singleShot(100, [&asked, button] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            asked = box->text();
            box->button(button)->click();
        });
    };
    answer(QMessageBox::No);
    QVERIFY(!m_fixture.window().close());
    QVERIFY2(asked.contains(u"1 run(s) still going"_s) && asked.contains(u"recorded as stopped"_s), qPrintable(asked));
    QVERIFY(m_fixture.window().isVisible());
    QCOMPARE(m_fixture.executor().running(), 1);

    asked.clear();
    answer(QMessageBox::Yes);
    QVERIFY(m_fixture.window().close());
    QVERIFY(!asked.isEmpty());
    m_fixture.executor().stop(task);
    QTRY_COMPARE(m_fixture.executor().running(), 0);
    // Nothing running: no question.
    m_fixture.window().show();
    QVERIFY(m_fixture.window().close());
}

void TestMainWindow::newAgentCommandSplitLikeShell()
{
    // Point 5: single quotes keep `echo a b` one argument; the argv is shown before saving.
    QString shown;
    bool createEnabledWhileOpen = true;
    onNextDialog([&](QDialog *d) {
        QTest::keyClicks(d->findChild<QLineEdit *>(u"agentName"_s), u"Quoter"_s);
        QTest::keyClicks(d->findChild<QLineEdit *>(u"agentRole"_s), u"quotes"_s);
        auto *backend = d->findChild<QComboBox *>(u"agentBackend"_s);
        backend->setCurrentIndex(backend->findData(u"command"_s));
        auto *command = d->findChild<QLineEdit *>(u"agentCommand"_s);
        QTest::keyClicks(command, u"sh -c 'echo \"a  b\"; echo \"it'\\''s\""_s);   // a quote left open
        createEnabledWhileOpen = d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
        QTest::keyClicks(command, u"'"_s);
        shown = d->findChild<QLabel *>(u"agentArgv"_s)->text();
        if (QDir().exists(QDir::tempPath())) {
            d->grab().save(QDir::tempPath() + u"/mc-ui-new-agent.png"_s);
        }
    });
    for (QAction *a : m_fixture.window().findChildren<QAction *>()) {
        if (a->text() == u"New Agent"_s) {
            a->trigger();
            break;
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.window().agentModel()->rowCount(), 1, 20000);
    QVERIFY(!createEnabledWhileOpen);
    QCOMPARE(shown, u"3 argument(s): ⟨sh⟩ ⟨-c⟩ ⟨echo \"a  b\"; echo \"it's\"⟩"_s);
    const QJsonArray argv = m_fixture.window().agentModel()->agents().first().value(u"metadata"_s).toObject()
                                    .value(u"backend_config"_s).toObject().value(u"command"_s).toArray();
    QCOMPARE(argv, (QJsonArray{u"sh"_s, u"-c"_s, u"echo \"a  b\"; echo \"it's\""_s}));
    const QString task = m_fixture.store().tasks().create({{u"title"_s, u"Quote"_s}}).value(u"id"_s).toString();
    m_fixture.window().selectTask(task);
    QVERIFY(m_fixture.window().runTask(task, m_fixture.window().agentModel()->agents().first().value(u"id"_s).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(!m_fixture.executor().isRunning(task), 20000);
    QVERIFY2(m_fixture.store().tasks().get(task).value(u"status"_s).toString() == u"done"_s,
             qPrintable(m_fixture.window().outputView()->runStateText()));
    QTRY_VERIFY_WITH_TIMEOUT(m_fixture.window().outputView()->plainText().contains(u"a  b\nit's"_s), 20000);
}

void TestMainWindow::unsavedDescriptionIsNotLost()
{
    // Point 6: Save only when there is something to save; switching tasks asks.
    const QString a = m_fixture.store().tasks().create({{u"title"_s, u"First"_s}, {u"description"_s, u"old"_s}}).value(u"id"_s).toString();
    const QString b = m_fixture.store().tasks().create({{u"title"_s, u"Second"_s}}).value(u"id"_s).toString();
    const QJsonValue bDescription = m_fixture.store().tasks().get(b).value(u"description"_s);
    m_fixture.window().selectTask(a);
    auto *editor = m_fixture.window().findChild<QPlainTextEdit *>(u"descriptionEditor"_s);
    auto *save = m_fixture.window().findChild<QPushButton *>(u"saveDescription"_s);
    QCOMPARE(editor->toPlainText(), u"old"_s);
    QVERIFY(!save->isEnabled());
    editor->setFocus();
    editor->moveCursor(QTextCursor::End);
    QTest::keyClicks(editor, u" and new"_s);
    QVERIFY(save->isEnabled());
    // Another task: the question comes, Save keeps the edit.
    QString asked;
    QTimer::singleShot(100, [&asked] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        asked = box->text();
        box->button(QMessageBox::Save)->click();
    });
    m_fixture.window().selectTask(b);
    // Asked once the selection has changed (tst_outputpane checks that).
    QTRY_VERIFY2(asked.contains(u"“First”"_s), qPrintable(asked));
    QCOMPARE(m_fixture.store().tasks().get(a).value(u"description"_s).toString(), u"old and new"_s);
    QVERIFY(!save->isEnabled());
    // A store change while editing keeps the edit; Discard drops it.
    editor->setFocus();
    QTest::keyClicks(editor, u"draft"_s);
    m_fixture.store().tasks().update(b, {{u"priority"_s, u"high"_s}});
    QCOMPARE(editor->toPlainText(), u"draft"_s);
    bool discarded = false;
    QTimer::singleShot(100, [&discarded] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        box->button(QMessageBox::Discard)->click();
        discarded = true;
    });
    m_fixture.window().selectTask(a);
    QTRY_VERIFY(discarded);
    QCOMPARE(m_fixture.store().tasks().get(b).value(u"description"_s), bDescription);
    QCOMPARE(editor->toPlainText(), u"old and new"_s);
    editor->moveCursor(QTextCursor::End);
    // Typing back to the stored text disables Save again; the button saves.
    QTest::keyClick(editor, Qt::Key_X);
    QVERIFY(save->isEnabled());
    QTest::keyClick(editor, Qt::Key_Backspace);
    QVERIFY(!save->isEnabled());
    QTest::keyClick(editor, Qt::Key_Y);
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(m_fixture.store().tasks().get(a).value(u"description"_s).toString(), u"old and newy"_s);
    QVERIFY(!save->isEnabled());
}

void TestMainWindow::filterNeverPicksAnotherTask()
{
    // Point 7: a filter that hides the picked task leaves nothing selected.
    const QString alpha = m_fixture.store().tasks().create({{u"title"_s, u"alpha"_s}}).value(u"id"_s).toString();
    const QString beta = m_fixture.store().tasks().create({{u"title"_s, u"beta"_s}}).value(u"id"_s).toString();
    m_fixture.store().tasks().create({{u"title"_s, u"gamma"_s}});
    m_fixture.window().selectTask(alpha);
    QCOMPARE(m_fixture.window().selectedTaskId(), alpha);
    QTest::keyClicks(m_fixture.window().textFilter(), u"a"_s);   // all three still shown
    QCOMPARE(m_fixture.window().selectedTaskId(), alpha);
    QTest::keyClicks(m_fixture.window().textFilter(), u"m"_s);   // "am": gamma only
    QCOMPARE(m_fixture.window().selectedTaskId(), QString());
    QVERIFY(!m_fixture.window().runAction()->isEnabled());
    QVERIFY(m_fixture.window().statusMessage().contains(u"“alpha” is hidden by the filter"_s));
    QCOMPARE(m_fixture.window().taskDetail()->taskId(), QString());
    QTest::keyClick(m_fixture.window().textFilter(), Qt::Key_Backspace);
    QCOMPARE(m_fixture.window().selectedTaskId(), alpha);   // picked again once shown
    auto *status = m_fixture.window().findChild<QComboBox *>(u"statusFilter"_s);
    m_fixture.store().tasks().setStatus(beta, u"done"_s, QJsonValue());
    m_fixture.window().taskModel()->applyPending();
    status->setCurrentIndex(status->findData(u"done"_s));
    QCOMPARE(m_fixture.window().selectedTaskId(), QString());
    status->setCurrentIndex(0);
    QCOMPARE(m_fixture.window().selectedTaskId(), alpha);
}

void TestMainWindow::keyboardFlow()
{
    // Point 10.
    m_fixture.store().tasks().create({{u"title"_s, u"older"_s}});
    m_fixture.window().taskModel()->applyPending();
    m_fixture.window().taskView()->setFocus();
    QTest::keyClick(m_fixture.window().taskView(), Qt::Key_Down);
    bool tabMovedFocus = false;
    onNextDialog([&tabMovedFocus](QDialog *d) {
        auto *title = d->findChild<QLineEdit *>(u"taskTitle"_s);
        QTest::keyClicks(title, u"newest"_s);
        auto *description = d->findChild<QPlainTextEdit *>(u"taskDescription"_s);
        description->setFocus();
        QTest::keyClicks(description, u"text"_s);
        QTest::keyClick(description, Qt::Key_Tab);
        tabMovedFocus = !description->hasFocus() && description->toPlainText() == u"text"_s;
    });
    for (QAction *a : m_fixture.window().findChildren<QAction *>()) {
        if (a->text() == u"New Task"_s) {
            a->trigger();
            break;
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.window().taskModel()->rowCount(), 2, 20000);
    QVERIFY(tabMovedFocus);
    const QString newest = m_fixture.window().selectedTaskId();
    QCOMPARE(m_fixture.store().tasks().get(newest).value(u"title"_s).toString(), u"newest"_s);
    QCOMPARE(m_fixture.window().taskView()->currentIndex().data(TaskTableModel::TaskIdRole).toString(), newest);
    // Ctrl+F to the filter, Tab on to the list, Escape clears the filter.
    m_fixture.window().activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&m_fixture.window()));
    QTest::keySequence(&m_fixture.window(), QKeySequence::Find);
    QTRY_VERIFY_WITH_TIMEOUT(m_fixture.window().textFilter()->hasFocus(), 20000);
    QTest::keyClicks(m_fixture.window().textFilter(), u"new"_s);
    QTest::keyClick(m_fixture.window().textFilter(), Qt::Key_Escape);
    QCOMPARE(m_fixture.window().textFilter()->text(), QString());
    QTest::keyClick(m_fixture.window().textFilter(), Qt::Key_Tab);
    QVERIFY(m_fixture.window().taskView()->hasFocus());
}

void TestMainWindow::agentNamesFollowTheStore()
{
    // Point 12: renamed and deleted agents, sorting by the Updated time, splitter, Settings port.
    const QString agent = m_fixture.store().agents().create({{u"name"_s, u"Ada"_s}, {u"role"_s, u"r"_s}}).value(u"id"_s).toString();
    const QString task = m_fixture.store().tasks().create({{u"title"_s, u"Assigned"_s}, {u"assignee_ids"_s, QJsonArray{agent}}})
                                 .value(u"id"_s).toString();
    m_fixture.window().selectTask(task);
    auto *people = m_fixture.label(u"taskPeople"_s);
    QVERIFY(people->text().contains(u"Assignees: Ada"_s));
    m_fixture.store().agents().update(agent, {{u"name"_s, u"Grace"_s}});
    QTRY_VERIFY2_WITH_TIMEOUT(people->text().contains(u"Assignees: Grace"_s), qPrintable(people->text()), 20000);
    m_fixture.store().agents().remove(agent);
    QTRY_VERIFY2_WITH_TIMEOUT(people->text().contains(u"Assignees: (deleted agent)"_s), qPrintable(people->text()), 20000);
    QTRY_COMPARE(m_fixture.window().taskModel()->index(m_fixture.window().taskModel()->rowOf(task), TaskTableModel::Assignees).data().toString(),
                 u"(deleted agent)"_s);

    // The output pane cannot take the detail's whole height.
    auto *splitter = qobject_cast<QSplitter *>(m_fixture.window().taskDetail()->parentWidget());
    QVERIFY(splitter);
    splitter->setSizes({0, 1000});
    QVERIFY(splitter->sizes().at(0) > 0);
    QVERIFY(!splitter->childrenCollapsible());

    // Settings says which port the server is on now.
    SettingsDialog settings(QUrl(m_fixture.base()).port(), &m_fixture.window());
    auto *running = settings.findChild<QLabel *>(u"runningPort"_s);
    QVERIFY(running);
    QVERIFY(running->text().contains(QString::number(QUrl(m_fixture.base()).port())));
}

void TestMainWindow::windowFitsTheScreen()
{
    const QRect available = m_fixture.window().screen()->availableGeometry();
    QVERIFY2(available.contains(m_fixture.window().frameGeometry()),
             qPrintable(u"%1x%2 window on %3x%4"_s.arg(m_fixture.window().frameGeometry().width()).arg(m_fixture.window().frameGeometry().height())
                                .arg(available.width()).arg(available.height())));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
