#pragma once

// The real main window over the real Application (store, engine, server on a
// free loopback port) in this process, with an HTTP client for the API: what
// the GUI does is checked through what the API answers.

#include "application.h"
#include "httpclient.h"
#include "mainwindow.h"
#include "testserver.h"
#include "uidriver.h"

#include <QTest>

#include <memory>

namespace mc::test {

class LiveWindow
{
protected:
    bool openWindow()
    {
        m_server = std::make_unique<TestServer>();
        m_http = std::make_unique<HttpClient>(m_server->base(), m_server->token());
        m_window = std::make_unique<MainWindow>(store(), executor(), QUrl(m_server->base()), m_server->token());
        m_window->show();
        return QTest::qWaitForWindowExposed(m_window.get());
    }
    void closeWindow()
    {
        cancelDialogDrivers();
        m_window.reset();
        m_http.reset();
        m_server.reset();
    }
    Store &store() { return m_server->app().store(); }
    Executor &executor() { return m_server->app().executor(); }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace mc::test
