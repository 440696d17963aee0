#pragma once

#include <QByteArray>
#include <QList>
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
};

// A real HTTP/1.1 peer on loopback that speaks SSE the way LLM servers do.
// Answers are served in order; the last one repeats.
class FakeLlmServer final : public QTcpServer
{
    Q_OBJECT

public:
    explicit FakeLlmServer(QObject *parent = nullptr);
    void enqueue(FakeResponse response) { m_script.append(std::move(response)); }
    QString baseUrl() const;
    const QList<QByteArray> &requests() const { return m_requests; }
    void release();

    static QByteArray sse(const QByteArray &data, const QByteArray &event = {});

private:
    void serve(QTcpSocket *socket, const FakeResponse &response);
    void writeChunks(QTcpSocket *socket, FakeResponse response, int from);

    QList<FakeResponse> m_script;
    QList<QByteArray> m_requests;
    std::function<void()> m_held;
};

} // namespace mc::test
