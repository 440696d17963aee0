#pragma once

#include <QJsonObject>

namespace mc {

class Router;

// OpenAPI 3.0 document generated from the route table.
QJsonObject openApiDocument(const Router &router, const QString &version);

} // namespace mc
