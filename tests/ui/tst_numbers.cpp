// The numbers in the real window: the stats header against the store and the
// API, the shown run's usage line, the standup report copied as Markdown, and
// what a run changed in its git working folder (a real repository, a real
// command agent writing to it, the git program reading it back).

#include "agentrepository.h"
#include "changedfilesmodel.h"
#include "dashboardparts.h"
#include "executor.h"
#include "gitbaseline.h"
#include "httpclient.h"
#include "mainwindow.h"
#include "runchangesdialog.h"
#include "runrepository.h"
#include "runusage.h"
#include "standupdialog.h"
#include "statsheader.h"
#include "store.h"
#include "taskmodel.h"
#include "taskrepository.h"
#include "testserver.h"
#include "livewindow.h"
#include "uidriver.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QDate>
#include <QDateTime>
#include <QJsonArray>
#include <QLocale>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBrowser>

using namespace Qt::StringLiterals;
using namespace mc;
using namespace mc::test;

namespace {
const QString kApi = u"/api/mission-control"_s;

QJsonObject shellAgent(const QString &name, const QString &script, const QString &cwd = {})
{
    QJsonObject config{{u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s, script}}};
    if (!cwd.isEmpty())
        config.insert(u"cwd"_s, cwd);
    return {{u"name"_s, name}, {u"role"_s, u"worker"_s}, {u"backend"_s, u"command"_s},
            {u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}};
}

bool isToday(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODateWithMs).toLocalTime().date() == QDate::currentDate();
}

// Runs git in `dir`, failing the test when it fails.
QByteArray git(const QString &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(u"git"_s, QStringList{u"-c"_s, u"user.name=Test"_s, u"-c"_s, u"user.email=test@example.org"_s} + args);
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        qWarning() << "git" << args << "failed:" << p.readAllStandardError();
    return p.readAllStandardOutput();
}
} // namespace

class TestNumbers : public QObject, public LiveWindow
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(openWindow());
    }
    void cleanup() { closeWindow(); }

    void statsHeaderMatchesTheStore();
    void activeRunsCounted();
    void runUsageShown();
    void standupCopiedAsMarkdown();
    void changesOfARunInAGitRepository();
    void changesExplainWhyNot();

private:
    StatsHeader *stats() { return m_window->dashboardParts()->stats(); }
    RunUsageBar *usage() { return m_window->dashboardParts()->runUsage(); }
    QString runTaskAndWait(const QString &agentId, const QString &title)
    {
        const QString task = m_http->createTask({{u"title"_s, title}});
        m_window->taskModel()->applyPending();
        m_window->selectTask(task);
        if (!m_window->runTask(task, agentId))
            return {};
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!executor().isRunning(task), 30000); }();
        return store().runs().latestRunId(task);
    }
    RunChangesDialog *openChanges(const QString &runId)
    {
        [&] { QTRY_COMPARE_WITH_TIMEOUT(usage()->runId(), runId, 10000); }();
        [&] { QTRY_VERIFY(!m_window->findChild<RunChangesDialog *>()); }();   // the last one closed
        QTest::mouseClick(usage()->changesButton(), Qt::LeftButton);
        auto *dialog = m_window->findChild<RunChangesDialog *>();
        if (dialog)
            [&] { QTRY_VERIFY_WITH_TIMEOUT(!dialog->isLoading(), 30000); }();
        return dialog;
    }
};

