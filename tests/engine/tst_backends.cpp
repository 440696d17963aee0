// The real backends against real peers on loopback: a fake OpenAI-compatible
// server and a fake Anthropic server (QTcpServer speaking SSE), and fake
// `claude` / `codex` executables printing recorded stream-json.

#include "fakellmserver.h"
#include "httpclient.h"
#include "rawhttp.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace mc::test;

namespace {

const QByteArray kKey = "sk-test-SECRET0123456789abcdef";
QStringList g_log;

void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_log.append(message);
}

QByteArray openAiChunk(const QJsonObject &delta, const QJsonValue &finish = QJsonValue())
{
    const QJsonObject chunk{{u"id"_s, u"c1"_s}, {u"object"_s, u"chat.completion.chunk"_s},
                            {u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0}, {u"delta"_s, delta},
                                                                   {u"finish_reason"_s, finish}}}}};
    return FakeLlmServer::sse(QJsonDocument(chunk).toJson(QJsonDocument::Compact));
}

QByteArray anthropic(const QByteArray &event, const QByteArray &json)
{
    return FakeLlmServer::sse(json, event);
}

struct RunResult
{
    QJsonObject completed;
    QList<QPair<QString, QString>> chunks;   // (output_type, content)
    QJsonObject run;
};

} // namespace

class TestBackends : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("FAKE_LLM_KEY", kKey);
        qInstallMessageHandler(captureLog);
    }
    void init()
    {
        g_log.clear();
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

    void openAiStreamsMessagesToolCallsAndUsage();
    void openAiQuirks_data();
    void openAiQuirks();
    void openAiIsIncremental();
    void anthropicStreamsTextAndToolUse();
    void anthropicOverloadedThenSuccess();
    void anthropicErrorEvent();
    void claudeCode_data();
    void claudeCode();
    void claudeMissingBinary();
    void codex_data();
    void codex();
    void keyNeverLeaks();

private:
    QString agent(const QString &backend, const QJsonObject &config)
    {
        return m_client->createAgent({{u"name"_s, u"Bot%1"_s.arg(++m_agents)}, {u"role"_s, u"assistant"_s},
                                      {u"backend"_s, backend},
                                      {u"metadata"_s, QJsonObject{{u"backend_config"_s, config}}}});
    }
    QJsonObject httpConfig(const QJsonObject &extra = {})
    {
        QJsonObject c{{u"base_url"_s, QString(m_llm->baseUrl() + u"/v1"_s)}, {u"model"_s, u"test-model"_s},
                      {u"api_key_env"_s, u"FAKE_LLM_KEY"_s}, {u"retry_backoff_s"_s, 0.05}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            c.insert(it.key(), it.value());
        return c;
    }
    RunResult runTask(const QString &agentId, int timeoutMs = 20000)
    {
        const QString task = m_client->createTask({{u"title"_s, u"Backend task %1"_s.arg(++m_tasks)}});
        const HttpResponse started = m_client->post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agentId}});
        RunResult result;
        if (started.status != 200) {
            qWarning() << "run refused" << started.body;
            return result;
        }
        m_ws->waitFor([&](const QList<QJsonObject> &) {
            for (const QJsonObject &e : m_ws->events(u"mc_task_completed"_s)) {
                if (e.value(u"task_id"_s).toString() == task)
                    result.completed = e;
            }
            return !result.completed.isEmpty();
        }, timeoutMs);
        for (const QJsonObject &e : m_ws->events(u"mc_task_output"_s)) {
            if (e.value(u"task_id"_s).toString() == task)
                result.chunks.append({e.value(u"output_type"_s).toString(), e.value(u"content"_s).toString()});
        }
        result.run = m_client->get(api + u"/runs/"_s + started.object().value(u"run_id"_s).toString())
                             .object().value(u"run"_s).toObject();
        return result;
    }
    QString agentsDir() const { return qEnvironmentVariable("MC_TEST_AGENTS"); }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_client;
    std::unique_ptr<WsClient> m_ws;
    std::unique_ptr<FakeLlmServer> m_llm;
    int m_agents = 0;
    int m_tasks = 0;
};

