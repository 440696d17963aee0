// The GUI's item models, checked by QAbstractItemModelTester while tasks and
// agents are added, updated and removed through the core.

#include "activitymodel.h"
#include "agentmodel.h"
#include "agentrepository.h"
#include "executor.h"
#include "notificationmodel.h"
#include "store.h"
#include "taskmodel.h"
#include "taskrepository.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mc;

class TestModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_store = std::make_unique<Store>();
        m_store->open(m_dir->path());
        m_executor = std::make_unique<Executor>(*m_store, 5);
    }
    void cleanup()
    {
        m_executor.reset();
        m_store.reset();
        m_dir.reset();
    }
    void taskModelFollowsTheStoreInBatches();
    void filterProxyByStatusAndText();
    void updatedSortsByTimestamp();
    void agentAndActivityModels();
    void notificationsArriveAboveTheShownOnes();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Executor> m_executor;
};

void TestModels::taskModelFollowsTheStoreInBatches()
{
    TaskTableModel model(*m_store, *m_executor);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    QStringList ids;
    for (int i = 0; i < 20; ++i)
        ids.append(m_store->tasks().create({{u"title"_s, u"task %1"_s.arg(i)}}).value(u"id"_s).toString());
    QCOMPARE(model.rowCount(), 0);                 // not yet: batched
    QTRY_COMPARE(model.rowCount(), 20);
    QVERIFY(inserts.size() <= 20);
    m_store->tasks().setStatus(ids.at(3), u"done"_s, QJsonValue());
    m_store->tasks().update(ids.at(4), {{u"title"_s, u"renamed"_s}});
    m_store->tasks().remove(ids.at(5));
    m_store->tasks().remove(ids.at(0));
    QTRY_COMPARE(model.rowCount(), 18);
    QCOMPARE(model.rowOf(ids.at(5)), -1);
    QCOMPARE(model.index(model.rowOf(ids.at(3)), TaskTableModel::Status).data().toString(), u"Done"_s);
    QCOMPARE(model.index(model.rowOf(ids.at(4)), TaskTableModel::Title).data().toString(), u"renamed"_s);
    QCOMPARE(resets.size(), 0);                    // never a full reset
    // Row indexes stay consistent after removals.
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.rowOf(model.taskId(row)), row);
}

void TestModels::filterProxyByStatusAndText()
{
    TaskTableModel model(*m_store, *m_executor);
    TaskFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString agent = m_store->agents().create({{u"name"_s, u"Zoe"_s}, {u"role"_s, u"x"_s}}).value(u"id"_s).toString();
    m_store->tasks().create({{u"title"_s, u"Write report"_s}, {u"assignee_ids"_s, QJsonArray{agent}}});
    m_store->tasks().create({{u"title"_s, u"Fix bug"_s}});
    m_store->tasks().create({{u"title"_s, u"Write tests"_s}});
    QTRY_COMPARE(proxy.rowCount(), 3);
    proxy.setTextFilter(u"write"_s);
    QCOMPARE(proxy.rowCount(), 2);
    proxy.setTextFilter(u"zoe"_s);                // matches the assignee column
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setTextFilter({});
    proxy.setStatusFilter(u"assigned"_s);
    QCOMPARE(proxy.rowCount(), 1);
    proxy.setStatusFilter({});
    proxy.sort(TaskTableModel::Title, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, TaskTableModel::Title).data().toString(), u"Fix bug"_s);
}

void TestModels::updatedSortsByTimestamp()
{
    // Updates within one second show the same "Updated" text; the order is
    // still the order of the updates (newest first), not arbitrary.
    TaskTableModel model(*m_store, *m_executor);
    TaskFilterProxy proxy;
    proxy.setSourceModel(&model);
    QStringList ids;
    for (int i = 0; i < 12; ++i)
        ids.append(m_store->tasks().create({{u"title"_s, u"t%1"_s.arg(i)}}).value(u"id"_s).toString());
    QTRY_COMPARE(proxy.rowCount(), 12);
    for (const QString &id : ids)   // the last one updated is the newest
        m_store->tasks().update(id, {{u"priority"_s, u"high"_s}});
    model.applyPending();
    proxy.sort(TaskTableModel::Updated, Qt::DescendingOrder);
    QStringList shown;
    for (int row = 0; row < proxy.rowCount(); ++row)
        shown.append(proxy.index(row, 0).data(TaskTableModel::TaskIdRole).toString());
    QStringList expected = ids;
    std::reverse(expected.begin(), expected.end());
    QCOMPARE(shown, expected);
}

void TestModels::agentAndActivityModels()
{
    AgentTableModel agents(*m_store);
    ActivityModel activity(*m_store);
    QAbstractItemModelTester agentTester(&agents, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester activityTester(&activity, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString a = m_store->agents().create({{u"name"_s, u"Ann"_s}, {u"role"_s, u"r"_s}, {u"backend"_s, u"command"_s}})
                              .value(u"id"_s).toString();
    QTRY_COMPARE(agents.rowCount(), 1);
    QCOMPARE(agents.index(0, AgentTableModel::Backend).data().toString(), u"command"_s);
    m_store->agents().update(a, {{u"status"_s, u"blocked"_s}});
    QTRY_COMPARE(agents.index(0, AgentTableModel::Status).data().toString(), u"Blocked"_s);
    m_store->agents().remove(a);
    QTRY_COMPARE(agents.rowCount(), 0);
    QCOMPARE(activity.rowCount(), 2);              // joined, status change; newest first
    QVERIFY(activity.index(0).data().toString().contains(u"blocked"_s));
}

void TestModels::notificationsArriveAboveTheShownOnes()
{
    NotificationModel model(*m_store);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy unread(&model, &NotificationModel::unreadCountChanged);
    const QString a = m_store->agents().create({{u"name"_s, u"Ann"_s}, {u"role"_s, u"r"_s}, {u"backend"_s, u"command"_s}})
                              .value(u"id"_s).toString();
    const auto assign = [&](const QString &title) {
        m_store->tasks().create({{u"title"_s, title}, {u"assignee_ids"_s, QJsonArray{a}}});
    };
    assign(u"first"_s);
    QTRY_COMPARE(model.rowCount(), 1);
    // The row the user picked is still the same notification after new ones came.
    const QPersistentModelIndex picked = model.index(0);
    assign(u"second"_s);
    assign(u"third"_s);
    QTRY_COMPARE(model.rowCount(), 3);
    QVERIFY(picked.isValid());
    QCOMPARE(picked.row(), 2);
    QVERIFY(picked.data().toString().contains(u"first"_s));
    QVERIFY(model.index(0).data().toString().contains(u"third"_s));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(unread.constLast().constFirst().toInt(), 3);
    // Marking one read changes the count and the row, not the list.
    QVERIFY(model.markRead(picked));
    QCOMPARE(unread.constLast().constFirst().toInt(), 2);
    QCOMPARE(model.index(2).data(NotificationModel::ReadRole).toBool(), true);
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
