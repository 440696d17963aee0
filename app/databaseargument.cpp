#include "databaseargument.h"

#include <QByteArray>
#include <QtGlobal>

#include <cstdlib>
#include <cstring>

namespace mc {

namespace {

struct Hidden
{
    QByteArray shown;    // the argument after scrubbing
    QByteArray given;    // and before
};

Hidden &hiddenArgument()
{
    static Hidden h;
    return h;
}

QByteArray &environmentUrl()
{
    static QByteArray url;
    return url;
}

// The password of scheme://user:password@host..., as [begin, end) offsets; none: begin == end.
std::pair<qsizetype, qsizetype> passwordSpan(const QByteArray &url)
{
    const qsizetype scheme = url.indexOf("://");
    if (scheme < 0)
        return {0, 0};
    const qsizetype start = scheme + 3;
    qsizetype end = url.indexOf('/', start);
    if (end < 0)
        end = url.size();
    const qsizetype at = url.lastIndexOf('@', end);
    if (at < start)
        return {0, 0};
    const qsizetype colon = url.indexOf(':', start);
    if (colon < 0 || colon > at)
        return {0, 0};
    return {colon + 1, at};
}

void scrub(char *arg)
{
    const QByteArray given(arg);
    const auto [begin, end] = passwordSpan(given);
    if (begin == end)
        return;
    std::memset(arg + begin, '*', size_t(end - begin));
    hiddenArgument() = {QByteArray(arg), given};
}

} // namespace

void hideDatabasePassword(int argc, char **argv)
{
    static const char option[] = "--database";
    for (int i = 1; i < argc; ++i) {
        char *arg = argv[i];
        if (std::strcmp(arg, option) == 0) {
            if (i + 1 < argc)
                scrub(argv[++i]);
        } else if (std::strncmp(arg, "--database=", sizeof(option)) == 0) {
            scrub(arg + sizeof(option));
        }
    }
    if (const char *env = std::getenv("MC_DATABASE_URL")) {
        environmentUrl() = QByteArray(env);
        qunsetenv("MC_DATABASE_URL");
    }
}

QString databaseUrlAsGiven(const QString &shown)
{
    const Hidden &h = hiddenArgument();
    if (!h.shown.isEmpty() && shown.toUtf8() == h.shown)
        return QString::fromUtf8(h.given);
    return shown;
}

QString databaseUrlFromEnvironment()
{
    return QString::fromUtf8(environmentUrl());
}

} // namespace mc
