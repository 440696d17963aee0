#pragma once

#include "instancerepository.h"

#include <QJsonArray>
#include <QObject>
#include <QTimer>

namespace mc {

class Executor;
class Store;

// This instance's lease among the instances sharing a database (API.md part B
// "Health"): its row is renewed every third of the lease; an instance whose
// lease expired is dead, and the first survivor to notice takes over its runs
// -- marks them interrupted and queues auto-run tasks again, exactly as crash
// recovery does (Executor::recoverInterrupted), in one transaction that holds
// the dead instance's row, so no two survivors both do it.
class InstanceLease final : public QObject
{
    Q_OBJECT

public:
    InstanceLease(Store &store, Executor &executor, InstanceRepository::Self self, int leaseS,
                  QObject *parent = nullptr);

    // At start, before anything runs: enters this instance and recovers the
    // runs a dead process left -- on a database of its own every running run
    // (as before instances existed); on a shared one this instance's earlier
    // runs, those naming no instance and those of instances whose lease expired.
    int enter();
    // Renews the lease on a timer (a shared database only).
    void start();
    void renewAndTakeOver();
    // A clean stop: the row goes (its runs were recorded as stopped).
    void leave();
    QString id() const { return m_self.id; }
    int leaseSeconds() const { return m_leaseS; }
    QJsonArray live();

private:
    Store &m_store;
    Executor &m_executor;
    InstanceRepository::Self m_self;
    int m_leaseS;
    QTimer m_timer;
};

} // namespace mc
