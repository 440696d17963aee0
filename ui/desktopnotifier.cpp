#include "desktopnotifier.h"

#include <QSystemTrayIcon>
#include <QVariantMap>

#ifdef MC_HAVE_DBUS
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#endif

using namespace Qt::StringLiterals;

namespace mc {

namespace {
#ifdef MC_HAVE_DBUS
const QString kService = u"org.freedesktop.Notifications"_s;

bool notificationServiceAvailable()
{
    const QDBusConnection bus = QDBusConnection::sessionBus();
    return bus.isConnected() && bus.interface() && bus.interface()->isServiceRegistered(kService).value();
}
#endif
} // namespace

DesktopNotifier::DesktopNotifier(QSystemTrayIcon *tray, QObject *parent)
    : QObject(parent)
    , m_tray(tray)
{
}

DesktopNotifier::Route DesktopNotifier::route() const
{
    if (m_tray && m_tray->isVisible())
        return Route::Tray;
#ifdef MC_HAVE_DBUS
    if (notificationServiceAvailable())
        return Route::DBus;
#endif
    return Route::None;
}

DesktopNotifier::Route DesktopNotifier::notify(const QString &summary, const QString &body, bool failure)
{
    const Route how = route();
    if (how == Route::Tray) {
        m_tray->showMessage(summary, body, failure ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information,
                            failure ? 8000 : 5000);
    }
#ifdef MC_HAVE_DBUS
    if (how == Route::DBus) {
        // Desktop Notifications Specification 1.2: Notify(app_name, replaces_id,
        // app_icon, summary, body, actions, hints, expire_timeout). Not waited for.
        QDBusMessage call = QDBusMessage::createMethodCall(kService, u"/org/freedesktop/Notifications"_s, kService,
                                                           u"Notify"_s);
        const QVariantMap hints{{u"urgency"_s, QVariant::fromValue(uchar(failure ? 2 : 1))},
                                {u"desktop-entry"_s, u"mission-control"_s}};
        call << u"Mission Control"_s << uint(0) << u"mission-control"_s << summary << body << QStringList() << hints
             << int(failure ? 8000 : 5000);
        QDBusConnection::sessionBus().call(call, QDBus::NoBlock);
    }
#endif
    return how;
}

} // namespace mc
