#pragma once

#include <QString>

namespace mc {

// ISO 8601 UTC with microseconds and offset, e.g. 2026-11-23T10:00:00.123456+00:00.
// Fixed width, so string order is time order.
QString nowIso();
qint64 nowMicros();                          // since the epoch
QString isoFromMicros(qint64 us);            // the format of nowIso()
qint64 microsFromIso(const QString &iso);    // of that format; 0 when it is not
// Lowercase UUID v4 without braces.
QString newId();
bool isUuid(const QString &text);

} // namespace mc
