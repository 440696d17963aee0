#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QUrlQuery>

namespace mc {

enum class FieldType { String, StringList, Object, Enum, Uuid, Integer, Boolean };

// One field of a request body or query string. The route table declares these;
// the same declaration validates requests and documents them in OpenAPI.
struct FieldSpec
{
    QString name;
    FieldType type = FieldType::String;
    bool isRequired = false;
    int minLength = 0;
    int maxLength = -1;
    qint64 maximum = 1000000;   // Integer: the largest accepted value
    QStringList allowed;     // Enum values
    QString defaultValue;    // documentation and query defaults
    QString description;

    static FieldSpec string(QString name, int minLen = 0, int maxLen = -1);
    static FieldSpec stringList(QString name);
    static FieldSpec object(QString name);
    static FieldSpec oneOf(QString name, QStringList values);
    static FieldSpec uuid(QString name);
    static FieldSpec integer(QString name, QString defaultValue = {});
    static FieldSpec boolean(QString name, QString defaultValue = {});

    FieldSpec &required() { isRequired = true; return *this; }
    FieldSpec &withDefault(QString value) { defaultValue = std::move(value); return *this; }
    FieldSpec &describe(QString text) { description = std::move(text); return *this; }
    FieldSpec &atMost(qint64 value) { maximum = value; return *this; }
};

using FieldSpecs = QList<FieldSpec>;

// Validates a JSON body against specs; returns pydantic-shaped error entries
// (empty when valid). Unknown members are ignored, as pydantic does by default.
QJsonArray validateBody(const QJsonObject &body, const FieldSpecs &specs);
// Validates query parameters: integers are non-negative, enums known, booleans parse.
QJsonArray validateQuery(const QUrlQuery &query, const FieldSpecs &specs);

// Helpers for validated input.
QString queryValue(const QUrlQuery &query, const FieldSpec &spec);
int queryInt(const QUrlQuery &query, const QString &name, int fallback);
qint64 queryInt64(const QUrlQuery &query, const QString &name, qint64 fallback);
bool queryBool(const QUrlQuery &query, const QString &name, bool fallback);
QStringList toStringList(const QJsonValue &value);
// "Input should be 'a', 'b' or 'c'" as pydantic words an enum error.
QString enumMessage(const QStringList &allowed);

} // namespace mc
