#pragma once

#include "clibackend.h"

namespace mc {

// The Codex CLI: `codex exec --json --skip-git-repo-check --sandbox MODE -`
// (prompt on stdin) in the working folder. backend_config: command (replaces
// `codex`), model, sandbox (default workspace-write: the agent may write in its
// working folder), extra_args, env, timeouts.
class CodexBackend final : public CliBackend
{
public:
    static QString defaultSandbox() { return QStringLiteral("workspace-write"); }
    static QStringList sandboxModes();

protected:
    QString program() const override { return QStringLiteral("codex"); }
    QString displayName() const override { return QStringLiteral("Codex"); }
    QString installHint() const override { return QStringLiteral("install Codex with `npm install -g @openai/codex`"); }
    QStringList arguments(const RunSpec &spec) const override;
    void handleLine(const QJsonObject &event, RunSink &sink, Result &result) override;
};

} // namespace mc
