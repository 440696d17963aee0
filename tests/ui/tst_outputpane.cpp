// The output pane and the review findings of issue 15, on the real main window
// with real agents (shell scripts speaking the command and Claude Code
// stream-json protocols, a fake OpenAI server on loopback): twin agents in the
// Run picker, tool text cut on screen, whole chunks trimmed, earlier pages of
// a short pane, the pending output of a pane scrolled up, the unsaved-draft
// question outside selectionChanged; and the screenshots of points 1, 3, 5, 8.

#include "agentmodel.h"
#include "agentrepository.h"
#include "executor.h"
#include "fakellmserver.h"
#include "mainwindow.h"
#include "outputview.h"
#include "runrepository.h"
#include "store.h"
#include "taskdetail.h"
#include "taskrepository.h"
#include "testserver.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTest>
#include <QTimer>
#include <QWheelEvent>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

namespace {

QJsonObject scriptAgent(const QString &name, const QString &backend, const QString &script)
{
    return {{u"name"_s, name}, {u"role"_s, u"worker"_s}, {u"backend"_s, backend},
            {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                          QJsonObject{{u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s, script}}}}}}};
}

QString screenshotDir()
{
    const QString dir = QCoreApplication::applicationDirPath() + u"/screenshots"_s;
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class TestOutputPane : public QObject
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

    void agentPickerTellsTwinsApart();
    void toolTextIsCutOnScreen();
    void trimKeepsWholeChunks();
    void shortPaneLoadsEarlierOutput();
    void pendingOutputIsBounded();
    void draftQuestionComesAfterTheSelection();
    void screenshots();

private:
    Store &store() { return m_server->app().store(); }
    Executor &executor() { return m_server->app().executor(); }
    QString createTask(const QString &title)
    {
        return store().tasks().create({{u"title"_s, title}}).value(u"id"_s).toString();
    }
    QString createAgent(const QJsonObject &body) { return store().agents().create(body).value(u"id"_s).toString(); }
    // Runs the task to its end, then shows it afresh (from another task).
    void runToEnd(const QString &task, const QString &agent)
    {
        QVERIFY(m_window->runTask(task, agent));
        QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(task), 30000);
        const QString other = createTask(u"Elsewhere"_s);
        m_window->selectTask(other);
        m_window->selectTask(task);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->outputView()->isLoading(), 20000);
    }
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<MainWindow> m_window;
};

void TestOutputPane::agentPickerTellsTwinsApart()
{
    // Two agents with the same name and backend: the picker tells them apart
    // and runs the one picked, not the first of the two.
    const QString first = createAgent(scriptAgent(u"Twin"_s, u"command"_s, u"echo first"_s));
    const QString second = createAgent(scriptAgent(u"Twin"_s, u"command"_s, u"echo second"_s));
    const QString task = createTask(u"Pick a twin"_s);
    QTRY_COMPARE(m_window->agentModel()->rowCount(), 2);
    m_window->selectTask(task);
    QStringList shown;
    QTimer::singleShot(50, [&] {
        auto *picker = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        QVERIFY(picker);
        shown = picker->comboBoxItems();
        for (const QString &label : std::as_const(shown)) {
            if (label.contains(second.left(8)))
                picker->setTextValue(label);
        }
        picker->accept();
    });
    m_window->runAction()->trigger();
    QCOMPARE(shown.size(), 2);
    QVERIFY2(shown.at(0) != shown.at(1), qPrintable(shown.join(u" | "_s)));
    QVERIFY2(shown.at(0).startsWith(u"Twin (command)"_s) && shown.at(1).startsWith(u"Twin (command)"_s),
             qPrintable(shown.join(u" | "_s)));
    QTRY_COMPARE_WITH_TIMEOUT(store().runs().listForTask(task).items.size(), qsizetype(1), 20000);
    QCOMPARE(store().runs().listForTask(task).items.first().toObject().value(u"agent_id"_s).toString(), second);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->outputView()->plainText().contains(u"second"_s), 20000);
    QVERIFY(!first.isEmpty());
}

