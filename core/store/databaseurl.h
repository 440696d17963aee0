#pragma once

#include <QString>
#include <QStringList>

namespace mc {

// A PostgreSQL connection string, postgresql://user:password@host:port/db?option=value.
// The password is kept apart and never appears in redacted() or in errors.
struct DatabaseUrl
{
    QString host;            // empty: libpq's default (a unix socket), or ?host=
    int port = -1;           // -1: libpq's default (5432)
    QString user;
    QString password;        // empty: libpq reads PGPASSWORD / PGPASSFILE itself
    QString database;
    QStringList options;     // every query option, as key='value' for QPSQL's connect options

    // Where the settings file keeps the URL (the Settings dialog, AppConfig).
    static constexpr auto settingsKey = "store/database_url";
    // Returns false with a message (which never contains the password) for a bad URL.
    static bool parse(const QString &text, DatabaseUrl *out, QString *error);
    // The same URL without its password, for messages and logs.
    static QString redacted(const QString &text);

    QString connectOptions() const { return options.join(u';'); }
    QString describe() const;   // user@host:port/db, for messages
};

} // namespace mc
