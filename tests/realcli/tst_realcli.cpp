// The real agent CLIs, as pinned on npm (@anthropic-ai/claude-code 2.1.197,
// @openai/codex 0.169.0, installed into the build tree by install_clis.sh),
// run by the real mission-control binary against this test's fake Anthropic
// Messages and OpenAI Responses servers on loopback: a text answer, a tool
// call that writes a file in the working folder, a 529 with its retries shown,
// a stop that leaves no process behind, and the app SIGKILLed during a run
// (after the restart nothing of that run is alive).

#include "appprocess.h"
#include "fakellmserver.h"
#include "httpclient.h"
#include "pgtesting.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace mc::test;
using namespace Qt::StringLiterals;

namespace {

const QString kAnswer = u"Hello from the fake server. The answer is 42."_s;

// What a real model would do with each scenario's prompt: the marker in the
// task's description decides; a request that carries a tool's result gets the
// closing text.
FakeResponse anthropicFor(const QByteArray &request)
{
    if (!request.startsWith("POST"))
        return {200, {}, 0, -1};
    if (request.contains("MC-SCENARIO-529"))
        return FakeLlmServer::anthropicError(529, u"overloaded_error"_s, u"Overloaded"_s);
    if (request.contains("\"type\":\"tool_result\""))
        return FakeLlmServer::anthropicText(u"The tool ran. Done."_s);
    if (request.contains("MC-SCENARIO-WRITE"))
        return FakeLlmServer::anthropicToolUse(u"Bash"_s, {{u"command"_s, u"touch created-by-agent.txt && echo wrote-file"_s},
                                                            {u"description"_s, u"write a file"_s}});
    if (request.contains("MC-SCENARIO-SLEEP"))
        return FakeLlmServer::anthropicToolUse(u"Bash"_s, {{u"command"_s, u"sleep 300"_s}, {u"description"_s, u"wait"_s}});
    return FakeLlmServer::anthropicText(kAnswer);
}

FakeResponse responsesFor(const QByteArray &request)
{
    if (!request.startsWith("POST"))
        return {404, {"{}"}, 0, -1};
    if (request.contains("MC-SCENARIO-529"))
        return FakeLlmServer::responsesError(529, u"Overloaded"_s);
    if (request.contains("\"type\":\"function_call_output\""))
        return FakeLlmServer::responsesText(u"The command ran. Done."_s);
    if (request.contains("MC-SCENARIO-WRITE"))
        return FakeLlmServer::responsesFunctionCall(u"exec_command"_s, {{u"cmd"_s, u"touch created-by-agent.txt && echo wrote-file"_s}});
    if (request.contains("MC-SCENARIO-SLEEP"))
        return FakeLlmServer::responsesFunctionCall(u"exec_command"_s, {{u"cmd"_s, u"sleep 300"_s}});
    return FakeLlmServer::responsesText(kAnswer);
}

// What `ps e` shows, read from /proc (no procps needed): every process whose
// environment carries this run's MC_RUN_ID, as "pid command line".
QStringList processesOfRun(const QString &runId)
{
    QStringList found;
    const QByteArray marker = "MC_RUN_ID=" + runId.toUtf8();
    const QStringList pids = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        if (pid.toInt() <= 0)
            continue;
        QFile environ(u"/proc/%1/environ"_s.arg(pid));
        if (!environ.open(QIODevice::ReadOnly) || !environ.readAll().split('\0').contains(marker))
            continue;
        QFile cmdline(u"/proc/%1/cmdline"_s.arg(pid));
        cmdline.open(QIODevice::ReadOnly);
        found.append(pid + u' ' + QString::fromUtf8(cmdline.readAll().replace('\0', ' ').trimmed().left(160)));
    }
    return found;
}

} // namespace

class TestRealCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void cli_data();
    void textAnswer_data() { cli_data(); }
    void textAnswer();
    void toolWritesInWorkingFolder_data() { cli_data(); }
    void toolWritesInWorkingFolder();
    void overloadedShowsRetries_data() { cli_data(); }
    void overloadedShowsRetries();
    void stopLeavesNothing_data() { cli_data(); }
    void stopLeavesNothing();
    void appKilledLeavesNothingAfterRestart_data() { cli_data(); }
    void appKilledLeavesNothingAfterRestart();

private:
    QString createAgent(const QString &cli);
    QString runTask(const QString &agentId, const QString &description, QString *taskId);
    QJsonObject waitForEnd(const QString &runId, int timeoutMs);
    QList<QPair<QString, QString>> output(const QString &runId);
    bool startApp();

    QString m_cliDir;
    std::unique_ptr<FakeLlmServer> m_anthropic;
    std::unique_ptr<FakeLlmServer> m_openai;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<AppProcess> m_app;
    std::unique_ptr<HttpClient> m_client;
    int m_n = 0;
};

void TestRealCli::initTestCase()
{
    m_cliDir = qEnvironmentVariable("MC_REALCLI_DIR");
    if (QStandardPaths::findExecutable(u"npm"_s).isEmpty() || QStandardPaths::findExecutable(u"node"_s).isEmpty())
        QSKIP("nodejs and npm are not installed (apt-get install nodejs npm): the real CLIs cannot be installed");
    QVERIFY2(!m_cliDir.isEmpty(), "MC_REALCLI_DIR is not set");
    // Installed once into the build tree, then reused.
    QProcess install;
    install.setProcessChannelMode(QProcess::MergedChannels);
    install.start(u"sh"_s, {QString(QFINDTESTDATA("realcli/install_clis.sh")), m_cliDir});
    QVERIFY(install.waitForFinished(400000));
    QVERIFY2(install.exitCode() == 0, install.readAll().constData());
    QVERIFY(QFileInfo(m_cliDir + u"/node_modules/.bin/claude"_s).isExecutable());
    QVERIFY(QFileInfo(m_cliDir + u"/node_modules/.bin/codex"_s).isExecutable());
}

void TestRealCli::init()
{
    m_anthropic = std::make_unique<FakeLlmServer>();
    m_anthropic->setResponder(anthropicFor);
    m_openai = std::make_unique<FakeLlmServer>();
    m_openai->setResponder(responsesFor);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(startApp());
}

void TestRealCli::cleanup()
{
    m_client.reset();
    if (m_app)
        m_app->terminate();
    m_app.reset();
    m_dir.reset();
    m_openai.reset();
    m_anthropic.reset();
}

bool TestRealCli::startApp()
{
    m_app = std::make_unique<AppProcess>();
    const QString dataDir = m_dir->path() + u"/data"_s;
    // tst_realcli_pg (under tests/support/postgres-run.sh): the same runs with
    // the store on PostgreSQL, a database per data folder (kept over a restart).
    QStringList args;
    if (postgresRequested())
        args << u"--database"_s << postgresDatabase(postgresDatabaseName(QDir(dataDir).absolutePath()));
    if (!m_app->start(dataDir, args))
        return false;
    m_client = std::make_unique<HttpClient>(m_app->base(), m_app->token(m_dir->path() + u"/data"_s));
    return true;
}

void TestRealCli::cli_data()
{
    QTest::addColumn<QString>("cli");
    QTest::newRow("claude") << u"claude"_s;
    QTest::newRow("codex") << u"codex"_s;
}

