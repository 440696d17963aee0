#pragma once

#include "agentbackend.h"

#include <QJsonObject>
#include <QStringList>

namespace mc {

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
        bool seenEnd = false;      // the CLI's own final event arrived
        QString error;             // the CLI reported a failure
        QJsonObject usage;
        QStringList texts;         // agent messages, for the deliverable
    };
    virtual QString program() const = 0;          // default executable name
    virtual QString installHint() const = 0;      // what to install when missing
    virtual QStringList arguments(const RunSpec &spec) const = 0;
    virtual bool promptOnStdin() const { return true; }
    virtual void handleLine(const QJsonObject &event, RunSink &sink, Result &result) = 0;
    static QString compact(const QJsonValue &value);
};

} // namespace mc
