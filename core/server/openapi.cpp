#include "openapi.h"

#include "router.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

QJsonObject schemaFor(const FieldSpec &f)
{
    QJsonObject s;
    switch (f.type) {
    case FieldType::String:
        s.insert(u"type"_s, u"string"_s);
        if (f.minLength > 0)
            s.insert(u"minLength"_s, f.minLength);
        if (f.maxLength >= 0)
            s.insert(u"maxLength"_s, f.maxLength);
        break;
    case FieldType::StringList:
        s.insert(u"type"_s, u"array"_s);
        s.insert(u"items"_s, QJsonObject{{u"type"_s, u"string"_s}});
        break;
    case FieldType::Object:
        s.insert(u"type"_s, u"object"_s);
        break;
    case FieldType::Enum:
        s.insert(u"type"_s, u"string"_s);
        s.insert(u"enum"_s, QJsonArray::fromStringList(f.allowed));
        break;
    case FieldType::Uuid:
        s.insert(u"type"_s, u"string"_s);
        s.insert(u"format"_s, u"uuid"_s);
        break;
    case FieldType::Integer:
        s.insert(u"type"_s, u"integer"_s);
        s.insert(u"minimum"_s, 0);
        break;
    case FieldType::Boolean:
        s.insert(u"type"_s, u"boolean"_s);
        break;
    }
    if (!f.defaultValue.isEmpty()) {
        if (f.type == FieldType::Integer)
            s.insert(u"default"_s, f.defaultValue.toInt());
        else if (f.type == FieldType::Boolean)
            s.insert(u"default"_s, f.defaultValue == u"true"_s);
        else
            s.insert(u"default"_s, f.defaultValue);
    }
    if (!f.description.isEmpty())
        s.insert(u"description"_s, f.description);
    return s;
}

QJsonObject errorResponse(const QString &description)
{
    return {{u"description"_s, description},
            {u"content"_s,
             QJsonObject{{u"application/json"_s,
                          QJsonObject{{u"schema"_s, QJsonObject{{u"$ref"_s, u"#/components/schemas/Error"_s}}}}}}}};
}

} // namespace

QJsonObject openApiDocument(const Router &router, const QString &version)
{
    static const QRegularExpression param(uR"(\{(\w+)\})"_s);
    QJsonObject paths;
    for (const Route &route : router.routes()) {
        const QString fullPath = QString(Router::prefix) + route.path;
        QJsonObject item = paths.value(fullPath).toObject();
        QJsonArray parameters;
        auto it = param.globalMatch(route.path);
        while (it.hasNext()) {
            parameters.append(QJsonObject{{u"name"_s, it.next().captured(1)},
                                          {u"in"_s, u"path"_s},
                                          {u"required"_s, true},
                                          {u"schema"_s, QJsonObject{{u"type"_s, u"string"_s}}}});
        }
        for (const FieldSpec &q : route.query) {
            parameters.append(QJsonObject{{u"name"_s, q.name},
                                          {u"in"_s, u"query"_s},
                                          {u"required"_s, q.isRequired},
                                          {u"schema"_s, schemaFor(q)}});
        }
        QJsonObject op{{u"summary"_s, route.summary},
                       {u"operationId"_s, QString(QString::fromLatin1(route.method).toLower()
                                + QString(route.path).replace(u'/', u'_').remove(u'{').remove(u'}'))},
                       {u"tags"_s, QJsonArray{route.tag}},
                       {u"parameters"_s, parameters}};
        if (route.hasBody) {
            QJsonObject props;
            QJsonArray required;
            for (const FieldSpec &f : route.body) {
                props.insert(f.name, schemaFor(f));
                if (f.isRequired)
                    required.append(f.name);
            }
            QJsonObject schema{{u"type"_s, u"object"_s}, {u"properties"_s, props}};
            if (!required.isEmpty())
                schema.insert(u"required"_s, required);
            op.insert(u"requestBody"_s,
                      QJsonObject{{u"required"_s, true},
                                  {u"content"_s, QJsonObject{{u"application/json"_s,
                                                               QJsonObject{{u"schema"_s, schema}}}}}});
        }
        QJsonObject okSchema{{u"type"_s, u"object"_s}};
        if (!route.responseKey.isEmpty())
            okSchema.insert(u"required"_s, QJsonArray{route.responseKey});
        QJsonObject responses{
            {u"200"_s, QJsonObject{{u"description"_s, u"Successful Response"_s},
                                    {u"content"_s, QJsonObject{{u"application/json"_s,
                                                                 QJsonObject{{u"schema"_s, okSchema}}}}}}},
            {u"401"_s, errorResponse(u"Missing or wrong access token"_s)},
            {u"422"_s, errorResponse(u"Validation Error"_s)}};
        if (route.path.contains(u'{'))
            responses.insert(u"404"_s, errorResponse(u"Not found"_s));
        if (!route.acceptedSummary.isEmpty()) {
            responses.insert(u"202"_s, QJsonObject{{u"description"_s, route.acceptedSummary},
                                                   {u"content"_s, QJsonObject{{u"application/json"_s,
                                                                                QJsonObject{{u"schema"_s, okSchema}}}}}});
        }
        op.insert(u"responses"_s, responses);
        item.insert(QString::fromLatin1(route.method).toLower(), op);
        paths.insert(fullPath, item);
    }
    const QJsonObject errorSchema{
        {u"type"_s, u"object"_s},
        {u"required"_s, QJsonArray{u"detail"_s}},
        {u"properties"_s,
         QJsonObject{{u"detail"_s,
                      QJsonObject{{u"oneOf"_s, QJsonArray{QJsonObject{{u"type"_s, u"string"_s}},
                                                           QJsonObject{{u"type"_s, u"array"_s},
                                                                       {u"items"_s, QJsonObject{{u"type"_s, u"object"_s}}}}}}}}}}};
    return {{u"openapi"_s, u"3.0.3"_s},
            {u"info"_s, QJsonObject{{u"title"_s, u"Mission Control API"_s}, {u"version"_s, version}}},
            {u"paths"_s, paths},
            {u"components"_s,
             QJsonObject{{u"schemas"_s, QJsonObject{{u"Error"_s, errorSchema}}},
                         {u"securitySchemes"_s,
                          QJsonObject{{u"bearer"_s, QJsonObject{{u"type"_s, u"http"_s}, {u"scheme"_s, u"bearer"_s}}},
                                      {u"token"_s, QJsonObject{{u"type"_s, u"apiKey"_s}, {u"in"_s, u"query"_s}, {u"name"_s, u"token"_s}}}}}}},
            {u"security"_s, QJsonArray{QJsonObject{{u"bearer"_s, QJsonArray()}}, QJsonObject{{u"token"_s, QJsonArray()}}}}};
}

} // namespace mc
