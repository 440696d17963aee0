#include "clock.h"

#include <QDate>
#include <QTime>
#include <QUuid>

#include <chrono>

using namespace Qt::StringLiterals;

namespace mc {

qint64 nowMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

QString nowIso()
{
    return isoFromMicros(nowMicros());
}

QString isoFromMicros(qint64 us)
{
    // Calendar arithmetic on UTC seconds: no time zone API, the same on every Qt 6.
    const qint64 secs = us / 1000000;
    const QDate date = QDate(1970, 1, 1).addDays(secs / 86400);
    const QTime time = QTime(0, 0).addSecs(int(secs % 86400));
    return date.toString(u"yyyy-MM-dd"_s) + u'T' + time.toString(u"HH:mm:ss"_s) + u'.'
            + QString::number(us % 1000000).rightJustified(6, u'0') + u"+00:00";
}

std::optional<qint64> microsFromIso(const QString &iso)
{
    // Exactly what isoFromMicros writes (after 1970), or nothing.
    if (iso.size() != 32 || !iso.endsWith(u"+00:00"_s) || iso.at(10) != u'T' || iso.at(19) != u'.')
        return std::nullopt;
    const QDate date = QDate::fromString(iso.left(10), u"yyyy-MM-dd"_s);
    const QTime time = QTime::fromString(iso.mid(11, 8), u"HH:mm:ss"_s);
    bool ok = false;
    const qint64 fraction = iso.mid(20, 6).toLongLong(&ok);
    if (!date.isValid() || !time.isValid() || !ok || date.year() < 1970)
        return std::nullopt;
    const qint64 days = QDate(1970, 1, 1).daysTo(date);
    const qint64 us = (days * 86400 + time.msecsSinceStartOfDay() / 1000) * 1000000 + fraction;
    if (isoFromMicros(us) != iso)
        return std::nullopt;
    return us;
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