void TestNumbers::statsHeaderMatchesTheStore()
{
    const QString agent = m_http->createAgent(shellAgent(u"Counter"_s, u"true"_s));
    m_http->createAgent(shellAgent(u"Idle"_s, u"true"_s));
    QStringList tasks;
    for (const QString &title : {u"one"_s, u"two"_s, u"three"_s, u"old"_s})
        tasks.append(m_http->createTask({{u"title"_s, title}}));
    for (const QString &id : {tasks.at(0), tasks.at(1), tasks.at(3)})
        QCOMPARE(m_http->patch(kApi + u"/tasks/"_s + id, {{u"status"_s, u"done"_s}}).status, 200);
    const auto finishedRun = [&](const QString &task, double cost) {
        const QString run = store().runs().create(task, agent).value(u"id"_s).toString();
        store().runs().finish(run, u"completed"_s, QJsonValue(),
                              {{u"input_tokens"_s, 100}, {u"output_tokens"_s, 10}, {u"cost_usd"_s, cost}});
        return run;
    };
    finishedRun(tasks.at(0), 0.5);
    finishedRun(tasks.at(1), 0.25);
    const QString oldRun = finishedRun(tasks.at(3), 10.0);
    // Done and paid for long ago: not today's.
    const QString longAgo = u"2001-02-03T04:05:06.000000+00:00"_s;
    store().exec(u"UPDATE tasks SET completed_at = ? WHERE id = ?"_s, {longAgo, tasks.at(3)});
    store().exec(u"UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?"_s, {longAgo, longAgo, oldRun});

    // What the API says, counted here.
    const qint64 agents = m_http->get(kApi + u"/stats"_s).object().value(u"stats"_s).toObject()
                                  .value(u"agents"_s).toObject().value(u"total"_s).toInteger();
    int doneToday = 0;
    double costToday = 0;
    for (const QJsonValue &t : m_http->get(kApi + u"/tasks?status=done"_s).object().value(u"tasks"_s).toArray()) {
        doneToday += isToday(t.toObject().value(u"completed_at"_s).toString());
        for (const QJsonValue &r : m_http->get(kApi + u"/tasks/"_s + t.toObject().value(u"id"_s).toString() + u"/runs"_s)
                                           .object().value(u"runs"_s).toArray()) {
            if (isToday(r.toObject().value(u"finished_at"_s).toString()))
                costToday += r.toObject().value(u"cost_usd"_s).toDouble();
        }
    }
    QCOMPARE(agents, 2);
    QCOMPARE(doneToday, 2);
    QCOMPARE(costToday, 0.75);
    QTRY_COMPARE_WITH_TIMEOUT(stats()->numbers().doneToday, doneToday, 10000);
    QCOMPARE(stats()->numbers().agents, agents);
    QCOMPARE(stats()->numbers().costToday, costToday);
    QCOMPARE(stats()->numbers().activeRuns, 0);
    QCOMPARE(stats()->text(), u"2 agents · 0/5 active runs · 2 done today · $0.75 cost today"_s);
    QVERIFY(saveScreenshot(stats(), u"stats-header"_s));
}

