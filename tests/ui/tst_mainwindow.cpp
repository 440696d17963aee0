// The real main window, driven like a user would: create an agent (command
// backend) and a task through the dialogs, run it, watch the output arrive,
// stop it, post a message; Run is disabled at capacity; a screenshot is saved.

#include "agentmodel.h"
#include "agentrepository.h"
#include "executor.h"
#include "mainwindow.h"
#include "outputview.h"
#include "store.h"
#include "taskdetail.h"
#include "taskmodel.h"
#include "taskrepository.h"
#include "testserver.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QInputDialog>
#include <QJsonArray>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QLabel>
#include <QDialogButtonBox>
#include "runrepository.h"
#include "runstate.h"
#include "settingsdialog.h"
#include <QTextBlock>
#include <QTextBrowser>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

namespace {

// Runs `interact` on the next modal dialog, then accepts it.
void onNextDialog(const std::function<void(QDialog *)> &interact)
{
    QTimer::singleShot(50, [interact] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        interact(dialog);
        QMetaObject::invokeMethod(dialog, "accept", Qt::QueuedConnection);
    });
}

QJsonObject shellAgent(const QString &name, const QString &script)
{
    return {{u"name"_s, name}, {u"role"_s, u"worker"_s}, {u"backend"_s, u"command"_s},
            {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                          QJsonObject{{u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s, script}}}}}}};
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        m_window = std::make_unique<MainWindow>(store(), executor(), QUrl(m_server->base()), m_server->token());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void cleanup()
    {
        m_window.reset();
        m_server.reset();
    }

    void createRunWatchStop();
    void postMessage();
    void runQueuesAtCapacity();
    void deliverableRendered();
    void screenshot();
    void quitWhileRunningAsksFirst();
    void failedRunShowsItsError();
    void stoppedRunSaysSoEverywhere();
    void newAgentCommandSplitLikeShell();
    void unsavedDescriptionIsNotLost();
    void filterNeverPicksAnotherTask();
    void keyboardFlow();
    void documentsTellRunsApart();
    void agentNamesFollowTheStore();
    void windowFitsTheScreen();
    void longRunOpensAtOnceAndScrollsFully();

private:
    QLabel *label(const QString &name) { return m_window->findChild<QLabel *>(name); }
    void saveScreenshot(const QString &name)
    {
        const QString path = QDir::tempPath() + u"/mc-ui-"_s + name + u".png"_s;
        QVERIFY(m_window->grab().save(path));
        qInfo() << "screenshot" << path;
    }
    Store &store() { return m_server->app().store(); }
    Executor &executor() { return m_server->app().executor(); }
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<MainWindow> m_window;
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
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->text() == u"New Agent"_s) {
            a->trigger();
            break;
        }
    }
    QTRY_COMPARE(m_window->agentModel()->rowCount(), 1);
    const QJsonObject agent = m_window->agentModel()->agents().first();
    QCOMPARE(agent.value(u"backend"_s).toString(), u"command"_s);
    QCOMPARE(agent.value(u"metadata"_s).toObject().value(u"backend_config"_s).toObject().value(u"command"_s).toArray().size(), 3);

    // New Task dialog, assigned to the agent.
    onNextDialog([](QDialog *d) {
        d->findChild<QLineEdit *>(u"taskTitle"_s)->setText(u"Print things"_s);
        auto *assignees = d->findChild<QListWidget *>();
        assignees->item(0)->setCheckState(Qt::Checked);
    });
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->text() == u"New Task"_s) {
            a->trigger();
            break;
        }
    }
    QTRY_COMPARE(m_window->taskModel()->rowCount(), 1);
    const QString taskId = m_window->taskModel()->taskId(0);
    QCOMPARE(m_window->selectedTaskId(), taskId);

    // Run: the agent picker defaults to the first assignee.
    QTimer::singleShot(50, [] {
        auto *picker = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        QVERIFY(picker);
        QVERIFY(picker->textValue().startsWith(u"Printer"_s));
        picker->accept();
    });
    QVERIFY(m_window->runAction()->isEnabled());
    m_window->runAction()->trigger();
    QTRY_VERIFY(executor().isRunning(taskId));
    QTRY_VERIFY(m_window->outputView()->plainText().contains(u"hello from the agent"_s));
    QTRY_VERIFY(m_window->outputView()->plainText().count(u"tick"_s) >= 3);
    QVERIFY(m_window->stopAction()->isEnabled());
    QVERIFY(!m_window->runAction()->isEnabled());

    // Stop: the agent ignores SIGTERM and is killed after the grace period.
    m_window->stopAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(taskId), 10000);
    QTRY_COMPARE(m_window->taskModel()->index(0, TaskTableModel::Status).data().toString(), u"Blocked"_s);
    QVERIFY(m_window->runAction()->isEnabled());
}

