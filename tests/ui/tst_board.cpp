// The board view of the main window (issue 16, point 1): a column per status
// with counts over the same filtered list as the table; a card dropped on
// another column, or moved with Ctrl+Left/Right, changes its task's status in
// the store and in the API (with the activity PATCH logs); the choice of
// view is remembered; running cards carry their latest line and start time.

#include "boardcolumnmodel.h"
#include "boardview.h"
#include "carddelegate.h"
#include "executor.h"
#include "taskmodel.h"
#include "taskrepository.h"
#include "agentrepository.h"
#include "taskviews.h"
#include "windowfixture.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QSplitter>
#include <QStyleOptionViewItem>
#include <QTableView>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

class TestBoard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture.start(); }
    void cleanup() { m_fixture.stop(); }

    void columnsPerStatusWithCounts();
    void modelsPassTheTester();
    void dropChangesStatusInStoreAndApi();
    void keyboardMovesTheCard();
    void filtersApplyToBoth();
    void choiceIsRemembered();
    void runningCardShowsLatestLineAndTime();
    void screenshot();

private:
    BoardView *board() { return m_fixture.window().taskViews()->board(); }
    void showBoard()
    {
        if (!m_fixture.window().taskViews()->boardShown())
            m_fixture.window().taskViews()->boardAction()->trigger();
        QVERIFY(m_fixture.window().taskViews()->boardShown());
    }
    QString createTask(const QJsonObject &body)
    {
        const QString id = m_fixture.store().tasks().create(body).value(u"id"_s).toString();
        m_fixture.window().taskModel()->applyPending();
        return id;
    }
    QModelIndex card(const QString &status, const QString &taskId)
    {
        BoardColumnModel *column = board()->column(status);
        for (int row = 0; row < column->rowCount(); ++row) {
            if (column->index(row, 0).data(TaskTableModel::TaskIdRole).toString() == taskId)
                return column->index(row, 0);
        }
        return {};
    }
    QString apiStatus(const QString &taskId)
    {
        const HttpResponse r = m_fixture.http().get(api + u"/tasks/"_s + taskId);
        return r.object().value(u"task"_s).toObject().value(u"status"_s).toString();
    }
    WindowFixture m_fixture;
};

void TestBoard::columnsPerStatusWithCounts()
{
    createTask({{u"title"_s, u"One"_s}});
    createTask({{u"title"_s, u"Two"_s}});
    const QString done = createTask({{u"title"_s, u"Three"_s}});
    m_fixture.store().tasks().setStatus(done, u"done"_s, QJsonValue());
    m_fixture.window().taskModel()->applyPending();
    showBoard();
    QCOMPARE(board()->statuses(),
             (QStringList{u"inbox"_s, u"assigned"_s, u"in_progress"_s, u"review"_s, u"done"_s, u"blocked"_s, u"skipped"_s}));
    QCOMPARE(board()->column(u"inbox"_s)->rowCount(), 2);
    QCOMPARE(board()->column(u"done"_s)->rowCount(), 1);
    QCOMPARE(board()->column(u"review"_s)->rowCount(), 0);
    auto *inbox = m_fixture.window().findChild<QLabel *>(u"boardHeader_inbox"_s);
    QVERIFY(inbox);
    QCOMPARE(inbox->text(), u"Inbox (2)"_s);
    QCOMPARE(m_fixture.window().findChild<QLabel *>(u"boardHeader_done"_s)->text(), u"Done (1)"_s);
    QCOMPARE(card(u"done"_s, done).data(TaskTableModel::TitleRole).toString(), u"Three"_s);
}

