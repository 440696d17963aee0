#include "storewatch.h"

#include "store.h"

#include <QEvent>
#include <QWidget>

namespace mc {

StoreWatch::StoreWatch(Store &store, QObject *parent, int intervalMs)
    : QObject(parent)
    , m_store(store)
    , m_seen(store.dataVersion())
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StoreWatch::check);
    m_timer.start();
    if (parent && parent->isWidgetType())
        parent->installEventFilter(this);
}

bool StoreWatch::eventFilter(QObject *watched, QEvent *event)
{
    // A view shown again catches up at once, not at the next tick.
    if (watched == parent() && event->type() == QEvent::Show)
        QTimer::singleShot(0, this, &StoreWatch::check);
    return QObject::eventFilter(watched, event);
}

void StoreWatch::check()
{
    // A hidden view rereads nothing; the first check after it is shown does.
    if (const auto *view = qobject_cast<const QWidget *>(parent()); view && !view->isVisible())
        return;
    const DataVersion now = m_store.dataVersion();
    if (now == m_seen)
        return;
    m_seen = now;
    Q_EMIT changed();
}

} // namespace mc
