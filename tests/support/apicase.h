#pragma once

#include "httpclient.h"
#include "testserver.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <QTest>

namespace mc::test {

// A fresh server with a few entities, their ids available as placeholders for
// data-driven API tests: {agent} {agent2} {task} {assigned_task} {doc}
// {project} {notification} {missing}.
class ApiFixture
{
public:
    ApiFixture();
    HttpClient &client() { return m_client; }
    TestServer &server() { return m_server; }
    QString expand(QString text) const;
    QString id(const QString &name) const { return m_ids.value(name); }

private:
    TestServer m_server;
    HttpClient m_client;
    QHash<QString, QString> m_ids;
};

// Base of the per-resource API tests: a fresh fixture for every test function
// (and every data row); QtTest calls the inherited init()/cleanup() slots.
class ApiTestCase : public QObject
{
    Q_OBJECT

protected Q_SLOTS:
    void init() { m_fixture = std::make_unique<ApiFixture>(); }
    void cleanup() { m_fixture.reset(); }

protected:
    std::unique_ptr<ApiFixture> m_fixture;
};

// Columns: method, path, body (JSON text with placeholders), status, expected
// (JSON text: a subset the answer must contain).
void addApiColumns();
void addApiRow(const char *name, const char *method, const char *path, const char *body, int status,
               const char *expected);
void runApiCase(ApiFixture &fixture);

} // namespace mc::test
