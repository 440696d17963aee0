#include "reportbuilder.h"

#include "enums.h"
#include "runrepository.h"

#include <QDate>
#include <QHash>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mc {

QJsonObject ReportBuilder::byStatus(const QString &table, const QStringList &values, qint64 *total)
{
    QJsonObject counts;
    for (const QString &v : values)
        counts.insert(v, 0);
    *total = 0;
    QSqlQuery &q = m_store.exec(u"SELECT status, COUNT(*) FROM %1 GROUP BY status"_s.arg(table));
    while (q.next()) {
        const qint64 n = q.value(1).toLongLong();
        counts.insert(q.value(0).toString(), n);
        *total += n;
    }
    q.finish();
    return counts;
}

QJsonObject ReportBuilder::stats()
{
    qint64 agents = 0, projects = 0;
    const QJsonObject agentStatus = byStatus(u"agents"_s, enums::agentStatuses(), &agents);
    const QJsonObject projectStatus = byStatus(u"projects"_s, enums::projectStatuses(), &projects);
    // Tasks, messages, activities, documents and notifications grow without
    // bound: their counts are kept by triggers (schema version 4), not scanned.
    QHash<QString, qint64> counters;
    // Only the rows shown: per-tag and per-assignee counters grow with the data.
    QSqlQuery &q = m_store.exec(u"SELECT name, n FROM counters WHERE (name >= 'status:' AND name < 'status;') "
                                "OR name IN ('messages', 'activities', 'documents', 'notifications', 'delivered:0', 'read:0')"_s);
    while (q.next())
        counters.insert(q.value(0).toString(), q.value(1).toLongLong());
    q.finish();
    qint64 tasks = 0;
    QJsonObject taskStatus;
    for (const QString &status : enums::taskStatuses())
        taskStatus.insert(status, 0);
    for (auto it = counters.cbegin(); it != counters.cend(); ++it) {
        if (it.key().startsWith(u"status:"_s) && it.value() != 0) {
            taskStatus.insert(it.key().mid(7), it.value());
            tasks += it.value();
        }
    }
    const QJsonObject usage = m_store.runs().usageTotals();
    return {
        {u"agents"_s, QJsonObject{{u"total"_s, agents}, {u"by_status"_s, agentStatus}}},
        {u"tasks"_s, QJsonObject{{u"total"_s, tasks}, {u"by_status"_s, taskStatus}}},
        {u"messages"_s, QJsonObject{{u"total"_s, counters.value(u"messages"_s)}}},
        {u"activities"_s, QJsonObject{{u"total"_s, counters.value(u"activities"_s)}}},
        {u"documents"_s, QJsonObject{{u"total"_s, counters.value(u"documents"_s)}}},
        {u"notifications"_s,
         QJsonObject{{u"total"_s, counters.value(u"notifications"_s)},
                     {u"undelivered"_s, counters.value(u"delivered:0"_s)},
                     {u"unread"_s, counters.value(u"read:0"_s)}}},
        {u"projects"_s, QJsonObject{{u"total"_s, projects}, {u"by_status"_s, projectStatus}}},
        {u"usage"_s, usage},
    };
}

QString ReportBuilder::standup()
{
    QString md = u"# Daily Standup — %1\n"_s.arg(QDate::currentDate().toString(Qt::ISODate));
    const QList<QJsonObject> agents = m_store.fetchMany(agentTable(), u"ORDER BY "_s + m_store.dialect().caseInsensitive(u"name"_s), {});
    QHash<QString, QString> names;
    for (const QJsonObject &a : agents)
        names.insert(a.value(u"id"_s).toString(), a.value(u"name"_s).toString());
    // "- <title> (<Agent A>, <Agent B>)" as PocketPaw writes it; Blocked lists titles only.
    const auto section = [&](const QString &heading, const QString &status, bool withAssignees) {
        const QList<QJsonObject> tasks = m_store.fetchMany(
                taskTable(), u"WHERE status = ? ORDER BY updated_at DESC LIMIT 50"_s, {status});
        if (tasks.isEmpty())
            return;
        md += u"\n## "_s + heading + u"\n"_s;
        for (const QJsonObject &t : tasks) {
            md += u"- "_s + t.value(u"title"_s).toString();
            if (withAssignees) {
                QStringList assignees;
                for (const QJsonValue &id : t.value(u"assignee_ids"_s).toArray()) {
                    if (names.contains(id.toString()))
                        assignees.append(names.value(id.toString()));
                }
                md += u" ("_s + (assignees.isEmpty() ? u"Unassigned"_s : assignees.join(u", "_s)) + u')';
            }
            md += u'\n';
        }
    };
    section(u"Completed"_s, u"done"_s, true);
    section(u"In Progress"_s, u"in_progress"_s, true);
    section(u"Blocked"_s, u"blocked"_s, false);
    if (!agents.isEmpty()) {
        md += u"\n## Team Status\n"_s;
        for (const QJsonObject &a : agents) {
            md += u"- **%1** (%2): %3\n"_s.arg(a.value(u"name"_s).toString(), a.value(u"role"_s).toString(),
                                               a.value(u"status"_s).toString());
        }
    }
    return md;
}

} // namespace mc
