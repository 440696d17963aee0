#pragma once

#include "agentbackend.h"
#include "sseparser.h"

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QStringList>
#include <QUrl>

class QDateTime;

namespace mc {

// What one streamed answer has told us so far.
struct StreamState
{
    bool finished = false;       // the protocol's terminator was seen
    bool producedOutput = false;
    QString error;               // set by the protocol (an error event)
    bool retryable = false;
    QJsonObject usage;
};

// Retry-After (delay-seconds or an HTTP-date) in milliseconds from now; -1 when absent or unreadable.
qint64 retryAfterMs(const QByteArray &header, const QDateTime &now);

// Shared machinery of the LLM HTTP backends: runs a streaming POST on the pool
// thread (own QNetworkAccessManager and event loop), feeds SSE events to the
// protocol, enforces cancel and time limits, and retries transient failures
// (429, 5xx, refused connection, overloaded) with backoff -- only while
// nothing has been streamed yet, so output is never duplicated.
class HttpStreamBackend : public AgentBackend
{
public:
    RunOutcome run(const RunSpec &spec, RunSink &sink) final;

protected:
    struct Request
    {
        QUrl url;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
    };
    virtual QString name() const = 0;
    virtual QString defaultApiKeyEnv() const = 0;
    virtual Request buildRequest(const RunSpec &spec, const QString &apiKey) const = 0;
    virtual void handleEvent(const SseEvent &event, RunSink &sink, StreamState &state) = 0;
    virtual void reset() {}
    // Extracts a readable message from an error body.
    static QString errorMessage(const QByteArray &body);
    // backend_config.base_url (or the fallback) without trailing slashes.
    static QString baseUrl(const QJsonObject &config, const QString &fallback);

private:
    struct Attempt
    {
        bool retryable = false;
        QString reason;
        qint64 retryAfterMs = -1;   // the server's Retry-After
    };
    RunOutcome attempt(const RunSpec &spec, RunSink &sink, const QString &apiKey, qint64 timeoutMs, Attempt *out);
};

// The key from the environment variable `api_key_env` names, else from the
// settings file (written by the GUI's Settings dialog). Never logged.
QString lookupApiKey(const QString &envName);

} // namespace mc