void TestMainWindow::postMessage()
{
    const QString agent = store().agents().create({{u"name"_s, u"Lea"_s}, {u"role"_s, u"r"_s}}).value(u"id"_s).toString();
    const QString task = store().tasks().create({{u"title"_s, u"Discuss"_s}}).value(u"id"_s).toString();
    m_window->selectTask(task);
    QCOMPARE(m_window->taskDetail()->taskId(), task);
    auto *input = m_window->findChild<QLineEdit *>(u"messageInput"_s);
    input->setText(u"please look @lea"_s);
    QVERIFY(m_window->taskDetail()->postMessage());
    QCOMPARE(input->text(), QString());
    auto *list = m_window->findChild<QListWidget *>(u"messageList"_s);
    QCOMPARE(list->count(), 1);
    QVERIFY(list->item(0)->text().contains(u"please look @lea"_s));
    QCOMPARE(store().count(u"SELECT COUNT(*) FROM notifications WHERE agent_id = ? AND type = 'mention'"_s, {agent}), 1);
    // Status editor changes the task through the core.
    auto *status = m_window->findChild<QComboBox *>(u"statusEditor"_s);
    status->setCurrentIndex(status->findData(u"review"_s));
    Q_EMIT status->activated(status->currentIndex());
    QCOMPARE(store().tasks().get(task).value(u"status"_s).toString(), u"review"_s);
}

void TestMainWindow::runQueuesAtCapacity()
{
    const QString agent = store().agents().create(shellAgent(u"Sleeper"_s, u"sleep 30"_s)).value(u"id"_s).toString();
    QStringList tasks;
    for (int i = 0; i < 6; ++i)
        tasks.append(store().tasks().create({{u"title"_s, u"t%1"_s.arg(i)}}).value(u"id"_s).toString());
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_window->runTask(tasks.at(i), agent));
    m_window->selectTask(tasks.at(5));
    QTRY_COMPARE(m_window->selectedTaskId(), tasks.at(5));
    // Every slot is taken: Run queues the task, which then shows "Queued (#1)".
    QVERIFY(m_window->runAction()->isEnabled());
    QVERIFY(m_window->runAction()->toolTip().contains(u"queue the selected task"_s));
    QVERIFY(m_window->runTask(tasks.at(5), agent));
    QCOMPARE(m_window->statusMessage(), u"“t5” queued at position 1"_s);
    QVERIFY(!m_window->runAction()->isEnabled());
    auto *model = m_window->findChild<TaskTableModel *>();
    QVERIFY(model);
    bool shown = false;
    for (int row = 0; row < model->rowCount(); ++row)
        shown = shown || model->index(row, 1).data().toString() == u"Queued (#1)"_s;
    QVERIFY(shown);
    // A slot frees: the queued task starts by itself.
    executor().stop(tasks.at(0));
    QTRY_VERIFY_WITH_TIMEOUT(executor().isRunning(tasks.at(5)), 10000);
}

