// How runs of process and HTTP agents behave at their edges: output exactly as
// printed (line breaks, UTF-8 across reads), env values, overlong lines, no
// process left behind however a run ends, Retry-After, cache tokens, an answer
// that is only a tool call, and the backend_config checks for all of it.

#include "agentrun.h"
#include "fakellmserver.h"
#include "httpclient.h"
#include "httpstreambackend.h"
#include "runprocesses.h"
#include "testserver.h"
#include "wsclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTest>

using namespace mc::test;
using namespace Qt::StringLiterals;

namespace {

using Run = AgentRun;

QByteArray anthropic(const QByteArray &event, const QByteArray &json)
{
    return FakeLlmServer::sse(json, event);
}

} // namespace

class TestAgentRuns : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qputenv("FAKE_LLM_KEY", "sk-test-key"); }
    void init()
    {
        m_server = std::make_unique<TestServer>();
        m_client = std::make_unique<HttpClient>(m_server->base(), m_server->token());
        m_ws = std::make_unique<WsClient>();
        QVERIFY(m_ws->connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(m_server->port()).arg(m_server->token())));
        m_llm = std::make_unique<FakeLlmServer>();
    }
    void cleanup()
    {
        m_ws.reset();
        m_client.reset();
        m_server.reset();
        m_llm.reset();
    }

    void outputKeepsLineEndingsAndCharactersAcrossReads();
    void envValuesAreSet();
    void secretEnvValuesAreNeverEchoed();
    void longEventLineIsParsedWhole();
    void overlongEventLineFailsTheRun();
    void nothingOutlivesTheRun_data();
    void nothingOutlivesTheRun();
    void hugeTimeoutDoesNotOverflow();
    void retryAfterIsHonoured();
    void retryAfterHttpDate();
    void anthropicCountsCacheTokens();
    void openAiToolCallOnlyAnswerSavesNoEmptyDeliverable();
    void configIsChecked_data();
    void configIsChecked();

