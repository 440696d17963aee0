#pragma once

#include "agentbackend.h"

namespace mc {

// Any program is an agent: the prompt on stdin, each stdout line a `message`
// chunk, stderr kept for the error, non-zero exit an error.
// backend_config: command (argv list), cwd, env (names passed through), timeout_s.
class CommandBackend final : public AgentBackend
{
public:
    RunOutcome run(const RunSpec &spec, RunSink &sink) override;
};

} // namespace mc
