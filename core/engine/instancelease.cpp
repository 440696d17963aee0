#include "instancelease.h"

#include "apierror.h"
#include "executor.h"
#include "store.h"

#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcLease, "mc.lease")

namespace mc {

InstanceLease::InstanceLease(Store &store, Executor &executor, InstanceRepository::Self self, int leaseS,
                             QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_executor(executor)
    , m_self(std::move(self))
    , m_leaseS(qMax(1, leaseS))
{
    m_timer.setInterval(qMax(200, m_leaseS * 1000 / 3));
    connect(&m_timer, &QTimer::timeout, this, &InstanceLease::renewAndTakeOver);
}

int InstanceLease::enter()
{
    return m_store.write([&] {
        m_store.instances().enter(m_self, m_leaseS);
        if (!m_store.isShared())
            return m_executor.recoverInterrupted();
        QStringList owners = m_store.instances().takeExpired(m_self.id);
        owners.prepend(m_self.id);
        return m_executor.recoverInterrupted(owners, true);
    });
}

void InstanceLease::start()
{
    if (m_store.isShared())
        m_timer.start();
}

void InstanceLease::renewAndTakeOver()
{
    try {
        // The renewal commits on its own, so a failed takeover never costs this
        // instance its lease.
        const bool renewed = m_store.write([&] { return m_store.instances().renew(m_self.id, m_leaseS); });
        if (!renewed) {
            // Counted as dead (stalled past its lease): its runs were marked
            // interrupted and may run elsewhere already. Those still going here
            // are stopped (their ends change nothing: RunRepository::finish).
            qCWarning(lcLease) << "this instance's lease had expired; its runs were taken over: stopping"
                               << m_executor.running() << "run(s) and entering again";
            m_executor.stopAll();
            m_store.write([&] { m_store.instances().enter(m_self, m_leaseS); });
        }
    } catch (const std::exception &e) {
        qCWarning(lcLease) << "renewing the lease failed:" << e.what();
        return;
    }
    try {
        const int taken = m_store.write([&] {
            const QStringList dead = m_store.instances().takeExpired(m_self.id);
            if (dead.isEmpty())
                return 0;
            qCInfo(lcLease) << "instance(s)" << dead << "stopped renewing their lease; taking over their runs";
            return m_executor.recoverInterrupted(dead, false);
        });
        if (taken > 0)
            qCInfo(lcLease) << taken << "run(s) of dead instances marked interrupted";
    } catch (const std::exception &e) {
        qCWarning(lcLease) << "taking over the runs of dead instances failed:" << e.what();
    }
}

void InstanceLease::leave()
{
    m_timer.stop();
    try {
        m_store.write([&] { m_store.instances().leave(m_self.id); });
    } catch (const std::exception &e) {
        qCWarning(lcLease) << "leaving the instances table failed:" << e.what();
    }
}

QJsonArray InstanceLease::live()
{
    return m_store.instances().live(m_self.id);
}

} // namespace mc
