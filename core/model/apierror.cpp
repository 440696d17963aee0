#include "apierror.h"

#include <QJsonDocument>
#include <QJsonObject>

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
    QJsonObject e{{u"type"_qs, type}, {u"loc"_qs, loc}, {u"msg"_qs, msg}, {u"input"_qs, input}};
    return validation(QJsonArray{e});
}

} // namespace mc
