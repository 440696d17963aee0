#pragma once

#include <QString>

#include <optional>

namespace mc {

// ISO 8601 UTC with microseconds and offset, e.g. 2026-11-23T10:00:00.123456+00:00.
// Fixed width, so string order is time order.
QString nowIso();
qint64 nowMicros(); // since 1970
// The same form for a time in microseconds since 1970, and back (nothing for
// text in any other form).
QString isoFromMicros(qint64 us);
std::optional<qint64> microsFromIso(const QString &iso);
// Lowercase UUID v4 without braces.
QString newId();
bool isUuid(const QString &text);

} // namespace mc
