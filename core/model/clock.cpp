#include "clock.h"

#include <QDateTime>
#include <QUuid>

#include <chrono>

namespace mc {

QString nowIso()
{
    using namespace std::chrono;
    const auto now = system_clock::now();
    const qint64 us = duration_cast<microseconds>(now.time_since_epoch()).count();
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC);
    return dt.toString(u"yyyy-MM-ddTHH:mm:ss."_qs) + QString::number(us % 1000000).rightJustified(6, u'0')
            + u"+00:00";
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool isUuid(const QString &text)
{
    return text.size() == 36 && !QUuid::fromString(text).isNull();
}

} // namespace mc
