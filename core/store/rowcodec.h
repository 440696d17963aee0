#pragma once

#include <QJsonObject>
#include <QList>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace mc {

// String is text that is never null: PocketPaw's models default optional
// strings (descriptions, a message's sender, ...) to "", and so do we.
enum class ColumnKind { Text, String, Integer, Real, Bool, JsonList, JsonObject };

struct Column
{
    QString name;
    ColumnKind kind = ColumnKind::Text;
};

// How an entity's JSON maps onto its table: one column per JSON member.
struct TableSchema
{
    QString table;
    QList<Column> columns;

    QString selectList() const;                 // "id, name, ..."
    QJsonObject read(const QSqlQuery &q, int offset = 0) const;
    // The same object as read(), written straight to JSON text: the hot list
    // routes skip building QJsonObjects only to serialise them again.
    void appendJson(const QSqlQuery &q, QByteArray &out) const;
    QVariant bind(const Column &c, const QJsonValue &v) const;
    const Column *column(const QString &name) const;
};


// A list as JSON array text, to bind as one value (SQLite's json_each reads it).
QString jsonArrayText(const QStringList &values);
// "?, ?, ?": one placeholder per bound value of an IN list.
QString placeholders(qsizetype n);
// The values without repeats, in their first order.
QStringList distinct(QStringList values);

const TableSchema &agentTable();
const TableSchema &taskTable();
const TableSchema &messageTable();
const TableSchema &activityTable();
const TableSchema &documentTable();
const TableSchema &notificationTable();
const TableSchema &projectTable();
const TableSchema &runTable();

} // namespace mc
