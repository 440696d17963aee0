#include "errortext.h"

#include "apierror.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mc {

QString errorText(const std::exception &e)
{
    if (const auto *api = dynamic_cast<const ApiError *>(&e)) {
        if (api->detail().isString())
            return api->detail().toString();
        return api->detail().toArray().first().toObject().value(u"msg"_s).toString();
    }
    return QString::fromUtf8(e.what());
}

} // namespace mc
