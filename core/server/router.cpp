#include "router.h"

#include "apierror.h"

#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace mc {

void Router::add(Route route)
{
    m_patterns.append(route.path.split(u'/', Qt::SkipEmptyParts));
    m_routes.append(std::move(route));
}

bool Router::matchPath(const Route &route, const QStringList &pattern, const QStringList &segments, Match *match)
{
    if (pattern.size() != segments.size())
        return false;
    Match m;
    m.route = &route;
    m.literals = 0;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString &p = pattern.at(i);
        if (p.startsWith(u'{') && p.endsWith(u'}')) {
            m.params.insert(p.mid(1, p.size() - 2), segments.at(i));
        } else if (p == segments.at(i)) {
            ++m.literals;
        } else {
            return false;
        }
    }
    *match = std::move(m);
    return true;
}

static QJsonObject parseBody(const QByteArray &raw)
{
    if (raw.trimmed().isEmpty()) {
        throw ApiError::invalid({u"body"_s}, u"missing"_s, u"Field required"_s, QJsonValue::Null);
    }
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &err);
    if (err.error != QJsonParseError::NoError) {
        QJsonObject e{{u"type"_s, u"json_invalid"_s},
                      {u"loc"_s, QJsonArray{u"body"_s, err.offset}},
                      {u"msg"_s, u"JSON decode error"_s},
                      {u"input"_s, QJsonObject()},
                      {u"ctx"_s, QJsonObject{{u"error"_s, err.errorString()}}}};
        throw ApiError::validation({e});
    }
    if (!doc.isObject()) {
        throw ApiError::invalid({u"body"_s}, u"model_attributes_type"_s,
                                u"Input should be a valid dictionary or object to extract fields from"_s,
                                doc.isArray() ? QJsonValue(doc.array()) : QJsonValue::Null);
    }
    return doc.object();
}

QByteArray Router::allowedMethods(const QString &path) const
{
    if (!path.startsWith(prefix))
        return {};
    const QStringList segments = path.mid(prefix.size()).split(u'/', Qt::SkipEmptyParts);
    QByteArrayList methods;
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        const Route &route = m_routes.at(i);
        Match m;
        if (matchPath(route, m_patterns.at(i), segments, &m) && !methods.contains(route.method))
            methods.append(route.method);
    }
    if (methods.isEmpty())
        return {};
    if (methods.contains("GET"))
        methods.append("HEAD");
    methods.append("OPTIONS");
    return methods.join(", ");
}

Reply Router::dispatch(QByteArrayView method, const QString &path, const QUrlQuery &query,
                       const QByteArray &body, std::optional<AnswerStamp> *stamp) const
{
    return guarded([&]() -> Reply {
        if (!path.startsWith(prefix))
            throw ApiError::notFound(u"Not Found"_s);
        const QStringList segments = path.mid(prefix.size()).split(u'/', Qt::SkipEmptyParts);
        Match best;
        bool pathKnown = false;
        for (qsizetype i = 0; i < m_routes.size(); ++i) {
            const Route &route = m_routes.at(i);
            Match m;
            if (!matchPath(route, m_patterns.at(i), segments, &m))
                continue;
            pathKnown = true;
            if (route.method == method && m.literals > best.literals)
                best = std::move(m);
        }
        if (!best.route) {
            if (pathKnown)
                throw ApiError(405, u"Method Not Allowed"_s);
            throw ApiError::notFound(u"Not Found"_s);
        }
        const Route &route = *best.route;
        ApiRequest request;
        request.params = std::move(best.params);
        request.query = query;
        QJsonArray errors = validateQuery(query, route.query);
        if (route.hasBody) {
            try {
                request.body = parseBody(body);
                const QJsonArray bodyErrors = validateBody(request.body, route.body);
                for (const QJsonValue &e : bodyErrors)
                    errors.append(e);
            } catch (const ApiError &e) {
                for (const QJsonValue &entry : e.detail().toArray())
                    errors.append(entry);
            }
        }
        if (!errors.isEmpty())
            throw ApiError::validation(errors);
        // Read before the answer: a change while it is built makes it stale at once.
        if (stamp && route.answerVersion)
            stamp->emplace(AnswerStamp{route.answerVersion, route.answerVersion()});
        if (route.rawHandler)
            return {200, {}, route.rawHandler(request)};
        const QJsonObject answer = route.handler(request);
        return {request.status, QJsonDocument(answer).toJson(QJsonDocument::Compact)};
    });
}

} // namespace mc
