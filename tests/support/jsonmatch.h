#pragma once

#include <QJsonValue>
#include <QString>

namespace mc::test {

// True when every member of `expected` appears in `actual` with an equal value
// (recursively; arrays must have the same length, element by element). `why` says what differs.
bool jsonContains(const QJsonValue &actual, const QJsonValue &expected, QString *why = nullptr,
                  const QString &where = QStringLiteral("$"));

} // namespace mc::test
