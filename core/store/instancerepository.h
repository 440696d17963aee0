#pragma once

#include <QJsonArray>
#include <QString>
#include <QStringList>

namespace mc {

class Store;

// The lease rows of the instances sharing the database (schema version 5):
// each instance renews its own; one whose lease expired is dead, and a living
// one takes over its runs (InstanceLease).
class InstanceRepository final
{
public:
    explicit InstanceRepository(Store &store) : m_store(store) {}

    struct Self
    {
        QString id;
        QString host;
        qint64 pid = 0;
        int maxConcurrent = 5;
        QString version;
    };
    // Inserts or refreshes this instance's row; its lease runs leaseS seconds from now.
    void enter(const Self &self, int leaseS);
    // Extends the lease; false when the row was gone (taken over as dead meanwhile).
    bool renew(const QString &id, int leaseS);
    void leave(const QString &id);
    // The instances whose lease has not expired (and `self`, which answers), oldest first.
    QJsonArray live(const QString &self);
    // Inside the caller's transaction: the ids of the other instances whose
    // lease expired, their rows locked and deleted. Rows another instance is
    // taking over at the same time are skipped (PostgreSQL's SKIP LOCKED), so
    // two survivors never both take over one dead instance.
    QStringList takeExpired(const QString &self);

private:
    Store &m_store;
};

} // namespace mc
