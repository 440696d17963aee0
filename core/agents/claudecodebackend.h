#pragma once

#include "clibackend.h"

namespace mc {

// The Claude Code CLI: `claude -p --output-format stream-json --verbose`, the
// prompt on stdin, in the project's working folder. backend_config: command
// (replaces `claude`), model, extra_args, env, timeout_s, idle_timeout_s.
class ClaudeCodeBackend final : public CliBackend
{
protected:
    QString program() const override { return QStringLiteral("claude"); }
    QString installHint() const override
    {
        return QStringLiteral("install Claude Code with `npm install -g @anthropic-ai/claude-code`");
    }
    QStringList arguments(const RunSpec &spec) const override;
    void handleLine(const QJsonObject &event, RunSink &sink, Result &result) override;
};

} // namespace mc
