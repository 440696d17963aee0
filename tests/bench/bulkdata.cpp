#include "bulkdata.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <QUuid>

namespace {

QString uuid()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool exec(QSqlQuery &q, QString *error)
{
    if (q.exec())
        return true;
    *error = q.lastError().text();
    return false;
}

} // namespace

QString BulkData::fillTo(const QString &databasePath, int total, const QStringList &agentIds)
{
    static const QStringList statuses{QStringLiteral("inbox"),  QStringLiteral("assigned"), QStringLiteral("in_progress"),
                                      QStringLiteral("review"), QStringLiteral("done"),     QStringLiteral("blocked")};
    const QString name = QStringLiteral("bulk");
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(databasePath);
        if (!db.open())
            return db.lastError().text();
        QSqlQuery pragma(db);
        pragma.exec(QStringLiteral("PRAGMA synchronous=OFF"));
        pragma.exec(QStringLiteral("PRAGMA cache_size=-262144"));
        db.transaction();
        QSqlQuery task(db), tag(db), assignee(db), activity(db);
        task.prepare(QStringLiteral(
                "INSERT INTO tasks(id, title, description, status, priority, assignee_ids, tags, created_at, updated_at, task_type) "
                "VALUES(?, ?, '', ?, 'medium', ?, ?, ?, ?, 'agent')"));
        tag.prepare(QStringLiteral("INSERT INTO task_tags(task_id, tag) VALUES(?, ?)"));
        assignee.prepare(QStringLiteral("INSERT INTO task_assignees(task_id, agent_id) VALUES(?, ?)"));
        activity.prepare(QStringLiteral("INSERT INTO activities(id, type, message, task_id, created_at) VALUES(?, 'task_created', ?, ?, ?)"));
        // A task a millisecond, ending a little before now: API writes made later sort first.
        const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-30);
        for (int i = m_added; i < total && error.isEmpty(); ++i) {
            const QString id = uuid();
            const QString title = QStringLiteral("bulk task %1").arg(i);
            const QString at = start.addMSecs(i).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("000+00:00");
            QStringList tags{rareTag(i)};
            if (i % 10 == 0)
                tags.append(commonTag());
            const QString agent = i % 2 == 0 && !agentIds.isEmpty() ? agentIds.at((i / 2) % agentIds.size()) : QString();
            task.addBindValue(id);
            task.addBindValue(title);
            task.addBindValue(statuses.at(i % statuses.size()));
            task.addBindValue(agent.isEmpty() ? QStringLiteral("[]") : QStringLiteral("[\"%1\"]").arg(agent));
            task.addBindValue(QString(QStringLiteral("[\"") + tags.join(QStringLiteral("\",\"")) + QStringLiteral("\"]")));
            task.addBindValue(at);
            task.addBindValue(at);
            if (!exec(task, &error))
                break;
            for (const QString &t : tags) {
                tag.addBindValue(id);
                tag.addBindValue(t);
                exec(tag, &error);
            }
            if (!agent.isEmpty()) {
                assignee.addBindValue(id);
                assignee.addBindValue(agent);
                exec(assignee, &error);
            }
            activity.addBindValue(uuid());
            activity.addBindValue(QString(QStringLiteral("Created task: ") + title));
            activity.addBindValue(id);
            activity.addBindValue(at);
            exec(activity, &error);
            ++m_added;
        }
        if (error.isEmpty())
            db.commit();
        else
            db.rollback();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}
