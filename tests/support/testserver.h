#pragma once

#include "application.h"

#include <QTemporaryDir>

#include <memory>

namespace mc::test {

// The real Application (store, engine, routes, server) in this process, on a
// free port, in a temporary data dir unless config.dataDir names one (a
// restart on the same data).
class TestServer
{
public:
    explicit TestServer(AppConfig config = {});
    ~TestServer();

    Application &app() { return *m_app; }
    QString token() const;
    quint16 port() const;
    QString base() const;            // http://127.0.0.1:PORT
    QString dataDir() const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Application> m_app;
};

} // namespace mc::test
