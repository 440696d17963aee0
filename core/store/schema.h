#pragma once

#include <QList>
#include <QStringList>

namespace mc {

// Migration N (1-based) is the list of statements at index N-1; each migration
// runs in one transaction. Append new migrations, never edit shipped ones.
const QList<QStringList> &schemaMigrations();

} // namespace mc
