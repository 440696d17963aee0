#pragma once

#include <QString>
#include <QStringList>

// Fills a Mission Control database with tasks directly in SQL, in one
// transaction, far faster than through the API: the shape of a busy store
// (statuses, tags, assignees, one activity per task) for the scale figures.
class BulkData
{
public:
    // Adds tasks until the database holds `total` of them (from the number
    // already added by this object). Returns an error text, empty on success.
    QString fillTo(const QString &databasePath, int total, const QStringList &agentIds);
    int added() const { return m_added; }

    // The tag one task in 100 carries ("t<i % 100>") and the one every tenth carries.
    static QString rareTag(int i) { return QStringLiteral("t%1").arg(i % 100); }
    static QString commonTag() { return QStringLiteral("common"); }

private:
    int m_added = 0;
};
