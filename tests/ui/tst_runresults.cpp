// What a run leaves in the real main window: a failed run's error where the
// output is, in the detail and in a banner; a stopped run said so everywhere;
// the deliverable rendered as Markdown, one document entry per run; a long
// run's output opened at once and read page by page when scrolled up.
// Everyday flows of the window: tst_mainwindow.

#include "agentrepository.h"
#include "executor.h"
#include "mainwindow.h"
#include "outputview.h"
#include "queuetesting.h"
#include "runrepository.h"
#include "runstate.h"
#include "store.h"
#include "taskrepository.h"
#include "windowfixture.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextBrowser>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

class TestRunResults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture.startOnTestSettings(); }
    void cleanup() { m_fixture.stop(); }

    void deliverableRendered();
    void failedRunShowsItsError();
    void stoppedRunSaysSoEverywhere();
    void documentsTellRunsApart();
    void longRunOpensAtOnceAndScrollsFully();

private:
    QString newAgent(const QString &name, const QString &script)
    {
        return m_fixture.store().agents().create(shellAgent(name, script)).value(u"id"_s).toString();
    }
    QString newTask(const QString &title)
    {
        return m_fixture.store().tasks().create({{u"title"_s, title}}).value(u"id"_s).toString();
    }
    // As a person does: the task selected in the list, then Run with the agent.
    bool selectAndRun(const QString &task, const QString &agent)
    {
        m_fixture.window().selectTask(task);
        return m_fixture.window().runTask(task, agent);
    }

    WindowFixture m_fixture;
};

void TestRunResults::deliverableRendered()
{
    // A run's deliverable is its output: Markdown where the agent wrote some,
    // every line kept as a line, code fences intact, huge texts cut with a note.
    const QString agent = newAgent(u"Author"_s,
            u"printf '# Report\\nfirst line\\nsecond line\\n```\\nlet x = 1\\n```\\n'"_s);
    const QString task = newTask(u"Write it"_s);
    QVERIFY(selectAndRun(task, agent));
    QTRY_COMPARE(m_fixture.store().tasks().get(task).value(u"status"_s).toString(), u"done"_s);
    auto *view = m_fixture.window().findChild<QTextBrowser *>(u"documentView"_s);
    QTRY_VERIFY(view->toPlainText().contains(u"first line\nsecond line"_s));
    QVERIFY(!view->toPlainText().contains(u"# Report"_s));   // a heading, not text
    QVERIFY(view->toPlainText().contains(u"let x = 1"_s));
    QCOMPARE(view->document()->firstBlock().text(), u"Report"_s);
    QCOMPARE(view->document()->firstBlock().blockFormat().headingLevel(), 1);

    const QString big = newTask(u"Print a lot"_s);
    const QString printer = newAgent(u"Printer"_s, u"seq 1 20000"_s);
    QVERIFY(selectAndRun(big, printer));
    QTRY_COMPARE(m_fixture.store().tasks().get(big).value(u"status"_s).toString(), u"done"_s);
    QTRY_VERIFY(view->toPlainText().contains(u"Showing the first 16 KB of 106 KB"_s));
    QVERIFY(view->toPlainText().startsWith(u"1\n2\n3\n"_s));
}

