// The task detail's editors and the window around them (issue 16, points 3
// and 6): assignees, tags, due date and blocked_by edited in the window land
// in the store and in GET /tasks/{id}; the dependency shows both ways;
// messages show author and time; @ offers the agents' names; notifications
// are counted in the status bar and marked read; empty lists offer what to
// do; the first-start guide shows until it is used, then never again.

#include "agentmodel.h"
#include "agentrepository.h"
#include "emptystate.h"
#include "firststartguide.h"
#include "mentioncompleter.h"
#include "runstate.h"
#include "notificationmodel.h"
#include "notificationsview.h"
#include "taskdetail.h"
#include "taskeditor.h"
#include "taskmodel.h"
#include "taskrepository.h"
#include "taskviews.h"
#include "windowextras.h"
#include "windowfixture.h"

#include <QAbstractItemModelTester>
#include <QAbstractItemView>
#include <QAction>
#include <QCheckBox>
#include <QCompleter>
#include <QDateTimeEdit>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

class TestTaskEditing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fixture.start(); }
    void cleanup() { m_fixture.stop(); }

    void assigneesEditedLandInTheApi();
    void tagsDueDateAndBlockedBy();
    void refusedEditIsShownAndNothingLost();
    void messagesShowAuthorAndTime();
    void atCompletionOffersAgentNames();
    void notificationsCountedAndMarkedRead();
    void emptyStatesOfferTheAction();
    void detailShowsNothingFakeWhenNothingSelected();
    void firstStartGuideShowsOnce();
    void screenshots();

private:
    TaskDetail *detail() { return m_fixture.window().taskDetail(); }
    TaskEditor *editor() { return detail()->editor(); }
    QString agent(const QString &name)
    {
        return m_fixture.store().agents().create({{u"name"_s, name}, {u"role"_s, u"worker"_s}}).value(u"id"_s).toString();
    }
    QString task(const QJsonObject &body)
    {
        const QString id = m_fixture.store().tasks().create(body).value(u"id"_s).toString();
        m_fixture.window().taskModel()->applyPending();
        return id;
    }
    QJsonObject apiTask(const QString &id)
    {
        return m_fixture.http().get(api + u"/tasks/"_s + id).object().value(u"task"_s).toObject();
    }
    // Opens a picker menu as a click would (filled on aboutToShow) and toggles an entry.
    static void toggle(QToolButton *button, const QString &text)
    {
        QMenu *menu = button->menu();
        Q_EMIT menu->aboutToShow();
        for (QAction *action : menu->actions()) {
            if (action->text() == text) {
                action->toggle();
                return;
            }
        }
        QFAIL(qPrintable(u"no menu entry "_s + text));
    }
    WindowFixture m_fixture;
};

void TestTaskEditing::assigneesEditedLandInTheApi()
{
    const QString lea = agent(u"Lea"_s);
    const QString max = agent(u"Max"_s);
    const QString id = task({{u"title"_s, u"Share the work"_s}});
    m_fixture.window().selectTask(id);
    toggle(editor()->assigneesButton(), u"Lea"_s);
    QCOMPARE(apiTask(id).value(u"assignee_ids"_s).toArray(), QJsonArray{lea});
    QCOMPARE(apiTask(id).value(u"status"_s).toString(), u"assigned"_s);   // as POST /assign does
    toggle(editor()->assigneesButton(), u"Max"_s);
    QCOMPARE(apiTask(id).value(u"assignee_ids"_s).toArray(), (QJsonArray{lea, max}));
    QCOMPARE(editor()->assigneesButton()->text(), u"Lea, Max"_s);
    // The same activity and notification as the API's assign.
    const QByteArray activity = m_fixture.http().get(api + u"/activity?task_id="_s + id).body;
    QVERIFY2(activity.contains("Max assigned to: Share the work"), activity.constData());
    QCOMPARE(m_fixture.http().get(api + u"/notifications?agent_id="_s + max).object().value(u"count"_s).toInt(), 1);
    // Removing one.
    toggle(editor()->assigneesButton(), u"Lea"_s);
    QCOMPARE(apiTask(id).value(u"assignee_ids"_s).toArray(), QJsonArray{max});
    QCOMPARE(m_fixture.http().get(api + u"/tasks?assignee_id="_s + lea).object().value(u"count"_s).toInt(), 0);
    QCOMPARE(m_fixture.http().get(api + u"/tasks?assignee_id="_s + max).object().value(u"count"_s).toInt(), 1);
}

