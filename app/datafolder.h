#pragma once

#include <QString>

namespace mc {

// The data folder holds every task, output and the access token: it is made
// owner-only (0700) and the database is created 0600 before SQLite opens it,
// so the WAL and shared-memory files SQLite creates (with the database's
// mode) are owner-only too. Existing files are tightened. False + message on failure.
bool secureDataFolder(const QString &dataDir, QString *error);

// This instance's id (instanceid.h), kept in the data folder so that a
// restarted instance knows its own runs; created on first use. Empty + message on failure.
QString loadOrCreateInstanceId(const QString &dataDir, QString *error);

// The database file's name inside the data folder.
QString databaseFileName();

} // namespace mc
