#pragma once

#include <QString>

namespace mc {

// The id of this Mission Control instance among those sharing one database:
// kept in the data folder, so a restarted instance knows its own runs. A
// process is one instance; until set, a fresh id.
QString thisInstanceId();
void setThisInstanceId(const QString &id);

} // namespace mc
