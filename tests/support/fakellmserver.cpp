#include "fakellmserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mc::test {

FakeLlmServer::FakeLlmServer(QObject *parent)
    : QTcpServer(parent)
{
    listen(QHostAddress::LocalHost, 0);
    connect(this, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
                buffer->append(socket->readAll());
                const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
                if (headEnd < 0)
                    return;
                const qsizetype at = buffer->toLower().indexOf("content-length:");
                const qint64 length = at < 0 ? 0 : buffer->mid(at + 15, buffer->indexOf("\r\n", at) - at - 15).trimmed().toLongLong();
                if (buffer->size() < headEnd + 4 + length)
                    return;
                m_requests.append(*buffer);
                const FakeResponse response = m_responder ? m_responder(*buffer)
                        : m_script.isEmpty()              ? FakeResponse{404, {}, 0, -1}
                        : m_script.size() > 1             ? m_script.takeFirst()
                                                          : m_script.first();
                buffer->clear();
                serve(socket, response);
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

QString FakeLlmServer::baseUrl() const
{
    return u"http://127.0.0.1:%1"_s.arg(serverPort());
}

QByteArray FakeLlmServer::sse(const QByteArray &data, const QByteArray &event)
{
    return (event.isEmpty() ? QByteArray() : "event: " + event + "\n") + "data: " + data + "\n\n";
}

void FakeLlmServer::serve(QTcpSocket *socket, const FakeResponse &response)
{
    const QByteArray type = response.status == 200 ? "text/event-stream" : "application/json";
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + " X\r\nContent-Type: " + type
            + "\r\nConnection: close\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    socket->write(head + "\r\n");
    writeChunks(socket, response, 0);
}

void FakeLlmServer::writeChunks(QTcpSocket *socket, FakeResponse response, int from)
{
    QPointer<QTcpSocket> guard(socket);
    for (int i = from; i < response.chunks.size(); ++i) {
        if (!guard)
            return;
        socket->write(response.chunks.at(i));
        socket->flush();
        if (i == response.holdAfterChunk) {
            m_held = [this, guard, response, i] {
                if (guard)
                    writeChunks(guard, response, i + 1);
            };
            return;
        }
        if (response.delayMs > 0 && i + 1 < response.chunks.size()) {
            QTimer::singleShot(response.delayMs, this, [this, guard, response, i] {
                if (guard)
                    writeChunks(guard, response, i + 1);
            });
            return;
        }
    }
    if (guard)
        socket->disconnectFromHost();
}

namespace {

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray anthropicEvent(const QJsonObject &o)
{
    return FakeLlmServer::sse(json(o), o.value(u"type"_s).toString().toUtf8());
}

QJsonObject anthropicStart()
{
    static int n = 0;
    return {{u"type"_s, u"message_start"_s},
            {u"message"_s, QJsonObject{{u"id"_s, u"msg_fake%1"_s.arg(++n)}, {u"type"_s, u"message"_s},
                                      {u"role"_s, u"assistant"_s}, {u"model"_s, u"claude-fake"_s},
                                      {u"content"_s, QJsonArray()}, {u"stop_reason"_s, QJsonValue()},
                                      {u"stop_sequence"_s, QJsonValue()},
                                      {u"usage"_s, QJsonObject{{u"input_tokens"_s, 1200}, {u"cache_creation_input_tokens"_s, 300},
                                                              {u"cache_read_input_tokens"_s, 4000}, {u"output_tokens"_s, 1}}}}}};
}

QList<QByteArray> anthropicMessage(const QJsonObject &block, const QJsonObject &delta, const QString &stopReason)
{
    return {anthropicEvent(anthropicStart()),
            anthropicEvent({{u"type"_s, u"content_block_start"_s}, {u"index"_s, 0}, {u"content_block"_s, block}}),
            anthropicEvent({{u"type"_s, u"content_block_delta"_s}, {u"index"_s, 0}, {u"delta"_s, delta}}),
            anthropicEvent({{u"type"_s, u"content_block_stop"_s}, {u"index"_s, 0}}),
            anthropicEvent({{u"type"_s, u"message_delta"_s},
                            {u"delta"_s, QJsonObject{{u"stop_reason"_s, stopReason}, {u"stop_sequence"_s, QJsonValue()}}},
                            {u"usage"_s, QJsonObject{{u"output_tokens"_s, 57}}}}),
            anthropicEvent({{u"type"_s, u"message_stop"_s}})};
}

QList<QByteArray> responsesOutput(const QJsonObject &item)
{
    static int n = 0;
    const QString id = u"resp_fake%1"_s.arg(++n);
    const QJsonObject usage{{u"input_tokens"_s, 2100}, {u"input_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, 1500}}},
                            {u"output_tokens"_s, 64}, {u"output_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, 16}}},
                            {u"total_tokens"_s, 2164}};
    const auto event = [](const QJsonObject &o) { return FakeLlmServer::sse(json(o), o.value(u"type"_s).toString().toUtf8()); };
    return {event({{u"type"_s, u"response.created"_s}, {u"response"_s, QJsonObject{{u"id"_s, id}}}}),
            event({{u"type"_s, u"response.output_item.added"_s}, {u"output_index"_s, 0}, {u"item"_s, item}}),
            event({{u"type"_s, u"response.output_item.done"_s}, {u"output_index"_s, 0}, {u"item"_s, item}}),
            event({{u"type"_s, u"response.completed"_s}, {u"response"_s, QJsonObject{{u"id"_s, id}, {u"usage"_s, usage}}}})};
}

} // namespace

FakeResponse FakeLlmServer::anthropicText(const QString &text)
{
    return {200, anthropicMessage({{u"type"_s, u"text"_s}, {u"text"_s, u""_s}},
                                  {{u"type"_s, u"text_delta"_s}, {u"text"_s, text}}, u"end_turn"_s), 0, -1};
}

FakeResponse FakeLlmServer::anthropicToolUse(const QString &name, const QJsonObject &input)
{
    static int n = 0;
    return {200, anthropicMessage({{u"type"_s, u"tool_use"_s}, {u"id"_s, u"toolu_fake%1"_s.arg(++n)}, {u"name"_s, name},
                                   {u"input"_s, QJsonObject()}},
                                  {{u"type"_s, u"input_json_delta"_s}, {u"partial_json"_s, QString::fromUtf8(json(input))}},
                                  u"tool_use"_s), 0, -1};
}

FakeResponse FakeLlmServer::anthropicError(int status, const QString &type, const QString &message)
{
    return {status, {json({{u"type"_s, u"error"_s}, {u"error"_s, QJsonObject{{u"type"_s, type}, {u"message"_s, message}}}})}, 0, -1};
}

FakeResponse FakeLlmServer::responsesText(const QString &text)
{
    return {200, responsesOutput({{u"type"_s, u"message"_s}, {u"id"_s, u"msg_fake"_s}, {u"role"_s, u"assistant"_s},
                                  {u"status"_s, u"completed"_s},
                                  {u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"output_text"_s}, {u"text"_s, text},
                                                                        {u"annotations"_s, QJsonArray()}}}}}), 0, -1};
}

FakeResponse FakeLlmServer::responsesFunctionCall(const QString &name, const QJsonObject &arguments)
{
    static int n = 0;
    ++n;
    return {200, responsesOutput({{u"type"_s, u"function_call"_s}, {u"id"_s, u"fc_fake%1"_s.arg(n)},
                                  {u"call_id"_s, u"call_fake%1"_s.arg(n)}, {u"name"_s, name},
                                  {u"arguments"_s, QString::fromUtf8(json(arguments))}, {u"status"_s, u"completed"_s}}), 0, -1};
}

FakeResponse FakeLlmServer::responsesError(int status, const QString &message)
{
    return {status, {json({{u"error"_s, QJsonObject{{u"message"_s, message}, {u"type"_s, u"server_error"_s}}}})}, 0, -1};
}

void FakeLlmServer::release()
{
    if (auto held = std::exchange(m_held, {}))
        held();
}

} // namespace mc::test