QString TestRealCli::createAgent(const QString &cli)
{
    const QString home = m_dir->path() + u"/home"_s;
    QDir().mkpath(home);
    QJsonObject config{{u"command"_s, QJsonArray{QString(m_cliDir + u"/node_modules/.bin/"_s + cli)}},
                       {u"timeout_s"_s, 120}, {u"kill_grace_s"_s, 2}};
    if (cli == u"claude"_s) {
        config.insert(u"env"_s, QJsonObject{{u"HOME"_s, home},
                                            {u"ANTHROPIC_BASE_URL"_s, m_anthropic->baseUrl()},
                                            {u"ANTHROPIC_API_KEY"_s, u"sk-ant-fake-key"_s},
                                            {u"CLAUDE_CODE_MAX_RETRIES"_s, u"2"_s},
                                            {u"DISABLE_TELEMETRY"_s, u"1"_s},
                                            {u"DISABLE_AUTOUPDATER"_s, u"1"_s},
                                            {u"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"_s, u"1"_s}});
        config.insert(u"model"_s, u"claude-fake"_s);
    } else {
        const QString codexHome = m_dir->path() + u"/codex-home"_s;
        QDir().mkpath(codexHome);
        QFile toml(codexHome + u"/config.toml"_s);
        if (toml.open(QIODevice::WriteOnly)) {
            toml.write(u"model = \"gpt-5-codex\"\nmodel_provider = \"fake\"\n[model_providers.fake]\nname = \"fake\"\n"
                       "base_url = \"%1/v1\"\nwire_api = \"responses\"\nenv_key = \"OPENAI_API_KEY\"\n"
                       "request_max_retries = 0\nstream_max_retries = 2\n"_s.arg(m_openai->baseUrl()).toUtf8());
        }
        config.insert(u"env"_s, QJsonObject{{u"HOME"_s, home}, {u"CODEX_HOME"_s, codexHome},
                                            {u"OPENAI_API_KEY"_s, u"sk-fake-key"_s}});
    }
    return m_client->createAgent({{u"name"_s, u"%1-%2"_s.arg(cli).arg(++m_n)}, {u"role"_s, u"real cli"_s},
                                  {u"backend"_s, cli == u"claude"_s ? u"claude_code"_s : u"codex"_s},
                                  {u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}});
}

QString TestRealCli::runTask(const QString &agentId, const QString &description, QString *taskId)
{
    *taskId = m_client->createTask({{u"title"_s, u"Real CLI task %1"_s.arg(++m_n)}, {u"description"_s, description}});
    const HttpResponse started = m_client->post(api + u"/tasks/"_s + *taskId + u"/run"_s, {{u"agent_id"_s, agentId}});
    if (started.status != 200)
        qWarning() << "run refused" << started.body;
    return started.object().value(u"run_id"_s).toString();
}

QJsonObject TestRealCli::waitForEnd(const QString &runId, int timeoutMs)
{
    QJsonObject run;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        run = m_client->get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject();
        if (run.value(u"status"_s).toString() != u"running"_s)
            return run;
        QTest::qWait(200);
    }
    return run;
}

QList<QPair<QString, QString>> TestRealCli::output(const QString &runId)
{
    QList<QPair<QString, QString>> chunks;
    const QJsonObject page = m_client->get(api + u"/runs/"_s + runId + u"/output?limit=1000"_s).object();
    for (const QJsonValue &v : page.value(u"chunks"_s).toArray())
        chunks.append({v.toObject().value(u"output_type"_s).toString(), v.toObject().value(u"content"_s).toString()});
    return chunks;
}

void TestRealCli::textAnswer()
{
    QFETCH(QString, cli);
    QString task;
    const QString runId = runTask(createAgent(cli), u"Say hello."_s, &task);
    const QJsonObject run = waitForEnd(runId, 90000);
    QVERIFY2(run.value(u"status"_s).toString() == u"completed"_s, QJsonDocument(run).toJson().constData());
    bool answered = false;
    for (const auto &chunk : output(runId))
        answered = answered || (chunk.first == u"message"_s && chunk.second == kAnswer);
    QVERIFY(answered);
    QVERIFY(run.value(u"input_tokens"_s).toInt() > 0);
    const QJsonArray docs = m_client->get(api + u"/tasks/"_s + task + u"/documents"_s).object().value(u"documents"_s).toArray();
    QVERIFY(!docs.isEmpty());
    QVERIFY2(docs.first().toObject().value(u"content"_s).toString().contains(kAnswer), QJsonDocument(docs).toJson().constData());
}

