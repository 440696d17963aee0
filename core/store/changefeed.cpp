#include "changefeed.h"

#include "clock.h"
#include "database.h"
#include "store.h"

#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcFeed, "mc.feed")

namespace mc {

ChangeFeed::ChangeFeed(QObject *parent)
    : QObject(parent)
    , m_connectionName(u"mc-feed-"_s + newId())
{
    m_check.setInterval(kCheckIntervalMs);
    connect(&m_check, &QTimer::timeout, this, &ChangeFeed::check);
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
    const QString channel = QString::fromLatin1(Store::kChangeChannel);
    // The driver stays the same over a reconnect: connected once.
    connect(db.driver(), &QSqlDriver::notification, this,
            [this, channel](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                qCDebug(lcFeed) << "notification on" << name;
                if (name != channel)
                    return;
                QStringList lines = payload.toString().split(u'\n', Qt::SkipEmptyParts);
                if (lines.isEmpty())
                    return;
                const QString from = lines.takeFirst();
                if (from == m_selfId)
                    return;
                // A run's start or end the catch-up after a reconnect already
                // announced is not announced twice.
                lines.removeIf([this](const QString &record) {
                    const QString kind = record.section(u' ', 0, 0);
                    const QString id = record.section(u' ', 1, 1);
                    return (kind == u"started"_s && m_openRuns.contains(id))
                            || (kind == u"ended"_s && m_endedRuns.contains(id));
                });
                heard(lines);
                if (!lines.isEmpty())
                    Q_EMIT changed(from, lines);
            });
    if (!listen(db))
        return false;
    m_check.start();
    return true;
}

bool ChangeFeed::listen(QSqlDatabase &db)
{
    if (!db.open()) {
        qCWarning(lcFeed) << "cannot open the change listener's connection:" << Database::openError(db);
        return false;
    }
    if (!db.driver()->subscribeToNotification(QString::fromLatin1(Store::kChangeChannel))) {
        qCWarning(lcFeed) << "cannot listen for other instances' changes:" << db.driver()->lastError().text();
        db.close();
        return false;
    }
    m_aliveUs = nowMicros();
    return true;
}

void ChangeFeed::check()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isValid())
        return;
    if (!m_lost) {
        QSqlQuery probe(db);
        if (db.isOpen() && probe.exec(u"SELECT 1"_s)) {
            m_aliveUs = nowMicros();
            return;
        }
        const QString why = probe.lastError().text().trimmed();
        qCWarning(lcFeed).noquote() << "the change listener's connection was lost, reconnecting:"
                                    << (why.isEmpty() ? u"no answer from the server"_s : why);
        m_lost = true;
    }
    const qint64 sinceUs = m_aliveUs - kCatchUpMarginUs;
    db.close();
    if (!listen(db))
        return;   // the next check tries again
    m_lost = false;
    const QStringList missed = missedRecords(db, sinceUs);
    qCInfo(lcFeed) << "listening again for other instances' changes;" << missed.size()
                   << "change(s) since shortly before the loss are announced again";
    if (!missed.isEmpty())
        Q_EMIT changed(QString(), missed);
}

void ChangeFeed::heard(const QStringList &records)
{
    for (const QString &record : records) {
        const QString kind = record.section(u' ', 0, 0);
        const QString id = record.section(u' ', 1, 1);
        if (kind == u"started"_s || kind == u"output"_s) {
            m_openRuns.insert(id);   // output of a run that started before this instance
        } else if (kind == u"ended"_s) {
            m_openRuns.remove(id);
            m_endedRuns.insert(id, nowMicros());
        }
    }
    const qint64 forgetBefore = nowMicros() - 2 * kCatchUpMarginUs;
    m_endedRuns.removeIf([forgetBefore](const auto &it) { return it.value() < forgetBefore; });
}

QStringList ChangeFeed::missedRecords(QSqlDatabase &db, qint64 sinceUs)
{
    const QString since = isoFromMicros(sinceUs);
    QStringList records;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    for (const QString &table : {u"agents"_s, u"tasks"_s}) {
        q.prepare(u"SELECT id FROM %1 WHERE updated_at >= ?"_s.arg(table));
        q.addBindValue(since);
        if (!q.exec()) {
            qCWarning(lcFeed) << "cannot read the changes missed while disconnected:" << q.lastError().text();
            return records;
        }
        const QString kind = table.chopped(1);   // "agent", "task"
        while (q.next())
            records.append(kind + u' ' + q.value(0).toString());
    }
    q.prepare(u"SELECT id, status FROM runs WHERE instance_id <> ? "
              "AND (status = 'running' OR started_at >= ? OR finished_at >= ?) ORDER BY started_at"_s);
    q.addBindValue(m_selfId);
    q.addBindValue(since);
    q.addBindValue(since);
    if (!q.exec()) {
        qCWarning(lcFeed) << "cannot read the runs missed while disconnected:" << q.lastError().text();
        return records;
    }
    QStringList runs;
    while (q.next()) {
        const QString run = q.value(0).toString();
        const bool running = q.value(1).toString() == u"running"_s;
        if (m_endedRuns.contains(run))
            continue;
        if (!m_openRuns.contains(run))
            runs.append(u"started "_s + run);
        runs.append((running ? u"output "_s : u"ended "_s) + run);
    }
    heard(runs);
    return records + runs;
}

void ChangeFeed::stop()
{
    m_check.stop();
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isValid() && db.driver())
            db.driver()->disconnect(this);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

} // namespace mc
