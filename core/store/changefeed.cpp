#include "changefeed.h"

#include "clock.h"
#include "store.h"

#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcFeed, "mc.feed")

namespace mc {

ChangeFeed::ChangeFeed(QObject *parent)
    : QObject(parent)
    , m_connectionName(u"mc-feed-"_s + newId())
{
}

ChangeFeed::~ChangeFeed()
{
    stop();
}

bool ChangeFeed::start(const QSqlDatabase &storeConnection, const QString &selfId)
{
    if (storeConnection.driverName() != u"QPSQL"_s)
        return false;
    m_selfId = selfId;
    QSqlDatabase db = QSqlDatabase::cloneDatabase(storeConnection, m_connectionName);
    if (!db.open()) {
        qCWarning(lcFeed) << "cannot open the change listener's connection:" << db.lastError().text();
        return false;
    }
    const QString channel = QString::fromLatin1(Store::kChangeChannel);
    connect(db.driver(), &QSqlDriver::notification, this,
            [this, channel](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                qCDebug(lcFeed) << "notification on" << name;
                if (name != channel)
                    return;
                QStringList lines = payload.toString().split(u'\n', Qt::SkipEmptyParts);
                if (lines.isEmpty())
                    return;
                const QString from = lines.takeFirst();
                if (from != m_selfId)
                    Q_EMIT changed(from, lines);
            });
    if (!db.driver()->subscribeToNotification(channel)) {
        qCWarning(lcFeed) << "cannot listen for other instances' changes:" << db.driver()->lastError().text();
        return false;
    }
    return true;
}

void ChangeFeed::stop()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen()) {
            db.driver()->disconnect(this);
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

} // namespace mc
