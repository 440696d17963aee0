// Validation in pydantic's shape, error sanitising, mention extraction, token comparison.

#include "accesstoken.h"
#include "fieldspec.h"
#include "messagerepository.h"
#include "sanitize.h"
#include "secretnames.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace mc;
class TestFieldSpec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void body_data();
    void body();
    void query_data();
    void query();
    void sanitize_data();
    void sanitize();
    void sanitizeLikePocketPaw_data();
    void sanitizeLikePocketPaw();
    void mentions();
    void tokenComparison();
    void secretNames_data();
    void secretNames();
};

void TestFieldSpec::body_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("types");
    QTest::newRow("valid") << QByteArray(R"({"name": "a", "tags": ["x"], "level": "lead"})") << QStringList();
    QTest::newRow("missing") << QByteArray(R"({})") << QStringList{u"missing"_s};
    QTest::newRow("null required") << QByteArray(R"({"name": null})") << QStringList{u"missing"_s};
    QTest::newRow("wrong type") << QByteArray(R"({"name": 1})") << QStringList{u"string_type"_s};
    QTest::newRow("too short") << QByteArray(R"({"name": ""})") << QStringList{u"string_too_short"_s};
    QTest::newRow("too long") << QByteArray(R"({"name": "abcdef"})") << QStringList{u"string_too_long"_s};
    QTest::newRow("list") << QByteArray(R"({"name": "a", "tags": "x"})") << QStringList{u"list_type"_s};
    QTest::newRow("list item") << QByteArray(R"({"name": "a", "tags": ["x", 2]})") << QStringList{u"string_type"_s};
    QTest::newRow("enum") << QByteArray(R"({"name": "a", "level": "x"})") << QStringList{u"enum"_s};
    QTest::newRow("uuid") << QByteArray(R"({"name": "a", "id": "nope"})") << QStringList{u"uuid_parsing"_s};
    QTest::newRow("several") << QByteArray(R"({"tags": 1, "level": 2})")
                             << QStringList{u"missing"_s, u"list_type"_s, u"enum"_s};
}

void TestFieldSpec::body()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, types);
    const FieldSpecs specs{FieldSpec::string(u"name"_s, 1, 5).required(), FieldSpec::stringList(u"tags"_s),
                           FieldSpec::oneOf(u"level"_s, {u"intern"_s, u"lead"_s}), FieldSpec::uuid(u"id"_s)};
    const QJsonArray errors = validateBody(QJsonDocument::fromJson(json).object(), specs);
    QStringList got;
    for (const QJsonValue &e : errors) {
        got.append(e.toObject().value(u"type"_s).toString());
        QCOMPARE(e.toObject().value(u"loc"_s).toArray().first().toString(), u"body"_s);
        QVERIFY(e.toObject().contains(u"msg"_s));
        QVERIFY(e.toObject().contains(u"input"_s));
    }
    QCOMPARE(got, types);
}

void TestFieldSpec::query_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("types");
    QTest::newRow("none") << QString() << QStringList();
    QTest::newRow("ok") << u"limit=10&unread=true&status=idle"_s << QStringList();
    QTest::newRow("negative") << u"limit=-1"_s << QStringList{u"greater_than_equal"_s};
    QTest::newRow("text") << u"limit=ten"_s << QStringList{u"int_parsing"_s};
    QTest::newRow("float") << u"limit=1.5"_s << QStringList{u"int_parsing"_s};
    QTest::newRow("bool") << u"unread=perhaps"_s << QStringList{u"bool_parsing"_s};
    QTest::newRow("enum") << u"status=zzz"_s << QStringList{u"enum"_s};
}

void TestFieldSpec::query()
{
    QFETCH(QString, query);
    QFETCH(QStringList, types);
    const FieldSpecs specs{FieldSpec::integer(u"limit"_s, u"100"_s), FieldSpec::boolean(u"unread"_s),
                           FieldSpec::oneOf(u"status"_s, {u"idle"_s})};
    QStringList got;
    for (const QJsonValue &e : validateQuery(QUrlQuery(query), specs))
        got.append(e.toObject().value(u"type"_s).toString());
    QCOMPARE(got, types);
}

void TestFieldSpec::sanitize_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("mustNotContain");
    QTest::newRow("path") << u"failed to open /home/alice/secret/config.json: denied"_s << u"/home/alice"_s;
    QTest::newRow("api key") << u"401: invalid api_key=sk-abcdefghijklmnop"_s << u"sk-abcdefghijklmnop"_s;
    QTest::newRow("bearer") << u"sent Authorization: Bearer abc123def456"_s << u"abc123def456"_s;
    QTest::newRow("password") << u"password: hunter2hunter2"_s << u"hunter2hunter2"_s;
    QTest::newRow("known secret") << u"token xyzzy-secret-value leaked"_s << u"xyzzy-secret-value"_s;
}

