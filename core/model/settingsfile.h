#pragma once

#include <QSettings>

#include <memory>

namespace mc {

// The user's settings file (~/.config/mission-control/settings.ini, or the file
// MISSION_CONTROL_SETTINGS names): server defaults, backend defaults, API keys.
// Kept owner-only because it may hold keys.
QString settingsPath();
std::unique_ptr<QSettings> openSettings();
void restrictSettingsFile();

} // namespace mc