void TestBoard::modelsPassTheTester()
{
    const QString a = createTask({{u"title"_s, u"Alpha"_s}, {u"tags"_s, QJsonArray{u"ui"_s}}});
    createTask({{u"title"_s, u"Beta"_s}});
    QList<QAbstractItemModelTester *> testers;
    for (const QString &status : board()->statuses())
        testers.append(new QAbstractItemModelTester(board()->column(status), QAbstractItemModelTester::FailureReportingMode::QtTest, this));
    // Changes flow through the testers: a move, a new task, a removal.
    QVERIFY(board()->column(u"review"_s)->moveHere(a));
    createTask({{u"title"_s, u"Gamma"_s}});
    m_fixture.store().tasks().remove(a);
    m_fixture.window().taskModel()->applyPending();
    QCOMPARE(board()->column(u"review"_s)->rowCount(), 0);
    QCOMPARE(board()->column(u"inbox"_s)->rowCount(), 2);
    qDeleteAll(testers);
}

void TestBoard::dropChangesStatusInStoreAndApi()
{
    const QString id = createTask({{u"title"_s, u"Drag me"_s}});
    showBoard();
    BoardColumnModel *from = board()->column(u"inbox"_s);
    const QModelIndex source = card(u"inbox"_s, id);
    QVERIFY(source.isValid());
    QVERIFY(from->flags(source) & Qt::ItemIsDragEnabled);
    // What a drag carries: the view's own model's mime data for the card.
    std::unique_ptr<QMimeData> mime(from->mimeData({source}));
    QVERIFY(mime->hasFormat(BoardColumnModel::mimeType));
    BoardColumnModel *to = board()->column(u"review"_s);
    QVERIFY(to->flags(QModelIndex()) & Qt::ItemIsDropEnabled);
    QVERIFY(to->canDropMimeData(mime.get(), Qt::MoveAction, -1, -1, {}));
    QVERIFY(to->dropMimeData(mime.get(), Qt::MoveAction, -1, -1, {}));
    QCOMPARE(m_fixture.store().tasks().get(id).value(u"status"_s).toString(), u"review"_s);
    QCOMPARE(apiStatus(id), u"review"_s);
    // The activity PATCH logs for a status change.
    const HttpResponse activity = m_fixture.http().get(api + u"/activity?limit=5"_s);
    QVERIFY2(activity.body.contains("Task 'Drag me' moved from inbox to review"), activity.body.constData());
    QTRY_COMPARE(to->rowCount(), 1);
    QCOMPARE(from->rowCount(), 0);
    QCOMPARE(m_fixture.window().findChild<QLabel *>(u"boardHeader_review"_s)->text(), u"Review (1)"_s);
    // Dropping on the column it is in changes nothing; foreign data is refused.
    std::unique_ptr<QMimeData> again(to->mimeData({card(u"review"_s, id)}));
    QVERIFY(!to->dropMimeData(again.get(), Qt::MoveAction, -1, -1, {}));
    QMimeData text;
    text.setText(id);
    QVERIFY(!board()->column(u"done"_s)->canDropMimeData(&text, Qt::MoveAction, -1, -1, {}));
    QCOMPARE(apiStatus(id), u"review"_s);
}

