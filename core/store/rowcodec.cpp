#include "rowcodec.h"

#include "jsontext.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

using K = ColumnKind;

QJsonValue readJson(const QVariant &v, bool list)
{
    const QByteArray text = v.toByteArray();
    // Most list and metadata columns are empty: skip the parser for them.
    if (text.size() <= 2)
        return list ? QJsonValue(QJsonArray()) : QJsonValue(QJsonObject());
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    if (list)
        return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(QJsonArray());
    return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(QJsonObject());
}

} // namespace

QString TableSchema::selectList() const
{
    QStringList names;
    for (const Column &c : columns)
        names.append(c.name);
    return names.join(u", "_s);
}

const Column *TableSchema::column(const QString &name) const
{
    for (const Column &c : columns) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

QJsonObject TableSchema::read(const QSqlQuery &q, int offset) const
{
    QJsonObject o;
    for (int i = 0; i < columns.size(); ++i) {
        const Column &c = columns.at(i);
        const QVariant v = q.value(offset + i);
        switch (c.kind) {
        case K::JsonList:
            o.insert(c.name, readJson(v, true));
            break;
        case K::JsonObject:
            o.insert(c.name, readJson(v, false));
            break;
        default:
            if (c.kind == K::String)
                o.insert(c.name, v.toString());
            else if (v.isNull())
                o.insert(c.name, QJsonValue::Null);
            else if (c.kind == K::Text)
                o.insert(c.name, v.toString());
            else if (c.kind == K::Integer)
                o.insert(c.name, v.toLongLong());
            else if (c.kind == K::Real)
                o.insert(c.name, v.toDouble());
            else
                o.insert(c.name, v.toInt() != 0);
            break;
        }
    }
    return o;
}

void TableSchema::appendJson(const QSqlQuery &q, QByteArray &out) const
{
    out.append('{');
    for (int i = 0; i < columns.size(); ++i) {
        const Column &c = columns.at(i);
        if (i > 0)
            out.append(',');
        appendJsonString(out, c.name);
        out.append(':');
        const QVariant v = q.value(i);
        switch (c.kind) {
        case K::JsonList:
        case K::JsonObject: {
            // Written by QJsonDocument::toJson(Compact) on insert: valid JSON as stored.
            const QByteArray text = v.toByteArray();
            out.append(text.isEmpty() ? QByteArray(c.kind == K::JsonList ? "[]" : "{}") : text);
            break;
        }
        default:
            if (c.kind == K::String)
                appendJsonString(out, v.toString());
            else if (v.isNull())
                out.append("null");
            else if (c.kind == K::Text)
                appendJsonString(out, v.toString());
            else if (c.kind == K::Integer)
                out.append(QByteArray::number(v.toLongLong()));
            else if (c.kind == K::Real)
                out.append(QByteArray::number(v.toDouble(), 'g', 17));
            else
                out.append(v.toInt() != 0 ? "true" : "false");
            break;
        }
    }
    out.append('}');
}

QVariant TableSchema::bind(const Column &c, const QJsonValue &v) const
{
    switch (c.kind) {
    case K::JsonList:
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    case K::JsonObject:
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    case K::Text:
        return v.isNull() || v.isUndefined() ? QVariant(QMetaType::fromType<QString>())
                                             : QVariant(v.toString());
    case K::String:
        return QVariant(v.toString());
    case K::Integer:
        return v.isDouble() ? QVariant(qint64(v.toDouble())) : QVariant(QMetaType::fromType<qint64>());
    case K::Real:
        return v.isDouble() ? QVariant(v.toDouble()) : QVariant(QMetaType::fromType<double>());
    case K::Bool:
        return v.toBool() ? 1 : 0;
    }
    return {};
}

#define T(n) Column{u"" n ""_s, K::Text}
#define S(n) Column{u"" n ""_s, K::String}
#define I(n) Column{u"" n ""_s, K::Integer}
#define R(n) Column{u"" n ""_s, K::Real}
#define B(n) Column{u"" n ""_s, K::Bool}
#define L(n) Column{u"" n ""_s, K::JsonList}
#define O(n) Column{u"" n ""_s, K::JsonObject}

const TableSchema &agentTable()
{
    static const TableSchema s{u"agents"_s,
                               {T("id"), S("name"), S("role"), S("description"), S("session_key"),
                                S("backend"), T("status"), T("level"), T("current_task_id"),
                                L("specialties"), T("last_heartbeat"), T("created_at"),
                                T("updated_at"), O("metadata")}};
    return s;
}

const TableSchema &taskTable()
{
    static const TableSchema s{u"tasks"_s,
                               {T("id"), S("title"), S("description"), T("status"), T("priority"),
                                L("assignee_ids"), T("creator_id"), T("parent_task_id"),
                                L("blocked_by"), L("tags"), T("due_date"), T("started_at"),
                                T("completed_at"), T("created_at"), T("updated_at"),
                                O("metadata"), T("project_id"), S("task_type"), L("blocks"),
                                S("active_description"), I("estimated_minutes"), B("auto_run"),
                                I("max_attempts"), I("retry_delay_s")}};
    return s;
}

const TableSchema &messageTable()
{
    static const TableSchema s{u"messages"_s,
                               {T("id"), S("task_id"), S("from_agent_id"), S("content"),
                                L("attachment_ids"), L("mentions"), T("created_at"),
                                O("metadata")}};
    return s;
}

const TableSchema &activityTable()
{
    static const TableSchema s{u"activities"_s,
                               {T("id"), T("type"), T("agent_id"), S("message"), T("task_id"),
                                T("document_id"), T("created_at"), O("metadata")}};
    return s;
}

const TableSchema &documentTable()
{
    static const TableSchema s{u"documents"_s,
                               {T("id"), S("title"), S("content"), T("type"), T("task_id"),
                                T("author_id"), L("tags"), I("version"), T("created_at"),
                                T("updated_at"), O("metadata")}};
    return s;
}

const TableSchema &notificationTable()
{
    static const TableSchema s{u"notifications"_s,
                               {T("id"), S("agent_id"), T("type"), S("content"),
                                T("source_message_id"), T("source_task_id"), B("delivered"),
                                B("read"), T("created_at"), T("delivered_at"), O("metadata")}};
    return s;
}

const TableSchema &projectTable()
{
    static const TableSchema s{u"projects"_s,
                               {T("id"), S("title"), S("description"), T("status"),
                                T("planner_agent_id"), L("team_agent_ids"), T("prd_document_id"),
                                T("creator_id"), L("tags"), T("started_at"), T("completed_at"),
                                T("created_at"), T("updated_at"), O("metadata")}};
    return s;
}

const TableSchema &runTable()
{
    static const TableSchema s{u"runs"_s,
                               {T("id"), T("task_id"), T("agent_id"), T("status"),
                                T("started_at"), T("finished_at"), T("error"), I("output_chunks"),
                                I("output_bytes"), I("input_tokens"), I("output_tokens"),
                                R("cost_usd"), I("cache_creation_input_tokens"), I("cache_read_input_tokens"),
                                L("permission_denials")}};
    return s;
}

#undef T
#undef S
#undef I
#undef R
#undef B
#undef L
#undef O

QString jsonArrayText(const QStringList &values)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

QString placeholders(qsizetype n)
{
    return QStringList(n, u"?"_s).join(u", "_s);
}

QStringList distinct(QStringList values)
{
    values.removeDuplicates();
    return values;
}

} // namespace mc
