#include "sanitize.h"

#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

constexpr qsizetype kMaxLength = 200;
const QString kRedacted = u"[redacted]"_s;

QString redactSecrets(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets) {
        if (secret.size() >= 4)
            text.replace(secret, kRedacted);
    }
    static const QRegularExpression bearer(uR"(\b(bearer)\s+[^\s"',;]+)"_s, QRegularExpression::CaseInsensitiveOption);
    text.replace(bearer, u"\\1 "_s + kRedacted);
    // JSON-quoted members first ("api_key": "..."), then PocketPaw's
    // `key=value` / `token: value`, which it rewrites as `token=[redacted]`.
    static const QRegularExpression quoted(
            uR"re("(\w*(?:key|token|secret|password|authorization))"\s*:\s*"[^"]*")re"_s,
            QRegularExpression::CaseInsensitiveOption);
    text.replace(quoted, u"\"\\1\": \""_s + kRedacted + u'"');
    static const QRegularExpression assignment(uR"((key|token|secret|password)[=:]\s*(?!\[redacted\])[^\s"',;&]+)"_s,
                                               QRegularExpression::CaseInsensitiveOption);
    text.replace(assignment, u"\\1="_s + kRedacted);
    static const QRegularExpression keyLike(uR"(\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{8,})"_s);
    text.replace(keyLike, kRedacted);
    return text;
}

// Absolute, home-relative and ./ ../ paths of two segments or more, and
// Windows drive paths; never a piece of a URL (handled by the caller) nor a
// word pair like "and/or".
QString replacePaths(const QString &text)
{
    static const QRegularExpression path(
            uR"re((?<![\w.~:/\\-])(?:~[/\\][^\s'"]+|(?:[A-Za-z]:|\.{1,2})?(?:[/\\][^\s/\\'",;:()<>]+){2,}[/\\]?|[A-Za-z]:\\[^\s'"]*))re"_s);
    return QString(text).replace(path, u"[path]"_s);
}

} // namespace

QString sanitizeError(const QString &message, const QStringList &secrets)
{
    const QString redacted = redactSecrets(message, secrets);
    // A URL's host and port are not a path: paths are replaced only between URLs.
    static const QRegularExpression url(uR"(\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s'"<>]+)"_s);
    QString text;
    qsizetype from = 0;
    for (auto it = url.globalMatch(redacted); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        text += replacePaths(redacted.mid(from, m.capturedStart() - from)) + m.captured();
        from = m.capturedEnd();
    }
    text += replacePaths(redacted.mid(from));
    text = text.simplified();
    if (text.isEmpty())
        return u"An error occurred"_s;
    if (text.size() > kMaxLength)
        text = text.left(kMaxLength - 3).trimmed() + u"..."_s;
    return text;
}

} // namespace mc
