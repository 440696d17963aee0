// Agents in the real window: edit with the New Agent form (prefilled, other
// settings kept, secrets masked and kept), delete after a confirmation, the
// list sorted by name, usage per agent as GET /agents/{id}/usage says, and
// the context menus of the agent list and the task rows.

#include "agentactions.h"
#include "agentmodel.h"
#include "agentrepository.h"
#include "agentsecrets.h"
#include "dashboardparts.h"
#include "httpclient.h"
#include "mainwindow.h"
#include "runrepository.h"
#include "store.h"
#include "taskmodel.h"
#include "taskrepository.h"
#include "testserver.h"
#include "livewindow.h"
#include "uidriver.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

namespace {
const QString kApi = u"/api/mission-control"_s;

QJsonObject commandAgent(const QString &name)
{
    return {{u"name"_s, name}, {u"role"_s, u"worker"_s}, {u"backend"_s, u"command"_s},
            {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                          QJsonObject{{u"command"_s, QJsonArray{u"/bin/echo"_s, u"hello world"_s}},
                                                      {u"idle_timeout_s"_s, 99},
                                                      {u"env"_s, QJsonObject{{u"SERVICE_TOKEN"_s, u"s3cret-value"_s},
                                                                             {u"LANGUAGE"_s, u"en"_s}}}}}}}};
}

QStringList names(const AgentTableModel *model)
{
    QStringList shown;
    for (int row = 0; row < model->rowCount(); ++row)
        shown.append(model->index(row, AgentTableModel::Name).data().toString());
    return shown;
}
} // namespace

class TestAgentEditing : public QObject, public LiveWindow
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(openWindow());
    }
    void cleanup() { closeWindow(); }

    void editChangesTheStoredAgent();
    void editRefusesWhatTheApiRefuses();
    void doubleClickAndMenuOpenEditAndDelete();
    void deleteAfterConfirmation();
    void sortedByName();
    void usagePerAgent();
    void taskRowMenu();

private:
    AgentActions *actions() { return m_window->dashboardParts()->agentActions(); }
    QTableView *agentView() { return m_window->findChild<QTableView *>(u"agentView"_s); }
    QJsonObject apiAgent(const QString &id)
    {
        return m_http->get(kApi + u"/agents/"_s + id).object().value(u"agent"_s).toObject();
    }
    // The menu a right-click on `view`'s row opens (closed again by the caller).
    QMenu *contextMenu(QAbstractItemView *view, int row)
    {
        const QPoint pos = view->visualRect(view->model()->index(row, 0)).center();
        Q_EMIT view->customContextMenuRequested(pos);
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        return menu;
    }
};

void TestAgentEditing::editChangesTheStoredAgent()
{
    const QString id = m_http->createAgent(commandAgent(u"Builder"_s));
    QString envShown;
    QString title;
    onNextDialog([&](QDialog *d) {
        title = d->windowTitle();
        QCOMPARE(d->findChild<QLineEdit *>(u"agentName"_s)->text(), u"Builder"_s);
        QCOMPARE(d->findChild<QComboBox *>(u"agentBackend"_s)->currentData().toString(), u"command"_s);
        QCOMPARE(d->findChild<QLineEdit *>(u"agentCommand"_s)->text(), u"/bin/echo 'hello world'"_s);
        envShown = d->findChild<QPlainTextEdit *>(u"agentEnv"_s)->toPlainText();
        QVERIFY(saveScreenshot(d, u"agent-edit"_s));
        d->findChild<QLineEdit *>(u"agentRole"_s)->setText(u"release engineer"_s);
        d->findChild<QLineEdit *>(u"agentCommand"_s)->setText(u"/bin/echo built"_s);
    });
    actions()->edit(id);
    QCOMPARE(title, u"Edit Agent — Builder"_s);
    // The secret is shown masked, never in clear.
    QVERIFY2(envShown.contains(u"SERVICE_TOKEN=********"_s) && envShown.contains(u"LANGUAGE=en"_s), qPrintable(envShown));
    QVERIFY(!envShown.contains(u"s3cret"_s));

    const QJsonObject agent = apiAgent(id);
    QCOMPARE(agent.value(u"role"_s).toString(), u"release engineer"_s);
    const QJsonObject config = agent.value(u"metadata"_s).toObject().value(u"backend_config"_s).toObject();
    QCOMPARE(config.value(u"command"_s).toArray(), (QJsonArray{u"/bin/echo"_s, u"built"_s}));
    QCOMPARE(config.value(u"idle_timeout_s"_s).toInt(), 99);   // no field for it: kept
    QCOMPARE(config.value(u"env"_s).toObject().value(u"SERVICE_TOKEN"_s).toString(), u"********"_s);
    QCOMPARE(agentsecrets::value(id, u"SERVICE_TOKEN"_s), u"s3cret-value"_s);   // unchanged: not edited
    QTRY_COMPARE(m_window->agentModel()->index(0, AgentTableModel::Role).data().toString(), u"release engineer"_s);

    // A new secret value typed in replaces the stored one, and stays out of the agent.
    onNextDialog([](QDialog *d) {
        d->findChild<QPlainTextEdit *>(u"agentEnv"_s)->setPlainText(u"SERVICE_TOKEN=rotated\nLANGUAGE=de"_s);
    });
    actions()->edit(id);
    QCOMPARE(agentsecrets::value(id, u"SERVICE_TOKEN"_s), u"rotated"_s);
    const QByteArray body = m_http->get(kApi + u"/agents/"_s + id).body;
    QVERIFY(!body.contains("rotated"));
    QVERIFY(body.contains("\"LANGUAGE\":\"de\""));
}

