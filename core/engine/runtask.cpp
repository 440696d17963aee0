#include "runtask.h"

#include "gitbaseline.h"
#include "handoff.h"
#include "runchannel.h"

using namespace Qt::StringLiterals;

namespace mc {

RunTask::RunTask(std::unique_ptr<AgentBackend> backend, RunSpec spec, std::shared_ptr<RunChannel> channel,
                 std::function<void(RunOutcome)> done)
    : m_backend(std::move(backend))
    , m_spec(std::move(spec))
    , m_channel(std::move(channel))
    , m_done(std::move(done))
{
    setAutoDelete(true);
}

void RunTask::run()
{
    takeOver(this);   // handed over by Executor::start() through QThreadPool
    RunOutcome outcome;
    try {
        if (!m_baselineDir.isEmpty() && !m_channel->cancelled())
            gitbaseline::save(m_baselineDir, m_spec.runId, gitbaseline::read(m_spec.workingDir));
        outcome = m_backend->run(m_spec, *m_channel);
    } catch (const std::exception &e) {
        outcome = RunOutcome::failed(QString::fromUtf8(e.what()));
    } catch (...) {
        outcome = RunOutcome::failed(u"The agent backend failed unexpectedly"_s);
    }
    if (m_channel->cancelled() && outcome.status != RunOutcome::Status::Completed) {
        QJsonObject usage = outcome.usage;   // tokens spent before the stop still count
        outcome = RunOutcome::stopped();
        outcome.usage = std::move(usage);
    }
    m_done(std::move(outcome));
}

} // namespace mc
