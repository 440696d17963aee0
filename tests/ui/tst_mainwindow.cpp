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
#include <QTextBlock>
#include <QTextBrowser>
#include <QTest>
#include <QTimer>

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
    return {{u"name"_qs, name}, {u"role"_qs, u"worker"_qs}, {u"backend"_qs, u"command"_qs},
            {u"metadata"_qs, QJsonObject{{u"backend_config"_qs,
                                          QJsonObject{{u"command"_qs, QJsonArray{u"/bin/sh"_qs, u"-c"_qs, script}}}}}}};
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
    void runDisabledAtCapacity();
    void deliverableRendered();
    void screenshot();
    void quitWhileRunningAsksFirst();

private:
    Store &store() { return m_server->app().store(); }
    Executor &executor() { return m_server->app().executor(); }
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::createRunWatchStop()
{
    // New Agent dialog, command backend.
    onNextDialog([](QDialog *d) {
        d->findChild<QLineEdit *>(u"agentName"_qs)->setText(u"Printer"_qs);
        d->findChild<QLineEdit *>(u"agentRole"_qs)->setText(u"prints lines"_qs);
        auto *backend = d->findChild<QComboBox *>(u"agentBackend"_qs);
        backend->setCurrentIndex(backend->findData(u"command"_qs));
        d->findChild<QLineEdit *>(u"agentCommand"_qs)
                ->setText(u"/bin/sh -c \"echo hello from the agent; trap '' TERM; while true; do echo tick; sleep 0.1; done\""_qs);
    });
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->text() == u"New Agent"_qs) {
            a->trigger();
            break;
        }
    }
    QTRY_COMPARE(m_window->agentModel()->rowCount(), 1);
    const QJsonObject agent = m_window->agentModel()->agents().first();
    QCOMPARE(agent.value(u"backend"_qs).toString(), u"command"_qs);
    QCOMPARE(agent.value(u"metadata"_qs).toObject().value(u"backend_config"_qs).toObject().value(u"command"_qs).toArray().size(), 3);

    // New Task dialog, assigned to the agent.
    onNextDialog([](QDialog *d) {
        d->findChild<QLineEdit *>(u"taskTitle"_qs)->setText(u"Print things"_qs);
        auto *assignees = d->findChild<QListWidget *>();
        assignees->item(0)->setCheckState(Qt::Checked);
    });
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->text() == u"New Task"_qs) {
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
        QVERIFY(picker->textValue().startsWith(u"Printer"_qs));
        picker->accept();
    });
    QVERIFY(m_window->runAction()->isEnabled());
    m_window->runAction()->trigger();
    QTRY_VERIFY(executor().isRunning(taskId));
    QTRY_VERIFY(m_window->outputView()->plainText().contains(u"hello from the agent"_qs));
    QTRY_VERIFY(m_window->outputView()->plainText().count(u"tick"_qs) >= 3);
    QVERIFY(m_window->stopAction()->isEnabled());
    QVERIFY(!m_window->runAction()->isEnabled());

    // Stop: the agent ignores SIGTERM and is killed after the grace period.
    m_window->stopAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(taskId), 10000);
    QTRY_COMPARE(m_window->taskModel()->index(0, TaskTableModel::Status).data().toString(), u"Blocked"_qs);
    QVERIFY(m_window->runAction()->isEnabled());
}

void TestMainWindow::postMessage()
{
    const QString agent = store().agents().create({{u"name"_qs, u"Lea"_qs}, {u"role"_qs, u"r"_qs}}).value(u"id"_qs).toString();
    const QString task = store().tasks().create({{u"title"_qs, u"Discuss"_qs}}).value(u"id"_qs).toString();
    m_window->selectTask(task);
    QCOMPARE(m_window->taskDetail()->taskId(), task);
    auto *input = m_window->findChild<QLineEdit *>(u"messageInput"_qs);
    input->setText(u"please look @lea"_qs);
    QVERIFY(m_window->taskDetail()->postMessage());
    QCOMPARE(input->text(), QString());
    auto *list = m_window->findChild<QListWidget *>(u"messageList"_qs);
    QCOMPARE(list->count(), 1);
    QVERIFY(list->item(0)->text().contains(u"please look @lea"_qs));
    QCOMPARE(store().count(u"SELECT COUNT(*) FROM notifications WHERE agent_id = ? AND type = 'mention'"_qs, {agent}), 1);
    // Status editor changes the task through the core.
    auto *status = m_window->findChild<QComboBox *>(u"statusEditor"_qs);
    status->setCurrentIndex(status->findData(u"review"_qs));
    Q_EMIT status->activated(status->currentIndex());
    QCOMPARE(store().tasks().get(task).value(u"status"_qs).toString(), u"review"_qs);
}