void TestBoard::keyboardMovesTheCard()
{
    const QString id = createTask({{u"title"_s, u"Keyboard card"_s}});
    showBoard();
    m_fixture.window().selectTask(id);
    QCOMPARE(board()->currentTaskId(), id);
    QListView *inbox = board()->columnView(u"inbox"_s);
    inbox->setFocus();
    QTest::keyClick(inbox, Qt::Key_Right, Qt::ControlModifier);
    QCOMPARE(m_fixture.store().tasks().get(id).value(u"status"_s).toString(), u"assigned"_s);
    QCOMPARE(apiStatus(id), u"assigned"_s);
    // The card stays current in its new column, so the next key moves it on.
    QListView *assigned = board()->columnView(u"assigned"_s);
    QCOMPARE(assigned->currentIndex().data(TaskTableModel::TaskIdRole).toString(), id);
    QTest::keyClick(assigned, Qt::Key_Right, Qt::ControlModifier);
    QCOMPARE(apiStatus(id), u"in_progress"_s);
    QTest::keyClick(board()->columnView(u"in_progress"_s), Qt::Key_Left, Qt::ControlModifier);
    QCOMPARE(apiStatus(id), u"assigned"_s);
    // The table follows the board's pick: Run and Delete act on this card.
    QCOMPARE(m_fixture.window().selectedTaskId(), id);
    // Plain Left walks to the previous column without moving anything.
    QTest::keyClick(board()->columnView(u"assigned"_s), Qt::Key_Left);
    QVERIFY(inbox->hasFocus() || !m_fixture.window().isActiveWindow());
    QCOMPARE(apiStatus(id), u"assigned"_s);
    // The first column has no left neighbour.
    m_fixture.store().tasks().setStatus(id, u"inbox"_s, QJsonValue());
    m_fixture.window().taskModel()->applyPending();
    m_fixture.window().selectTask(id);
    QVERIFY(!board()->moveCurrent(-1));
    QCOMPARE(apiStatus(id), u"inbox"_s);
}

void TestBoard::filtersApplyToBoth()
{
    createTask({{u"title"_s, u"Write the report"_s}});
    createTask({{u"title"_s, u"Review the draft"_s}});
    showBoard();
    QCOMPARE(board()->column(u"inbox"_s)->rowCount(), 2);
    m_fixture.window().textFilter()->setText(u"report"_s);
    QCOMPARE(board()->column(u"inbox"_s)->rowCount(), 1);
    QCOMPARE(m_fixture.window().taskView()->model()->rowCount(), 1);
    QCOMPARE(m_fixture.window().findChild<QLabel *>(u"boardHeader_inbox"_s)->text(), u"Inbox (1)"_s);
    m_fixture.window().textFilter()->clear();
    QCOMPARE(board()->column(u"inbox"_s)->rowCount(), 2);
}

void TestBoard::choiceIsRemembered()
{
    QVERIFY(!m_fixture.window().taskViews()->boardShown());   // the table on a first start
    m_fixture.window().taskViews()->boardAction()->trigger();
    QVERIFY(m_fixture.window().taskViews()->boardShown());
    m_fixture.open();
    QVERIFY(m_fixture.window().taskViews()->boardShown());
    QVERIFY(m_fixture.window().taskViews()->boardAction()->isChecked());
    m_fixture.window().taskViews()->boardAction()->trigger();
    m_fixture.open();
    QVERIFY(!m_fixture.window().taskViews()->boardShown());
}

