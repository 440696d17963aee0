#pragma once

#include <QJsonObject>
#include <QString>

namespace mc {

// Everything a backend needs to execute one run. Plain data: safe to hand to a
// pool thread.
struct RunSpec
{
    QString runId;
    QString taskId;
    QString prompt;
    QString workingDir;
    QJsonObject agent;
    QJsonObject config;       // agent.metadata.backend_config
    int timeoutS = 3600;
    int idleTimeoutS = 600;
};

// How a backend reports from its pool thread. Implementations are thread-safe.
class RunSink
{
public:
    virtual ~RunSink() = default;
    virtual void output(const QString &type, const QString &content) = 0;
    // Progress the user should see (a retry, a reconnect, a refused
    // permission): a `message` chunk that is not part of the answer, so it
    // stays out of the deliverable.
    virtual void notice(const QString &content) { output(QStringLiteral("message"), content); }
    virtual bool cancelled() const = 0;
};

struct RunOutcome
{
    enum class Status { Completed, Error, Stopped };
    Status status = Status::Completed;
    QString error;            // raw; the engine sanitises it before anyone sees it
    QJsonObject usage;        // input_tokens, output_tokens, cost_usd when known

    static RunOutcome completed(QJsonObject usage = {}) { return {Status::Completed, {}, std::move(usage)}; }
    static RunOutcome failed(QString error) { return {Status::Error, std::move(error), {}}; }
    static RunOutcome stopped() { return {Status::Stopped, QStringLiteral("Stopped by user"), {}}; }
};

// One way of executing an agent (a program, an LLM API, an agent CLI). run() is
// called on a pool thread, blocks until the run ends, and must return promptly
// once the sink says cancelled.
class AgentBackend
{
public:
    virtual ~AgentBackend() = default;
    virtual RunOutcome run(const RunSpec &spec, RunSink &sink) = 0;
};

} // namespace mc
