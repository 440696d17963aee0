#include "openapi.h"

#include "router.h"

#include <QRegularExpression>

namespace mc {

namespace {

QJsonObject schemaFor(const FieldSpec &f)
{
    QJsonObject s;
    switch (f.type) {
    case FieldType::String:
        s.insert(u"type"_qs, u"string"_qs);
        if (f.minLength > 0)
            s.insert(u"minLength"_qs, f.minLength);
        if (f.maxLength >= 0)
            s.insert(u"maxLength"_qs, f.maxLength);
        break;
    case FieldType::StringList:
        s.insert(u"type"_qs, u"array"_qs);
        s.insert(u"items"_qs, QJsonObject{{u"type"_qs, u"string"_qs}});
        break;
    case FieldType::Object:
        s.insert(u"type"_qs, u"object"_qs);
        break;
    case FieldType::Enum:
        s.insert(u"type"_qs, u"string"_qs);
        s.insert(u"enum"_qs, QJsonArray::fromStringList(f.allowed));
        break;
    case FieldType::Uuid:
        s.insert(u"type"_qs, u"string"_qs);
        s.insert(u"format"_qs, u"uuid"_qs);
        break;
    case FieldType::Integer:
        s.insert(u"type"_qs, u"integer"_qs);
        s.insert(u"minimum"_qs, 0);
        break;
    case FieldType::Boolean:
        s.insert(u"type"_qs, u"boolean"_qs);
        break;
    }
    if (!f.defaultValue.isEmpty()) {
        if (f.type == FieldType::Integer)
            s.insert(u"default"_qs, f.defaultValue.toInt());
        else if (f.type == FieldType::Boolean)
            s.insert(u"default"_qs, f.defaultValue == u"true"_qs);
        else
            s.insert(u"default"_qs, f.defaultValue);
    }
    if (!f.description.isEmpty())
        s.insert(u"description"_qs, f.description);
    return s;
}

QJsonObject errorResponse(const QString &description)
{
    return {{u"description"_qs, description},
            {u"content"_qs,
             QJsonObject{{u"application/json"_qs,
                          QJsonObject{{u"schema"_qs, QJsonObject{{u"$ref"_qs, u"#/components/schemas/Error"_qs}}}}}}}};
}

} // namespace

QJsonObject openApiDocument(const Router &router, const QString &version)
{
    static const QRegularExpression param(uR"(\{(\w+)\})"_qs);
    QJsonObject paths;
    for (const Route &route : router.routes()) {
        const QString fullPath = QString(Router::prefix) + route.path;
        QJsonObject item = paths.value(fullPath).toObject();
        QJsonArray parameters;
        auto it = param.globalMatch(route.path);
        while (it.hasNext()) {
            parameters.append(QJsonObject{{u"name"_qs, it.next().captured(1)},
                                          {u"in"_qs, u"path"_qs},
                                          {u"required"_qs, true},
                                          {u"schema"_qs, QJsonObject{{u"type"_qs, u"string"_qs}}}});
        }
        for (const FieldSpec &q : route.query) {
            parameters.append(QJsonObject{{u"name"_qs, q.name},
                                          {u"in"_qs, u"query"_qs},
                                          {u"required"_qs, q.isRequired},
                                          {u"schema"_qs, schemaFor(q)}});
        }
        QJsonObject op{{u"summary"_qs, route.summary},
                       {u"operationId"_qs, QString(QString::fromLatin1(route.method).toLower()
                                + QString(route.path).replace(u'/', u'_').remove(u'{').remove(u'}'))},
                       {u"tags"_qs, QJsonArray{route.tag}},
                       {u"parameters"_qs, parameters}};
        if (route.hasBody) {
            QJsonObject props;
            QJsonArray required;
            for (const FieldSpec &f : route.body) {
                props.insert(f.name, schemaFor(f));
                if (f.isRequired)
                    required.append(f.name);
            }
            QJsonObject schema{{u"type"_qs, u"object"_qs}, {u"properties"_qs, props}};
            if (!required.isEmpty())
                schema.insert(u"required"_qs, required);
            op.insert(u"requestBody"_qs,
                      QJsonObject{{u"required"_qs, true},
                                  {u"content"_qs, QJsonObject{{u"application/json"_qs,
                                                               QJsonObject{{u"schema"_qs, schema}}}}}});
        }
        QJsonObject okSchema{{u"type"_qs, u"object"_qs}};
        if (!route.responseKey.isEmpty())
            okSchema.insert(u"required"_qs, QJsonArray{route.responseKey});
        QJsonObject responses{
            {u"200"_qs, QJsonObject{{u"description"_qs, u"Successful Response"_qs},
                                    {u"content"_qs, QJsonObject{{u"application/json"_qs,
                                                                 QJsonObject{{u"schema"_qs, okSchema}}}}}}},
            {u"401"_qs, errorResponse(u"Missing or wrong access token"_qs)},
            {u"422"_qs, errorResponse(u"Validation Error"_qs)}};
        if (route.path.contains(u'{'))
            responses.insert(u"404"_qs, errorResponse(u"Not found"_qs));
        op.insert(u"responses"_qs, responses);
        item.insert(QString::fromLatin1(route.method).toLower(), op);
        paths.insert(fullPath, item);
    }
    const QJsonObject errorSchema{
        {u"type"_qs, u"object"_qs},
        {u"required"_qs, QJsonArray{u"detail"_qs}},
        {u"properties"_qs,
         QJsonObject{{u"detail"_qs,
                      QJsonObject{{u"oneOf"_qs, QJsonArray{QJsonObject{{u"type"_qs, u"string"_qs}},
                                                           QJsonObject{{u"type"_qs, u"array"_qs},
                                                                       {u"items"_qs, QJsonObject{{u"type"_qs, u"object"_qs}}}}}}}}}}};
    return {{u"openapi"_qs, u"3.0.3"_qs},
            {u"info"_qs, QJsonObject{{u"title"_qs, u"Mission Control API"_qs}, {u"version"_qs, version}}},
            {u"paths"_qs, paths},
            {u"components"_qs,
             QJsonObject{{u"schemas"_qs, QJsonObject{{u"Error"_qs, errorSchema}}},
                         {u"securitySchemes"_qs,
                          QJsonObject{{u"bearer"_qs, QJsonObject{{u"type"_qs, u"http"_qs}, {u"scheme"_qs, u"bearer"_qs}}},
                                      {u"token"_qs, QJsonObject{{u"type"_qs, u"apiKey"_qs}, {u"in"_qs, u"query"_qs}, {u"name"_qs, u"token"_qs}}}}}}},
            {u"security"_qs, QJsonArray{QJsonObject{{u"bearer"_qs, QJsonArray()}}, QJsonObject{{u"token"_qs, QJsonArray()}}}}};
}

} // namespace mc