void TestMainWindow::deliverableRendered()
{
    // A run's deliverable is its output: Markdown where the agent wrote some,
    // every line kept as a line, code fences intact, huge texts cut with a note.
    const QString agent = store().agents().create(shellAgent(u"Author"_s,
            u"printf '# Report\\nfirst line\\nsecond line\\n```\\nlet x = 1\\n```\\n'"_s)).value(u"id"_s).toString();
    const QString task = store().tasks().create({{u"title"_s, u"Write it"_s}}).value(u"id"_s).toString();
    m_window->selectTask(task);
    QVERIFY(m_window->runTask(task, agent));
    QTRY_COMPARE(store().tasks().get(task).value(u"status"_s).toString(), u"done"_s);
    auto *view = m_window->findChild<QTextBrowser *>(u"documentView"_s);
    QTRY_VERIFY(view->toPlainText().contains(u"first line\nsecond line"_s));
    QVERIFY(!view->toPlainText().contains(u"# Report"_s));   // a heading, not text
    QVERIFY(view->toPlainText().contains(u"let x = 1"_s));
    QCOMPARE(view->document()->firstBlock().text(), u"Report"_s);
    QCOMPARE(view->document()->firstBlock().blockFormat().headingLevel(), 1);

    const QString big = store().tasks().create({{u"title"_s, u"Print a lot"_s}}).value(u"id"_s).toString();
    const QString printer = store().agents().create(shellAgent(u"Printer"_s, u"seq 1 20000"_s)).value(u"id"_s).toString();
    m_window->selectTask(big);
    QVERIFY(m_window->runTask(big, printer));
    QTRY_COMPARE(store().tasks().get(big).value(u"status"_s).toString(), u"done"_s);
    QTRY_VERIFY(view->toPlainText().contains(u"Showing the first 16 KB of 106 KB"_s));
    QVERIFY(view->toPlainText().startsWith(u"1\n2\n3\n"_s));
}

void TestMainWindow::screenshot()
{
    const QString agent = store().agents().create(shellAgent(u"Narrator"_s,
            u"echo 'Reading the brief'; echo 'Drafting section 1'; sleep 0.2; echo 'Drafting section 2'; sleep 30"_s)).value(u"id"_s).toString();
    store().agents().create({{u"name"_s, u"Reviewer"_s}, {u"role"_s, u"reviews drafts"_s}, {u"backend"_s, u"openai"_s}});
    const QString done = store().tasks().create({{u"title"_s, u"Collect requirements"_s}, {u"priority"_s, u"high"_s}}).value(u"id"_s).toString();
    store().tasks().setStatus(done, u"done"_s, QJsonValue());
    store().tasks().create({{u"title"_s, u"Review the draft"_s}, {u"assignee_ids"_s, QJsonArray{agent}}});
    const QString blocked = store().tasks().create({{u"title"_s, u"Publish"_s}, {u"priority"_s, u"low"_s}}).value(u"id"_s).toString();
    store().tasks().setStatus(blocked, u"blocked"_s, QJsonValue());
    const QString running = store().tasks().create({{u"title"_s, u"Write the report"_s}, {u"priority"_s, u"urgent"_s},
                                                    {u"description"_s, u"Two sections, plain language."_s}}).value(u"id"_s).toString();
    QVERIFY(m_window->runTask(running, agent));
    m_window->selectTask(running);
    QTRY_VERIFY(m_window->outputView()->plainText().contains(u"Drafting section 2"_s));
    QTest::qWait(300);
    const QString dir = QCoreApplication::applicationDirPath() + u"/screenshots"_s;
    QDir().mkpath(dir);
    const QString path = dir + u"/main-window.png"_s;
    QVERIFY(m_window->grab().save(path));
    qInfo() << "screenshot saved to" << path;
    executor().stop(running);
}

void TestMainWindow::quitWhileRunningAsksFirst()
{
    const QString agent = store().agents().create(shellAgent(u"Sleeper"_s, u"echo started; sleep 30"_s)).value(u"id"_s).toString();
    const QString task = store().tasks().create({{u"title"_s, u"Long job"_s}}).value(u"id"_s).toString();
    QVERIFY(m_window->runTask(task, agent));
    QTRY_COMPARE(executor().running(), 1);
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
    QVERIFY(!m_window->close());
    QVERIFY2(asked.contains(u"1 run(s) still going"_s) && asked.contains(u"recorded as stopped"_s), qPrintable(asked));
    QVERIFY(m_window->isVisible());
    QCOMPARE(executor().running(), 1);

    asked.clear();
    answer(QMessageBox::Yes);
    QVERIFY(m_window->close());
    QVERIFY(!asked.isEmpty());
    executor().stop(task);
    QTRY_COMPARE(executor().running(), 0);
    // Nothing running: no question.
    m_window->show();
    QVERIFY(m_window->close());
}