void TestNumbers::activeRunsCounted()
{
    const QString agent = m_http->createAgent(shellAgent(u"Sleeper"_s, u"echo started; sleep 60"_s));
    const QString task = m_http->createTask({{u"title"_s, u"long"_s}});
    QVERIFY(m_window->runTask(task, agent));
    QTRY_COMPARE_WITH_TIMEOUT(stats()->numbers().activeRuns, 1, 10000);
    QCOMPARE(stats()->numbers().activeRuns, executor().running());
    QVERIFY(stats()->text().contains(u"1/5 active runs"_s));
    // The shown run's duration counts while it runs.
    QTRY_VERIFY_WITH_TIMEOUT(usage()->text().contains(u"running for"_s), 10000);
    executor().stop(task);
    QTRY_COMPARE_WITH_TIMEOUT(stats()->numbers().activeRuns, 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(usage()->text().contains(u"took"_s), 10000);
}

void TestNumbers::runUsageShown()
{
    const QString agent = m_http->createAgent(shellAgent(u"Metered"_s, u"true"_s));
    const QString task = m_http->createTask({{u"title"_s, u"metered"_s}});
    const QString run = store().runs().create(task, agent).value(u"id"_s).toString();
    store().runs().finish(run, u"completed"_s, QJsonValue(),
                          {{u"input_tokens"_s, 1234}, {u"output_tokens"_s, 56}, {u"cost_usd"_s, 0.0123}});
    const qint64 seconds = 75;
    const QString started = store().runs().get(run).value(u"finished_at"_s).toString();
    store().exec(u"UPDATE runs SET started_at = ? WHERE id = ?"_s,
                 {QDateTime::fromString(started, Qt::ISODateWithMs).addSecs(-seconds).toUTC()
                          .toString(u"yyyy-MM-ddTHH:mm:ss.zzz000+00:00"_s), run});
    m_window->taskModel()->applyPending();
    m_window->selectTask(task);
    QTRY_COMPARE_WITH_TIMEOUT(usage()->runId(), run, 10000);
    const QJsonObject apiRun = m_http->get(kApi + u"/runs/"_s + run).object().value(u"run"_s).toObject();
    const QLocale locale;
    QCOMPARE(usage()->text(), u"%1 tokens in · %2 out  ·  $0.0123  ·  took 1 min 15 s"_s.arg(
                                      locale.toString(apiRun.value(u"input_tokens"_s).toInteger()),
                                      locale.toString(apiRun.value(u"output_tokens"_s).toInteger())));
    QCOMPARE(RunUsageBar::durationText(3725), u"1 h 02 min"_s);
    // A command run reports no tokens: said so, with its duration.
    const QString plain = runTaskAndWait(agent, u"plain"_s);
    QTRY_COMPARE_WITH_TIMEOUT(usage()->runId(), plain, 10000);
    QTRY_VERIFY(usage()->text().startsWith(u"no token usage reported  ·  took "_s));
}

void TestNumbers::standupCopiedAsMarkdown()
{
    const QString agent = m_http->createAgent(shellAgent(u"Reporter"_s, u"true"_s));
    const QString shipped = m_http->createTask({{u"title"_s, u"Ship the release"_s}, {u"assignee_ids"_s, QJsonArray{agent}}});
    QCOMPARE(m_http->patch(kApi + u"/tasks/"_s + shipped, {{u"status"_s, u"done"_s}}).status, 200);
    m_http->createTask({{u"title"_s, u"Fix the flaky test"_s}, {u"assignee_ids"_s, QJsonArray{agent}}});
    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(stats()->findChild<QPushButton *>(u"standupButton"_s), Qt::LeftButton);
    auto *dialog = m_window->findChild<StandupDialog *>();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    const QString api = m_http->get(kApi + u"/standup"_s).object().value(u"standup"_s).toString();
    QVERIFY(api.contains(u"Ship the release"_s));
    QCOMPARE(dialog->markdown(), api);
    // Rendered: headings without their '#'.
    const QString shown = dialog->findChild<QTextBrowser *>(u"standupView"_s)->toPlainText();
    QVERIFY2(shown.contains(u"Ship the release"_s) && !shown.contains(u"# "_s), qPrintable(shown));
    QTest::mouseClick(dialog->findChild<QPushButton *>(u"copyStandup"_s), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), api);
    QVERIFY(QGuiApplication::clipboard()->text().startsWith(u"# Daily Standup"_s));
    QVERIFY(saveScreenshot(dialog, u"standup-report"_s));
    dialog->close();
}

