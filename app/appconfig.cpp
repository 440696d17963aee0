#include "appconfig.h"

#include "settingsfile.h"

#include <QStandardPaths>

namespace mc {

QString AppConfig::defaultDataDir()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return dir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::HomeLocation) + u"/.mission-control"_qs
                         : dir;
}

void AppConfig::addOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"headless"_qs, u"Run without the GUI (no display needed)."_qs},
        {u"host"_qs, u"Address to bind (default 127.0.0.1; anything else exposes the API)."_qs, u"address"_qs,
         u"127.0.0.1"_qs},
        {u"port"_qs, u"Port for the API and WebSocket (default 8000; 0 = any free port)."_qs, u"port"_qs,
         u"8000"_qs},
        {u"data-dir"_qs, u"Where the database, token and project folders live."_qs, u"dir"_qs, defaultDataDir()},
        {u"max-concurrent"_qs, u"Tasks that may run at once (default 5)."_qs, u"n"_qs, u"5"_qs},
        {u"print-token"_qs, u"Print the API access token (creating it if needed) and exit."_qs},
        {u"max-body"_qs, u"Largest request body in bytes (default 1048576)."_qs, u"bytes"_qs, u"1048576"_qs},
        {u"idle-timeout"_qs, u"Seconds before an idle connection is closed (default 60)."_qs, u"s"_qs, u"60"_qs},
        {u"request-timeout"_qs, u"Seconds a started request may take to arrive (default 15)."_qs, u"s"_qs, u"15"_qs},
        {u"run-timeout"_qs, u"Default hard limit per run in seconds (default 3600)."_qs, u"s"_qs, u"3600"_qs},
        {u"run-idle-timeout"_qs, u"Default limit without agent output in seconds (default 600)."_qs, u"s"_qs, u"600"_qs},
    });
}

bool AppConfig::read(const QCommandLineParser &parser, QString *error)
{
    headless = parser.isSet(u"headless"_qs);
    printToken = parser.isSet(u"print-token"_qs);
    dataDir = parser.value(u"data-dir"_qs);
    // An option on the command line wins over the settings file, which wins over the default.
    const auto settings = openSettings();
    const auto valueOf = [&](const QString &name, const QString &settingsKey) {
        if (parser.isSet(name) || settingsKey.isEmpty() || !settings->contains(settingsKey))
            return parser.value(name);
        return settings->value(settingsKey).toString();
    };
    const auto number = [&](const QString &name, int min, int max, int *out) {
        bool ok = false;
        const QString key = name == u"port"_qs ? u"server/port"_qs
                : name == u"max-concurrent"_qs ? u"engine/max_concurrent"_qs
                                                : QString();
        const int v = valueOf(name, key).toInt(&ok);
        if (!ok || v < min || v > max) {
            *error = u"--%1 must be a whole number from %2 to %3"_qs.arg(name).arg(min).arg(max);
            return false;
        }
        *out = v;
        return true;
    };
    int portValue = 0, bodyBytes = 0, idleS = 0, requestS = 0;
    if (!number(u"port"_qs, 0, 65535, &portValue) || !number(u"max-concurrent"_qs, 1, 64, &maxConcurrent)
        || !number(u"max-body"_qs, 1024, 256 * 1024 * 1024, &bodyBytes)
        || !number(u"idle-timeout"_qs, 1, 86400, &idleS) || !number(u"request-timeout"_qs, 1, 3600, &requestS)
        || !number(u"run-timeout"_qs, 1, 7 * 86400, &runTimeoutS)
        || !number(u"run-idle-timeout"_qs, 1, 7 * 86400, &idleTimeoutS))
        return false;
    port = quint16(portValue);
    limits.maxBodyBytes = bodyBytes;
    limits.idleTimeoutMs = idleS * 1000;
    limits.requestTimeoutMs = requestS * 1000;
    const QString hostText = valueOf(u"host"_qs, u"server/host"_qs);
    if (hostText == u"localhost"_qs) {
        host = QHostAddress::LocalHost;
    } else if (!host.setAddress(hostText)) {
        *error = u"--host must be an IP address, e.g. 127.0.0.1"_qs;
        return false;
    }
    return true;
}

} // namespace mc
