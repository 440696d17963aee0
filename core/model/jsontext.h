#pragma once

#include <QByteArray>
#include <QString>

namespace mc {

// Appends text as a JSON string literal (quoted, escaped, UTF-8), for the hot
// paths that write JSON directly instead of building a QJsonObject.
void appendJsonString(QByteArray &out, const QString &text);

} // namespace mc
