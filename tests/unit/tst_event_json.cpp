// The output event written directly (the hot path) is byte for byte what the
// generic writer (QJsonObject + QJsonDocument) gives, for any text an agent prints.

#include "websockethub.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

class TestEventJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outputFrameMatchesTheGenericWriter_data();
    void outputFrameMatchesTheGenericWriter();
};

void TestEventJson::outputFrameMatchesTheGenericWriter_data()
{
    QTest::addColumn<QString>("content");
    QTest::newRow("plain") << u"Reading the brief"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("quotes and backslashes") << uR"(say "hi" \ C:\path\n)"_s;
    QTest::newRow("control characters") << QString(u"a\nb\rc\td"_s + QChar(0x01) + QChar(0x1f) + QChar(0x7f) + QChar(0x08) + QChar(0x0c));
    QTest::newRow("unicode") << u"héllo → 世界 🚀 \u2028 end"_s;
    QTest::newRow("html and slashes") << u"</script><b>&amp;</b> a/b"_s;
}

void TestEventJson::outputFrameMatchesTheGenericWriter()
{
    QFETCH(QString, content);
    mc::OutputChunk chunk;
    chunk.runId = u"2b0c6f2e-1f5e-4f55-9d3c-7d1c2f3a4b5c"_s;
    chunk.taskId = u"0f9e8d7c-6b5a-4c3d-8e2f-1a2b3c4d5e6f"_s;
    chunk.seq = 123456789;
    chunk.type = u"tool_result"_s;
    chunk.content = content;
    chunk.timestamp = u"2026-11-23T14:13:51.123456+00:00"_s;
    const QString direct = mc::WebSocketHub::outputFrame(chunk);
    QCOMPARE(direct, mc::WebSocketHub::eventFrame(u"mc_task_output"_s, chunk.toJson()));
    QJsonParseError error;
    const QJsonObject parsed = QJsonDocument::fromJson(direct.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(parsed.value(u"data"_s).toObject().value(u"content"_s).toString(), content);
}

QTEST_MAIN(TestEventJson)
#include "tst_event_json.moc"
