// What the real Claude Code and Codex CLIs print (recorded in
// tests/agents/streams, see its README), replayed line by line with the
// original line lengths by a real executable, through the real claude_code and
// codex backends of the real application: status, deliverable, usage, chunks.

#include "serversession.h"
#include "agentrun.h"
#include "httpclient.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QTest>

using namespace mc::test;
using namespace Qt::StringLiterals;

namespace {

using Replay = AgentRun;

const QString kHello = u"Hello from the fake server. The answer is 42."_s;
const QString kToolDone = u"I will run a command.\n\nThe tool ran. Result received. Done."_s;
const QString kCodexDone = u"The command ran. Done."_s;

} // namespace

class TestReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QVERIFY(startServerSession(m_server, m_client, m_ws));
    }
    void cleanup()
    {
        m_ws.reset();
        m_client.reset();
        m_server.reset();
    }

    void replay_data();
    void replay();
    void claudeRetriesAreShown();
    void claudePermissionDenialsAreShownAndRecorded();
    void claudeSkipPermissionsAsRootIsExplained();
    void codexReconnectingIsProgress();
    void codexCommandIsShownWhenItStarts();

private:
    Replay replayFile(const QString &backend, const QJsonArray &command, const QJsonObject &extra = {});
    Replay replayFixture(const QString &cli, const QString &file)
    {
        return replayFile(cli == u"claude"_s ? u"claude_code"_s : u"codex"_s,
                          {QString(agentsDir() + u"/replay-agent"_s), fixture(cli, file)});
    }
    static QString agentsDir() { return qEnvironmentVariable("MC_TEST_AGENTS"); }
    static QString fixture(const QString &cli, const QString &file)
    {
        return agentsDir() + (cli == u"claude"_s ? u"/streams/claude-code-2.1.197/"_s : u"/streams/codex-0.169.0/"_s) + file;
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_client;
    std::unique_ptr<WsClient> m_ws;
    int m_tasks = 0;
};

