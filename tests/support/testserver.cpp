#include "testserver.h"

#include "httpapiserver.h"
#include "pgtesting.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace mc::test {

TestServer::TestServer(AppConfig config)
{
    if (config.dataDir.isEmpty())
        config.dataDir = m_dir.path();
    // Under tests/support/postgres-run.sh the same tests run on PostgreSQL: a
    // database per data folder, the same one again for a restart on it.
    if (config.databaseUrl.isEmpty() && postgresRequested())
        config.databaseUrl = postgresDatabase(postgresDatabaseName(QDir(config.dataDir).absolutePath()));
    config.port = 0;
    config.host = QHostAddress::LocalHost;
    m_app = std::make_unique<Application>(config);
    m_app->start();
}

TestServer::~TestServer()
{
    m_app->shutdown();
}

QString TestServer::token() const
{
    return QString::fromUtf8(m_app->token().value());
}

quint16 TestServer::port() const
{
    return m_app->server().port();
}

QString TestServer::dataDir() const
{
    return m_app->config().dataDir;
}

QString TestServer::base() const
{
    return u"http://127.0.0.1:%1"_s.arg(port());
}

} // namespace mc::test
