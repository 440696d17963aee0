// Where there is no system tray, a run's end reaches the desktop through
// org.freedesktop.Notifications on the session D-Bus. The peer here is a real
// D-Bus service on a private session bus (ctest starts the test under
// dbus-run-session), registered on a connection of its own.

#include "desktopnotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QSystemTrayIcon>
#include <QTest>
#include <QVariantMap>

using namespace Qt::StringLiterals;
using namespace mc;

// The notification server's side of the specification: records each Notify call.
class FakeNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Call
    {
        QString appName, icon, summary, body;
        QVariantMap hints;
        int timeout = 0;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &icon, const QString &summary,
                const QString &body, const QStringList &actions, const QVariantMap &hints, int timeout)
    {
        Q_UNUSED(replacesId);
        Q_UNUSED(actions);
        calls.append({appName, icon, summary, body, hints, timeout});
        return uint(calls.size());
    }
    QStringList GetCapabilities() { return {u"body"_s}; }
};

class TestNotifications : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void notifiesOverDBusWithoutTray()
    {
        if (!QDBusConnection::sessionBus().isConnected())
            QSKIP("no session D-Bus (run under dbus-run-session, as ctest does)");
        DesktopNotifier notifier(nullptr);
        // No tray and no notification service yet: nothing to send to.
        QCOMPARE(notifier.route(), DesktopNotifier::Route::None);

        QDBusConnection server = QDBusConnection::connectToBus(QDBusConnection::SessionBus, u"fake-notifications"_s);
        QVERIFY(server.isConnected());
        FakeNotificationServer fake;
        QVERIFY(server.registerObject(u"/org/freedesktop/Notifications"_s, &fake, QDBusConnection::ExportAllSlots));
        QVERIFY(server.registerService(u"org.freedesktop.Notifications"_s));
        QTRY_COMPARE(notifier.route(), DesktopNotifier::Route::DBus);

        QCOMPARE(notifier.notify(u"Task failed"_s, u"Parse input\nAgent exited with code 3"_s, true),
                 DesktopNotifier::Route::DBus);
        QTRY_COMPARE(fake.calls.size(), 1);
        const FakeNotificationServer::Call call = fake.calls.first();
        QCOMPARE(call.appName, u"Mission Control"_s);
        QCOMPARE(call.summary, u"Task failed"_s);
        QCOMPARE(call.body, u"Parse input\nAgent exited with code 3"_s);
        QCOMPARE(call.hints.value(u"urgency"_s).toInt(), 2);   // critical
        notifier.notify(u"Task completed"_s, u"Report"_s, false);
        QTRY_COMPARE(fake.calls.size(), 2);
        QCOMPARE(fake.calls.at(1).hints.value(u"urgency"_s).toInt(), 1);

        server.unregisterService(u"org.freedesktop.Notifications"_s);
        QDBusConnection::disconnectFromBus(u"fake-notifications"_s);
    }
};

QTEST_MAIN(TestNotifications)
#include "tst_notifications.moc"