void TestOutputPane::toolTextIsCutOnScreen()
{
    // A tool call whose input is a whole file: the pane shows its first
    // maxToolChars characters and says how much more the store has, as it
    // does for tool results.
    const QString script = uR"(cat >/dev/null; big=$(head -c 10000 /dev/zero | tr '\0' x)
printf '{"type":"assistant","message":{"id":"m1","content":[{"type":"tool_use","id":"t1","name":"Write","input":{"content":"%s"}}]}}\n' "$big"
printf '{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t1","content":"%s"}]}}\n' "$big"
printf '{"type":"result","subtype":"success","is_error":false,"result":"ok"}\n')"_s;
    const QString agent = createAgent(scriptAgent(u"Writer"_s, u"claude_code"_s, script));
    const QString task = createTask(u"Write a big file"_s);
    runToEnd(task, agent);
    const QStringList lines = m_window->outputView()->plainText().split(u'\n');
    QStringList tools;
    for (const QString &line : lines) {
        if (line.startsWith(u"▶ tool: "_s) || line.startsWith(u"◀ result: "_s))
            tools.append(line);
    }
    QCOMPARE(tools.size(), 2);
    for (const QString &line : std::as_const(tools)) {
        QVERIFY2(line.size() < OutputView::maxToolChars + 100, qPrintable(QString::number(line.size())));
        QVERIFY2(line.contains(u"more characters in the run's stored output"_s), qPrintable(line.right(80)));
    }
}

void TestOutputPane::trimKeepsWholeChunks()
{
    // Tool results of ten and of three lines, more lines than the pane
    // keeps: the lines trimmed at the top are whole chunks, and the pane
    // knows the sequence number of its first one.
    const QString script = uR"(cat >/dev/null; i=1
while [ $i -le 3500 ]; do
  if [ $((i % 2)) = 1 ]; then
    printf '{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":"r%d\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9\\n10"}]}}\n' $i
  else
    printf '{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":"r%d\\n2\\n3"}]}}\n' $i
  fi
  if [ $((i % 100)) = 0 ]; then sleep 0.1; fi
  i=$((i+1))
done
printf '{"type":"result","subtype":"success","is_error":false,"result":"ok"}\n')"_s;
    const QString agent = createAgent(scriptAgent(u"Lister"_s, u"claude_code"_s, script));
    const QString task = createTask(u"List a lot"_s);
    m_window->selectTask(task);
    OutputView *view = m_window->outputView();
    qint64 smallest = std::numeric_limits<qint64>::max();
    QTimer sampler;
    connect(&sampler, &QTimer::timeout, this, [&] {
        if (!view->isLoading() && view->lastSeq() > 0)
            smallest = qMin(smallest, view->firstSeq());
    });
    sampler.start(10);
    QVERIFY(m_window->runTask(task, agent));
    QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(task), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(view->plainText().endsWith(u"r3500\n2\n3"_s), 20000);
    sampler.stop();
    QVERIFY2(smallest >= 1, qPrintable(QString::number(smallest)));
    QVERIFY2(view->firstSeq() > 1, qPrintable(QString::number(view->firstSeq())));
    QVERIFY(view->editor()->document()->blockCount() <= OutputView::maxBlocks);
    // The first line is the first line of chunk firstSeq, not the middle of one.
    const QString firstLine = view->plainText().section(u'\n', 0, 0);
    QVERIFY2(firstLine.startsWith(u"◀ result: r"_s), qPrintable(firstLine));
    // Scrolling up reads the page before it, joined without a gap.
    const qint64 before = view->firstSeq();
    QScrollBar *bar = view->editor()->verticalScrollBar();
    bar->setValue(bar->minimum());
    QTRY_VERIFY_WITH_TIMEOUT(view->firstSeq() < before, 20000);
    QVERIFY(view->plainText().contains(u"\n"_s + firstLine + u"\n"_s));
}

