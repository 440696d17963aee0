#include "httpclient.h"

#include <QEventLoop>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mc::test {

HttpClient::HttpClient(QString base, QString token)
    : m_base(std::move(base))
    , m_token(std::move(token))
{
}

QByteArray HttpClient::json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

HttpResponse HttpClient::request(const QByteArray &method, const QString &path, const QByteArray &body,
                                 const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest req(QUrl(m_base + path));
    req.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    if (!m_token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    for (const auto &[name, value] : headers)
        req.setRawHeader(name, value);
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResponse r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body);
    reply->deleteLater();
    return r;
}

QString HttpClient::createAgent(const QJsonObject &body)
{
    const HttpResponse r = post(api + u"/agents"_s, body);
    if (r.status != 200)
        qWarning() << "createAgent failed" << r.status << r.body;
    return r.object().value(u"agent"_s).toObject().value(u"id"_s).toString();
}

QString HttpClient::createTask(const QJsonObject &body)
{
    const HttpResponse r = post(api + u"/tasks"_s, body);
    if (r.status != 200)
        qWarning() << "createTask failed" << r.status << r.body;
    return r.object().value(u"task"_s).toObject().value(u"id"_s).toString();
}

} // namespace mc::test
