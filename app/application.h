#pragma once

#include "accesstoken.h"
#include "appconfig.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace mc {

class Dispatcher;
class Executor;
class ChangeFeed;
class Heartbeat;
class InstanceLease;
class RemoteRelay;
class HttpApiServer;
class Router;
class Store;
class WebSocketHub;

// The one place the core objects are created and wired: store -> executor ->
// routes -> HTTP server + WebSocket hub. No widgets; the GUI attaches to it.
class Application final : public QObject
{
    Q_OBJECT

public:
    explicit Application(AppConfig config, QObject *parent = nullptr);
    ~Application() override;

    // Opens the store, recovers interrupted runs, listens. Throws StoreError
    // (with a message for the user) on failure.
    void start();
    // Stop accepting, stop runs, close sockets, flush the store. Idempotent.
    void shutdown();

    Store &store() { return *m_store; }
    Executor &executor() { return *m_executor; }
    Dispatcher &dispatcher() { return *m_dispatcher; }
    WebSocketHub &hub() { return *m_hub; }
    HttpApiServer &server() { return *m_server; }
    const Router &router() const { return *m_router; }
    const AccessToken &token() const { return m_token; }
    const AppConfig &config() const { return m_config; }
    QUrl url() const;

private:
    void wireEvents();

    AppConfig m_config;
    AccessToken m_token;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Executor> m_executor;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<Heartbeat> m_heartbeat;
    std::unique_ptr<InstanceLease> m_lease;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<RemoteRelay> m_relay;
    std::unique_ptr<Router> m_router;
    std::unique_ptr<WebSocketHub> m_hub;
    std::unique_ptr<HttpApiServer> m_server;
    bool m_shutDown = false;
};

} // namespace mc
