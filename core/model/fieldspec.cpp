#include "fieldspec.h"

#include "clock.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {

QJsonObject error(const QString &type, const QJsonArray &loc, const QString &msg,
                  const QJsonValue &input, const QJsonObject &ctx = {})
{
    QJsonObject e{{u"type"_s, type}, {u"loc"_s, loc}, {u"msg"_s, msg}, {u"input"_s, input}};
    if (!ctx.isEmpty())
        e.insert(u"ctx"_s, ctx);
    return e;
}

void checkString(const FieldSpec &spec, const QJsonValue &value, const QJsonArray &loc,
                 QJsonArray &errors)
{
    if (!value.isString()) {
        errors.append(error(u"string_type"_s, loc, u"Input should be a valid string"_s, value));
        return;
    }
    const qsizetype len = value.toString().size();
    if (len < spec.minLength) {
        errors.append(error(u"string_too_short"_s, loc,
                            u"String should have at least %1 character%2"_s.arg(spec.minLength)
                                    .arg(spec.minLength == 1 ? QString() : u"s"_s),
                            value, {{u"min_length"_s, spec.minLength}}));
    } else if (spec.maxLength >= 0 && len > spec.maxLength) {
        errors.append(error(u"string_too_long"_s, loc,
                            u"String should have at most %1 characters"_s.arg(spec.maxLength),
                            value, {{u"max_length"_s, spec.maxLength}}));
    }
}

void checkEnum(const FieldSpec &spec, const QJsonValue &value, const QJsonArray &loc,
               QJsonArray &errors)
{
    if (!value.isString() || !spec.allowed.contains(value.toString())) {
        errors.append(error(u"enum"_s, loc, enumMessage(spec.allowed), value,
                            {{u"expected"_s, spec.allowed.join(u", "_s)}}));
    }
}

void checkValue(const FieldSpec &spec, const QJsonValue &value, const QJsonArray &loc,
                QJsonArray &errors)
{
    switch (spec.type) {
    case FieldType::String:
        checkString(spec, value, loc, errors);
        break;
    case FieldType::StringList: {
        if (!value.isArray()) {
            errors.append(error(u"list_type"_s, loc, u"Input should be a valid list"_s, value));
            break;
        }
        const QJsonArray items = value.toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            QJsonArray itemLoc = loc;
            itemLoc.append(int(i));
            checkString(FieldSpec::string(spec.name), items.at(i), itemLoc, errors);
        }
        break;
    }
    case FieldType::Object:
        if (!value.isObject())
            errors.append(error(u"dict_type"_s, loc, u"Input should be a valid dictionary"_s, value));
        break;
    case FieldType::Enum:
        checkEnum(spec, value, loc, errors);
        break;
    case FieldType::Uuid:
        if (!value.isString()) {
            errors.append(error(u"string_type"_s, loc, u"Input should be a valid string"_s, value));
        } else if (!isUuid(value.toString())) {
            errors.append(error(u"uuid_parsing"_s, loc,
                                u"Input should be a valid UUID"_s, value));
        }
        break;
    case FieldType::Integer:
        if (!value.isDouble() || value.toDouble() != double(qint64(value.toDouble())))
            errors.append(error(u"int_type"_s, loc, u"Input should be a valid integer"_s, value));
        break;
    case FieldType::Boolean:
        if (!value.isBool())
            errors.append(error(u"bool_type"_s, loc, u"Input should be a valid boolean"_s, value));
        break;
    }
}

} // namespace

FieldSpec FieldSpec::string(QString name, int minLen, int maxLen)
{
    FieldSpec s;
    s.name = std::move(name);
    s.minLength = minLen;
    s.maxLength = maxLen;
    return s;
}

FieldSpec FieldSpec::stringList(QString name)
{
    FieldSpec s;
    s.name = std::move(name);
    s.type = FieldType::StringList;
    return s;
}

FieldSpec FieldSpec::object(QString name)
{
    FieldSpec s;
    s.name = std::move(name);
    s.type = FieldType::Object;
    return s;
}

FieldSpec FieldSpec::oneOf(QString name, QStringList values)
{
    FieldSpec s;
    s.name = std::move(name);
    s.type = FieldType::Enum;
    s.allowed = std::move(values);
    return s;
}

FieldSpec FieldSpec::uuid(QString name)
{
    FieldSpec s;
    s.name = std::move(name);
    s.type = FieldType::Uuid;
    return s;
}

FieldSpec FieldSpec::integer(QString name, QString defaultValue)
{
    FieldSpec s;
    s.name = std::move(name);
    s.type = FieldType::Integer;
    s.defaultValue = std::move(defaultValue);
    return s;
}

