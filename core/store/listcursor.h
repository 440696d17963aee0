#pragma once

#include <QString>

namespace mc {

// Where a walk of a list stopped: the last row's sort key (updated_at, then
// rowid), given to clients as an opaque token (`after=` / `next_cursor`).
struct ListCursor
{
    bool valid = false;
    QString updatedAt;
    qint64 rowid = 0;

    QString encode() const;
    // Invalid for anything this server did not give out.
    static ListCursor decode(const QString &token);
};

} // namespace mc
