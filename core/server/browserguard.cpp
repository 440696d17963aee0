#include "browserguard.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace mc {

bool BrowserGuard::hostNameAllowed(const QString &rawHost) const
{
    QString host = rawHost.toLower();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (host.endsWith(u'.'))
        host.chop(1);
    if (host == u"localhost"_s || host.endsWith(u".localhost"_s))
        return true;
    QHostAddress address;
    if (!address.setAddress(host))
        return false;   // a name that is not ours: DNS rebinding
    if (address.isLoopback() || address.isEqual(m_bound, QHostAddress::TolerantConversion))
        return true;
    return m_bound == QHostAddress::Any || m_bound == QHostAddress::AnyIPv4 || m_bound == QHostAddress::AnyIPv6;
}

bool BrowserGuard::hostAllowed(const QByteArray &hostHeader) const
{
    const QByteArray value = hostHeader.trimmed();
    if (value.isEmpty())
        return true;
    // host[:port] or [v6][:port]
    QByteArray host = value;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return false;
        host = host.left(close + 1);
    } else if (host.count(':') == 1) {
        host = host.left(host.indexOf(':'));
    }
    return hostNameAllowed(QString::fromLatin1(host));
}

bool BrowserGuard::originAllowed(const QByteArray &originHeader) const
{
    const QByteArray value = originHeader.trimmed();
    if (value.isEmpty() || value == "null")
        return true;
    const QUrl origin(QString::fromLatin1(value), QUrl::StrictMode);
    if (!origin.isValid() || (origin.scheme() != u"http"_s && origin.scheme() != u"https"_s))
        return false;
    const int defaultPort = origin.scheme() == u"https"_s ? 443 : 80;
    return origin.port(defaultPort) == int(m_port) && hostNameAllowed(origin.host());
}

bool BrowserGuard::isJsonContentType(const QByteArray &contentType)
{
    const QByteArray type = contentType.split(';').constFirst().trimmed().toLower();
    return type == "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

} // namespace mc
