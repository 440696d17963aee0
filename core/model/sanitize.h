#pragma once

#include <QStringList>

namespace mc {

// Makes an error message safe to show to API clients: at most 200 characters,
// file paths replaced by <path>, key/token/secret/password values by ***.
QString sanitizeError(const QString &message, const QStringList &secrets = {});

} // namespace mc
