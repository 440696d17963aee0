#include "errormapper.h"

#include "apierror.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcApi, "mc.api")

namespace mc {

Reply replyFor(int status, const QJsonValue &detail)
{
    return {status, QJsonDocument(QJsonObject{{u"detail"_s, detail}}).toJson(QJsonDocument::Compact)};
}

Reply guarded(const std::function<Reply()> &work)
{
    try {
        return work();
    } catch (const ApiError &e) {
        return replyFor(e.status(), e.detail());
    } catch (const StoreError &e) {
        qCWarning(lcApi) << "store failure:" << e.message();
        if (e.storageFull()) {
            return replyFor(507, u"Insufficient storage: the disk holding the data directory is full; "
                                 "nothing was changed, retry once space is freed"_s);
        }
        return replyFor(500, u"Internal Server Error"_s);
    } catch (const std::exception &e) {
        qCWarning(lcApi) << "unexpected failure:" << e.what();
        return replyFor(500, u"Internal Server Error"_s);
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
    default: return "Internal Server Error";
    }
}

QByteArray rawHttpError(int status, const QString &detail)
{
    const QByteArray body = replyFor(status, detail).body;
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
            + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace mc
