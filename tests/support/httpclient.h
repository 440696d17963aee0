#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QString>

namespace mc::test {

struct HttpResponse
{
    int status = 0;
    QByteArray body;
    QJsonDocument json;
    QJsonObject object() const { return json.object(); }
};

// A blocking HTTP client over QNetworkAccessManager (it spins an event loop,
// so the in-process server keeps serving while a test waits).
class HttpClient
{
public:
    HttpClient(QString base, QString token);

    HttpResponse request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                         const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpResponse get(const QString &path) { return request("GET", path); }
    HttpResponse post(const QString &path, const QJsonObject &body) { return request("POST", path, json(body)); }
    HttpResponse post(const QString &path) { return request("POST", path); }
    HttpResponse patch(const QString &path, const QJsonObject &body) { return request("PATCH", path, json(body)); }
    HttpResponse del(const QString &path) { return request("DELETE", path); }
    void setToken(QString token) { m_token = std::move(token); }
    static QByteArray json(const QJsonObject &o);

    // Convenience creators (API prefix added): return the created entity's id.
    QString createAgent(const QJsonObject &body);
    QString createTask(const QJsonObject &body);

private:
    QString m_base;
    QString m_token;
    QNetworkAccessManager m_nam;
};

inline const QString api = QStringLiteral("/api/mission-control");

} // namespace mc::test
