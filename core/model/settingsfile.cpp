#include "settingsfile.h"

#include <QFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace mc {

QString settingsPath()
{
    const QString fromEnv = qEnvironmentVariable("MISSION_CONTROL_SETTINGS");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + u"/mission-control/settings.ini"_s;
}

std::unique_ptr<QSettings> openSettings()
{
    return std::make_unique<QSettings>(settingsPath(), QSettings::IniFormat);
}

void restrictSettingsFile()
{
    QFile::setPermissions(settingsPath(), QFile::ReadOwner | QFile::WriteOwner);
}

} // namespace mc
