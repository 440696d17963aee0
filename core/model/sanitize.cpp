#include "sanitize.h"

#include <QRegularExpression>
#include <QStringList>

namespace mc {

QString sanitizeError(const QString &message, const QStringList &secrets)
{
    QString text = message;
    for (const QString &secret : secrets) {
        if (secret.size() >= 4)
            text.replace(secret, u"***"_qs);
    }
    static const QRegularExpression bearer(uR"(\bbearer\s+[^\s"',;]+)"_qs, QRegularExpression::CaseInsensitiveOption);
    text.replace(bearer, u"Bearer ***"_qs);
    static const QRegularExpression assignments(
            uR"((api[_-]?key|token|secret|password|authorization)(["']?\s*[:= ]\s*["']?)([^\s"',;]+))"_qs,
            QRegularExpression::CaseInsensitiveOption);
    text.replace(assignments, u"\\1\\2***"_qs);
    static const QRegularExpression keyLike(uR"(\b(sk|pk|rk)-[A-Za-z0-9_\-]{8,})"_qs);
    text.replace(keyLike, u"***"_qs);
    static const QRegularExpression paths(uR"((?:[A-Za-z]:\\|~?/)[^\s:'"]*[/\\][^\s:'"]*)"_qs);
    text.replace(paths, u"<path>"_qs);
    text = text.simplified();
    if (text.size() > 200)
        text = text.left(197) + u"..."_qs;
    return text;
}

} // namespace mc