void TestNumbers::changesOfARunInAGitRepository()
{
    if (QStandardPaths::findExecutable(u"git"_s).isEmpty())
        QSKIP("the git program is not installed (apt-get install git): run changes cannot be read");
    QTemporaryDir repo;
    git(repo.path(), {u"init"_s, u"-q"_s});
    QFile readme(repo.filePath(u"README.md"_s));
    QVERIFY(readme.open(QIODevice::WriteOnly));
    readme.write("# Demo\n\nFirst line.\n");
    readme.close();
    QFile old(repo.filePath(u"obsolete.txt"_s));
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("to be removed\n");
    old.close();
    git(repo.path(), {u"add"_s, u"."_s});
    git(repo.path(), {u"commit"_s, u"-q"_s, u"-m"_s, u"start"_s});
    const QString head = QString::fromLatin1(git(repo.path(), {u"rev-parse"_s, u"HEAD"_s}).trimmed());

    const QString agent = m_http->createAgent(shellAgent(
            u"Editor"_s, u"mkdir -p src && printf 'int main() { return 0; }\\n' > src/main.c && "
                         "echo 'Second line.' >> README.md && rm obsolete.txt && echo edited"_s, repo.path()));
    const QString run = runTaskAndWait(agent, u"edit the repo"_s);
    QVERIFY(!run.isEmpty());
    const QJsonObject baseline = gitbaseline::load(store().dataDir(), run);
    QCOMPARE(baseline.value(u"head"_s).toString(), head);
    QCOMPARE(baseline.value(u"repo"_s).toBool(), true);
    QCOMPARE(baseline.value(u"dirty"_s).toBool(), false);

    RunChangesDialog *dialog = openChanges(run);
    QVERIFY(dialog);
    QAbstractItemModelTester tester(dialog->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    ChangedFilesModel *files = dialog->model();
    QStringList listed;
    for (int row = 0; row < files->rowCount(); ++row)
        listed.append(files->index(row, 0).data(ChangedFilesModel::PathRole).toString() + u' '
                      + files->index(row, 0).data(ChangedFilesModel::StatusRole).toString());
    QCOMPARE(listed, (QStringList{u"README.md M"_s, u"obsolete.txt D"_s, u"src/main.c ?"_s}));
    QVERIFY2(dialog->messageText().startsWith(u"3 files changed"_s), qPrintable(dialog->messageText()));
    dialog->selectFile(0);
    QVERIFY2(dialog->diffText().contains(u"+Second line."_s) && dialog->diffText().contains(u" First line."_s),
             qPrintable(dialog->diffText()));
    dialog->selectFile(1);
    QVERIFY(dialog->diffText().contains(u"-to be removed"_s));
    dialog->selectFile(2);
    QVERIFY2(dialog->diffText().contains(u"+int main() { return 0; }"_s), qPrintable(dialog->diffText()));
    QCOMPARE(files->index(2, 0).data().toString(), u"src/main.c  (new)"_s);
    dialog->selectFile(0);
    QVERIFY(saveScreenshot(dialog, u"run-changes"_s));
    // The repository's history and index are untouched by reading them.
    QCOMPARE(QString::fromLatin1(git(repo.path(), {u"rev-parse"_s, u"HEAD"_s}).trimmed()), head);
    QCOMPARE(git(repo.path(), {u"diff"_s, u"--cached"_s, u"--name-only"_s}), QByteArray());
    dialog->close();
}

void TestNumbers::changesExplainWhyNot()
{
    QTemporaryDir plain;
    const QString agent = m_http->createAgent(shellAgent(u"Writer"_s, u"echo hi > note.txt"_s, plain.path()));
    const QString run = runTaskAndWait(agent, u"not a repo"_s);
    RunChangesDialog *dialog = openChanges(run);
    QVERIFY(dialog);
    QCOMPARE(dialog->model()->rowCount(), 0);
    const QString expected = QStandardPaths::findExecutable(u"git"_s).isEmpty()
            ? u"The git program is not installed"_s
            : u"The run's working folder %1 is not a git repository"_s.arg(plain.path());
    QVERIFY2(dialog->messageText().startsWith(expected), qPrintable(dialog->messageText()));
    dialog->close();
    // A run from before baselines were recorded says so.
    QFile::remove(gitbaseline::filePath(store().dataDir(), run));
    dialog = openChanges(run);
    QVERIFY(dialog);
    QVERIFY2(dialog->messageText().startsWith(u"No starting point was recorded"_s), qPrintable(dialog->messageText()));
    dialog->close();
}

QTEST_MAIN(TestNumbers)
#include "tst_numbers.moc"