void TestBackends::openAiStreamsMessagesToolCallsAndUsage()
{
    m_llm->enqueue({200,
                    {": keep-alive\n\n",
                     openAiChunk({{u"role"_s, u"assistant"_s}, {u"content"_s, u"Hel"_s}}),
                     openAiChunk({{u"content"_s, u"lo"_s}}),
                     openAiChunk({{u"tool_calls"_s, QJsonArray{QJsonObject{{u"index"_s, 0}, {u"id"_s, u"call_1"_s},
                                                                            {u"function"_s, QJsonObject{{u"name"_s, u"search"_s}, {u"arguments"_s, u"{\"q\":"_s}}}}}}}),
                     openAiChunk({{u"tool_calls"_s, QJsonArray{QJsonObject{{u"index"_s, 0},
                                                                            {u"function"_s, QJsonObject{{u"arguments"_s, u"\"qt\"}"_s}}}}}}}),
                     openAiChunk({}, u"tool_calls"_s),
                     FakeLlmServer::sse(R"({"id":"c1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}})"),
                     FakeLlmServer::sse("[DONE]")},
                    0, -1});
    const RunResult r = runTask(agent(u"openai"_s, httpConfig({{u"temperature"_s, 0.2}, {u"max_tokens"_s, 100}})));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(r.chunks.size(), 3);
    QCOMPARE(r.chunks.at(0), (QPair<QString, QString>{u"message"_s, u"Hel"_s}));
    QCOMPARE(r.chunks.at(1), (QPair<QString, QString>{u"message"_s, u"lo"_s}));
    QCOMPARE(r.chunks.at(2).first, u"tool_use"_s);
    const QJsonObject use = QJsonDocument::fromJson(r.chunks.at(2).second.toUtf8()).object();
    QCOMPARE(use.value(u"name"_s).toString(), u"search"_s);
    QCOMPARE(use.value(u"input"_s).toObject().value(u"q"_s).toString(), u"qt"_s);
    QCOMPARE(r.run.value(u"input_tokens"_s).toInt(), 12);
    QCOMPARE(r.run.value(u"output_tokens"_s).toInt(), 7);
    // The request: streaming with usage, model and settings, bearer key.
    const QByteArray request = m_llm->requests().first();
    QVERIFY(request.startsWith("POST /v1/chat/completions "));
    QCOMPARE(headerValue(request, "authorization"), QByteArray("Bearer " + kKey));
    const QJsonObject body = QJsonDocument::fromJson(request.mid(request.indexOf("\r\n\r\n") + 4)).object();
    QCOMPARE(body.value(u"stream"_s).toBool(), true);
    QCOMPARE(body.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool(), true);
    QCOMPARE(body.value(u"model"_s).toString(), u"test-model"_s);
    QCOMPARE(body.value(u"max_tokens"_s).toInt(), 100);
    QVERIFY(body.value(u"messages"_s).toArray().last().toObject().value(u"content"_s).toString().contains(u"Backend task"_s));
    // The deliverable is the text as streamed, not one line per token.
    const QJsonArray docs = m_client->get(api + u"/documents?type=deliverable"_s).object().value(u"documents"_s).toArray();
    QCOMPARE(docs.first().toObject().value(u"content"_s).toString(), u"Hello"_s);
    // Totals per agent.
    const QJsonObject agentUsage = m_client->get(api + u"/agents/"_s + r.run.value(u"agent_id"_s).toString() + u"/usage"_s)
                                           .object().value(u"usage"_s).toObject();
    QCOMPARE(agentUsage.value(u"output_tokens"_s).toInt(), 7);
    QCOMPARE(m_client->get(api + u"/stats"_s).object().value(u"stats"_s).toObject().value(u"usage"_s).toObject()
                     .value(u"input_tokens"_s).toInt(), 12);
}