void TestAgentEditing::editRefusesWhatTheApiRefuses()
{
    const QString id = m_http->createAgent(commandAgent(u"Strict"_s));
    QString problem;
    bool saveEnabled = true;
    onNextDialog([&](QDialog *d) {
        d->findChild<QLineEdit *>(u"agentCommand"_s)->setText(u"'unterminated"_s);
        problem = d->findChild<QLabel *>(u"agentProblem"_s)->text();
        saveEnabled = d->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
    }, false);
    actions()->edit(id);
    QVERIFY2(problem.startsWith(u"Command: "_s) && problem.contains(u"not closed"_s), qPrintable(problem));
    QVERIFY(!saveEnabled);
    QCOMPARE(apiAgent(id).value(u"metadata"_s).toObject().value(u"backend_config"_s).toObject()
                     .value(u"command"_s).toArray().size(), 2);   // unchanged
}

void TestAgentEditing::doubleClickAndMenuOpenEditAndDelete()
{
    m_http->createAgent(commandAgent(u"Clicky"_s));
    QTRY_COMPARE(m_window->agentModel()->rowCount(), 1);
    QString title;
    onNextDialog([&](QDialog *d) { title = d->windowTitle(); }, false);
    m_window->findChild<QDockWidget *>(u"agentsDock"_s)->raise();
    QTRY_VERIFY(agentView()->isVisible());
    const QRect cell = agentView()->visualRect(m_window->agentModel()->index(0, 0));
    QTest::mouseClick(agentView()->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(agentView()->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(title, u"Edit Agent — Clicky"_s);

    QMenu *menu = contextMenu(agentView(), 0);
    QVERIFY(menu);
    QCOMPARE(menu->objectName(), u"agentMenu"_s);
    QStringList texts;
    for (QAction *a : menu->actions())
        texts.append(a->text());
    QCOMPARE(texts, (QStringList{u"Edit…"_s, u"Delete…"_s}));
    menu->close();
}

void TestAgentEditing::deleteAfterConfirmation()
{
    const QString id = m_http->createAgent(commandAgent(u"Temp"_s));
    QTRY_COMPARE(m_window->agentModel()->rowCount(), 1);
    QString question;
    answerNextMessageBox(QMessageBox::No, &question);
    QMenu *menu = contextMenu(agentView(), 0);
    QVERIFY(menu);
    menu->actions().at(1)->trigger();   // Delete…
    QVERIFY2(question.contains(u"Temp"_s), qPrintable(question));
    QCOMPARE(m_http->get(kApi + u"/agents/"_s + id).status, 200);   // "No" keeps it
    answerNextMessageBox(QMessageBox::Yes);
    actions()->remove(id);
    QCOMPARE(m_http->get(kApi + u"/agents/"_s + id).status, 404);
    QTRY_COMPARE(m_window->agentModel()->rowCount(), 0);
    QCOMPARE(agentsecrets::value(id, u"SERVICE_TOKEN"_s), QString());   // its secrets went too
    QVERIFY(m_window->statusMessage().contains(u"Agent Temp deleted"_s));
}

void TestAgentEditing::sortedByName()
{
    AgentTableModel *model = m_window->agentModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (const QString &name : {u"charlie"_s, u"Bravo"_s, u"alpha"_s, u"Delta"_s})
        m_http->createAgent(commandAgent(name));
    QTRY_COMPARE(names(model), (QStringList{u"alpha"_s, u"Bravo"_s, u"charlie"_s, u"Delta"_s}));
    // The same order as GET /agents.
    QStringList api;
    for (const QJsonValue &a : m_http->get(kApi + u"/agents"_s).object().value(u"agents"_s).toArray())
        api.append(a.toObject().value(u"name"_s).toString());
    QCOMPARE(names(model), api);
    // A rename moves the agent to its place.
    const QString delta = model->agentId(3);
    QCOMPARE(m_http->patch(kApi + u"/agents/"_s + delta, {{u"name"_s, u"Aaron"_s}}).status, 200);
    QTRY_COMPARE(names(model), (QStringList{u"Aaron"_s, u"alpha"_s, u"Bravo"_s, u"charlie"_s}));
    const QString aaron = model->agentId(0);
    QCOMPARE(m_http->patch(kApi + u"/agents/"_s + aaron, {{u"name"_s, u"zed"_s}}).status, 200);
    QTRY_COMPARE(names(model), (QStringList{u"alpha"_s, u"Bravo"_s, u"charlie"_s, u"zed"_s}));
}

void TestAgentEditing::usagePerAgent()
{
    const QString id = m_http->createAgent(commandAgent(u"Spender"_s));
    const QString task = m_http->createTask({{u"title"_s, u"costly"_s}});
    for (int i = 0; i < 2; ++i) {
        const QString run = store().runs().create(task, id).value(u"id"_s).toString();
        store().runs().finish(run, u"completed"_s, QJsonValue(),
                              {{u"input_tokens"_s, 1000 + i}, {u"output_tokens"_s, 200}, {u"cost_usd"_s, 0.125}});
    }
    store().agents().heartbeat(id);   // an agent is announced as changed when its run ends
    const QJsonObject usage = m_http->get(kApi + u"/agents/"_s + id + u"/usage"_s).object().value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"runs"_s).toInt(), 2);
    AgentTableModel *model = m_window->agentModel();
    QTRY_COMPARE(model->index(0, AgentTableModel::Runs).data().toLongLong(), 2);
    QCOMPARE(model->index(0, AgentTableModel::Tokens).data().toLongLong(),
             usage.value(u"input_tokens"_s).toInteger() + usage.value(u"output_tokens"_s).toInteger());
    QCOMPARE(model->index(0, AgentTableModel::Tokens).data().toLongLong(), 2401);
    QCOMPARE(model->index(0, AgentTableModel::Cost).data().toString(), u"$0.2500"_s);
    QCOMPARE(usage.value(u"cost_usd"_s).toDouble(), 0.25);
    QVERIFY(model->index(0, AgentTableModel::Cost).data(Qt::ToolTipRole).toString().contains(u"2 runs"_s));
}

void TestAgentEditing::taskRowMenu()
{
    m_http->createTask({{u"title"_s, u"first"_s}});
    const QString second = m_http->createTask({{u"title"_s, u"second"_s}});
    m_window->taskModel()->applyPending();
    QTableView *tasks = m_window->taskView();
    int row = 0;
    while (row < tasks->model()->rowCount() && tasks->model()->index(row, 0).data().toString() != u"second"_s)
        ++row;
    QMenu *menu = contextMenu(tasks, row);
    QVERIFY(menu);
    QCOMPARE(m_window->selectedTaskId(), second);   // the row under the pointer is the one acted on
    QStringList texts;
    for (QAction *a : menu->actions()) {
        if (!a->isSeparator())
            texts.append(a->text());
    }
    QCOMPARE(texts, (QStringList{u"Run"_s, u"Stop"_s, u"View Output"_s, u"Delete"_s}));
    QVERIFY(!m_window->stopAction()->isEnabled());   // not running
    menu->close();
    answerNextMessageBox(QMessageBox::Yes);
    m_window->deleteAction()->trigger();
    QCOMPARE(m_http->get(kApi + u"/tasks/"_s + second).status, 404);
}

QTEST_MAIN(TestAgentEditing)
#include "tst_agentediting.moc"
