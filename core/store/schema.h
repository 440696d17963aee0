#pragma once

#include "dialect.h"

#include <QList>
#include <QStringList>

namespace mc {

// Migration N (1-based) is the list of statements at index N-1; each migration
// runs in one transaction. Append new migrations, never edit shipped ones.
// Written once, in the words of each engine (see Dialect::translate).
const QList<QStringList> &schemaMigrations(const Dialect &dialect = Dialect(Engine::Sqlite));

} // namespace mc