private:
    QString agent(const QString &backend, const QJsonObject &config)
    {
        return m_client->createAgent({{u"name"_s, u"Runner%1"_s.arg(++m_n)}, {u"role"_s, u"test"_s},
                                      {u"backend"_s, backend}, {u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}});
    }
    QString shellAgent(const QString &script, const QJsonObject &extra = {})
    {
        QJsonObject config{{u"command"_s, QJsonArray{u"sh"_s, u"-c"_s, script}}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            config.insert(it.key(), it.value());
        return agent(u"command"_s, config);
    }
    Run start(const QString &agentId) { return AgentRun::start(*m_client, agentId, u"Edge %1"_s.arg(++m_n)); }
    void finish(Run &r, int timeoutMs = 30000) { r.finish(*m_client, *m_ws, timeoutMs); }
    Run runToEnd(const QString &agentId, int timeoutMs = 30000)
    {
        Run r = start(agentId);
        finish(r, timeoutMs);
        return r;
    }
    QJsonObject httpConfig(bool anthropicApi)
    {
        return {{u"base_url"_s, anthropicApi ? m_llm->baseUrl() : QString(m_llm->baseUrl() + u"/v1"_s)},
                {u"model"_s, u"m"_s}, {u"api_key_env"_s, u"FAKE_LLM_KEY"_s}, {u"retry_backoff_s"_s, 0.05}};
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_client;
    std::unique_ptr<WsClient> m_ws;
    std::unique_ptr<FakeLlmServer> m_llm;
    int m_n = 0;
};

void TestAgentRuns::outputKeepsLineEndingsAndCharactersAcrossReads()
{
    // 65535 bytes of 'a', then 'é' (2 bytes) straddling the 64 KiB piece
    // boundary of an unbroken line, then CRLF and a last line without a break.
    const Run r = runToEnd(shellAgent(u"head -c 65535 /dev/zero | tr '\\0' a; printf '\\303\\251\\r\\nline 2\\nend'"_s));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    const QString expected = QString(65535, u'a') + QChar(0xE9) + u"\r\nline 2\nend"_s;
    QCOMPARE(r.concatenated().size(), expected.size());
    QVERIFY(r.concatenated() == expected);
    QVERIFY(!r.concatenated().contains(QChar(QChar::ReplacementCharacter)));
    QVERIFY(r.chunks.size() >= 3);
    QCOMPARE(r.chunks.last().second, u"end"_s);
    QCOMPARE(r.chunks.at(r.chunks.size() - 2).second, u"line 2\n"_s);
    QVERIFY(r.deliverable == expected);   // the deliverable is the output, as printed
}

void TestAgentRuns::envValuesAreSet()
{
    const Run r = runToEnd(shellAgent(u"echo \"$GREETING:$MC_RUN_ID\""_s,
                                      {{u"env"_s, QJsonObject{{u"GREETING"_s, u"hello there"_s}}}}));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(r.concatenated(), u"hello there:"_s + r.runId + u'\n');
}

void TestAgentRuns::secretEnvValuesAreNeverEchoed()
{
    const QString secret = u"sk-real-secret-0123456789"_s;
    const QJsonObject config{{u"command"_s, QJsonArray{u"sh"_s, u"-c"_s, u"test \"$(printf %s \"$MY_API_KEY\" | tr a-z A-Z)\" = '%1' && echo \"key ok, $PLAIN\""_s.arg(secret.toUpper())}},
                             {u"env"_s, QJsonObject{{u"MY_API_KEY"_s, secret}, {u"PLAIN"_s, u"visible"_s}}}};
    const HttpResponse created = m_client->post(api + u"/agents"_s, {{u"name"_s, u"Secretive"_s}, {u"role"_s, u"r"_s},
                                                                      {u"backend"_s, u"command"_s},
                                                                      {u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}});
    QVERIFY2(created.status == 200 || created.status == 201, created.body.constData());
    const QJsonObject agent = created.object().value(u"agent"_s).toObject();
    const QString id = agent.value(u"id"_s).toString();
    const QJsonObject env = agent.value(u"metadata"_s).toObject().value(u"backend_config"_s).toObject().value(u"env"_s).toObject();
    QCOMPARE(env.value(u"MY_API_KEY"_s).toString(), u"********"_s);
    QCOMPARE(env.value(u"PLAIN"_s).toString(), u"visible"_s);
    for (const QByteArray &body : {created.body, m_client->get(api + u"/agents/"_s + id).body, m_client->get(api + u"/agents"_s).body})
        QVERIFY2(!body.contains(secret.toUtf8()), body.constData());
    const Run first = runToEnd(id);
    QCOMPARE(first.concatenated(), u"key ok, visible\n"_s);
    // Written back as read (mask included), the agent keeps its key.
    QJsonObject metadata = agent.value(u"metadata"_s).toObject();
    QCOMPARE(m_client->patch(api + u"/agents/"_s + id, {{u"metadata"_s, metadata}}).status, 200);
    const Run second = runToEnd(id);
    QCOMPARE(second.concatenated(), u"key ok, visible\n"_s);
    for (const QJsonObject &m : m_ws->messages())
        QVERIFY(!QJsonDocument(m).toJson().contains(secret.toUtf8()));
}

void TestAgentRuns::longEventLineIsParsedWhole()
{
    // A 3 MB answer on one line (far past the 64 KiB of one read) is one event.
    const QString script = u"cat >/dev/null; printf '{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"content\":[{\"type\":\"text\",\"text\":\"'; "
                           "head -c 3000000 /dev/zero | tr '\\0' a; printf '\"}]}}\\n'; "
                           "printf '{\"type\":\"result\",\"is_error\":false,\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}\\n'"_s;
    const Run r = runToEnd(agent(u"claude_code"_s, {{u"command"_s, QJsonArray{u"sh"_s, u"-c"_s, script}}}));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(r.chunks.size(), 1);
    QCOMPARE(r.chunks.first().second.size(), 3000000);
    // The deliverable document is bounded (1 MiB and a note); the stored output is whole.
    QVERIFY(r.deliverable.startsWith(QString(1024 * 1024, u'a')));
    QVERIFY(r.deliverable.contains(u"[output truncated"_s));
    QCOMPARE(r.run.value(u"output_bytes"_s).toInteger(), 3000000);
    QCOMPARE(r.run.value(u"output_tokens"_s).toInt(), 7);
}

void TestAgentRuns::overlongEventLineFailsTheRun()
{
    // A CLI event line over the bound: a clear error, never JSON fragments.
    const Run r = runToEnd(agent(u"claude_code"_s,
                                 {{u"command"_s, QJsonArray{u"sh"_s, u"-c"_s,
                                                            u"cat >/dev/null; printf '{\"type\":\"system\"}\\n'; head -c 3000000 /dev/zero | tr '\\0' a; echo"_s}},
                                  {u"max_line_bytes"_s, 1048576}}));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"error"_s);
    QVERIFY2(r.completed.value(u"error"_s).toString().contains(u"longer than 1 MiB"_s), qPrintable(r.completed.value(u"error"_s).toString()));
    QVERIFY(r.chunks.isEmpty());
}