void TestRealCli::toolWritesInWorkingFolder()
{
    QFETCH(QString, cli);
    QString task;
    const QString runId = runTask(createAgent(cli), u"MC-SCENARIO-WRITE: create a file."_s, &task);
    const QJsonObject run = waitForEnd(runId, 90000);
    const auto chunks = output(runId);
    QString shown;
    for (const auto &c : chunks)
        shown += c.first + u": "_s + c.second.left(200) + u'\n';
    QVERIFY2(run.value(u"status"_s).toString() == u"completed"_s, qPrintable(QString::fromUtf8(QJsonDocument(run).toJson()) + shown));
    const QString file = m_dir->path() + u"/data/workspaces/"_s + task + u"/created-by-agent.txt"_s;
    QVERIFY2(QFile::exists(file), qPrintable(shown));
    QVERIFY2(shown.contains(u"tool_use: "_s) && shown.contains(u"created-by-agent.txt"_s), qPrintable(shown));
    QVERIFY(run.value(u"permission_denials"_s).toArray().isEmpty());
}

void TestRealCli::overloadedShowsRetries()
{
    QFETCH(QString, cli);
    QString task;
    const QString runId = runTask(createAgent(cli), u"MC-SCENARIO-529"_s, &task);
    const QJsonObject run = waitForEnd(runId, 90000);
    QCOMPARE(run.value(u"status"_s).toString(), u"error"_s);
    QStringList retries;
    for (const auto &c : output(runId)) {
        if (c.first == u"message"_s && (c.second.startsWith(u"API error 529"_s) || c.second.startsWith(u"Reconnecting..."_s)))
            retries.append(c.second);
    }
    QVERIFY2(retries.size() >= 2, qPrintable(retries.join(u'|')));
    QVERIFY2(run.value(u"error"_s).toString().contains(u"529"_s) || run.value(u"error"_s).toString().contains(u"Overloaded"_s),
             qPrintable(run.value(u"error"_s).toString()));
}

void TestRealCli::stopLeavesNothing()
{
    QFETCH(QString, cli);
    QString task;
    const QString runId = runTask(createAgent(cli), u"MC-SCENARIO-SLEEP"_s, &task);
    // The tool is running: a `sleep 300` started by the CLI.
    QTRY_VERIFY_WITH_TIMEOUT(processesOfRun(runId).join(u'\n').contains(u"sleep 300"_s), 60000);
    QCOMPARE(m_client->post(api + u"/tasks/"_s + task + u"/stop"_s).status, 200);
    const QJsonObject run = waitForEnd(runId, 30000);
    QCOMPARE(run.value(u"status"_s).toString(), u"stopped"_s);
    QVERIFY2(processesOfRun(runId).isEmpty(), qPrintable(processesOfRun(runId).join(u'\n')));
    // Claude Code reports each turn's tokens as it goes: a stopped run keeps them.
    if (cli == u"claude"_s)
        QVERIFY2(run.value(u"input_tokens"_s).toInt() > 0, QJsonDocument(run).toJson().constData());
}

void TestRealCli::appKilledLeavesNothingAfterRestart()
{
    QFETCH(QString, cli);
    QString task;
    const QString runId = runTask(createAgent(cli), u"MC-SCENARIO-SLEEP"_s, &task);
    QTRY_VERIFY_WITH_TIMEOUT(processesOfRun(runId).join(u'\n').contains(u"sleep 300"_s), 60000);
    m_app->kill();
    // The CLI dies with the app (parent-death signal); what it started may
    // outlive it until the next start.
    QTRY_VERIFY_WITH_TIMEOUT(!processesOfRun(runId).join(u'\n').contains(m_cliDir), 10000);
    QVERIFY(startApp());
    QTRY_VERIFY2_WITH_TIMEOUT(processesOfRun(runId).isEmpty(), qPrintable(processesOfRun(runId).join(u'\n')), 10000);
    const QJsonObject run = m_client->get(api + u"/runs/"_s + runId).object().value(u"run"_s).toObject();
    QCOMPARE(run.value(u"status"_s).toString(), u"interrupted"_s);
}

QTEST_MAIN(TestRealCli)
#include "tst_realcli.moc"