void TestBackends::openAiQuirks_data()
{
    QTest::addColumn<QList<FakeResponse>>("script");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("errorContains");
    QTest::addColumn<int>("requests");
    QTest::addColumn<QStringList>("messages");

    const QByteArray hi = openAiChunk({{u"content"_s, u"hi"_s}});
    const QByteArray done = FakeLlmServer::sse("[DONE]");
    QTest::newRow("null choices, no usage chunk (llama.cpp, LM Studio)")
            << QList<FakeResponse>{{200, {FakeLlmServer::sse(R"({"choices":null})"), hi, openAiChunk({}, u"stop"_s), done}, 0, -1}}
            << u"completed"_s << QString() << 1 << QStringList{u"hi"_s};
    QTest::newRow("429 then success")
            << QList<FakeResponse>{{429, {R"({"error":{"message":"rate limited","type":"rate_limit"}})"}, 0, -1},
                                   {200, {hi, done}, 0, -1}}
            << u"completed"_s << QString() << 2 << QStringList{u"retrying"_s, u"hi"_s};
    QTest::newRow("500 every time")
            << QList<FakeResponse>{{500, {R"({"error":{"message":"boom"}})"}, 0, -1}}
            << u"error"_s << u"HTTP 500"_s << 2 << QStringList{u"retrying"_s};
    QTest::newRow("401 is not retried")
            << QList<FakeResponse>{{401, {R"({"error":{"message":"Incorrect API key provided"}})"}, 0, -1}}
            << u"error"_s << u"HTTP 401"_s << 1 << QStringList();
    QTest::newRow("400 is not retried")
            << QList<FakeResponse>{{400, {R"({"error":{"message":"model not found"}})"}, 0, -1}}
            << u"error"_s << u"model not found"_s << 1 << QStringList();
    QTest::newRow("malformed line")
            << QList<FakeResponse>{{200, {hi, FakeLlmServer::sse("{not json"), done}, 0, -1}}
            << u"error"_s << u"malformed"_s << 1 << QStringList{u"hi"_s};
    QTest::newRow("stream cut in the middle")
            << QList<FakeResponse>{{200, {hi}, 0, -1}}
            << u"error"_s << u"ended before"_s << 1 << QStringList{u"hi"_s};
}

void TestBackends::openAiQuirks()
{
    QFETCH(QList<FakeResponse>, script);
    QFETCH(QString, status);
    QFETCH(QString, errorContains);
    QFETCH(int, requests);
    QFETCH(QStringList, messages);
    for (const FakeResponse &response : script)
        m_llm->enqueue(response);
    const RunResult r = runTask(agent(u"openai"_s, httpConfig({{u"max_retries"_s, 1}})));
    QCOMPARE(r.completed.value(u"status"_s).toString(), status);
    QVERIFY2(r.completed.value(u"error"_s).toString().contains(errorContains, Qt::CaseInsensitive),
             qPrintable(r.completed.value(u"error"_s).toString()));
    QCOMPARE(m_llm->requests().size(), requests);
    QStringList got;
    for (const auto &[type, content] : r.chunks)
        got.append(content.contains(u"retrying"_s) ? u"retrying"_s : content);
    QCOMPARE(got, messages);
}

void TestBackends::openAiIsIncremental()
{
    // The server holds the stream after the first token until the test lets it go.
    m_llm->enqueue({200, {openAiChunk({{u"content"_s, u"first"_s}}), openAiChunk({{u"content"_s, u" second"_s}}),
                          FakeLlmServer::sse("[DONE]")}, 0, 0});
    const QString agentId = agent(u"openai"_s, httpConfig());
    const QString task = m_client->createTask({{u"title"_s, u"incremental"_s}});
    QCOMPARE(m_client->post(api + u"/tasks/"_s + task + u"/run"_s, {{u"agent_id"_s, agentId}}).status, 200);
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return !m_ws->events(u"mc_task_output"_s).isEmpty(); }));
    QCOMPARE(m_ws->events(u"mc_task_output"_s).first().value(u"content"_s).toString(), u"first"_s);
    QVERIFY(m_ws->events(u"mc_task_completed"_s).isEmpty());
    m_llm->release();
    QVERIFY(m_ws->waitFor([&](const QList<QJsonObject> &) { return !m_ws->events(u"mc_task_completed"_s).isEmpty(); }));
    QCOMPARE(m_ws->events(u"mc_task_output"_s).size(), 2);
}