void TestTaskEditing::tagsDueDateAndBlockedBy()
{
    const QString first = task({{u"title"_s, u"Design"_s}});
    const QString id = task({{u"title"_s, u"Build"_s}});
    m_fixture.window().selectTask(id);
    auto *tags = m_fixture.window().findChild<QLineEdit *>(u"tagsEditor"_s);
    tags->setFocus();
    tags->selectAll();
    QTest::keyClicks(tags, u"ui, backend, ui"_s);
    QTest::keyClick(tags, Qt::Key_Return);
    QCOMPARE(apiTask(id).value(u"tags"_s).toArray(), (QJsonArray{u"ui"_s, u"backend"_s}));
    QCOMPARE(m_fixture.http().get(api + u"/tasks?tags=backend"_s).object().value(u"count"_s).toInt(), 1);

    const QDateTime due(QDate(2027, 3, 1), QTime(17, 0));
    QVERIFY(editor()->setDueDate(due));
    QCOMPARE(QDateTime::fromString(apiTask(id).value(u"due_date"_s).toString(), Qt::ISODateWithMs), due);
    QVERIFY(m_fixture.window().findChild<QCheckBox *>(u"hasDueDate"_s)->isChecked());
    QCOMPARE(m_fixture.window().findChild<QDateTimeEdit *>(u"dueDateEditor"_s)->dateTime(), due);

    toggle(editor()->blockedByButton(), u"Design"_s);
    QCOMPARE(apiTask(id).value(u"blocked_by"_s).toArray(), QJsonArray{first});
    QCOMPARE(editor()->blockedByButton()->text(), u"Design"_s);
    // The other way round, on the blocker's detail.
    m_fixture.window().selectTask(first);
    QCOMPARE(editor()->blocksLabel()->text(), u"Build"_s);
    QCOMPARE(editor()->blockedByButton()->text(), u"nothing — choose…"_s);
    // And taken back.
    m_fixture.window().selectTask(id);
    toggle(editor()->blockedByButton(), u"Design"_s);
    QCOMPARE(apiTask(id).value(u"blocked_by"_s).toArray(), QJsonArray());
    m_fixture.window().selectTask(first);
    QCOMPARE(editor()->blocksLabel()->text(), u"nothing"_s);
}

void TestTaskEditing::refusedEditIsShownAndNothingLost()
{
    const QString id = task({{u"title"_s, u"Short tags"_s}, {u"tags"_s, QJsonArray{u"keep"_s}}});
    m_fixture.window().selectTask(id);
    // The task is deleted behind the window's back: the edit is refused with
    // the store's message in the status bar and the editor shows what is stored.
    m_fixture.store().tasks().remove(id);
    QVERIFY(!editor()->setTags(u"new"_s));
    QCOMPARE(m_fixture.window().statusMessage(), u"Task not found"_s);
}

