#pragma once

#include <QString>

namespace mc::test {

// PostgreSQL for tests, from the server tests/support/postgres-run.sh starts
// (it exports MC_TEST_DATABASE_URL, the maintenance database's URL).
//
// Whether this test process runs against PostgreSQL.
bool postgresRequested();
// The URL of the database named `name` on that server, created empty if it
// does not exist yet (the same name again: the same database, e.g. for a
// restart or for several instances sharing one board). Throws StoreError.
QString postgresDatabase(const QString &name);
// A database name (a-z0-9_) that is the same for the same key, e.g. a data folder.
QString postgresDatabaseName(const QString &key);

} // namespace mc::test
