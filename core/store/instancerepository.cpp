#include "instancerepository.h"

#include "clock.h"
#include "store.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
QString leaseEnd(int leaseS)
{
    return isoFromMicros(nowMicros() + qint64(leaseS) * 1000000);
}
} // namespace

void InstanceRepository::enter(const Self &self, int leaseS)
{
    const QString now = nowIso();
    m_store.exec(u"INSERT INTO instances (id, host, pid, started_at, renewed_at, expires_at, max_concurrent, version) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET host = excluded.host, pid = excluded.pid, "
                 "started_at = excluded.started_at, renewed_at = excluded.renewed_at, expires_at = excluded.expires_at, "
                 "max_concurrent = excluded.max_concurrent, version = excluded.version"_s,
                 {self.id, self.host, self.pid, now, now, leaseEnd(leaseS), self.maxConcurrent, self.version});
}

bool InstanceRepository::renew(const QString &id, int leaseS)
{
    QSqlQuery &q = m_store.exec(u"UPDATE instances SET renewed_at = ?, expires_at = ? WHERE id = ?"_s,
                                {nowIso(), leaseEnd(leaseS), id});
    return q.numRowsAffected() > 0;
}

void InstanceRepository::leave(const QString &id)
{
    m_store.exec(u"DELETE FROM instances WHERE id = ?"_s, {id});
}

QJsonArray InstanceRepository::live(const QString &self)
{
    QJsonArray out;
    QSqlQuery &q = m_store.exec(u"SELECT id, host, pid, started_at, renewed_at, expires_at, max_concurrent, version "
                                "FROM instances WHERE expires_at > ? OR id = ? ORDER BY started_at, id"_s,
                                {nowIso(), self});
    while (q.next()) {
        out.append(QJsonObject{{u"id"_s, q.value(0).toString()},
                               {u"host"_s, q.value(1).toString()},
                               {u"pid"_s, q.value(2).toLongLong()},
                               {u"started_at"_s, q.value(3).toString()},
                               {u"renewed_at"_s, q.value(4).toString()},
                               {u"expires_at"_s, q.value(5).toString()},
                               {u"max_concurrent"_s, q.value(6).toInt()},
                               {u"version"_s, q.value(7).toString()}});
    }
    q.finish();
    return out;
}

QStringList InstanceRepository::takeExpired(const QString &self)
{
    QStringList ids;
    QSqlQuery &q = m_store.exec(u"SELECT id FROM instances WHERE expires_at < ? AND id <> ? ORDER BY id"_s
                                        + m_store.dialect().skipLocked(),
                                {nowIso(), self});
    while (q.next())
        ids.append(q.value(0).toString());
    q.finish();
    for (const QString &id : std::as_const(ids))
        leave(id);
    return ids;
}

} // namespace mc
