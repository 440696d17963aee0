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
    QSqlQuery &q = m_store.exec(u"SELECT status, COUNT(*) FROM %1 GROUP BY status"_qs.arg(table));
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
    qint64 agents = 0, tasks = 0, projects = 0;
    const QJsonObject agentStatus = byStatus(u"agents"_qs, enums::agentStatuses(), &agents);
    const QJsonObject taskStatus = byStatus(u"tasks"_qs, enums::taskStatuses(), &tasks);
    const QJsonObject projectStatus = byStatus(u"projects"_qs, enums::projectStatuses(), &projects);
    const auto total = [&](const QString &sql) { return m_store.count(sql); };
    const QJsonObject usage = m_store.runs().usageTotals();
    return {
        {u"agents"_qs, QJsonObject{{u"total"_qs, agents}, {u"by_status"_qs, agentStatus}}},
        {u"tasks"_qs, QJsonObject{{u"total"_qs, tasks}, {u"by_status"_qs, taskStatus}}},
        {u"messages"_qs, QJsonObject{{u"total"_qs, total(u"SELECT COUNT(*) FROM messages"_qs)}}},
        {u"activities"_qs, QJsonObject{{u"total"_qs, total(u"SELECT COUNT(*) FROM activities"_qs)}}},
        {u"documents"_qs, QJsonObject{{u"total"_qs, total(u"SELECT COUNT(*) FROM documents"_qs)}}},
        {u"notifications"_qs,
         QJsonObject{{u"total"_qs, total(u"SELECT COUNT(*) FROM notifications"_qs)},
                     {u"undelivered"_qs, total(u"SELECT COUNT(*) FROM notifications WHERE delivered = 0"_qs)},
                     {u"unread"_qs, total(u"SELECT COUNT(*) FROM notifications WHERE read = 0"_qs)}}},
        {u"projects"_qs, QJsonObject{{u"total"_qs, projects}, {u"by_status"_qs, projectStatus}}},
        {u"usage"_qs, usage},
    };
}

QString ReportBuilder::standup()
{
    QString md = u"# Daily Standup — %1\n"_qs.arg(QDate::currentDate().toString(Qt::ISODate));
    const QList<QJsonObject> agents = m_store.fetchMany(agentTable(), u"ORDER BY name COLLATE NOCASE"_s, {});
    QHash<QString, QString> names;
    for (const QJsonObject &a : agents)
        names.insert(a.value(u"id"_s).toString(), a.value(u"name"_s).toString());
    // "- <title> (<Agent A>, <Agent B>)" as PocketPaw writes it; Blocked lists titles only.
    const auto section = [&](const QString &heading, const QString &status, bool withAssignees) {
        const QList<QJsonObject> tasks = m_store.fetchMany(
                taskTable(), u"WHERE status = ? ORDER BY updated_at DESC LIMIT 50"_qs, {status});
        if (tasks.isEmpty())
            return;
        md += u"\n## "_qs + heading + u"\n"_qs;
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
        md += u"\n## Team Status\n"_qs;
        for (const QJsonObject &a : agents) {
            md += u"- **%1** (%2): %3\n"_qs.arg(a.value(u"name"_qs).toString(), a.value(u"role"_qs).toString(),
                                               a.value(u"status"_qs).toString());
        }
    }
    return md;
}

} // namespace mc