void TestTaskEditing::messagesShowAuthorAndTime()
{
    const QString lea = agent(u"Lea"_s);
    const QString id = task({{u"title"_s, u"Discuss"_s}});
    m_fixture.window().selectTask(id);
    auto *input = m_fixture.window().findChild<QLineEdit *>(u"messageInput"_s);
    input->setText(u"first from me"_s);
    QVERIFY(detail()->postMessage());
    QVERIFY(m_fixture.http().post(api + u"/tasks/"_s + id + u"/messages"_s,
                                  {{u"from_agent_id"_s, lea}, {u"content"_s, u"reply from the agent"_s}}).status == 200);
    auto *list = m_fixture.window().findChild<QListWidget *>(u"messageList"_s);
    QTRY_COMPARE(list->count(), 2);
    const QJsonArray messages = m_fixture.http().get(api + u"/tasks/"_s + id + u"/messages"_s).object().value(u"messages"_s).toArray();
    const auto time = [&](int i) { return localTimeText(messages.at(i).toObject().value(u"created_at"_s).toString()); };
    QCOMPARE(list->item(0)->text(), u"you · %1\nfirst from me"_s.arg(time(0)));
    QCOMPARE(list->item(1)->text(), u"Lea · %1\nreply from the agent"_s.arg(time(1)));
    QVERIFY(!time(1).isEmpty());
}

void TestTaskEditing::atCompletionOffersAgentNames()
{
    agent(u"Lea"_s);
    agent(u"Leonard"_s);
    agent(u"Max"_s);
    agent(u"Code Reviewer"_s);   // no @word reaches it: not offered
    const QString id = task({{u"title"_s, u"Mention"_s}});
    m_fixture.window().selectTask(id);
    auto *input = m_fixture.window().findChild<QLineEdit *>(u"messageInput"_s);
    MentionCompleter *mentions = detail()->mentionCompleter();
    input->setFocus();
    QTest::keyClicks(input, u"please check @le"_s);
    QCOMPARE(mentions->candidates(), (QStringList{u"Lea"_s, u"Leonard"_s}));
    QCOMPARE(mentions->completer()->completionCount(), 2);
    QVERIFY(mentions->completer()->popup()->isVisible());
    QTest::keyClicks(input, u"o"_s);
    QCOMPARE(mentions->candidates(), QStringList{u"Leonard"_s});
    mentions->insert(u"Leonard"_s);
    QCOMPARE(input->text(), u"please check @Leonard "_s);
    QVERIFY(mentions->candidates().isEmpty());   // after the space: no @word at the cursor
    input->setText(QString());
    QTest::keyClicks(input, u"@"_s);
    QCOMPARE(mentions->candidates(), (QStringList{u"Lea"_s, u"Leonard"_s, u"Max"_s, u"all"_s}));
    input->setText(u"mail@le"_s);   // an address, not a mention
    QVERIFY(mentions->candidates().isEmpty());
    // A new agent is offered at once.
    agent(u"Lena"_s);
    input->setText(QString());
    QTest::keyClicks(input, u"@len"_s);
    QTRY_COMPARE(mentions->candidates(), QStringList{u"Lena"_s});
}

