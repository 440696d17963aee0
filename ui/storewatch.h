#pragma once

#include "readcache.h"

#include <QObject>
#include <QTimer>

namespace mc {

class Store;

// Tells views that the database changed in any way -- through the GUI, the
// API (which announces no signal for every entity, e.g. a project's status)
// or the output writer -- by comparing the store's data version once per
// interval. Views that summarise many tables (projects, numbers) reread then.
class StoreWatch final : public QObject
{
    Q_OBJECT

public:
    explicit StoreWatch(Store &store, QObject *parent = nullptr, int intervalMs = 1000);
    // Checks now (e.g. right after the GUI changed something).
    void check();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void changed();

private:
    Store &m_store;
    DataVersion m_seen;
    QTimer m_timer;
};

} // namespace mc
