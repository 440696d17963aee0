#pragma once

#include "clibackend.h"

namespace mc {

// The Claude Code CLI: `claude -p --output-format stream-json --verbose
// --permission-mode MODE`, the prompt on stdin, in the project's working
// folder. backend_config: command (replaces `claude`), model, permission_mode
// (default acceptEdits: the agent may edit files in its working folder),
// extra_args, env, timeout_s, idle_timeout_s.
class ClaudeCodeBackend final : public CliBackend
{
public:
    static QString defaultPermissionMode() { return QStringLiteral("acceptEdits"); }
    static QStringList permissionModes();

protected:
    QString program() const override { return QStringLiteral("claude"); }
    QString displayName() const override { return QStringLiteral("Claude Code"); }
    QString installHint() const override
    {
        return QStringLiteral("install Claude Code with `npm install -g @anthropic-ai/claude-code`");
    }
    QStringList arguments(const RunSpec &spec) const override;
    void handleLine(const QJsonObject &event, RunSink &sink, Result &result) override;
    QString explainFailure(const RunSpec &spec, const QString &error) const override;
};

} // namespace mc