void TestMainWindow::failedRunShowsItsError()
{
    // Point 1: the error is where the output is, not one line in the Activity dock.
    const QString agent = store().agents().create(shellAgent(u"Crasher"_s,
            u"echo 'partial work'; echo 'cannot open input.txt' >&2; exit 3"_s)).value(u"id"_s).toString();
    const QString task = store().tasks().create({{u"title"_s, u"Parse input"_s}}).value(u"id"_s).toString();
    m_window->selectTask(task);
    QVERIFY(m_window->runTask(task, agent));
    QTRY_COMPARE_WITH_TIMEOUT(store().tasks().get(task).value(u"status"_s).toString(), u"blocked"_s, 20000);
    auto *state = label(u"runState"_s);
    // The store has the run's end a moment before the window hears of it.
    QTRY_VERIFY2_WITH_TIMEOUT(state->isVisible() && state->text().startsWith(u"Failed at "_s), qPrintable(state->text()), 20000);
    QVERIFY2(state->text().contains(u"code 3"_s) && state->text().contains(u"cannot open input.txt"_s), qPrintable(state->text()));
    QVERIFY(state->font().bold());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->outputView()->plainText().contains(u"partial work"_s), 20000);
    // The status bar tells the end, not "Crasher started".
    QVERIFY2(m_window->statusMessage().contains(u"“Parse input” failed: "_s), qPrintable(m_window->statusMessage()));
    // Point 3: the detail says why the task is blocked.
    auto *people = label(u"taskPeople"_s);
    QVERIFY2(!people->text().contains(u"Blocked by: nothing"_s), qPrintable(people->text()));
    QVERIFY2(people->text().contains(u"Blocked because its last run ended: Failed at"_s)
                     && people->text().contains(u"cannot open input.txt"_s), qPrintable(people->text()));
    saveScreenshot(u"failed-run"_s);
    // Another task and back: the state is read from the store.
    const QString other = store().tasks().create({{u"title"_s, u"Other"_s}}).value(u"id"_s).toString();
    m_window->selectTask(other);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->selectedTaskId(), other, 20000);
    QVERIFY(!state->isVisible());
    // Point 2: a non-modal banner tells of the failure; its button opens the task.
    auto *banner = m_window->findChild<QWidget *>(u"noticeBanner"_s);
    QVERIFY(banner->isVisible());
    QVERIFY(!QApplication::activeModalWidget());
    QVERIFY2(label(u"noticeText"_s)->text().startsWith(u"“Parse input” failed: Agent exited with code 3"_s),
             qPrintable(label(u"noticeText"_s)->text()));
    QTest::mouseClick(m_window->findChild<QPushButton *>(u"noticeOpen"_s), Qt::LeftButton);
    QCOMPARE(m_window->selectedTaskId(), task);
    QVERIFY(!banner->isVisible());
    QVERIFY(state->isVisible() && state->text().contains(u"code 3"_s));
}