void TestRunResults::failedRunShowsItsError()
{
    // Point 1: the error is where the output is, not one line in the Activity dock.
    const QString agent = newAgent(u"Crasher"_s,
            u"echo 'partial work'; echo 'cannot open input.txt' >&2; exit 3"_s);
    const QString task = newTask(u"Parse input"_s);
    QVERIFY(selectAndRun(task, agent));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.store().tasks().get(task).value(u"status"_s).toString(), u"blocked"_s, 20000);
    auto *state = m_fixture.label(u"runState"_s);
    // The store has the run's end a moment before the window hears of it.
    QTRY_VERIFY2_WITH_TIMEOUT(state->isVisible() && state->text().startsWith(u"Failed at "_s), qPrintable(state->text()), 20000);
    QVERIFY2(state->text().contains(u"code 3"_s) && state->text().contains(u"cannot open input.txt"_s), qPrintable(state->text()));
    QVERIFY(state->font().bold());
    QTRY_VERIFY_WITH_TIMEOUT(m_fixture.window().outputView()->plainText().contains(u"partial work"_s), 20000);
    // The status bar tells the end, not "Crasher started".
    QVERIFY2(m_fixture.window().statusMessage().contains(u"“Parse input” failed: "_s), qPrintable(m_fixture.window().statusMessage()));
    // Point 3: the detail says why the task is blocked.
    auto *people = m_fixture.label(u"taskPeople"_s);
    QVERIFY2(!people->text().contains(u"Blocked by: nothing"_s), qPrintable(people->text()));
    QVERIFY2(people->text().contains(u"Blocked because its last run ended: Failed at"_s)
                     && people->text().contains(u"cannot open input.txt"_s), qPrintable(people->text()));
    QVERIFY(!WindowFixture::saveScreenshot(&m_fixture.window(), u"failed-run"_s).isEmpty());
    // Another task and back: the state is read from the store.
    const QString other = newTask(u"Other"_s);
    m_fixture.window().selectTask(other);
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.window().selectedTaskId(), other, 20000);
    QVERIFY(!state->isVisible());
    // Point 2: a non-modal banner tells of the failure; its button opens the task.
    auto *banner = m_fixture.window().findChild<QWidget *>(u"noticeBanner"_s);
    QVERIFY(banner->isVisible());
    QVERIFY(!QApplication::activeModalWidget());
    QVERIFY2(m_fixture.label(u"noticeText"_s)->text().startsWith(u"“Parse input” failed: Agent exited with code 3"_s),
             qPrintable(m_fixture.label(u"noticeText"_s)->text()));
    QTest::mouseClick(m_fixture.window().findChild<QPushButton *>(u"noticeOpen"_s), Qt::LeftButton);
    QCOMPARE(m_fixture.window().selectedTaskId(), task);
    QVERIFY(!banner->isVisible());
    QVERIFY(state->isVisible() && state->text().contains(u"code 3"_s));
}

