#pragma once

#include <QJsonValue>
#include <QtGlobal>

namespace mc {

// The most a run may be given (timeout_s, idle_timeout_s): a week. Larger
// values are refused at the API, and stored ones are clamped to it.
constexpr qint64 kMaxRunSeconds = 7 * 24 * 3600;

// A timeout setting in whole seconds within [1, kMaxRunSeconds], computed in 64
// bits: a value stored before the limit existed cannot wrap into a negative int.
inline int runSeconds(const QJsonValue &setting, int fallback)
{
    if (!setting.isDouble())
        return fallback;
    const double seconds = setting.toDouble();
    if (!(seconds >= 1))   // also NaN
        return 1;
    return int(qMin(seconds, double(kMaxRunSeconds)));
}

} // namespace mc