FieldSpec FieldSpec::boolean(QString name, QString defaultValue)
{
    FieldSpec s;
    s.name = std::move(name);
    s.type = FieldType::Boolean;
    s.defaultValue = std::move(defaultValue);
    return s;
}

QString enumMessage(const QStringList &allowed)
{
    QStringList quoted;
    for (const QString &v : allowed)
        quoted.append(u'\'' + v + u'\'');
    if (quoted.size() <= 1)
        return u"Input should be "_s + quoted.join(QString());
    const QString last = quoted.takeLast();
    return u"Input should be "_s + quoted.join(u", "_s) + u" or "_s + last;
}

QJsonArray validateBody(const QJsonObject &body, const FieldSpecs &specs)
{
    QJsonArray errors;
    for (const FieldSpec &spec : specs) {
        const QJsonArray loc{u"body"_s, spec.name};
        const auto it = body.constFind(spec.name);
        if (it == body.constEnd() || it->isNull()) {
            if (spec.isRequired)
                errors.append(error(u"missing"_s, loc, u"Field required"_s, body));
            continue;
        }
        checkValue(spec, *it, loc, errors);
    }
    return errors;
}

QJsonArray validateQuery(const QUrlQuery &query, const FieldSpecs &specs)
{
    QJsonArray errors;
    for (const FieldSpec &spec : specs) {
        const QJsonArray loc{u"query"_s, spec.name};
        if (!query.hasQueryItem(spec.name)) {
            if (spec.isRequired)
                errors.append(error(u"missing"_s, loc, u"Field required"_s, QJsonValue::Null));
            continue;
        }
        const QString raw = query.queryItemValue(spec.name, QUrl::FullyDecoded);
        switch (spec.type) {
        case FieldType::Integer: {
            bool ok = false;
            const qlonglong v = raw.trimmed().toLongLong(&ok);
            if (!ok) {
                errors.append(error(u"int_parsing"_s, loc,
                                    u"Input should be a valid integer, unable to parse string as an integer"_s,
                                    raw));
            } else if (v < 0) {
                errors.append(error(u"greater_than_equal"_s, loc,
                                    u"Input should be greater than or equal to 0"_s, raw,
                                    {{u"ge"_s, 0}}));
            } else if (v > spec.maximum) {
                errors.append(error(u"less_than_equal"_s, loc,
                                    u"Input should be less than or equal to %1"_s.arg(spec.maximum), raw,
                                    {{u"le"_s, spec.maximum}}));
            }
            break;
        }
        case FieldType::Boolean: {
            static const QStringList valid{u"true"_s, u"false"_s, u"1"_s, u"0"_s, u"yes"_s,
                                           u"no"_s,   u"on"_s,    u"off"_s, u"t"_s, u"f"_s,
                                           u"y"_s,    u"n"_s};
            if (!valid.contains(raw.toLower())) {
                errors.append(error(u"bool_parsing"_s, loc,
                                    u"Input should be a valid boolean, unable to interpret input"_s,
                                    raw));
            }
            break;
        }
        case FieldType::Enum:
            checkEnum(spec, raw, loc, errors);
            break;
        case FieldType::Uuid:
            if (!isUuid(raw))
                errors.append(error(u"uuid_parsing"_s, loc, u"Input should be a valid UUID"_s, raw));
            break;
        default:
            checkString(spec, raw, loc, errors);
            break;
        }
    }
    return errors;
}

QString queryValue(const QUrlQuery &query, const FieldSpec &spec)
{
    return query.hasQueryItem(spec.name) ? query.queryItemValue(spec.name, QUrl::FullyDecoded)
                                         : spec.defaultValue;
}

int queryInt(const QUrlQuery &query, const QString &name, int fallback)
{
    if (!query.hasQueryItem(name))
        return fallback;
    bool ok = false;
    const int v = query.queryItemValue(name).trimmed().toInt(&ok);
    return ok ? v : fallback;
}

qint64 queryInt64(const QUrlQuery &query, const QString &name, qint64 fallback)
{
    if (!query.hasQueryItem(name))
        return fallback;
    bool ok = false;
    const qint64 v = query.queryItemValue(name).trimmed().toLongLong(&ok);
    return ok ? v : fallback;
}

bool queryBool(const QUrlQuery &query, const QString &name, bool fallback)
{
    if (!query.hasQueryItem(name))
        return fallback;
    static const QStringList truthy{u"true"_s, u"1"_s, u"yes"_s, u"on"_s, u"t"_s, u"y"_s};
    return truthy.contains(query.queryItemValue(name).toLower());
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray items = value.toArray();
    out.reserve(items.size());
    for (const QJsonValue &v : items)
        out.append(v.toString());
    return out;
}

} // namespace mc