void TestRunResults::stoppedRunSaysSoEverywhere()
{
    // Point 4 (and 3): after a stop nothing still says "running" or "Stopping…".
    const QString agent = newAgent(u"Ticker"_s, u"echo one; sleep 30"_s);
    const QString task = newTask(u"Tick"_s);
    QVERIFY(selectAndRun(task, agent));
    QTRY_VERIFY_WITH_TIMEOUT(m_fixture.window().outputView()->plainText().contains(u"one"_s), 20000);
    m_fixture.executor().stop(task);
    QTRY_VERIFY_WITH_TIMEOUT(!m_fixture.executor().isRunning(task), 10000);
    QVERIFY(m_fixture.window().runTask(task, agent));   // a second run: the picker appears
    auto *picker = m_fixture.window().findChild<QComboBox *>(u"runPicker"_s);
    QTRY_COMPARE_WITH_TIMEOUT(picker->count(), 2, 20000);
    QVERIFY2(picker->itemText(0).endsWith(u"· running"_s), qPrintable(picker->itemText(0)));
    QCOMPARE(m_fixture.label(u"runState"_s)->text().left(13), u"Running since"_s);
    m_fixture.window().stopAction()->trigger();
    QVERIFY2(m_fixture.window().statusMessage().contains(u"Stopping “Tick”"_s), qPrintable(m_fixture.window().statusMessage()));
    QTRY_VERIFY_WITH_TIMEOUT(!m_fixture.executor().isRunning(task), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(picker->itemText(0).endsWith(u"· stopped"_s), qPrintable(picker->itemText(0)), 20000);
    QVERIFY2(!m_fixture.window().statusMessage().contains(u"Stopping"_s), qPrintable(m_fixture.window().statusMessage()));
    QVERIFY2(m_fixture.window().statusMessage().contains(u"“Tick” stopped"_s), qPrintable(m_fixture.window().statusMessage()));
    QVERIFY2(m_fixture.label(u"runState"_s)->text().startsWith(u"Stopped by the user at"_s), qPrintable(m_fixture.label(u"runState"_s)->text()));
    // Local time, as everywhere else in the window.
    const QJsonObject run = m_fixture.store().runs().get(m_fixture.window().outputView()->runId());
    QVERIFY(picker->itemText(0).startsWith(localTimeText(run.value(u"started_at"_s).toString())));
    QVERIFY(m_fixture.label(u"taskPeople"_s)->text().contains(u"last run ended: Stopped by the user"_s));
}

void TestRunResults::documentsTellRunsApart()
{
    // Point 11: one entry per run's deliverable, each with version, date and run.
    const QString agent = newAgent(u"Writer"_s, u"echo report"_s);
    const QString task = newTask(u"Report"_s);
    m_fixture.window().selectTask(task);
    QStringList runs;
    for (int i = 0; i < 2; ++i) {
        QVERIFY(m_fixture.window().runTask(task, agent));
        runs.prepend(m_fixture.window().outputView()->runId());
        QTRY_VERIFY_WITH_TIMEOUT(!m_fixture.executor().isRunning(task), 20000);
    }
    auto *picker = m_fixture.window().findChild<QComboBox *>(u"documentPicker"_s);
    QTRY_COMPARE_WITH_TIMEOUT(picker->count(), 2, 20000);
    QVERIFY(picker->itemText(0) != picker->itemText(1));
    for (int i = 0; i < 2; ++i) {
        const QString text = picker->itemText(i);
        QVERIFY2(text.startsWith(u"Deliverable: Report — v1 · "_s) && text.endsWith(u" · run "_s + runs.at(i).left(8)),
                 qPrintable(text));
    }
}

void TestRunResults::longRunOpensAtOnceAndScrollsFully()
{
    // Point 8: nothing of a long run is read on the GUI thread when it is
    // selected; its last page comes first, earlier pages as the user scrolls up.
    const int lines = 3 * OutputView::pageSize + 500;
    const QString agent = newAgent(u"Counter"_s, u"seq 1 %1"_s.arg(lines));
    const QString task = newTask(u"Count"_s);
    const QString other = newTask(u"Idle"_s);
    QVERIFY(m_fixture.window().runTask(task, agent));
    QTRY_VERIFY_WITH_TIMEOUT(!m_fixture.executor().isRunning(task), 20000);
    m_fixture.window().selectTask(other);
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.window().selectedTaskId(), other, 20000);
    OutputView *view = m_fixture.window().outputView();
    m_fixture.window().selectTask(task);
    QVERIFY(view->isLoading());                 // selecting returned before reading
    QTRY_VERIFY_WITH_TIMEOUT(!view->isLoading(), 20000);
    QVERIFY(view->plainText().endsWith(u"\n%1"_s.arg(lines)));
    QCOMPARE(view->firstSeq(), qint64(lines - OutputView::firstPageSize + 1));
    QVERIFY2(view->rangeText().contains(u"scroll to the top"_s), qPrintable(view->rangeText()));
    QVERIFY(!view->rangeText().contains(u"pick the run again"_s));
    // The first keystroke in the filter (still showing the task) reloads nothing.
    QTest::keyClicks(m_fixture.window().textFilter(), u"c"_s);
    QCOMPARE(m_fixture.window().selectedTaskId(), task);
    QVERIFY(!view->isLoading());
    m_fixture.window().textFilter()->clear();
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
    QVERIFY(!WindowFixture::saveScreenshot(&m_fixture.window(), u"long-run"_s).isEmpty());
}

QTEST_MAIN(TestRunResults)
#include "tst_runresults.moc"
