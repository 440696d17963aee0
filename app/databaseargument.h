#pragma once

#include <QString>

namespace mc {

// The PostgreSQL password must not show in `ps`: called first thing in main(),
// before Qt copies the command line, this overwrites the password of a
// `--database URL` argument in argv itself (with '*', so /proc/PID/cmdline
// keeps its shape) and takes MC_DATABASE_URL out of the environment (which
// agent processes would inherit), keeping both in this process's memory only.
void hideDatabasePassword(int argc, char **argv);

// The --database value as typed: `shown` is what Qt's parser read from the
// scrubbed argv; the password hidden from it is put back.
QString databaseUrlAsGiven(const QString &shown);
// MC_DATABASE_URL as it was at start (empty when unset).
QString databaseUrlFromEnvironment();

} // namespace mc