void TestOutputPane::shortPaneLoadsEarlierOutput()
{
    // An LLM's text is joined into one line: the last page fills no screen,
    // so there is no scroll range to scroll to the top of. The wheel turned
    // up and the "Load earlier output" button read the pages before.
    qputenv("FAKE_LLM_KEY", "test-key");
    FakeLlmServer llm;
    QString expected;
    QList<QByteArray> sse;
    const int fragments = 2 * OutputView::pageSize + OutputView::firstPageSize;
    for (int i = 0; i < fragments; ++i) {
        const QString piece(QChar(u'a' + i % 26));
        expected += piece;
        const QJsonObject chunk{{u"id"_s, u"c1"_s}, {u"object"_s, u"chat.completion.chunk"_s},
                                {u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0},
                                                                       {u"delta"_s, QJsonObject{{u"content"_s, piece}}},
                                                                       {u"finish_reason"_s, QJsonValue()}}}}};
        sse.append(FakeLlmServer::sse(QJsonDocument(chunk).toJson(QJsonDocument::Compact)));
    }
    sse.append(FakeLlmServer::sse("[DONE]"));
    llm.enqueue({200, sse, 0, -1});
    const QString agent = createAgent({{u"name"_s, u"Talker"_s}, {u"role"_s, u"worker"_s}, {u"backend"_s, u"openai"_s},
                                       {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                                                    QJsonObject{{u"base_url"_s, QString(llm.baseUrl() + u"/v1"_s)},
                                                                                {u"model"_s, u"test-model"_s},
                                                                                {u"api_key_env"_s, u"FAKE_LLM_KEY"_s}}}}}});
    const QString task = createTask(u"Talk"_s);
    runToEnd(task, agent);
    OutputView *view = m_window->outputView();
    QScrollBar *bar = view->editor()->verticalScrollBar();
    QCOMPARE(view->firstSeq(), qint64(fragments - OutputView::firstPageSize + 1));
    // About a screenful: a few lines to scroll at most (fonts and styles differ).
    QVERIFY2(bar->maximum() - bar->minimum() <= 8, qPrintable(QString::number(bar->maximum())));
    // The wheel, turned up at the top.
    bar->setValue(bar->minimum());
    const QPoint at = view->editor()->viewport()->rect().center();
    QWheelEvent wheel(at, view->editor()->viewport()->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->editor()->viewport(), &wheel);
    QTRY_COMPARE_WITH_TIMEOUT(view->firstSeq(), qint64(fragments - OutputView::firstPageSize - OutputView::pageSize + 1), 20000);
    // The button, until the first fragment.
    QPushButton *button = view->loadEarlierButton();
    for (int page = 0; page < 4 && view->firstSeq() > 1; ++page) {
        QVERIFY(button->isVisible());
        const qint64 before = view->firstSeq();
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view->firstSeq() < before, 20000);
    }
    QCOMPARE(view->firstSeq(), qint64(1));
    QVERIFY(!button->isVisible());
    QCOMPARE(view->plainText(), expected);
}

void TestOutputPane::pendingOutputIsBounded()
{
    // The user scrolls up to read while the run prints far faster than the
    // pane takes lines: what waits for the pane stays bounded (the rest is in
    // the store), and scrolling back to the bottom follows the run again.
    const int lines = 120000;
    const QString agent = createAgent(scriptAgent(u"Firehose"_s, u"command"_s,
                                                  u"seq 1 300; sleep 2; seq 301 %1; sleep 1"_s.arg(lines)));
    const QString task = createTask(u"Stream"_s);
    m_window->selectTask(task);
    OutputView *view = m_window->outputView();
    QVERIFY(m_window->runTask(task, agent));
    QTRY_VERIFY_WITH_TIMEOUT(view->plainText().endsWith(u"\n300"_s), 20000);
    QScrollBar *bar = view->editor()->verticalScrollBar();
    QVERIFY(bar->maximum() > 0);
    bar->setValue(bar->minimum());
    qsizetype most = 0;
    bool paused = false;
    connect(&executor(), &Executor::taskOutput, this, [&] {
        most = qMax(most, view->pendingCount());
        paused = paused || view->isPaused();
    });
    QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(task), 60000);
    QVERIFY2(most <= OutputView::maxPending, qPrintable(QString::number(most)));
    QVERIFY(paused);
    QVERIFY2(view->rangeText().contains(u"scroll to the bottom"_s), qPrintable(view->rangeText()));
    QVERIFY(view->editor()->document()->blockCount() <= 2 * OutputView::maxBlocks + OutputView::maxLinesPerRefresh);
    QVERIFY(view->plainText().startsWith(u"1\n2\n3\n"_s));   // what the user reads stays
    // Back at the bottom: the tail, read from the store.
    bar->setValue(bar->maximum());
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading() && view->plainText().endsWith(u"\n%1"_s.arg(lines)), 20000);
    QVERIFY(!view->isPaused());
}

