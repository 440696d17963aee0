#pragma once

#include "agentbackend.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

namespace mc {

// A JSON value as one line of text (a string as itself).
QString compactJson(const QJsonValue &value);

// Shared by the agent CLIs that print one JSON event per line (Claude Code's
// stream-json, Codex's --json): runs the CLI through ProcessRunner in the
// working folder and hands each parsed line to the subclass.
class CliBackend : public AgentBackend
{
public:
    RunOutcome run(const RunSpec &spec, RunSink &sink) final;

protected:
    struct Result
    {
        bool seenEnd = false;          // the CLI's own final event arrived
        QString failure;               // the CLI reported that the run failed
        QString lastError;             // the latest error it reported on the way (it may recover)
        QJsonObject usage;             // from the final event
        QHash<QString, QJsonObject> turnUsage;   // per model turn, until the final event
        QSet<QString> startedItems;    // tool calls already shown when they started
        QJsonArray permissionDenials;
    };
    virtual QString program() const = 0;          // default executable name
    virtual QString displayName() const = 0;
    virtual QString installHint() const = 0;      // what to install when missing
    virtual QStringList arguments(const RunSpec &spec) const = 0;
    virtual void handleLine(const QJsonObject &event, RunSink &sink, Result &result) = 0;
    // A readable reason for a run whose process failed (stderr tail included).
    virtual QString explainFailure(const RunSpec &, const QString &error) const { return error; }
    // The sum of the per-turn usage, for a run that ended before its final event.
    static QJsonObject sumUsage(const QHash<QString, QJsonObject> &turns);
};

} // namespace mc
