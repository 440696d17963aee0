#include "appconfig.h"

#include "databaseargument.h"
#include "databaseurl.h"
#include "settingsfile.h"

#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace mc {

QString AppConfig::defaultDataDir()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return dir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::HomeLocation) + u"/.mission-control"_s
                         : dir;
}

void AppConfig::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"headless"_s, u"Run without the GUI (no display needed)."_s},
        {u"host"_s, u"Address to bind (default 127.0.0.1; anything else exposes the API)."_s, u"address"_s,
         u"127.0.0.1"_s},
        {u"port"_s, u"Port for the API and WebSocket (default 8000; 0 = any free port)."_s, u"port"_s,
         u"8000"_s},
        {u"data-dir"_s, u"Where the database, token and project folders live."_s, u"dir"_s, defaultDataDir()},
        {u"database"_s,
         u"postgresql://user@host:port/db?sslmode=... to share one PostgreSQL database between instances "
         "(default: a SQLite file in the data folder; also MC_DATABASE_URL). Keep the password in PGPASSFILE."_s,
         u"url"_s},
        {u"max-concurrent"_s, u"Tasks that may run at once (default 5)."_s, u"n"_s, u"5"_s},
        {u"print-token"_s, u"Print the API access token (creating it if needed) and exit."_s},
        {u"max-body"_s, u"Largest request body in bytes (default 1048576)."_s, u"bytes"_s, u"1048576"_s},
        {u"idle-timeout"_s, u"Seconds before an idle connection is closed (default 60)."_s, u"s"_s, u"60"_s},
        {u"request-timeout"_s, u"Seconds a started request may take to arrive (default 15)."_s, u"s"_s, u"15"_s},
        {u"run-timeout"_s, u"Default hard limit per run in seconds (default 3600)."_s, u"s"_s, u"3600"_s},
        {u"run-idle-timeout"_s, u"Default limit without agent output in seconds (default 600)."_s, u"s"_s, u"600"_s},
        {u"heartbeat-interval"_s,
         u"Seconds between agent heartbeats, which also queue ready auto-run tasks (default 900; 0 = off)."_s, u"s"_s,
         u"900"_s},
        {u"lease-seconds"_s,
         u"With a shared database: seconds after which an instance that stopped renewing its lease is taken "
         "for dead and its runs are marked interrupted (default 15; renewed every third of it)."_s,
         u"s"_s, u"15"_s},
    });
}

bool AppConfig::read(const QCommandLineParser &parser, QString *error)
{
    headless = parser.isSet(u"headless"_s);
    printToken = parser.isSet(u"print-token"_s);
    dataDir = parser.value(u"data-dir"_s);
    // An option on the command line wins over the settings file, which wins over the default.
    const auto settings = openSettings();
    const auto valueOf = [&](const QString &name, const QString &settingsKey) {
        if (parser.isSet(name) || settingsKey.isEmpty() || !settings->contains(settingsKey))
            return parser.value(name);
        return settings->value(settingsKey).toString();
    };
    const auto number = [&](const QString &name, int min, int max, int *out) {
        bool ok = false;
        const QString key = name == u"port"_s ? u"server/port"_s
                : name == u"max-concurrent"_s ? u"engine/max_concurrent"_s
                                                : QString();
        const int v = valueOf(name, key).toInt(&ok);
        if (!ok || v < min || v > max) {
            *error = u"--%1 must be a whole number from %2 to %3"_s.arg(name).arg(min).arg(max);
            return false;
        }
        *out = v;
        return true;
    };
    int portValue = 0, bodyBytes = 0, idleS = 0, requestS = 0;
    if (!number(u"port"_s, 0, 65535, &portValue) || !number(u"max-concurrent"_s, 1, 64, &maxConcurrent)
        || !number(u"max-body"_s, 1024, 256 * 1024 * 1024, &bodyBytes)
        || !number(u"idle-timeout"_s, 1, 86400, &idleS) || !number(u"request-timeout"_s, 1, 3600, &requestS)
        || !number(u"run-timeout"_s, 1, 7 * 86400, &runTimeoutS)
        || !number(u"run-idle-timeout"_s, 1, 7 * 86400, &idleTimeoutS)
        || !number(u"heartbeat-interval"_s, 0, 7 * 86400, &heartbeatIntervalS)
        || !number(u"lease-seconds"_s, 1, 3600, &leaseSeconds))
        return false;
    port = quint16(portValue);
    limits.maxBodyBytes = bodyBytes;
    limits.idleTimeoutMs = idleS * 1000;
    limits.requestTimeoutMs = requestS * 1000;
    if (parser.isSet(u"database"_s))
        databaseUrl = databaseUrlAsGiven(parser.value(u"database"_s));
    else if (const QString fromEnvironment = databaseUrlFromEnvironment(); !fromEnvironment.isEmpty())
        databaseUrl = fromEnvironment;
    else
        databaseUrl = settings->value(QString::fromLatin1(DatabaseUrl::settingsKey)).toString();
    if (!databaseUrl.isEmpty()) {
        DatabaseUrl parsed;
        if (!DatabaseUrl::parse(databaseUrl, &parsed, error))
            return false;
    }
    const QString hostText = valueOf(u"host"_s, u"server/host"_s);
    if (hostText == u"localhost"_s) {
        host = QHostAddress::LocalHost;
    } else if (!host.setAddress(hostText)) {
        *error = u"--host must be an IP address, e.g. 127.0.0.1"_s;
        return false;
    }
    return true;
}

} // namespace mc
