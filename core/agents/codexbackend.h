#pragma once

#include "clibackend.h"

namespace mc {

// The Codex CLI: `codex exec --json -` (prompt on stdin) in the working folder.
// backend_config: command (replaces `codex`), model, extra_args, env, timeouts.
class CodexBackend final : public CliBackend
{
protected:
    QString program() const override { return QStringLiteral("codex"); }
    QString installHint() const override { return QStringLiteral("install Codex with `npm install -g @openai/codex`"); }
    QStringList arguments(const RunSpec &spec) const override;
    void handleLine(const QJsonObject &event, RunSink &sink, Result &result) override;
};

} // namespace mc
