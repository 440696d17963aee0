#pragma once

#include "serverlimits.h"

#include <QCommandLineParser>
#include <QHostAddress>
#include <QString>

namespace mc {

// Everything the command line decides.
struct AppConfig
{
    QString dataDir;
    QString databaseUrl;   // empty: the SQLite file in dataDir; else postgresql://...
    QHostAddress host = QHostAddress::LocalHost;
    quint16 port = 8000;
    int maxConcurrent = 5;
    int runTimeoutS = 3600;
    int idleTimeoutS = 600;
    int heartbeatIntervalS = 900;   // 0 = off
    int leaseSeconds = 15;          // an instance silent this long on a shared database is dead
    ServerLimits limits;
    bool headless = false;
    bool printToken = false;

    static QString defaultDataDir();
    static void addOptions(QCommandLineParser &parser);
    // Returns false (with a message) when an option value is invalid.
    bool read(const QCommandLineParser &parser, QString *error);
};

} // namespace mc
