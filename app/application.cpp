#include "application.h"

#include "apierror.h"
#include "backendregistry.h"
#include "changefeed.h"
#include "datafolder.h"
#include "dispatcher.h"
#include "executor.h"
#include "heartbeat.h"
#include "httpapiserver.h"
#include "instanceid.h"
#include "instancelease.h"
#include "remoterelay.h"
#include "router.h"
#include "runroutes.h"
#include "store.h"
#include "storeroutes.h"
#include "websockethub.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSysInfo>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcApp, "mc.app")

namespace mc {

Application::Application(AppConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

Application::~Application()
{
    shutdown();
}

QUrl Application::url() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(m_config.host.toString());
    url.setPort(m_server ? m_server->port() : m_config.port);
    return url;
}

void Application::start()
{
    QString folderError;
    if (!secureDataFolder(m_config.dataDir, &folderError))
        throw StoreError(folderError);
    m_token = AccessToken::loadOrCreate(m_config.dataDir);
    const QString instanceId = loadOrCreateInstanceId(m_config.dataDir, &folderError);
    if (instanceId.isEmpty())
        throw StoreError(folderError);
    setThisInstanceId(instanceId);
    m_store = std::make_unique<Store>();
    m_store->open(StoreLocation{m_config.dataDir, m_config.databaseUrl});
    m_executor = std::make_unique<Executor>(*m_store, m_config.maxConcurrent);
    m_executor->setDefaultTimeouts(m_config.runTimeoutS, m_config.idleTimeoutS);
    m_executor->setSecrets({QString::fromUtf8(m_token.value())});
    m_lease = std::make_unique<InstanceLease>(
            *m_store, *m_executor,
            InstanceRepository::Self{instanceId, QSysInfo::machineHostName(), QCoreApplication::applicationPid(),
                                     m_config.maxConcurrent, QStringLiteral(MC_VERSION)},
            m_config.leaseSeconds);
    const int recovered = m_lease->enter();
    if (recovered > 0)
        qCInfo(lcApp) << recovered << "run(s) interrupted by the last shutdown are marked interrupted";
    m_dispatcher = std::make_unique<Dispatcher>(*m_store, *m_executor);
    m_heartbeat = std::make_unique<Heartbeat>(*m_store, *m_executor, *m_dispatcher);

    m_router = std::make_unique<Router>();
    registerRunRoutes(*m_router, *m_store, *m_executor, m_dispatcher.get());   // /tasks/running before /tasks/{id}
    registerQueueRoutes(*m_router, *m_store, *m_dispatcher);
    registerStoreRoutes(*m_router, *m_store, &backends::validateConfig);
    registerSystemRoutes(*m_router, *m_executor, QStringLiteral(MC_VERSION),
                         [lease = m_lease.get()] { return QJsonObject{{u"instance_id"_s, lease->id()},
                                                                      {u"instances"_s, lease->live()}}; });

    m_hub = std::make_unique<WebSocketHub>(m_config.limits);
    m_server = std::make_unique<HttpApiServer>(*m_router, m_token, *m_hub, m_config.limits);
    wireEvents();
    // Other instances sharing the database: their changes, announced here.
    m_feed = std::make_unique<ChangeFeed>();
    m_relay = std::make_unique<RemoteRelay>(*m_store, *m_executor);
    connect(m_feed.get(), &ChangeFeed::changed, m_relay.get(),
            [relay = m_relay.get()](const QString &, const QStringList &records) { relay->apply(records); });
    // Without it this instance's clients would silently miss the others' work.
    if (m_store->isShared() && !m_feed->start(m_store->connection(), instanceId))
        throw StoreError(u"Cannot listen for the changes of other instances on the shared database "
                         "(LISTEN failed; see the log above)."_s);
    QString error;
    if (!m_server->start(m_config.host, m_config.port, &error))
        throw StoreError(error + u". Is another Mission Control running? Choose another --port."_s);
    // What was queued before (and requeued by the recovery) starts now.
    m_heartbeat->start(m_config.heartbeatIntervalS);
    m_lease->start();
    m_dispatcher->schedule();
}

void Application::wireEvents()
{
    WebSocketHub *hub = m_hub.get();
    connect(m_store.get(), &Store::activityCreated, hub, [hub](const QJsonObject &activity) {
        hub->broadcast(u"mc_activity_created"_s, {{u"activity"_s, activity}});
    });
    connect(m_executor.get(), &Executor::taskStarted, hub,
            [hub](const QJsonObject &data) { hub->broadcast(u"mc_task_started"_s, data); });
    connect(m_executor.get(), &Executor::taskOutput, hub,
            [hub](const OutputChunk &chunk) { hub->broadcastOutput(chunk); });
    connect(m_executor.get(), &Executor::taskCompleted, hub,
            [hub](const QJsonObject &data) { hub->broadcast(u"mc_task_completed"_s, data); });
    connect(m_store.get(), &Store::taskQueued, hub,
            [hub](const QJsonObject &data) { hub->broadcast(u"mc_task_queued"_s, data); });
    connect(m_store.get(), &Store::taskDequeued, hub, [hub](const QString &taskId, const QString &reason) {
        hub->broadcast(u"mc_task_dequeued"_s, {{u"task_id"_s, taskId}, {u"reason"_s, reason}});
    });
    Executor *executor = m_executor.get();
    hub->setReplayProvider([executor](const QString &taskId, const QString &runId, qint64 afterSeq, qsizetype maxChunks) {
        return executor->replay(taskId, runId, afterSeq, maxChunks);
    });
}

void Application::shutdown()
{
    if (m_shutDown || !m_store)
        return;
    m_shutDown = true;
    if (m_server)
        m_server->stop();
    m_heartbeat.reset();
    m_dispatcher.reset();   // nothing starts while the runs are stopped
    m_feed.reset();
    m_relay.reset();
    if (m_executor)
        m_executor->shutdown();
    if (m_lease)
        m_lease->leave();
    m_lease.reset();
    if (m_hub)
        m_hub->closeAll();
    m_server.reset();
    m_hub.reset();
    m_executor.reset();
    m_store->close();
}

} // namespace mc