void TestBackends::anthropicStreamsTextAndToolUse()
{
    m_llm->enqueue({200,
                    {anthropic("message_start", R"({"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":25,"output_tokens":1}}})"),
                     anthropic("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"),
                     anthropic("ping", R"({"type": "ping"})"),
                     anthropic("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me check"}})"),
                     anthropic("content_block_stop", R"({"type":"content_block_stop","index":0})"),
                     anthropic("content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}})"),
                     anthropic("content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Pa"}})"),
                     anthropic("content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ris\"}"}})"),
                     anthropic("content_block_stop", R"({"type":"content_block_stop","index":1})"),
                     anthropic("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":42}})"),
                     anthropic("message_stop", R"({"type":"message_stop"})")},
                    0, -1});
    QJsonObject config = httpConfig();
    config.insert(u"base_url"_s, m_llm->baseUrl());
    const RunResult r = runTask(agent(u"anthropic"_s, config));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(r.chunks.size(), 2);
    QCOMPARE(r.chunks.at(0), (QPair<QString, QString>{u"message"_s, u"Let me check"_s}));
    QCOMPARE(r.chunks.at(1).first, u"tool_use"_s);
    const QJsonObject use = QJsonDocument::fromJson(r.chunks.at(1).second.toUtf8()).object();
    QCOMPARE(use.value(u"name"_s).toString(), u"get_weather"_s);
    QCOMPARE(use.value(u"input"_s).toObject().value(u"city"_s).toString(), u"Paris"_s);
    QCOMPARE(r.run.value(u"input_tokens"_s).toInt(), 25);
    QCOMPARE(r.run.value(u"output_tokens"_s).toInt(), 42);
    const QByteArray request = m_llm->requests().first();
    QVERIFY(request.startsWith("POST /v1/messages "));
    QCOMPARE(headerValue(request, "X-Api-Key"), kKey);
    QCOMPARE(headerValue(request, "Anthropic-Version"), QByteArray("2023-06-01"));
}

void TestBackends::anthropicOverloadedThenSuccess()
{
    m_llm->enqueue({200, {anthropic("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")}, 0, -1});
    m_llm->enqueue({200, {anthropic("message_start", R"({"type":"message_start","message":{"usage":{"input_tokens":3}}})"),
                          anthropic("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}})"),
                          anthropic("message_stop", R"({"type":"message_stop"})")}, 0, -1});
    QJsonObject config = httpConfig();
    config.insert(u"base_url"_s, m_llm->baseUrl());
    const RunResult r = runTask(agent(u"anthropic"_s, config));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(m_llm->requests().size(), 2);
    QCOMPARE(r.chunks.size(), 2);
    QVERIFY(r.chunks.at(0).second.contains(u"overloaded_error"_s));
    QVERIFY(r.chunks.at(0).second.contains(u"retrying"_s));
    QCOMPARE(r.chunks.at(1).second, u"ok"_s);
}

void TestBackends::anthropicErrorEvent()
{
    m_llm->enqueue({200, {anthropic("error", R"({"type":"error","error":{"type":"invalid_request_error","message":"max_tokens too large"}})")}, 0, -1});
    QJsonObject config = httpConfig();
    config.insert(u"base_url"_s, m_llm->baseUrl());
    const RunResult r = runTask(agent(u"anthropic"_s, config));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"error"_s);
    QVERIFY(r.completed.value(u"error"_s).toString().contains(u"max_tokens too large"_s));
    QCOMPARE(m_llm->requests().size(), 1);
}

void TestBackends::claudeCode_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("errorContains");
    QTest::addColumn<QStringList>("types");
    QTest::newRow("ok") << u"ok"_s << u"completed"_s << QString()
                        << QStringList{u"message"_s, u"tool_use"_s, u"tool_result"_s, u"message"_s};
    QTest::newRow("error result") << u"error"_s << u"error"_s << u"Credit balance is too low"_s << QStringList{u"message"_s};
    QTest::newRow("hang") << u"hang"_s << u"error"_s << u"no output for 1 s"_s << QStringList();
    QTest::newRow("no result event") << u"noresult"_s << u"error"_s << u"without its final result"_s << QStringList{u"message"_s};
}

