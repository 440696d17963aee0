#pragma once

#include "errormapper.h"
#include "fieldspec.h"
#include "readcache.h"

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
// For routes whose 200 answer to a GET depends on nothing but the request
// target and the stored data: the state of that data (Store::dataVersion).
using AnswerVersion = std::function<DataVersion()>;

// Which data an answer was read from: its route's probe and what the probe
// returned before the answer was built.
struct AnswerStamp
{
    AnswerVersion probe;
    DataVersion version;
};

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
    // When set, HttpApiServer keeps the whole 200 answer and serves repeats of
    // the same GET from it until this returns another version (AnswerCache).
    AnswerVersion answerVersion = {};
};

class Router final
{
public:
    static constexpr auto prefix = QLatin1StringView("/api/mission-control");

    void add(Route route);
    // Finds the route (404 / 405 as FastAPI would), validates and runs it.
    // `stamp`, when given, is filled for a route with an answerVersion.
    Reply dispatch(QByteArrayView method, const QString &path, const QUrlQuery &query,
                   const QByteArray &body, std::optional<AnswerStamp> *stamp = nullptr) const;
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
