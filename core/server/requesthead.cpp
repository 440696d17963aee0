#include "requesthead.h"

#include <QByteArray>

namespace mc {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isValueChar(char c)
{
    return (c >= 0x20 && c <= 0x7e) || c == '\t';
}

bool isTargetChar(char c)
{
    return c > 0x20 && c <= 0x7e && c != '#';
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

bool nameIs(QByteArrayView name, QByteArrayView lowerCase)
{
    return name.compare(lowerCase, Qt::CaseInsensitive) == 0;
}

// Records a header that may appear once; a second one declines the request.
bool once(QByteArrayView value, QByteArrayView *slot, bool *seen)
{
    if (*seen)
        return false;
    *seen = true;
    *slot = value;
    return true;
}

bool parseRequestLine(QByteArrayView line, RequestHead *out)
{
    if (!line.startsWith("GET /"))
        return false;
    line = line.sliced(4);
    const qsizetype space = line.indexOf(' ');
    if (space < 0)
        return false;
    out->target = line.first(space);
    for (const char c : out->target) {
        if (!isTargetChar(c))
            return false;
    }
    const QByteArrayView version = line.sliced(space + 1);
    if (version == "HTTP/1.1")
        out->http10 = false;
    else if (version == "HTTP/1.0")
        out->http10 = true;
    else
        return false;
    return true;
}

} // namespace

bool RequestHead::parsePlainGet(QByteArrayView head, RequestHead *out)
{
    *out = RequestHead();
    qsizetype lineEnd = head.indexOf("\r\n");
    if (!parseRequestLine(head.first(lineEnd < 0 ? head.size() : lineEnd), out))
        return false;
    bool hostSeen = false;
    bool authorizationSeen = false;
    bool connectionSeen = false;
    while (lineEnd >= 0) {
        head = head.sliced(lineEnd + 2);
        lineEnd = head.indexOf("\r\n");
        const QByteArrayView line = head.first(lineEnd < 0 ? head.size() : lineEnd);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        const QByteArrayView name = line.first(colon);
        for (const char c : name) {
            if (!isTokenChar(c))
                return false;
        }
        const QByteArrayView rawValue = line.sliced(colon + 1);
        for (const char c : rawValue) {
            if (!isValueChar(c))
                return false;
        }
        const QByteArrayView value = trimmed(rawValue);
        if (nameIs(name, "host")) {
            if (!once(value, &out->host, &hostSeen))
                return false;
        } else if (nameIs(name, "authorization")) {
            if (!once(value, &out->authorization, &authorizationSeen))
                return false;
        } else if (nameIs(name, "connection")) {
            if (!once(value, &out->connection, &connectionSeen))
                return false;
        } else if (nameIs(name, "content-length") || nameIs(name, "transfer-encoding") || nameIs(name, "expect")
                   || nameIs(name, "upgrade")) {
            return false;   // a body or a protocol switch: QHttpServer's business
        }
    }
    // "Connection: upgrade" asks for a protocol switch even without Upgrade.
    const QByteArray connection = out->connection.toByteArray().toLower();
    return !connection.contains("upgrade");
}

} // namespace mc