void TestMainWindow::stoppedRunSaysSoEverywhere()
{
    // Point 4 (and 3): after a stop nothing still says "running" or "Stopping…".
    const QString agent = store().agents().create(shellAgent(u"Ticker"_s, u"echo one; sleep 30"_s)).value(u"id"_s).toString();
    const QString task = store().tasks().create({{u"title"_s, u"Tick"_s}}).value(u"id"_s).toString();
    m_window->selectTask(task);
    QVERIFY(m_window->runTask(task, agent));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->outputView()->plainText().contains(u"one"_s), 20000);
    executor().stop(task);
    QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(task), 10000);
    QVERIFY(m_window->runTask(task, agent));   // a second run: the picker appears
    auto *picker = m_window->findChild<QComboBox *>(u"runPicker"_s);
    QTRY_COMPARE_WITH_TIMEOUT(picker->count(), 2, 20000);
    QVERIFY2(picker->itemText(0).endsWith(u"· running"_s), qPrintable(picker->itemText(0)));
    QCOMPARE(label(u"runState"_s)->text().left(13), u"Running since"_s);
    m_window->stopAction()->trigger();
    QVERIFY2(m_window->statusMessage().contains(u"Stopping “Tick”"_s), qPrintable(m_window->statusMessage()));
    QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(task), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(picker->itemText(0).endsWith(u"· stopped"_s), qPrintable(picker->itemText(0)), 20000);
    QVERIFY2(!m_window->statusMessage().contains(u"Stopping"_s), qPrintable(m_window->statusMessage()));
    QVERIFY2(m_window->statusMessage().contains(u"“Tick” stopped"_s), qPrintable(m_window->statusMessage()));
    QVERIFY2(label(u"runState"_s)->text().startsWith(u"Stopped by the user at"_s), qPrintable(label(u"runState"_s)->text()));
    // Local time, as everywhere else in the window.
    const QJsonObject run = store().runs().get(m_window->outputView()->runId());
    QVERIFY(picker->itemText(0).startsWith(localTimeText(run.value(u"started_at"_s).toString())));
    QVERIFY(label(u"taskPeople"_s)->text().contains(u"last run ended: Stopped by the user"_s));
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
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->text() == u"New Agent"_s) {
            a->trigger();
            break;
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_window->agentModel()->rowCount(), 1, 20000);
    QVERIFY(!createEnabledWhileOpen);
    QCOMPARE(shown, u"3 argument(s): ⟨sh⟩ ⟨-c⟩ ⟨echo \"a  b\"; echo \"it's\"⟩"_s);
    const QJsonArray argv = m_window->agentModel()->agents().first().value(u"metadata"_s).toObject()
                                    .value(u"backend_config"_s).toObject().value(u"command"_s).toArray();
    QCOMPARE(argv, (QJsonArray{u"sh"_s, u"-c"_s, u"echo \"a  b\"; echo \"it's\""_s}));
    const QString task = store().tasks().create({{u"title"_s, u"Quote"_s}}).value(u"id"_s).toString();
    m_window->selectTask(task);
    QVERIFY(m_window->runTask(task, m_window->agentModel()->agents().first().value(u"id"_s).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(task), 20000);
    QVERIFY2(store().tasks().get(task).value(u"status"_s).toString() == u"done"_s,
             qPrintable(m_window->outputView()->runStateText()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->outputView()->plainText().contains(u"a  b\nit's"_s), 20000);
}

void TestMainWindow::unsavedDescriptionIsNotLost()
{
    // Point 6: Save only when there is something to save; switching tasks asks.
    const QString a = store().tasks().create({{u"title"_s, u"First"_s}, {u"description"_s, u"old"_s}}).value(u"id"_s).toString();
    const QString b = store().tasks().create({{u"title"_s, u"Second"_s}}).value(u"id"_s).toString();
    const QJsonValue bDescription = store().tasks().get(b).value(u"description"_s);
    m_window->selectTask(a);
    auto *editor = m_window->findChild<QPlainTextEdit *>(u"descriptionEditor"_s);
    auto *save = m_window->findChild<QPushButton *>(u"saveDescription"_s);
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
    m_window->selectTask(b);
    // Asked once the selection has changed (tst_outputpane checks that).
    QTRY_VERIFY2(asked.contains(u"“First”"_s), qPrintable(asked));
    QCOMPARE(store().tasks().get(a).value(u"description"_s).toString(), u"old and new"_s);
    QVERIFY(!save->isEnabled());
    // A store change while editing keeps the edit; Discard drops it.
    editor->setFocus();
    QTest::keyClicks(editor, u"draft"_s);
    store().tasks().update(b, {{u"priority"_s, u"high"_s}});
    QCOMPARE(editor->toPlainText(), u"draft"_s);
    bool discarded = false;
    QTimer::singleShot(100, [&discarded] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        box->button(QMessageBox::Discard)->click();
        discarded = true;
    });
    m_window->selectTask(a);
    QTRY_VERIFY(discarded);
    QCOMPARE(store().tasks().get(b).value(u"description"_s), bDescription);
    QCOMPARE(editor->toPlainText(), u"old and new"_s);
    editor->moveCursor(QTextCursor::End);
    // Typing back to the stored text disables Save again; the button saves.
    QTest::keyClick(editor, Qt::Key_X);
    QVERIFY(save->isEnabled());
    QTest::keyClick(editor, Qt::Key_Backspace);
    QVERIFY(!save->isEnabled());
    QTest::keyClick(editor, Qt::Key_Y);
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(store().tasks().get(a).value(u"description"_s).toString(), u"old and newy"_s);
    QVERIFY(!save->isEnabled());
}