void TestBoard::runningCardShowsLatestLineAndTime()
{
    const QString agent = m_fixture.store().agents().create(
            {{u"name"_s, u"Printer"_s}, {u"role"_s, u"prints"_s}, {u"backend"_s, u"command"_s},
             {u"metadata"_s, QJsonObject{{u"backend_config"_s, QJsonObject{{u"command"_s,
                     QJsonArray{u"/bin/sh"_s, u"-c"_s, u"echo 'drafting the intro'; sleep 30"_s}}}}}}})
            .value(u"id"_s).toString();
    const QString id = createTask({{u"title"_s, u"Long run"_s}, {u"tags"_s, QJsonArray{u"docs"_s}}});
    showBoard();
    QVERIFY(m_fixture.window().runTask(id, agent));
    QTRY_VERIFY_WITH_TIMEOUT(card(u"in_progress"_s, id).isValid(), 10000);
    const QModelIndex running = card(u"in_progress"_s, id);
    QVERIFY(running.data(TaskTableModel::RunningRole).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(card(u"in_progress"_s, id).data(TaskTableModel::LatestLineRole).toString()
                                     .contains(u"drafting the intro"_s), 10000);
    const QDateTime started = card(u"in_progress"_s, id).data(TaskTableModel::RunStartedRole).toDateTime();
    QVERIFY(started.isValid());
    QVERIFY(qAbs(started.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QCOMPARE(card(u"in_progress"_s, id).data(TaskTableModel::TagsRole).toStringList(), QStringList{u"docs"_s});
    // Taller than a card at rest: the spinner line is there.
    CardDelegate delegate;
    QStyleOptionViewItem option;
    option.initFrom(board());
    const int runningHeight = delegate.sizeHint(option, card(u"in_progress"_s, id)).height();
    m_fixture.executor().stop(id);
    QTRY_VERIFY_WITH_TIMEOUT(!m_fixture.executor().isRunning(id), 15000);
    m_fixture.window().taskModel()->applyPending();
    const QString status = m_fixture.store().tasks().get(id).value(u"status"_s).toString();
    QVERIFY(delegate.sizeHint(option, card(status, id)).height() < runningHeight);
    QCOMPARE(CardDelegate::elapsedText(65), u"1:05"_s);
    QCOMPARE(CardDelegate::elapsedText(3723), u"1:02:03"_s);
}

void TestBoard::screenshot()
{
    Store &store = m_fixture.store();
    const QString writer = store.agents().create({{u"name"_s, u"Writer"_s}, {u"role"_s, u"writes"_s}, {u"backend"_s, u"command"_s},
                                                  {u"metadata"_s, QJsonObject{{u"backend_config"_s, QJsonObject{{u"command"_s,
                                                          QJsonArray{u"/bin/sh"_s, u"-c"_s, u"echo 'Drafting section 2 of the report'; sleep 30"_s}}}}}}})
                                   .value(u"id"_s).toString();
    const QString reviewer = store.agents().create({{u"name"_s, u"Reviewer"_s}, {u"role"_s, u"reviews"_s}}).value(u"id"_s).toString();
    createTask({{u"title"_s, u"Collect feedback from the beta"_s}, {u"priority"_s, u"low"_s}});
    createTask({{u"title"_s, u"Plan the release"_s}, {u"priority"_s, u"high"_s}, {u"assignee_ids"_s, QJsonArray{reviewer}},
                {u"tags"_s, QJsonArray{u"release"_s}}});
    const QString running = createTask({{u"title"_s, u"Write the report"_s}, {u"priority"_s, u"urgent"_s},
                                        {u"assignee_ids"_s, QJsonArray{writer}}, {u"tags"_s, QJsonArray{u"docs"_s, u"q4"_s}}});
    const QString review = createTask({{u"title"_s, u"Review the draft"_s}, {u"assignee_ids"_s, QJsonArray{reviewer}}});
    store.tasks().setStatus(review, u"review"_s, QJsonValue());
    const QString done = createTask({{u"title"_s, u"Collect requirements"_s}, {u"tags"_s, QJsonArray{u"docs"_s}}});
    store.tasks().setStatus(done, u"done"_s, QJsonValue());
    m_fixture.window().resize(1500, 820);
    showBoard();
    // Room for the board: the detail keeps a third of the width.
    for (QSplitter *splitter : m_fixture.window().findChildren<QSplitter *>()) {
        if (splitter->orientation() == Qt::Horizontal && splitter->widget(0)->isAncestorOf(board()))
            splitter->setSizes({1000, 500});
    }
    QVERIFY(m_fixture.window().runTask(running, writer));
    QTRY_VERIFY_WITH_TIMEOUT(card(u"in_progress"_s, running).data(TaskTableModel::LatestLineRole).toString()
                                     .contains(u"Drafting"_s), 10000);
    m_fixture.window().selectTask(running);
    QTest::qWait(1200);
    QVERIFY(!WindowFixture::saveScreenshot(&m_fixture.window(), u"board-view"_s).isEmpty());
    m_fixture.executor().stop(running);
    QTRY_VERIFY_WITH_TIMEOUT(!m_fixture.executor().isRunning(running), 15000);
}

QTEST_MAIN(TestBoard)
#include "tst_board.moc"
