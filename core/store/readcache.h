#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

namespace mc {

// A page of JSON rows and how many rows match in all.
struct RawPage
{
    QByteArray items;
    qint64 count = 0;
    qsizetype rows = 0;        // items in `items`
    bool paged = false;        // asked for with a cursor: the answer carries next_cursor
    QString nextCursor;        // empty at the end of a walk
};

// Which state of the database an answer was read from: this connection's own
// changes and SQLite's data_version, which moves when any other connection
// (the output writer, another process) commits.
struct DataVersion
{
    quint64 own = 0;
    qint64 others = 0;
    bool operator==(const DataVersion &) const = default;
};

// Answers to list reads that clients repeat (dashboards and scripts polling
// GET /tasks), kept until the database changes in any way, so a hit is never
// stale. Bounded in bytes and entries; everything goes at the first change.
class ReadCache
{
public:
    std::optional<RawPage> find(const QString &key, const DataVersion &version) const;
    void insert(const QString &key, const DataVersion &version, const RawPage &page);
    void clear();

    static constexpr qsizetype maxBytes = 8 * 1024 * 1024;   // pages and keys
    static constexpr qsizetype maxEntries = 256;

private:
    QHash<QString, RawPage> m_pages;
    DataVersion m_version;
    qsizetype m_bytes = 0;
};

} // namespace mc