void TestAgentRuns::nothingOutlivesTheRun_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("stop") << u"stop"_s;
    QTest::newRow("timeout") << u"timeout"_s;
    QTest::newRow("idle timeout") << u"idle"_s;
    QTest::newRow("agent exits") << u"exit"_s;
}

void TestAgentRuns::nothingOutlivesTheRun()
{
    QFETCH(QString, how);
    // The agent leaves on SIGTERM (or on its own) while a child that ignores
    // SIGTERM stays in its group and another has left it (its own session).
    const QString tail = how == u"exit"_s ? u"sleep 1; exit 0"_s : u"wait"_s;
    const QString script = u"trap 'exit 0' TERM; (trap '' TERM; exec sleep 301) & setsid sleep 302 & echo started; "_s + tail;
    QJsonObject extra{{u"kill_grace_s"_s, 0.5}};
    if (how == u"timeout"_s)
        extra.insert(u"timeout_s"_s, 1.5);
    if (how == u"idle"_s)
        extra.insert(u"idle_timeout_s"_s, 1.5);
    Run r = start(shellAgent(script, extra));
    QTRY_VERIFY_WITH_TIMEOUT(mc::runprocesses::find(r.runId).size() >= 3, 10000);
    if (how == u"stop"_s)
        QCOMPARE(m_client->post(api + u"/tasks/"_s + r.taskId + u"/stop"_s).status, 200);
    finish(r);
    QCOMPARE(r.completed.value(u"status"_s).toString(), how == u"stop"_s ? u"stopped"_s : how == u"exit"_s ? u"completed"_s : u"error"_s);
    QVERIFY2(mc::runprocesses::find(r.runId).isEmpty(), "a process of the run is still alive");
}

void TestAgentRuns::hugeTimeoutDoesNotOverflow()
{
    // Larger values are refused with a 422 (tst_server::timeoutsAreBounded); the
    // largest allowed ones, a week, must not wrap into an immediate timeout.
    const Run r = runToEnd(shellAgent(u"echo ok"_s, {{u"timeout_s"_s, 604800}, {u"idle_timeout_s"_s, 604800}}));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(r.concatenated(), u"ok\n"_s);
}

void TestAgentRuns::retryAfterIsHonoured()
{
    FakeResponse limited{429, {R"({"error":{"message":"slow down"}})"}, 0, -1};
    limited.headers = {{"Retry-After", "1"}};
    m_llm->enqueue(limited);
    m_llm->enqueue({200, {FakeLlmServer::sse(R"({"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]})"),
                          FakeLlmServer::sse("[DONE]")}, 0, -1});
    const Run r = runToEnd(agent(u"openai"_s, httpConfig(false)));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(m_llm->requests().size(), 2);
    // The server's 1 s, not our 0.05 s backoff.
    QVERIFY2(r.chunks.first().second.contains(u"retrying in 1 s"_s), qPrintable(r.chunks.first().second));
    // A Retry-After beyond the run's time limit ends the run instead of waiting.
    m_llm = std::make_unique<FakeLlmServer>();
    limited.headers = {{"Retry-After", "3600"}};
    m_llm->enqueue(limited);
    QJsonObject config = httpConfig(false);
    config.insert(u"timeout_s"_s, 30);
    const Run refused = runToEnd(agent(u"openai"_s, config));
    QCOMPARE(refused.completed.value(u"status"_s).toString(), u"error"_s);
    QCOMPARE(m_llm->requests().size(), 1);
}

void TestAgentRuns::retryAfterHttpDate()
{
    const QDateTime now = QDateTime::fromString(u"2026-11-25T12:00:00Z"_s, Qt::ISODate);
    QCOMPARE(mc::retryAfterMs("Wed, 25 Nov 2026 12:00:07 GMT", now), 7000);
    QCOMPARE(mc::retryAfterMs("2.5", now), 2500);
    QCOMPARE(mc::retryAfterMs("Wed, 25 Nov 2026 11:00:00 GMT", now), 0);   // in the past: now
    QCOMPARE(mc::retryAfterMs("soon", now), -1);
    QCOMPARE(mc::retryAfterMs("", now), -1);
}