void TestMainWindow::runDisabledAtCapacity()
{
    const QString agent = store().agents().create(shellAgent(u"Sleeper"_qs, u"sleep 30"_qs)).value(u"id"_qs).toString();
    QStringList tasks;
    for (int i = 0; i < 6; ++i)
        tasks.append(store().tasks().create({{u"title"_qs, u"t%1"_qs.arg(i)}}).value(u"id"_qs).toString());
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_window->runTask(tasks.at(i), agent));
    m_window->selectTask(tasks.at(5));
    QTRY_COMPARE(m_window->selectedTaskId(), tasks.at(5));
    QVERIFY(!m_window->runAction()->isEnabled());
    QVERIFY(m_window->runAction()->toolTip().contains(u"Maximum concurrent tasks (5) reached"_qs));
    // Forcing it anyway shows the 429 reason instead of doing nothing.
    QVERIFY(!m_window->runTask(tasks.at(5), agent));
    QCOMPARE(m_window->statusMessage(), u"Maximum concurrent tasks (5) reached"_qs);
    executor().stop(tasks.at(0));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->runAction()->isEnabled(), 10000);
}

void TestMainWindow::deliverableRendered()
{
    // A run's deliverable is its output: Markdown where the agent wrote some,
    // every line kept as a line, code fences intact, huge texts cut with a note.
    const QString agent = store().agents().create(shellAgent(u"Author"_qs,
            u"printf '# Report\\nfirst line\\nsecond line\\n```\\nlet x = 1\\n```\\n'"_qs)).value(u"id"_qs).toString();
    const QString task = store().tasks().create({{u"title"_qs, u"Write it"_qs}}).value(u"id"_qs).toString();
    m_window->selectTask(task);
    QVERIFY(m_window->runTask(task, agent));
    QTRY_COMPARE(store().tasks().get(task).value(u"status"_qs).toString(), u"done"_qs);
    auto *view = m_window->findChild<QTextBrowser *>(u"documentView"_qs);
    QTRY_VERIFY(view->toPlainText().contains(u"first line\nsecond line"_qs));
    QVERIFY(!view->toPlainText().contains(u"# Report"_qs));   // a heading, not text
    QVERIFY(view->toPlainText().contains(u"let x = 1"_qs));
    QCOMPARE(view->document()->firstBlock().text(), u"Report"_qs);
    QCOMPARE(view->document()->firstBlock().blockFormat().headingLevel(), 1);

    const QString big = store().tasks().create({{u"title"_qs, u"Print a lot"_qs}}).value(u"id"_qs).toString();
    const QString printer = store().agents().create(shellAgent(u"Printer"_qs, u"seq 1 20000"_qs)).value(u"id"_qs).toString();
    m_window->selectTask(big);
    QVERIFY(m_window->runTask(big, printer));
    QTRY_COMPARE(store().tasks().get(big).value(u"status"_qs).toString(), u"done"_qs);
    QTRY_VERIFY(view->toPlainText().contains(u"Showing the first 16 KB of 106 KB"_qs));
    QVERIFY(view->toPlainText().startsWith(u"1\n2\n3\n"_qs));
}

void TestMainWindow::screenshot()
{
    const QString agent = store().agents().create(shellAgent(u"Narrator"_qs,
            u"echo 'Reading the brief'; echo 'Drafting section 1'; sleep 0.2; echo 'Drafting section 2'; sleep 30"_qs)).value(u"id"_qs).toString();
    store().agents().create({{u"name"_qs, u"Reviewer"_qs}, {u"role"_qs, u"reviews drafts"_qs}, {u"backend"_qs, u"openai"_qs}});
    const QString done = store().tasks().create({{u"title"_qs, u"Collect requirements"_qs}, {u"priority"_qs, u"high"_qs}}).value(u"id"_qs).toString();
    store().tasks().setStatus(done, u"done"_qs, QJsonValue());
    store().tasks().create({{u"title"_qs, u"Review the draft"_qs}, {u"assignee_ids"_qs, QJsonArray{agent}}});
    const QString blocked = store().tasks().create({{u"title"_qs, u"Publish"_qs}, {u"priority"_qs, u"low"_qs}}).value(u"id"_qs).toString();
    store().tasks().setStatus(blocked, u"blocked"_qs, QJsonValue());
    const QString running = store().tasks().create({{u"title"_qs, u"Write the report"_qs}, {u"priority"_qs, u"urgent"_qs},
                                                    {u"description"_qs, u"Two sections, plain language."_qs}}).value(u"id"_qs).toString();
    QVERIFY(m_window->runTask(running, agent));
    m_window->selectTask(running);
    QTRY_VERIFY(m_window->outputView()->plainText().contains(u"Drafting section 2"_qs));
    QTest::qWait(300);
    const QString dir = QCoreApplication::applicationDirPath() + u"/screenshots"_qs;
    QDir().mkpath(dir);
    const QString path = dir + u"/main-window.png"_qs;
    QVERIFY(m_window->grab().save(path));
    qInfo() << "screenshot saved to" << path;
    executor().stop(running);
}

void TestMainWindow::quitWhileRunningAsksFirst()
{
    const QString agent = store().agents().create(shellAgent(u"Sleeper"_qs, u"echo started; sleep 30"_qs)).value(u"id"_qs).toString();
    const QString task = store().tasks().create({{u"title"_qs, u"Long job"_qs}}).value(u"id"_qs).toString();
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
    QVERIFY2(asked.contains(u"1 run(s) still going"_qs) && asked.contains(u"recorded as stopped"_qs), qPrintable(asked));
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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
