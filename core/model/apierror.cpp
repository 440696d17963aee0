#include "apierror.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mc {

ApiError::ApiError(int status, QJsonValue detail)
    : m_status(status)
    , m_detail(std::move(detail))
{
    m_what = m_detail.isString() ? m_detail.toString().toUtf8()
                                 : QJsonDocument(m_detail.toArray()).toJson(QJsonDocument::Compact);
}

ApiError ApiError::invalid(const QJsonArray &loc, const QString &type, const QString &msg,
                           const QJsonValue &input)
{
    QJsonObject e{{u"type"_s, type}, {u"loc"_s, loc}, {u"msg"_s, msg}, {u"input"_s, input}};
    return validation(QJsonArray{e});
}

} // namespace mc