void TestMainWindow::filterNeverPicksAnotherTask()
{
    // Point 7: a filter that hides the picked task leaves nothing selected.
    const QString alpha = store().tasks().create({{u"title"_s, u"alpha"_s}}).value(u"id"_s).toString();
    const QString beta = store().tasks().create({{u"title"_s, u"beta"_s}}).value(u"id"_s).toString();
    store().tasks().create({{u"title"_s, u"gamma"_s}});
    m_window->selectTask(alpha);
    QCOMPARE(m_window->selectedTaskId(), alpha);
    QTest::keyClicks(m_window->textFilter(), u"a"_s);   // all three still shown
    QCOMPARE(m_window->selectedTaskId(), alpha);
    QTest::keyClicks(m_window->textFilter(), u"m"_s);   // "am": gamma only
    QCOMPARE(m_window->selectedTaskId(), QString());
    QVERIFY(!m_window->runAction()->isEnabled());
    QVERIFY(m_window->statusMessage().contains(u"“alpha” is hidden by the filter"_s));
    QCOMPARE(m_window->taskDetail()->taskId(), QString());
    QTest::keyClick(m_window->textFilter(), Qt::Key_Backspace);
    QCOMPARE(m_window->selectedTaskId(), alpha);   // picked again once shown
    auto *status = m_window->findChild<QComboBox *>(u"statusFilter"_s);
    store().tasks().setStatus(beta, u"done"_s, QJsonValue());
    m_window->taskModel()->applyPending();
    status->setCurrentIndex(status->findData(u"done"_s));
    QCOMPARE(m_window->selectedTaskId(), QString());
    status->setCurrentIndex(0);
    QCOMPARE(m_window->selectedTaskId(), alpha);
}

void TestMainWindow::keyboardFlow()
{
    // Point 10.
    store().tasks().create({{u"title"_s, u"older"_s}});
    m_window->taskModel()->applyPending();
    m_window->taskView()->setFocus();
    QTest::keyClick(m_window->taskView(), Qt::Key_Down);
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
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->text() == u"New Task"_s) {
            a->trigger();
            break;
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_window->taskModel()->rowCount(), 2, 20000);
    QVERIFY(tabMovedFocus);
    const QString newest = m_window->selectedTaskId();
    QCOMPARE(store().tasks().get(newest).value(u"title"_s).toString(), u"newest"_s);
    QCOMPARE(m_window->taskView()->currentIndex().data(TaskTableModel::TaskIdRole).toString(), newest);
    // Ctrl+F to the filter, Tab on to the list, Escape clears the filter.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keySequence(m_window.get(), QKeySequence::Find);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->textFilter()->hasFocus(), 20000);
    QTest::keyClicks(m_window->textFilter(), u"new"_s);
    QTest::keyClick(m_window->textFilter(), Qt::Key_Escape);
    QCOMPARE(m_window->textFilter()->text(), QString());
    QTest::keyClick(m_window->textFilter(), Qt::Key_Tab);
    QVERIFY(m_window->taskView()->hasFocus());
}

void TestMainWindow::documentsTellRunsApart()
{
    // Point 11: one entry per run's deliverable, each with version, date and run.
    const QString agent = store().agents().create(shellAgent(u"Writer"_s, u"echo report"_s)).value(u"id"_s).toString();
    const QString task = store().tasks().create({{u"title"_s, u"Report"_s}}).value(u"id"_s).toString();
    m_window->selectTask(task);
    QStringList runs;
    for (int i = 0; i < 2; ++i) {
        QVERIFY(m_window->runTask(task, agent));
        runs.prepend(m_window->outputView()->runId());
        QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(task), 20000);
    }
    auto *picker = m_window->findChild<QComboBox *>(u"documentPicker"_s);
    QTRY_COMPARE_WITH_TIMEOUT(picker->count(), 2, 20000);
    QVERIFY(picker->itemText(0) != picker->itemText(1));
    for (int i = 0; i < 2; ++i) {
        const QString text = picker->itemText(i);
        QVERIFY2(text.startsWith(u"Deliverable: Report — v1 · "_s) && text.endsWith(u" · run "_s + runs.at(i).left(8)),
                 qPrintable(text));
    }
}

