#include "instanceid.h"

#include "clock.h"

#include <QMutex>

namespace mc {

namespace {
QMutex g_lock;
QString g_id;
} // namespace

QString thisInstanceId()
{
    const QMutexLocker locker(&g_lock);
    if (g_id.isEmpty())
        g_id = newId();
    return g_id;
}

void setThisInstanceId(const QString &id)
{
    const QMutexLocker locker(&g_lock);
    g_id = id;
}

} // namespace mc
