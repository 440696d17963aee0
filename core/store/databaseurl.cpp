#include "databaseurl.h"

#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

// libpq's conninfo quoting: single quotes, backslash escapes.
QString quoted(QString value)
{
    value.replace(u'\\', u"\\\\"_s);
    value.replace(u'\'', u"\\'"_s);
    return u'\'' + value + u'\'';
}

bool validKey(const QString &key)
{
    if (key.isEmpty())
        return false;
    for (const QChar c : key) {
        if (!(c.isLetterOrNumber() || c == u'_'))
            return false;
    }
    return true;
}

} // namespace

bool DatabaseUrl::parse(const QString &text, DatabaseUrl *out, QString *error)
{
    const QString shown = redacted(text);
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"postgresql"_s && scheme != u"postgres"_s)) {
        // Not echoed: what is not a postgresql:// URL cannot be trusted to have its password where redacted() looks.
        *error = u"--database must be a URL like postgresql://user@host:5432/dbname"_s;
        return false;
    }
    DatabaseUrl result;
    result.host = url.host();
    result.port = url.port(-1);
    result.user = url.userName();
    result.password = url.password();
    result.database = url.path().mid(1);
    if (result.database.isEmpty() || result.database.contains(u'/')) {
        *error = u"--database needs the database name as its path, e.g. postgresql://user@host/dbname (got \"%1\")"_s
                         .arg(shown);
        return false;
    }
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (!validKey(key) || key == u"password"_s) {
            *error = u"--database has an option \"%1\" that is not a libpq connection keyword%2"_s.arg(
                    key == u"password"_s ? QString() : key,
                    key == u"password"_s ? u" here (put the password in PGPASSFILE)"_s : QString());
            return false;
        }
        if (value.contains(u';')) {
            *error = u"--database option %1 must not contain ';'"_s.arg(key);
            return false;
        }
        result.options.append(key + u'=' + quoted(value));
    }
    *out = result;
    return true;
}

QString DatabaseUrl::redacted(const QString &text)
{
    QUrl url(text);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"postgresql"_s && scheme != u"postgres"_s))
        return u"(unreadable URL)"_s;
    if (!url.password().isEmpty())
        url.setPassword(QString());
    QUrlQuery query(url);
    if (query.hasQueryItem(u"password"_s)) {
        query.removeAllQueryItems(u"password"_s);
        url.setQuery(query);
    }
    return url.toString();
}

QString DatabaseUrl::describe() const
{
    const QString where = host.isEmpty() ? u"(local socket)"_s : host;
    return u"%1@%2%3/%4"_s.arg(user.isEmpty() ? u"(default user)"_s : user, where,
                                port > 0 ? u":%1"_s.arg(port) : QString(), database);
}

} // namespace mc
