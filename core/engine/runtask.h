#pragma once

#include "agentbackend.h"

#include <QRunnable>

#include <functional>
#include <memory>

namespace mc {

class RunChannel;

// The pool-thread half of a run: executes the backend, then hands the outcome
// back through `done` (which posts to the main thread).
class RunTask final : public QRunnable
{
public:
    RunTask(std::unique_ptr<AgentBackend> backend, RunSpec spec, std::shared_ptr<RunChannel> channel,
            std::function<void(RunOutcome)> done);
    void run() override;
    // Before the agent starts, its working folder's git state is saved under
    // dataDir (gitbaseline.h), so its changes can be shown afterwards.
    void recordBaselineIn(const QString &dataDir) { m_baselineDir = dataDir; }

private:
    std::unique_ptr<AgentBackend> m_backend;
    RunSpec m_spec;
    std::shared_ptr<RunChannel> m_channel;
    std::function<void(RunOutcome)> m_done;
    QString m_baselineDir;
};

} // namespace mc