void TestBackends::claudeCode()
{
    QFETCH(QString, scenario);
    QFETCH(QString, status);
    QFETCH(QString, errorContains);
    QFETCH(QStringList, types);
    const RunResult r = runTask(agent(u"claude_agent_sdk"_s,
                                      {{u"command"_s, QJsonArray{QString(agentsDir() + u"/fake-claude"_s), scenario}},
                                       {u"idle_timeout_s"_s, 1}, {u"kill_grace_s"_s, 0.2}}));
    QCOMPARE(r.completed.value(u"status"_s).toString(), status);
    QVERIFY2(r.completed.value(u"error"_s).toString().contains(errorContains), qPrintable(r.completed.value(u"error"_s).toString()));
    QStringList got;
    for (const auto &chunk : r.chunks)
        got.append(chunk.first);
    QCOMPARE(got, types);
    if (scenario == u"ok"_s) {
        QCOMPARE(r.chunks.at(0).second, u"I will list the files."_s);
        QCOMPARE(QJsonDocument::fromJson(r.chunks.at(1).second.toUtf8()).object().value(u"name"_s).toString(), u"Bash"_s);
        QCOMPARE(r.chunks.at(2).second, u"a.txt\nb.txt"_s);
        QCOMPARE(r.run.value(u"input_tokens"_s).toInt(), 120);
        QCOMPARE(r.run.value(u"output_tokens"_s).toInt(), 30);
        QCOMPARE(r.run.value(u"cost_usd"_s).toDouble(), 0.0123);
        QVERIFY(!r.chunks.contains({u"message"_s, u"private"_s}));
    }
}

void TestBackends::claudeMissingBinary()
{
    const RunResult r = runTask(agent(u"claude_code"_s, {{u"command"_s, QJsonArray{u"claude-not-installed-here"_s}}}));
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"error"_s);
    QVERIFY2(r.completed.value(u"error"_s).toString().contains(u"npm install -g @anthropic-ai/claude-code"_s),
             qPrintable(r.completed.value(u"error"_s).toString()));
}

void TestBackends::codex_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QStringList>("types");
    QTest::newRow("ok") << u"ok"_s << u"completed"_s
                        << QStringList{u"tool_use"_s, u"tool_result"_s, u"tool_use"_s, u"tool_result"_s, u"message"_s};
    QTest::newRow("turn failed") << u"failed"_s << u"error"_s << QStringList();
}

void TestBackends::codex()
{
    QFETCH(QString, scenario);
    QFETCH(QString, status);
    QFETCH(QStringList, types);
    const RunResult r = runTask(agent(u"codex"_s, {{u"command"_s, QJsonArray{QString(agentsDir() + u"/fake-codex"_s), scenario}}}));
    QCOMPARE(r.completed.value(u"status"_s).toString(), status);
    QStringList got;
    for (const auto &chunk : r.chunks)
        got.append(chunk.first);
    QCOMPARE(got, types);
    if (scenario == u"ok"_s) {
        QCOMPARE(r.chunks.at(1).second, u"README.md\n"_s);
        QCOMPARE(r.chunks.at(3).second, u"add notes.md\ncompleted\n"_s);
        QCOMPARE(r.chunks.at(4).second, u"Added notes.md."_s);
        QCOMPARE(r.run.value(u"input_tokens"_s).toInt(), 200);
    } else {
        QVERIFY(r.completed.value(u"error"_s).toString().contains(u"model overloaded"_s));
    }
}

void TestBackends::keyNeverLeaks()
{
    // The provider echoes the key in its error, as OpenAI does for a wrong key.
    m_llm->enqueue({401, {"{\"error\":{\"message\":\"Incorrect API key provided: " + kKey + "\"}}"}, 0, -1});
    const QString agentId = agent(u"openai"_s, httpConfig());
    const RunResult r = runTask(agentId);
    QCOMPARE(r.completed.value(u"status"_s).toString(), u"error"_s);
    QVERIFY(m_llm->requests().first().contains(kKey));   // it was really sent
    QStringList seen{QString::fromUtf8(QJsonDocument(r.completed).toJson())};
    const QStringList paths{u"/agents/"_s + agentId, u"/agents"_s, u"/activity"_s, u"/tasks"_s, u"/stats"_s,
                            u"/runs/"_s + r.run.value(u"id"_s).toString()};
    for (const QString &path : paths)
        seen.append(QString::fromUtf8(m_client->get(api + path).body));
    for (const QJsonObject &m : m_ws->messages())
        seen.append(QString::fromUtf8(QJsonDocument(m).toJson()));
    seen += g_log;
    for (const QString &text : seen)
        QVERIFY2(!text.contains(QString::fromUtf8(kKey)), qPrintable(text.left(300)));
}

QTEST_MAIN(TestBackends)
#include "tst_backends.moc"