void TestAgentRuns::anthropicCountsCacheTokens()
{
    m_llm->enqueue({200, {anthropic("message_start", R"({"type":"message_start","message":{"id":"m","usage":{"input_tokens":10,"cache_creation_input_tokens":300,"cache_read_input_tokens":4000,"output_tokens":1}}})"),
                          anthropic("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}})"),
                          anthropic("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}})"),
                          anthropic("message_stop", R"({"type":"message_stop"})")}, 0, -1});
    const Run r = runToEnd(agent(u"anthropic"_s, httpConfig(true)));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(r.run.value(u"input_tokens"_s).toInt(), 4310);
    QCOMPARE(r.run.value(u"cache_creation_input_tokens"_s).toInt(), 300);
    QCOMPARE(r.run.value(u"cache_read_input_tokens"_s).toInt(), 4000);
    QCOMPARE(r.run.value(u"output_tokens"_s).toInt(), 7);
}

void TestAgentRuns::openAiToolCallOnlyAnswerSavesNoEmptyDeliverable()
{
    m_llm->enqueue({200, {FakeLlmServer::sse(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":null}]})"),
                          FakeLlmServer::sse(R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})"),
                          FakeLlmServer::sse("[DONE]")}, 0, -1});
    const Run r = runToEnd(agent(u"openai"_s, httpConfig(false)));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    // The call is shown; with no message text there is no deliverable (as in
    // PocketPaw), never an empty document.
    QCOMPARE(r.chunks.size(), 1);
    QCOMPARE(r.chunks.first().first, u"tool_use"_s);
    QVERIFY(r.chunks.first().second.contains(u"get_weather"_s));
    QCOMPARE(r.documents, 0);
}

void TestAgentRuns::configIsChecked_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QJsonObject>("config");
    QTest::addColumn<QString>("field");   // empty: accepted
    QTest::newRow("permission_mode ok") << u"claude_code"_s << QJsonObject{{u"permission_mode"_s, u"plan"_s}} << QString();
    QTest::newRow("permission_mode bad") << u"claude_code"_s << QJsonObject{{u"permission_mode"_s, u"yolo"_s}} << u"permission_mode"_s;
    QTest::newRow("sandbox ok") << u"codex"_s << QJsonObject{{u"sandbox"_s, u"read-only"_s}} << QString();
    QTest::newRow("sandbox bad") << u"codex"_s << QJsonObject{{u"sandbox"_s, 3}} << u"sandbox"_s;
    QTest::newRow("env values") << u"command"_s << QJsonObject{{u"command"_s, QJsonArray{u"true"_s}}, {u"env"_s, QJsonObject{{u"A"_s, u"1"_s}}}} << QString();
    QTest::newRow("env value not a string") << u"command"_s << QJsonObject{{u"command"_s, QJsonArray{u"true"_s}}, {u"env"_s, QJsonObject{{u"A"_s, 1}}}} << u"env"_s;
    QTest::newRow("env bad name") << u"codex"_s << QJsonObject{{u"env"_s, QJsonObject{{u"A=B"_s, u"1"_s}}}} << u"env"_s;
    QTest::newRow("max_line_bytes") << u"codex"_s << QJsonObject{{u"max_line_bytes"_s, -1}} << u"max_line_bytes"_s;
}

void TestAgentRuns::configIsChecked()
{
    QFETCH(QString, backend);
    QFETCH(QJsonObject, config);
    QFETCH(QString, field);
    const HttpResponse r = m_client->post(api + u"/agents"_s, {{u"name"_s, u"Checked%1"_s.arg(++m_n)}, {u"role"_s, u"r"_s},
                                                                {u"backend"_s, backend},
                                                                {u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}});
    if (field.isEmpty()) {
        QVERIFY2(r.status == 200 || r.status == 201, r.body.constData());
        return;
    }
    QCOMPARE(r.status, 422);
    const QJsonArray loc = r.object().value(u"detail"_s).toArray().first().toObject().value(u"loc"_s).toArray();
    QVERIFY2(loc.contains(field), r.body.constData());
}

QTEST_MAIN(TestAgentRuns)
#include "tst_agentruns.moc"
