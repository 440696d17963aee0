#pragma once

// The real main window over the real in-process server, with a settings file
// of its own (view choice, first-start guide) for the UI tests of issue 16, or
// on the test environment's settings file (tst_mainwindow, tst_runresults).

#include "httpclient.h"
#include "mainwindow.h"
#include "store.h"
#include "testserver.h"

#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

namespace mc::test {

class WindowFixture
{
public:
    // A fresh settings file: as on a first start.
    void start()
    {
        m_settings = std::make_unique<QTemporaryDir>();
        qputenv("MISSION_CONTROL_SETTINGS", m_settings->filePath(QStringLiteral("settings.ini")).toUtf8());
        startOnTestSettings();
    }
    // The settings file MISSION_CONTROL_SETTINGS names (tests/CMakeLists.txt):
    // what the window remembered in the program's earlier test functions stays.
    void startOnTestSettings()
    {
        m_server = std::make_unique<TestServer>();
        m_http = std::make_unique<HttpClient>(m_server->base(), m_server->token());
        open();
    }
    // A new window on the same settings and data (a restart of the window).
    void open()
    {
        m_window.reset();
        m_window = std::make_unique<MainWindow>(store(), m_server->app().executor(), QUrl(m_server->base()),
                                                m_server->token());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }
    void stop()
    {
        m_window.reset();
        m_http.reset();
        m_server.reset();
        m_settings.reset();
    }
    MainWindow &window() { return *m_window; }
    Store &store() { return m_server->app().store(); }
    Executor &executor() { return m_server->app().executor(); }
    HttpClient &http() { return *m_http; }
    QString base() const { return m_server->base(); }
    QLabel *label(const QString &objectName) const { return m_window->findChild<QLabel *>(objectName); }

    // Saves `widget` (the whole window by default) as build/screenshots/<name>.png.
    static QString saveScreenshot(QWidget *widget, const QString &name)
    {
        QString dir = qEnvironmentVariable("MC_SCREENSHOTS");
        if (dir.isEmpty())
            dir = QDir::tempPath() + QStringLiteral("/mc-screenshots");
        QDir().mkpath(dir);
        const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".png");
        if (!widget->grab().save(path))
            return {};
        qInfo() << "screenshot saved to" << path;
        return path;
    }

private:
    std::unique_ptr<QTemporaryDir> m_settings;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<MainWindow> m_window;
};

// Runs `interact` on the next modal dialog, then accepts it.
inline void onNextDialog(const std::function<void(QDialog *)> &interact)
{
    QTimer::singleShot(50, [interact] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        interact(dialog);
        QMetaObject::invokeMethod(dialog, "accept", Qt::QueuedConnection);
    });
}

} // namespace mc::test
