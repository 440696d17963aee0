#pragma once

#include <QStringList>

namespace mc {

// Makes an error message safe to show to API clients, as PocketPaw's
// `_sanitize_error` does and better where it is wrong: an empty message becomes
// "An error occurred"; file paths become [path] (a URL is not a path: it stays
// readable); key/token/secret/password values, bearer tokens, sk-... keys and
// the given secrets become [redacted]; longer than 200 characters is cut, with
// "..." at the end, to 200 in all (API.md A.5).
QString sanitizeError(const QString &message, const QStringList &secrets = {});

} // namespace mc
