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

void TestMainWindow::runDisabledAtCapacity()
{
    const QString agent = store().agents().create(shellAgent(u"Sleeper"_s, u"sleep 30"_s)).value(u"id"_s).toString();
    QStringList tasks;
    for (int i = 0; i < 6; ++i)
        tasks.append(store().tasks().create({{u"title"_s, u"t%1"_s.arg(i)}}).value(u"id"_s).toString());
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_window->runTask(tasks.at(i), agent));
    m_window->selectTask(tasks.at(5));
    QTRY_COMPARE(m_window->selectedTaskId(), tasks.at(5));
    QVERIFY(!m_window->runAction()->isEnabled());
    QVERIFY(m_window->runAction()->toolTip().contains(u"Maximum concurrent tasks (5) reached"_s));
    // Forcing it anyway shows the 429 reason instead of doing nothing.
    QVERIFY(!m_window->runTask(tasks.at(5), agent));
    QCOMPARE(m_window->statusMessage(), u"Maximum concurrent tasks (5) reached"_s);
    executor().stop(tasks.at(0));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->runAction()->isEnabled(), 10000);
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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
