#include "apicase.h"

#include "jsonmatch.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mc::test {

ApiFixture::ApiFixture()
    : m_client(m_server.base(), m_server.token())
{
    m_ids[u"agent"_s] = m_client.createAgent({{u"name"_s, u"Ada"_s}, {u"role"_s, u"engineer"_s}});
    m_ids[u"agent2"_s] = m_client.createAgent({{u"name"_s, u"bob"_s}, {u"role"_s, u"reviewer"_s}});
    m_ids[u"task"_s] = m_client.createTask({{u"title"_s, u"Plain task"_s}, {u"tags"_s, QJsonArray{u"alpha"_s}}});
    m_ids[u"assigned_task"_s] = m_client.createTask(
            {{u"title"_s, u"Assigned task"_s}, {u"assignee_ids"_s, QJsonArray{m_ids[u"agent"_s]}},
             {u"tags"_s, QJsonArray{u"beta"_s}}});
    m_ids[u"doc"_s] = m_client.post(api + u"/documents"_s,
                                     {{u"title"_s, u"Spec"_s}, {u"content"_s, u"v1"_s}, {u"type"_s, u"research"_s}})
                               .object().value(u"document"_s).toObject().value(u"id"_s).toString();
    m_ids[u"project"_s] = m_client.post(api + u"/projects"_s, {{u"title"_s, u"Apollo"_s}})
                                   .object().value(u"project"_s).toObject().value(u"id"_s).toString();
    m_ids[u"notification"_s] = m_client.get(api + u"/notifications"_s)
                                        .object().value(u"notifications"_s).toArray().first().toObject()
                                        .value(u"id"_s).toString();
    m_ids[u"missing"_s] = u"00000000-0000-4000-8000-000000000000"_s;
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
    QVERIFY2(r.status == status, qPrintable(u"status %1, body %2"_s.arg(r.status).arg(QString::fromUtf8(r.body))));
    QVERIFY2(r.json.isObject(), r.body.constData());
    if (!expected.isEmpty()) {
        const QJsonDocument want = QJsonDocument::fromJson(fixture.expand(expected).toUtf8());
        QVERIFY2(want.isObject(), "bad expectation JSON");
        QString why;
        QVERIFY2(jsonContains(r.json.object(), want.object(), &why),
                 qPrintable(why + u" in "_s + QString::fromUtf8(r.body.left(2000))));
    }
}

} // namespace mc::test
