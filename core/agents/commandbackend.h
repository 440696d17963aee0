#pragma once

#include "agentbackend.h"

namespace mc {

// Any program is an agent: the prompt on stdin, each stdout line a `message`
// chunk carrying the text exactly as printed (line break included; a line
// longer than 64 KiB arrives in pieces), stderr kept for the error, non-zero
// exit an error. backend_config: command (argv list), cwd, env (names to pass
// through, or an object of values), timeout_s, idle_timeout_s, kill_grace_s.
class CommandBackend final : public AgentBackend
{
public:
    RunOutcome run(const RunSpec &spec, RunSink &sink) override;
};

} // namespace mc
