#pragma once

#include "errormapper.h"
#include "fieldspec.h"

#include <QJsonObject>
#include <QStringList>
#include <QUrlQuery>

#include <functional>

namespace mc {

// What a route handler sees: path parameters by name, validated query and body.
struct ApiRequest
{
    QHash<QString, QString> params;
    QUrlQuery query;
    QJsonObject body;
    // A handler may answer another success status (202 when a run is queued).
    mutable int status = 200;

    QString param(const QString &name) const { return params.value(name); }
};

using RouteHandler = std::function<QJsonObject(const ApiRequest &)>;
// For hot routes: returns the 200 body as JSON text, already serialised, in
// pieces that are sent as they are (Reply::pieces).
using RawRouteHandler = std::function<QByteArrayList(const ApiRequest &)>;

// One row of the declarative route table: registers the route, validates its
// input and documents it in OpenAPI — one declaration, so they cannot drift.
struct Route
{
    QByteArray method = {};            // GET POST PATCH DELETE
    QString path = {};                 // below the API prefix, e.g. /tasks/{task_id}
    QString summary = {};
    QString tag = {};
    FieldSpecs query = {};
    FieldSpecs body = {};
    bool hasBody = false;
    QString responseKey = {};          // documented top-level member of the 200 answer
    QString acceptedSummary = {};      // when set, the route may also answer 202 (documented so)
    RouteHandler handler = {};
    RawRouteHandler rawHandler = {};   // used instead of handler when set
};

class Router final
{
public:
    static constexpr auto prefix = QLatin1StringView("/api/mission-control");

    void add(Route route);
    // Finds the route (404 / 405 as FastAPI would), validates and runs it.
    Reply dispatch(QByteArrayView method, const QString &path, const QUrlQuery &query,
                   const QByteArray &body) const;
    const QList<Route> &routes() const { return m_routes; }
    // The methods a path answers to, for Allow (with HEAD for GET, and
    // OPTIONS); empty when no route has this path.
    QByteArray allowedMethods(const QString &path) const;

private:
    struct Match
    {
        const Route *route = nullptr;
        QHash<QString, QString> params;
        int literals = -1;
    };
    static bool matchPath(const Route &route, const QStringList &pattern, const QStringList &segments, Match *match);

    QList<Route> m_routes;
    QList<QStringList> m_patterns;   // each route's path split once, not per request
};

} // namespace mc
