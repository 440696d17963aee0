#pragma once

#include <QObject>
#include <QString>

class QSystemTrayIcon;

namespace mc {

// Tells the desktop that a run ended, even when the window is behind others:
// through the tray icon's balloon where there is a system tray, else through
// the freedesktop notification service (org.freedesktop.Notifications on the
// session D-Bus: GNOME, KDE, XFCE, ... show it without a tray).
class DesktopNotifier final : public QObject
{
    Q_OBJECT

public:
    enum class Route { None, Tray, DBus };

    DesktopNotifier(QSystemTrayIcon *tray, QObject *parent = nullptr);
    // Which way notify() goes; None when neither a tray nor the service is there.
    Route route() const;
    Route notify(const QString &summary, const QString &body, bool failure);

private:
    QSystemTrayIcon *m_tray;
};

} // namespace mc
