#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

#include <functional>
#include <QTcpServer>

namespace mc::test {

// One scripted HTTP answer: status, then the body in chunks (SSE text), with a
// delay between chunks; the connection closes after the last chunk.
struct FakeResponse
{
    int status = 200;
    QList<QByteArray> chunks;
    int delayMs = 0;
    int holdAfterChunk = -1;    // pause after this chunk until release()
    QList<QPair<QByteArray, QByteArray>> headers = {};   // extra response headers
};

// A real HTTP/1.1 peer on loopback that speaks SSE the way LLM servers do.
// Answers are served in order; the last one repeats.
class FakeLlmServer final : public QTcpServer
{
    Q_OBJECT

public:
    explicit FakeLlmServer(QObject *parent = nullptr);
    void enqueue(FakeResponse response) { m_script.append(std::move(response)); }
    // Instead of the script: an answer computed from each request (method line,
    // headers and body), as a real API decides from what it is asked.
    using Responder = std::function<FakeResponse(const QByteArray &request)>;
    void setResponder(Responder responder) { m_responder = std::move(responder); }
    QString baseUrl() const;
    const QList<QByteArray> &requests() const { return m_requests; }
    void release();

    static QByteArray sse(const QByteArray &data, const QByteArray &event = {});

    // The Anthropic Messages API's stream (what Claude Code reads): a text
    // answer, or a tool call (stop_reason tool_use).
    static FakeResponse anthropicText(const QString &text);
    static FakeResponse anthropicToolUse(const QString &name, const QJsonObject &input);
    static FakeResponse anthropicError(int status, const QString &type, const QString &message);
    // The OpenAI Responses API's stream (what Codex reads with wire_api = "responses").
    static FakeResponse responsesText(const QString &text);
    static FakeResponse responsesFunctionCall(const QString &name, const QJsonObject &arguments);
    static FakeResponse responsesError(int status, const QString &message);

private:
    void serve(QTcpSocket *socket, const FakeResponse &response);
    void writeChunks(QTcpSocket *socket, FakeResponse response, int from);

    QList<FakeResponse> m_script;
    Responder m_responder;
    QList<QByteArray> m_requests;
    std::function<void()> m_held;
};

} // namespace mc::test
