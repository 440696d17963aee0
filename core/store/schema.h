#pragma once

#include "dialect.h"

#include <QList>
#include <QStringList>

namespace mc {

// Migration N (1-based) is the list of statements at index N-1; each migration
// runs in one transaction. Append new migrations, never edit shipped ones.
// Written once, in the words of each engine (see Dialect::translate).
// Takes the engine by value: a temporary Dialect argument would make GCC 14
// warn of a dangling reference at every call.
const QList<QStringList> &schemaMigrations(Engine engine = Engine::Sqlite);

} // namespace mc
