// One instance per data folder (the real binary): a second headless start on
// the same folder exits 1 naming the running instance and leaves its runs
// alone; a lock left by a SIGKILLed instance is taken over; a second GUI start
// brings the first window to the front and exits 0; the data folder is
// owner-only and the database and its WAL are 0600; simultaneous first starts
// agree on one access token.

#include "appprocess.h"
#include "httpclient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QLockFile>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace mc::test;
using namespace Qt::StringLiterals;

class TestInstances : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void secondHeadlessStartLeavesTheRunningInstanceAlone();
    void staleLockAfterSigkillIsTakenOver();
    void secondGuiStartRaisesTheFirstWindow();
    void dataFolderIsOwnerOnly();
    void simultaneousFirstStartsAgreeOnOneToken();

private:
    static QString startSleeperRun(HttpClient &client, const QString &shellLine, QString *runId);
};

QString TestInstances::startSleeperRun(HttpClient &client, const QString &shellLine, QString *runId)
{
    const QString agent = client.createAgent(
            {{u"name"_s, u"Sleeper"_s}, {u"role"_s, u"waits"_s}, {u"backend"_s, u"command"_s},
             {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                          QJsonObject{{u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s, shellLine}}}}}}});
    const QString task = client.createTask({{u"title"_s, u"long work"_s}});
    const HttpResponse started = client.post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agent}});
    *runId = started.object().value(u"run_id"_s).toString();
    return task;
}

void TestInstances::secondHeadlessStartLeavesTheRunningInstanceAlone()
{
    QTemporaryDir dir;
    AppProcess first;
    QVERIFY(first.start(dir.path()));
    HttpClient client(first.base(), first.token(dir.path()));
    QTemporaryDir flagDir;
    const QString flag = flagDir.filePath(u"go"_s);
    // The run waits (bounded, 20 s) until the test lets it finish.
    QString runId;
    startSleeperRun(client, u"echo working; for i in $(seq 1 200); do [ -e '%1' ] && break; sleep 0.1; done; echo done"_s.arg(flag),
                    &runId);
    QVERIFY(!runId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject()
                                      .value(u"status"_s).toString(), u"running"_s, 10000);

    QProcess second;
    second.start(AppProcess::binary(), {u"--headless"_s, u"--port"_s, u"0"_s, u"--data-dir"_s, dir.path()});
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitCode(), 1);
    const QByteArray err = second.readAllStandardError();
    QVERIFY2(err.contains("another instance"), err.constData());
    QVERIFY2(err.contains(first.base().toUtf8()), err.constData());   // names the running instance's address
    QVERIFY2(!second.readAllStandardOutput().contains("listening"), "the second start must not serve");

    // The first instance's run was not touched: still running, then completes.
    QCOMPARE(client.get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject().value(u"status"_s).toString(),
             u"running"_s);
    QFile go(flag);
    QVERIFY(go.open(QIODevice::WriteOnly));
    go.close();
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject()
                                      .value(u"status"_s).toString(), u"completed"_s, 20000);
    QCOMPARE(first.terminate(), 0);
}

void TestInstances::staleLockAfterSigkillIsTakenOver()
{
    QTemporaryDir dir;
    AppProcess first;
    QVERIFY(first.start(dir.path()));
    HttpClient client(first.base(), first.token(dir.path()));
    QString runId;
    startSleeperRun(client, u"echo working; sleep 60"_s, &runId);
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject()
                                      .value(u"status"_s).toString(), u"running"_s, 10000);
    const qint64 firstPid = first.process().processId();
    first.kill();   // SIGKILL: the lock file stays behind
    QLockFile left(dir.filePath(u"instance.lock"_s));
    qint64 pid = 0;
    QString host, app;
    QVERIFY(left.getLockInfo(&pid, &host, &app));
    QCOMPARE(pid, firstPid);

    AppProcess second;
    QVERIFY2(second.start(dir.path()), second.errorOutput().constData());
    QVERIFY(left.getLockInfo(&pid, &host, &app));
    QCOMPARE(pid, second.process().processId());
    HttpClient after(second.base(), second.token(dir.path()));
    QCOMPARE(after.get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject().value(u"status"_s).toString(),
             u"interrupted"_s);
    QCOMPARE(second.terminate(), 0);
}

void TestInstances::secondGuiStartRaisesTheFirstWindow()
{
    QTemporaryDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    const QStringList args{u"--port"_s, u"0"_s, u"--data-dir"_s, dir.path()};
    QProcess first;
    first.setProcessEnvironment(env);
    first.start(AppProcess::binary(), args);
    QVERIFY(first.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir.filePath(u"instance-address"_s)), 15000);

    QProcess second;
    second.setProcessEnvironment(env);
    second.start(AppProcess::binary(), args);
    // The second start asks the first for up to ~25 s (a loaded machine, a sanitizer build).
    QVERIFY(second.waitForFinished(60000));
    const QByteArray err = second.readAllStandardError();
    QCOMPARE(second.exitCode(), 0);
    QVERIFY2(err.contains("brought the running window to the front"), err.constData());
    QVERIFY(first.state() == QProcess::Running);
    first.terminate();
    QVERIFY(first.waitForFinished(15000));
    QCOMPARE(first.exitCode(), 0);
    QVERIFY(!QFile::exists(dir.filePath(u"instance-address"_s)));
}

void TestInstances::dataFolderIsOwnerOnly()
{
    QTemporaryDir parent;
    const QString dataDir = parent.filePath(u"data"_s);
    AppProcess app;
    QVERIFY(app.start(dataDir));
    HttpClient client(app.base(), app.token(dataDir));
    QVERIFY(!client.createTask({{u"title"_s, u"a write, so the WAL exists"_s}}).isEmpty());
    const auto owner = QFile::ReadOwner | QFile::WriteOwner;
    const auto modeOf = [](const QString &path) {
        return QFileInfo(path).permissions()
                & (QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::WriteGroup
                   | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther);
    };
    QCOMPARE(modeOf(dataDir), owner | QFile::ExeOwner);
    for (const QString &name : {u"mission-control.db"_s, u"mission-control.db-wal"_s, u"token"_s}) {
        QVERIFY2(QFile::exists(dataDir + u'/' + name), qPrintable(name));
        QCOMPARE(modeOf(dataDir + u'/' + name), owner);
    }
    QCOMPARE(app.terminate(), 0);
}

void TestInstances::simultaneousFirstStartsAgreeOnOneToken()
{
    // Eight first starts on one empty folder race to create the token; every
    // one must end with the token that is in the file.
    for (int round = 0; round < 5; ++round) {
        QTemporaryDir parent;
        const QString dataDir = parent.filePath(u"data"_s);
        std::vector<std::unique_ptr<QProcess>> starts;
        for (int i = 0; i < 8; ++i) {
            starts.push_back(std::make_unique<QProcess>());
            starts.back()->start(AppProcess::binary(), {u"--print-token"_s, u"--data-dir"_s, dataDir});
        }
        QFile file(dataDir + u"/token"_s);
        for (auto &start : starts) {
            QVERIFY(start->waitForFinished(30000));
            QCOMPARE(start->exitCode(), 0);
        }
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray stored = file.readAll().trimmed();
        QVERIFY(!stored.isEmpty());
        for (auto &start : starts)
            QCOMPARE(start->readAllStandardOutput().trimmed(), stored);
        QCOMPARE(QDir(dataDir).entryList({u"token*"_s}, QDir::Files | QDir::Hidden), QStringList{u"token"_s});
    }
}

QTEST_MAIN(TestInstances)
#include "tst_instances.moc"