Replay TestReplay::replayFile(const QString &backend, const QJsonArray &command, const QJsonObject &extra)
{
    QJsonObject config{{u"command"_s, command}, {u"timeout_s"_s, 60}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        config.insert(it.key(), it.value());
    const QString agent = m_client->createAgent({{u"name"_s, u"Replayer%1"_s.arg(++m_tasks)}, {u"role"_s, u"cli"_s},
                                                 {u"backend"_s, backend},
                                                 {u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}});
    AgentRun r = AgentRun::start(*m_client, agent, u"Replay %1"_s.arg(m_tasks));
    if (r.runId.isEmpty()) {
        qWarning() << "run refused" << r.startStatus << r.startBody;
        return r;
    }
    r.finish(*m_client, *m_ws);
    return r;
}

void TestReplay::replay_data()
{
    QTest::addColumn<QString>("cli");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("errorContains");
    QTest::addColumn<QString>("types");
    QTest::addColumn<QString>("deliverable");   // for completed runs; "#N" = N characters
    QTest::addColumn<int>("inputTokens");
    QTest::addColumn<int>("outputTokens");

    const QString c = u"claude"_s;
    QTest::newRow("claude 01 hello") << c << u"01-hello.jsonl"_s << u"completed"_s << QString() << u"m"_s << kHello << 5500 << 57;
    QTest::newRow("claude 02 tool") << c << u"02-tool-bash-readonly-autoallowed.jsonl"_s << u"completed"_s << QString() << u"mtrm"_s << kToolDone << 11000 << 114;
    // Stopped by a timeout: no result event, but the tokens of its turns count.
    QTest::newRow("claude 03 no result") << c << u"03-tool-sleep-SIGTERM-by-timeout.jsonl"_s << u"error"_s << u"without its final result event"_s << u"mtr"_s << QString() << 5500 << 1;
    QTest::newRow("claude 04 denied") << c << u"04-tool-write-permission-denied.jsonl"_s << u"completed"_s << QString() << u"mtrmm"_s << kToolDone << 11000 << 114;
    QTest::newRow("claude 05 acceptEdits") << c << u"05-tool-write-acceptEdits.jsonl"_s << u"completed"_s << QString() << u"mtrm"_s << kToolDone << 11000 << 114;
    QTest::newRow("claude 07 thinking") << c << u"07-thinking.jsonl"_s << u"completed"_s << QString() << u"m"_s << kHello << 5500 << 57;
    QTest::newRow("claude 08 529") << c << u"08-http529-sandbox-env-10-retries.jsonl"_s << u"error"_s << u"API Error: 529 Overloaded"_s << u"mmmmmmmmmmm"_s << QString() << 0 << 0;
    QTest::newRow("claude 09 partial") << c << u"09-include-partial-messages-tool.jsonl"_s << u"completed"_s << QString() << u"mtrm"_s << kToolDone << 11000 << 114;
    QTest::newRow("claude 10 max turns") << c << u"10-max-turns-1.jsonl"_s << u"error"_s << u"Reached maximum number of turns (1)"_s << u"mtr"_s << QString() << 5500 << 57;
    QTest::newRow("claude 11 116 KB line") << c << u"11-long-answer-116KB-line.jsonl"_s << u"completed"_s << QString() << u"m"_s << u"#115700"_s << 5500 << 57;
    QTest::newRow("claude 12 529") << c << u"12-http529-clean-env-3-attempts-then-error.jsonl"_s << u"error"_s << u"Repeated 529"_s << u"mmm"_s << QString() << 0 << 0;
    for (const char *kind : {"malformed", "midstream_error", "truncated"}) {
        QTest::addRow("claude 13 %s", kind) << c << u"13-%1-recovered-by-nonstreaming-fallback.jsonl"_s.arg(QLatin1StringView(kind))
                                            << u"completed"_s << QString() << u"m"_s << kHello << 0 << 0;
    }
    QTest::newRow("claude 14 429") << c << u"14-http429-retry-after-3-all-10-retries.jsonl"_s << u"error"_s << u"429"_s << u"mmmmmmmmmmm"_s << QString() << 0 << 0;
    QTest::newRow("claude 15 401") << c << u"15-http401-10-retries.jsonl"_s << u"error"_s << u"Invalid API key"_s << u"mmmmmmmmmmm"_s << QString() << 0 << 0;
    QTest::newRow("claude 16 500") << c << u"16-http500-10-retries.jsonl"_s << u"error"_s << u"500"_s << u"mmmmmmmmmmm"_s << QString() << 0 << 0;
    QTest::newRow("claude 17 37 KB line") << c << u"17-tool-output-persisted-37KB-line.jsonl"_s << u"completed"_s << QString() << u"mtrm"_s << kToolDone << 11000 << 114;

    const QString x = u"codex"_s;
    QTest::newRow("codex 01 hello") << x << u"01-hello.jsonl"_s << u"completed"_s << QString() << u"mm"_s << kHello << 2100 << 64;
    QTest::newRow("codex 02 command") << x << u"02-tool-exec-command.jsonl"_s << u"completed"_s << QString() << u"mtrm"_s << kCodexDone << 4200 << 128;
    QTest::newRow("codex 03 read-only") << x << u"03-write-readonly-sandbox-no-item.jsonl"_s << u"completed"_s << QString() << u"mm"_s << kCodexDone << 4200 << 128;
    QTest::newRow("codex 04 reconnecting") << x << u"04-reconnecting-error-then-success.jsonl"_s << u"completed"_s << QString() << u"mmm"_s << kHello << 2100 << 64;
    QTest::newRow("codex 05 file change") << x << u"05-file-change-apply-patch.jsonl"_s << u"completed"_s << QString() << u"mtrm"_s << kCodexDone << 4200 << 128;
    QTest::newRow("codex 06 exit 2") << x << u"06-command-failed-exit2.jsonl"_s << u"completed"_s << QString() << u"mtrm"_s << kCodexDone << 4200 << 128;
    QTest::newRow("codex 07 workspace-write") << x << u"07-write-workspace-write-sandbox.jsonl"_s << u"completed"_s << QString() << u"mtrm"_s << kCodexDone << 4200 << 128;
    QTest::newRow("codex 08 116 KB line") << x << u"08-long-answer-116KB-line.jsonl"_s << u"completed"_s << QString() << u"mm"_s << u"#116000"_s << 2100 << 64;
    QTest::newRow("codex 09 no completion") << x << u"09-long-command-SIGTERM-after-8s.jsonl"_s << u"error"_s << u"without its final result event"_s << u"mt"_s << QString() << 0 << 0;
    for (const char *kind : {"http401", "http429", "http500", "http529", "malformed", "midstream_error", "truncated"}) {
        QTest::addRow("codex 10 %s", kind) << x << u"10-error-%1.jsonl"_s.arg(QLatin1StringView(kind)) << u"error"_s
                                           << u"Codex turn failed"_s << u"mmmmmmm"_s << QString() << 0 << 0;
    }
}

void TestReplay::replay()
{
    QFETCH(QString, cli);
    QFETCH(QString, file);
    QFETCH(QString, status);
    QFETCH(QString, errorContains);
    QFETCH(QString, types);
    QFETCH(QString, deliverable);
    QFETCH(int, inputTokens);
    QFETCH(int, outputTokens);
    QVERIFY2(QFile::exists(fixture(cli, file)), qPrintable(fixture(cli, file)));
    const Replay r = replayFixture(cli, file);
    const QString error = r.completed.value(u"error"_s).toString();
    QCOMPARE(r.completed.value(u"status"_s).toString(), status);
    QVERIFY2(error.contains(errorContains), qPrintable(error));
    QCOMPARE(r.types(), types);
    // No raw JSON event ever reaches the user as text.
    for (const auto &chunk : r.chunks)
        QVERIFY2(!chunk.second.startsWith(u"{\"type\":"_s), qPrintable(chunk.second.left(120)));
    if (status == u"completed"_s) {
        if (deliverable.startsWith(u'#'))
            QVERIFY2(qAbs(r.deliverable.size() - deliverable.mid(1).toInt()) < 2000, qPrintable(QString::number(r.deliverable.size())));
        else
            QCOMPARE(r.deliverable, deliverable);
    }
    QCOMPARE(r.run.value(u"input_tokens"_s).toInt(), inputTokens);
    QCOMPARE(r.run.value(u"output_tokens"_s).toInt(), outputTokens);
}

void TestReplay::claudeRetriesAreShown()
{
    const Replay r = replayFixture(u"claude"_s, u"08-http529-sandbox-env-10-retries.jsonl"_s);
    const QStringList messages = r.contents(u"message"_s);
    QCOMPARE(messages.size(), 11);
    QCOMPARE(messages.at(0), u"API error 529 (overloaded), retry 1/10 in 0.6 s\n"_s);
    QCOMPARE(messages.at(3), u"API error 529 (overloaded), retry 4/10 in 4.2 s\n"_s);
    QCOMPARE(messages.at(9), u"API error 529 (overloaded), retry 10/10 in 33 s\n"_s);
    const Replay limited = replayFixture(u"claude"_s, u"14-http429-retry-after-3-all-10-retries.jsonl"_s);
    QVERIFY2(limited.contents(u"message"_s).first().startsWith(u"API error 429"_s), qPrintable(limited.contents(u"message"_s).first()));
}

void TestReplay::claudePermissionDenialsAreShownAndRecorded()
{
    const Replay r = replayFixture(u"claude"_s, u"04-tool-write-permission-denied.jsonl"_s);
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    const QString last = r.contents(u"message"_s).last();
    QVERIFY2(last.startsWith(u"Permission denied: Bash "_s) && last.contains(u"touch created-by-agent.txt"_s), qPrintable(last));
    const QJsonArray denials = r.run.value(u"permission_denials"_s).toArray();
    QCOMPARE(denials.size(), 1);
    QCOMPARE(denials.first().toObject().value(u"tool_name"_s).toString(), u"Bash"_s);
    // The same task with acceptEdits: nothing denied, nothing recorded.
    const Replay allowed = replayFixture(u"claude"_s, u"05-tool-write-acceptEdits.jsonl"_s);
    QVERIFY(allowed.run.value(u"permission_denials"_s).toArray().isEmpty());
}

void TestReplay::claudeSkipPermissionsAsRootIsExplained()
{
    const Replay r = replayFile(u"claude_code"_s,
                                {QString(agentsDir() + u"/replay-agent"_s), u"--fail"_s, u"1"_s,
                                 u"--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons"_s},
                                {{u"permission_mode"_s, u"bypassPermissions"_s}});
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"error"_s);
    const QString error = r.completed.value(u"error"_s).toString();
    QVERIFY2(error.contains(u"root"_s) && error.contains(u"acceptEdits"_s), qPrintable(error));
}

