#include "apicase.h"

#include "jsonmatch.h"

#include <QJsonArray>

namespace mc::test {

ApiFixture::ApiFixture()
    : m_client(m_server.base(), m_server.token())
{
    m_ids[u"agent"_qs] = m_client.createAgent({{u"name"_qs, u"Ada"_qs}, {u"role"_qs, u"engineer"_qs}});
    m_ids[u"agent2"_qs] = m_client.createAgent({{u"name"_qs, u"bob"_qs}, {u"role"_qs, u"reviewer"_qs}});
    m_ids[u"task"_qs] = m_client.createTask({{u"title"_qs, u"Plain task"_qs}, {u"tags"_qs, QJsonArray{u"alpha"_qs}}});
    m_ids[u"assigned_task"_qs] = m_client.createTask(
            {{u"title"_qs, u"Assigned task"_qs}, {u"assignee_ids"_qs, QJsonArray{m_ids[u"agent"_qs]}},
             {u"tags"_qs, QJsonArray{u"beta"_qs}}});
    m_ids[u"doc"_qs] = m_client.post(api + u"/documents"_qs,
                                     {{u"title"_qs, u"Spec"_qs}, {u"content"_qs, u"v1"_qs}, {u"type"_qs, u"research"_qs}})
                               .object().value(u"document"_qs).toObject().value(u"id"_qs).toString();
    m_ids[u"project"_qs] = m_client.post(api + u"/projects"_qs, {{u"title"_qs, u"Apollo"_qs}})
                                   .object().value(u"project"_qs).toObject().value(u"id"_qs).toString();
    m_ids[u"notification"_qs] = m_client.get(api + u"/notifications"_qs)
                                        .object().value(u"notifications"_qs).toArray().first().toObject()
                                        .value(u"id"_qs).toString();
    m_ids[u"missing"_qs] = u"00000000-0000-4000-8000-000000000000"_qs;
}

QString ApiFixture::expand(QString text) const
{
    for (auto it = m_ids.cbegin(); it != m_ids.cend(); ++it)
        text.replace(u'{' + it.key() + u'}', it.value());
    return text;
}

void addApiColumns()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expected");
}

void addApiRow(const char *name, const char *method, const char *path, const char *body, int status,
               const char *expected)
{
    QTest::newRow(name) << QByteArray(method) << QString::fromUtf8(path) << QString::fromUtf8(body) << status
                        << QString::fromUtf8(expected);
}

void runApiCase(ApiFixture &fixture)
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, body);
    QFETCH(int, status);
    QFETCH(QString, expected);
    const HttpResponse r = fixture.client().request(method, api + fixture.expand(path), fixture.expand(body).toUtf8());
    QVERIFY2(r.status == status, qPrintable(u"status %1, body %2"_qs.arg(r.status).arg(QString::fromUtf8(r.body))));
    QVERIFY2(r.json.isObject(), r.body.constData());
    if (!expected.isEmpty()) {
        const QJsonDocument want = QJsonDocument::fromJson(fixture.expand(expected).toUtf8());
        QVERIFY2(want.isObject(), "bad expectation JSON");
        QString why;
        QVERIFY2(jsonContains(r.json.object(), want.object(), &why),
                 qPrintable(why + u" in "_qs + QString::fromUtf8(r.body.left(2000))));
    }
}

} // namespace mc::test