void TestTaskEditing::notificationsCountedAndMarkedRead()
{
    const QString lea = agent(u"Lea"_s);
    const QString max = agent(u"Max"_s);
    const QString id = task({{u"title"_s, u"Notify"_s}});
    WindowExtras *extras = m_fixture.window().extras();
    QAbstractItemModelTester tester(extras->notifications(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(extras->unreadButton()->text(), u"No unread notifications"_s);
    m_fixture.window().selectTask(id);
    m_fixture.window().findChild<QLineEdit *>(u"messageInput"_s)->setText(u"@lea and @max, please"_s);
    QVERIFY(detail()->postMessage());
    QTRY_COMPARE(extras->notifications()->rowCount(), 2);
    QCOMPARE(extras->unreadButton()->text(), u"2 unread notifications"_s);
    QVERIFY(extras->notifications()->index(0).data().toString().contains(u"mentioned you on 'Notify'"_s));
    QVERIFY(extras->notifications()->index(0).data(Qt::FontRole).value<QFont>().bold());

    // The status bar's count opens the list; "Mark read" on the selected one.
    QTest::mouseClick(extras->unreadButton(), Qt::LeftButton);
    QTRY_VERIFY(extras->notificationsView()->isVisible());
    QListView *list = extras->notificationsView()->list();
    int leaRow = -1;
    for (int row = 0; row < 2; ++row) {
        if (extras->notifications()->index(row).data().toString().startsWith(u"Lea"_s))
            leaRow = row;
    }
    QVERIFY(leaRow >= 0);
    list->selectionModel()->select(extras->notifications()->index(leaRow), QItemSelectionModel::ClearAndSelect);
    auto *markRead = extras->notificationsView()->findChild<QPushButton *>(u"markRead"_s);
    QVERIFY(markRead->isEnabled());
    QTest::mouseClick(markRead, Qt::LeftButton);
    QCOMPARE(extras->unreadButton()->text(), u"1 unread notification"_s);
    QCOMPARE(m_fixture.http().get(api + u"/notifications?unread_only=true&agent_id="_s + lea).object().value(u"count"_s).toInt(), 0);
    QCOMPARE(m_fixture.http().get(api + u"/notifications?unread_only=true&agent_id="_s + max).object().value(u"count"_s).toInt(), 1);
    QVERIFY(!extras->notifications()->index(leaRow).data(Qt::FontRole).value<QFont>().bold());

    // Activating one marks it read and opens its task.
    m_fixture.window().selectTask(task({{u"title"_s, u"Elsewhere"_s}}));
    const int maxRow = 1 - leaRow;
    Q_EMIT list->activated(extras->notifications()->index(maxRow));
    QCOMPARE(m_fixture.window().selectedTaskId(), id);
    QCOMPARE(extras->unreadButton()->text(), u"No unread notifications"_s);
    QCOMPARE(m_fixture.http().get(api + u"/stats"_s).object().value(u"stats"_s).toObject()
                     .value(u"notifications"_s).toObject().value(u"unread"_s).toInt(), 0);
}

void TestTaskEditing::emptyStatesOfferTheAction()
{
    auto *tasks = m_fixture.window().findChild<EmptyState *>(u"tasksEmpty"_s);
    QVERIFY(tasks);
    QVERIFY(tasks->isShowingEmpty());
    QVERIFY(tasks->actionButton()->isVisible());
    QCOMPARE(tasks->actionButton()->text(), u"Create Task"_s);
    QVERIFY(tasks->findChild<QLabel *>(u"emptyMessage"_s)->text().contains(u"No tasks yet"_s));
    // The call to action opens the New Task dialog; the task it creates fills the list.
    onNextDialog([](QDialog *d) { d->findChild<QLineEdit *>(u"taskTitle"_s)->setText(u"From the empty state"_s); });
    QTest::mouseClick(tasks->actionButton(), Qt::LeftButton);
    QTRY_COMPARE(m_fixture.window().taskModel()->rowCount(), 1);
    QCOMPARE(m_fixture.http().get(api + u"/tasks"_s).object().value(u"tasks"_s).toArray().first().toObject()
                     .value(u"title"_s).toString(), u"From the empty state"_s);
    QTRY_VERIFY(!tasks->isShowingEmpty());

    auto *agents = m_fixture.window().findChild<EmptyState *>(u"agentViewEmpty"_s);
    QVERIFY(agents);
    QVERIFY(agents->isShowingEmpty());
    QCOMPARE(agents->actionButton()->text(), u"Create Agent"_s);
    onNextDialog([](QDialog *d) {
        d->findChild<QLineEdit *>(u"agentName"_s)->setText(u"Helper"_s);
        d->findChild<QLineEdit *>(u"agentRole"_s)->setText(u"helps"_s);
    });
    QTest::mouseClick(agents->actionButton(), Qt::LeftButton);
    QTRY_COMPARE(m_fixture.window().agentModel()->rowCount(), 1);
    QTRY_VERIFY(!agents->isShowingEmpty());
    // The last one deleted: the call to action is back.
    m_fixture.http().del(api + u"/agents/"_s + m_fixture.window().agentModel()->agents().first().value(u"id"_s).toString());
    QTRY_VERIFY(agents->isShowingEmpty());
}

void TestTaskEditing::detailShowsNothingFakeWhenNothingSelected()
{
    QVERIFY(detail()->showsPlaceholder());
    auto *placeholder = detail()->findChild<QLabel *>(u"detailPlaceholder"_s);
    QVERIFY(placeholder->isVisible());
    QVERIFY(placeholder->text().contains(u"No task selected"_s));
    QVERIFY(!detail()->findChild<QTabWidget *>()->isVisible());
    const QString id = task({{u"title"_s, u"Now there is one"_s}});
    m_fixture.window().selectTask(id);
    QVERIFY(!detail()->showsPlaceholder());
    QVERIFY(detail()->findChild<QTabWidget *>()->isVisible());
    m_fixture.window().textFilter()->setText(u"no such task"_s);
    QVERIFY(detail()->showsPlaceholder());
}

void TestTaskEditing::firstStartGuideShowsOnce()
{
    FirstStartGuide *guide = m_fixture.window().extras()->guide();
    QVERIFY(guide);
    QVERIFY(guide->isVisible());
    QCOMPARE(guide->stepsDone(), 0);
    // Each step's button triggers the window's own action; steps tick off.
    onNextDialog([](QDialog *d) {
        d->findChild<QLineEdit *>(u"agentName"_s)->setText(u"Guided"_s);
        d->findChild<QLineEdit *>(u"agentRole"_s)->setText(u"follows the guide"_s);
    });
    QTest::mouseClick(guide->findChild<QPushButton *>(u"guideStep1"_s), Qt::LeftButton);
    QTRY_COMPARE(guide->stepsDone(), 1);
    task({{u"title"_s, u"Guided task"_s}});
    QTRY_COMPARE(guide->stepsDone(), 2);
    // Still there after a restart until it is used up.
    m_fixture.open();
    guide = m_fixture.window().extras()->guide();
    QVERIFY(guide);
    QCOMPARE(guide->stepsDone(), 2);
    QTest::mouseClick(guide->findChild<QPushButton *>(u"guideDismiss"_s), Qt::LeftButton);
    QTRY_VERIFY(!m_fixture.window().extras()->guide());
    m_fixture.open();
    QVERIFY(!m_fixture.window().extras()->guide());
    QVERIFY(!m_fixture.window().findChild<FirstStartGuide *>());
}

void TestTaskEditing::screenshots()
{
    // An empty state and the first-start guide: the window on a first start.
    m_fixture.window().resize(1280, 800);
    QTest::qWait(200);
    QVERIFY(!WindowFixture::saveScreenshot(&m_fixture.window(), u"first-start"_s).isEmpty());
    QVERIFY(!WindowFixture::saveScreenshot(m_fixture.window().findChild<EmptyState *>(u"tasksEmpty"_s), u"empty-state"_s).isEmpty());

    // The detail's editors on a task with everything set.
    const QString lea = agent(u"Lea"_s);
    const QString max = agent(u"Max"_s);
    const QString design = task({{u"title"_s, u"Design the schema"_s}});
    const QString id = task({{u"title"_s, u"Build the importer"_s}, {u"priority"_s, u"high"_s},
                             {u"description"_s, u"Read the CSV exports and write them to the store."_s},
                             {u"assignee_ids"_s, QJsonArray{lea, max}}, {u"tags"_s, QJsonArray{u"backend"_s, u"import"_s}},
                             {u"blocked_by"_s, QJsonArray{design}}});
    task({{u"title"_s, u"Ship the beta"_s}, {u"blocked_by"_s, QJsonArray{id}}});
    m_fixture.window().extras()->guide()->dismiss();
    m_fixture.window().selectTask(id);
    QVERIFY(editor()->setDueDate(QDateTime(QDate(2027, 3, 1), QTime(17, 0))));
    QTest::qWait(200);
    QVERIFY(!WindowFixture::saveScreenshot(&m_fixture.window(), u"task-editing"_s).isEmpty());
}

QTEST_MAIN(TestTaskEditing)
#include "tst_taskediting.moc"
