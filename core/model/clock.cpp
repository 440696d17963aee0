#include "clock.h"

#include <QDate>
#include <QTime>
#include <QUuid>

#include <chrono>

using namespace Qt::StringLiterals;

namespace mc {

QString nowIso()
{
    using namespace std::chrono;
    const auto now = system_clock::now();
    const qint64 us = duration_cast<microseconds>(now.time_since_epoch()).count();
    // Calendar arithmetic on UTC seconds: no time zone API, the same on every Qt 6.
    const qint64 secs = us / 1000000;
    const QDate date = QDate(1970, 1, 1).addDays(secs / 86400);
    const QTime time = QTime(0, 0).addSecs(int(secs % 86400));
    return date.toString(u"yyyy-MM-dd"_s) + u'T' + time.toString(u"HH:mm:ss"_s) + u'.'
            + QString::number(us % 1000000).rightJustified(6, u'0') + u"+00:00";
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