void TestFieldSpec::sanitize()
{
    QFETCH(QString, input);
    QFETCH(QString, mustNotContain);
    const QString out = sanitizeError(input, {u"xyzzy-secret-value"_s});
    QVERIFY2(!out.contains(mustNotContain), qPrintable(out));
    QVERIFY(sanitizeError(QString(1000, u'a')).size() <= 200);
}

void TestFieldSpec::sanitizeLikePocketPaw_data()
{
    // PocketPaw's _sanitize_error, and better where it is wrong (a URL is not a path).
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QString() << u"An error occurred"_s;
    QTest::newRow("blank") << u"  \n "_s << u"An error occurred"_s;
    QTest::newRow("path") << u"No such file: /home/alice/work/notes.txt"_s << u"No such file: [path]"_s;
    QTest::newRow("home path") << u"cannot open ~/secrets.env now"_s << u"cannot open [path] now"_s;
    QTest::newRow("windows path") << u"C:\\Users\\alice\\key.pem missing"_s << u"[path] missing"_s;
    QTest::newRow("key=") << u"bad key=abc123 given"_s << u"bad key=[redacted] given"_s;
    QTest::newRow("token:") << u"token: abc123"_s << u"token=[redacted]"_s;
    QTest::newRow("secret=") << u"SECRET=s3cr3t"_s << u"SECRET=[redacted]"_s;
    QTest::newRow("password=") << u"login failed password=hunter2"_s << u"login failed password=[redacted]"_s;
    QTest::newRow("json member") << uR"(body {"api_key": "sk-abcdefghijkl"})"_s << uR"(body {"api_key": "[redacted]"})"_s;
    QTest::newRow("bearer") << u"Authorization: Bearer abc.def"_s << u"Authorization: Bearer [redacted]"_s;
    // Issue 12 defect 9: the URL of a refused connection stays readable.
    QTest::newRow("url") << u"Connection refused: http://127.0.0.1:18083/v1/messages"_s
                         << u"Connection refused: http://127.0.0.1:18083/v1/messages"_s;
    QTest::newRow("url and path") << u"POST https://api.example.com/v1/chat failed; log in /var/log/mc/run.log"_s
                                  << u"POST https://api.example.com/v1/chat failed; log in [path]"_s;
    QTest::newRow("url with key") << u"GET http://h:1/x?key=abc failed"_s << u"GET http://h:1/x?key=[redacted] failed"_s;
    QTest::newRow("words with a slash") << u"read and/or write"_s << u"read and/or write"_s;
    QTest::newRow("long") << QString(250, u'x') << QString(QString(197, u'x') + u"..."_s);
}

void TestFieldSpec::sanitizeLikePocketPaw()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(sanitizeError(input), expected);
}

void TestFieldSpec::mentions()
{
    QCOMPARE(MessageRepository::extractMentions(u"hi @Ada, @bob_2 and @ADA; mail a@b.c @all"_s),
             (QStringList{u"ada"_s, u"bob_2"_s, u"all"_s}));
}

void TestFieldSpec::tokenComparison()
{
    const AccessToken token(AccessToken::generate());
    QVERIFY(token.value().size() >= 43);
    QVERIFY(token.matches(token.value()));
    QVERIFY(!token.matches(token.value().left(10)));
    QVERIFY(!token.matches(QByteArray(token.value() + "x")));
    QVERIFY(!token.matches(QByteArray()));
    QVERIFY(!AccessToken().matches(QByteArray()));
    QVERIFY(AccessToken::generate() != AccessToken::generate());
}

void TestFieldSpec::secretNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("secret");
    for (const QString &name : {u"api_key"_s, u"apiKey"_s, u"OPENAI_API_KEY"_s, u"GITHUB_TOKEN"_s, u"password"_s,
                                u"AWS_SECRET_ACCESS_KEY"_s, u"Authorization"_s, u"client-secret"_s, u"privateKey"_s})
        QTest::newRow(qPrintable(name)) << name << true;
    for (const QString &name : {u"api_key_env"_s, u"max_tokens"_s, u"PATH"_s, u"HOME"_s, u"model"_s, u"token_file"_s,
                                u"base_url"_s, u"keywords"_s, u""_s})
        QTest::newRow(qPrintable(u"not "_s + name)) << name << false;
}

void TestFieldSpec::secretNames()
{
    QFETCH(QString, name);
    QFETCH(bool, secret);
    QCOMPARE(isSecretName(name), secret);
}

QTEST_MAIN(TestFieldSpec)
#include "tst_fieldspec.moc"