void TestMainWindow::agentNamesFollowTheStore()
{
    // Point 12: renamed and deleted agents, sorting by the Updated time, splitter, Settings port.
    const QString agent = store().agents().create({{u"name"_s, u"Ada"_s}, {u"role"_s, u"r"_s}}).value(u"id"_s).toString();
    const QString task = store().tasks().create({{u"title"_s, u"Assigned"_s}, {u"assignee_ids"_s, QJsonArray{agent}}})
                                 .value(u"id"_s).toString();
    m_window->selectTask(task);
    auto *people = label(u"taskPeople"_s);
    QVERIFY(people->text().contains(u"Assignees: Ada"_s));
    store().agents().update(agent, {{u"name"_s, u"Grace"_s}});
    QTRY_VERIFY2_WITH_TIMEOUT(people->text().contains(u"Assignees: Grace"_s), qPrintable(people->text()), 20000);
    store().agents().remove(agent);
    QTRY_VERIFY2_WITH_TIMEOUT(people->text().contains(u"Assignees: (deleted agent)"_s), qPrintable(people->text()), 20000);
    QTRY_COMPARE(m_window->taskModel()->index(m_window->taskModel()->rowOf(task), TaskTableModel::Assignees).data().toString(),
                 u"(deleted agent)"_s);

    // The output pane cannot take the detail's whole height.
    auto *splitter = qobject_cast<QSplitter *>(m_window->taskDetail()->parentWidget());
    QVERIFY(splitter);
    splitter->setSizes({0, 1000});
    QVERIFY(splitter->sizes().at(0) > 0);
    QVERIFY(!splitter->childrenCollapsible());

    // Settings says which port the server is on now.
    SettingsDialog settings(QUrl(m_server->base()).port(), m_window.get());
    auto *running = settings.findChild<QLabel *>(u"runningPort"_s);
    QVERIFY(running);
    QVERIFY(running->text().contains(QString::number(QUrl(m_server->base()).port())));
}

void TestMainWindow::windowFitsTheScreen()
{
    const QRect available = m_window->screen()->availableGeometry();
    QVERIFY2(available.contains(m_window->frameGeometry()),
             qPrintable(u"%1x%2 window on %3x%4"_s.arg(m_window->frameGeometry().width()).arg(m_window->frameGeometry().height())
                                .arg(available.width()).arg(available.height())));
}

void TestMainWindow::longRunOpensAtOnceAndScrollsFully()
{
    // Point 8: nothing of a long run is read on the GUI thread when it is
    // selected; its last page comes first, earlier pages as the user scrolls up.
    const int lines = 3 * OutputView::pageSize + 500;
    const QString agent = store().agents().create(shellAgent(u"Counter"_s, u"seq 1 %1"_s.arg(lines))).value(u"id"_s).toString();
    const QString task = store().tasks().create({{u"title"_s, u"Count"_s}}).value(u"id"_s).toString();
    const QString other = store().tasks().create({{u"title"_s, u"Idle"_s}}).value(u"id"_s).toString();
    QVERIFY(m_window->runTask(task, agent));
    QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(task), 20000);
    m_window->selectTask(other);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->selectedTaskId(), other, 20000);
    OutputView *view = m_window->outputView();
    m_window->selectTask(task);
    QVERIFY(view->isLoading());                 // selecting returned before reading
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading(), 20000);
    QVERIFY(view->plainText().endsWith(u"\n%1"_s.arg(lines)));
    QCOMPARE(view->firstSeq(), qint64(lines - OutputView::firstPageSize + 1));
    QVERIFY2(view->rangeText().contains(u"scroll to the top"_s), qPrintable(view->rangeText()));
    QVERIFY(!view->rangeText().contains(u"pick the run again"_s));
    // The first keystroke in the filter (still showing the task) reloads nothing.
    QTest::keyClicks(m_window->textFilter(), u"c"_s);
    QCOMPARE(m_window->selectedTaskId(), task);
    QVERIFY(!view->isLoading());
    m_window->textFilter()->clear();
    // Scrolling to the top reads the page before, until the first line.
    QScrollBar *bar = view->editor()->verticalScrollBar();
    for (int page = 0; page < 12 && view->firstSeq() > 1; ++page) {
        const qint64 before = view->firstSeq();
        bar->setValue(bar->maximum());
        bar->setValue(bar->minimum());
        QTRY_VERIFY_WITH_TIMEOUT(view->firstSeq() < before, 20000);
        QVERIFY(bar->value() > bar->minimum());   // what was on screen stays on screen
    }
    QCOMPARE(view->firstSeq(), qint64(1));
    const QString text = view->plainText();
    QVERIFY(text.startsWith(u"1\n2\n3\n"_s));
    QCOMPARE(text.count(u'\n'), lines - 1);   // every line once, in order
    QVERIFY(text.contains(u"\n2000\n2001\n"_s) && text.contains(u"\n4500\n4501\n"_s));
    QVERIFY(view->rangeText().isEmpty());
    bar->setValue(bar->maximum() / 2);
    saveScreenshot(u"long-run"_s);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