void TestOutputPane::draftQuestionComesAfterTheSelection()
{
    // Point 6's question is asked once the selection has changed: no nested
    // event loop runs inside the task list's selectionChanged handler.
    const QString a = store().tasks().create({{u"title"_s, u"First"_s}, {u"description"_s, u"old"_s}}).value(u"id"_s).toString();
    const QString b = createTask(u"Second"_s);
    m_window->selectTask(a);
    auto *editor = m_window->taskDetail()->findChild<QPlainTextEdit *>(u"descriptionEditor"_s);
    editor->setFocus();
    editor->moveCursor(QTextCursor::End);
    QTest::keyClicks(editor, u" and new"_s);
    bool selecting = false;
    bool askedWhileSelecting = false;
    QString asked;
    QTimer answer;
    connect(&answer, &QTimer::timeout, this, [&] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        answer.stop();
        askedWhileSelecting = selecting;
        asked = box->text();
        box->button(QMessageBox::Save)->click();
    });
    answer.start(20);
    selecting = true;
    m_window->selectTask(b);
    selecting = false;
    QCOMPARE(m_window->selectedTaskId(), b);
    QTRY_VERIFY_WITH_TIMEOUT(!asked.isEmpty(), 10000);
    QVERIFY(!askedWhileSelecting);
    QVERIFY2(asked.contains(u"“First”"_s), qPrintable(asked));
    // Saved to the task that was left, not the one shown now.
    QCOMPARE(store().tasks().get(a).value(u"description"_s).toString(), u"old and new"_s);
    QCOMPARE(store().tasks().get(b).value(u"description"_s).toString(), QString());
    QCOMPARE(m_window->selectedTaskId(), b);
}

void TestOutputPane::screenshots()
{
    // The closing note's screenshots: points 1 and 3 (a failed run), 5 (the
    // New Agent form) and 8 (a long run opened at once).
    const QString dir = screenshotDir();
    const QString crasher = createAgent(scriptAgent(u"Crasher"_s, u"command"_s,
                                                    u"echo 'reading input.txt'; echo 'cannot open input.txt' >&2; exit 3"_s));
    const QString failed = createTask(u"Parse input"_s);
    m_window->selectTask(failed);
    QVERIFY(m_window->runTask(failed, crasher));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->outputView()->runStateText().startsWith(u"Failed at "_s), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->outputView()->plainText().contains(u"reading input.txt"_s), 20000);
    QTest::qWait(200);
    QVERIFY(m_window->grab().save(dir + u"/issue15-1-failed-run.png"_s));
    QVERIFY(m_window->taskDetail()->grab().save(dir + u"/issue15-3-blocked-detail.png"_s));

    QTimer::singleShot(100, [dir] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"agentName"_s), u"Echoer"_s);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"agentRole"_s), u"says things"_s);
        auto *backend = dialog->findChild<QComboBox *>(u"agentBackend"_s);
        backend->setCurrentIndex(backend->findData(u"command"_s));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"agentCommand"_s), u"sh -c 'echo a b'"_s);
        QVERIFY(dialog->findChild<QLabel *>(u"agentArgv"_s)->text().contains(u"⟨echo a b⟩"_s));
        QTest::qWait(100);
        QVERIFY(dialog->grab().save(dir + u"/issue15-5-new-agent.png"_s));
        dialog->reject();
    });
    for (QAction *a : m_window->findChildren<QAction *>()) {
        if (a->text() == u"New Agent"_s) {
            a->trigger();
            break;
        }
    }

    const int lines = 50000;
    const QString counter = createAgent(scriptAgent(u"Counter"_s, u"command"_s, u"seq 1 %1"_s.arg(lines)));
    const QString longRun = createTask(u"Count to fifty thousand"_s);
    runToEnd(longRun, counter);
    QVERIFY(m_window->outputView()->plainText().endsWith(u"\n%1"_s.arg(lines)));
    QTest::qWait(200);
    QVERIFY(m_window->grab().save(dir + u"/issue15-8-long-run.png"_s));
    qInfo() << "screenshots saved in" << dir;
}

QTEST_MAIN(TestOutputPane)
#include "tst_outputpane.moc"