void TestReplay::codexReconnectingIsProgress()
{
    const Replay r = replayFixture(u"codex"_s, u"04-reconnecting-error-then-success.jsonl"_s);
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    QVERIFY2(r.contents(u"message"_s).at(1).startsWith(u"Reconnecting... 1/5"_s), qPrintable(r.contents(u"message"_s).at(1)));
    QCOMPARE(r.deliverable, kHello);
    QCOMPARE(r.run.value(u"cache_read_input_tokens"_s).toInt(), 1500);
    const Replay failed = replayFixture(u"codex"_s, u"10-error-http529.jsonl"_s);
    QVERIFY2(failed.completed.value(u"error"_s).toString().contains(u"503 Service Unavailable"_s),
             qPrintable(failed.completed.value(u"error"_s).toString()));
}

void TestReplay::codexCommandIsShownWhenItStarts()
{
    const Replay r = replayFixture(u"codex"_s, u"09-long-command-SIGTERM-after-8s.jsonl"_s);
    QCOMPARE(r.contents(u"tool_use"_s).size(), 1);
    QVERIFY2(r.contents(u"tool_use"_s).first().contains(u"sleep 300"_s), qPrintable(r.contents(u"tool_use"_s).first()));
    const Replay failedCommand = replayFixture(u"codex"_s, u"06-command-failed-exit2.jsonl"_s);
    QVERIFY2(failedCommand.contents(u"tool_result"_s).first().endsWith(u"No such file or directory\n[exit code 2]\n"_s),
             qPrintable(failedCommand.contents(u"tool_result"_s).first()));
    const Replay patch = replayFixture(u"codex"_s, u"05-file-change-apply-patch.jsonl"_s);
    QCOMPARE(patch.contents(u"tool_result"_s).first(), u"add /home/agent/proj/hello-from-patch.txt\ncompleted\n"_s);
}

QTEST_MAIN(TestReplay)
#include "tst_replay.moc"
