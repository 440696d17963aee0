// The New Agent command line is split like a POSIX shell splits a simple
// command: each case is checked against /bin/sh itself, which prints the argv
// it built, and the quoting back gives the same argv again.

#include "shellwords.h"

#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mc;

namespace {
// The argv /bin/sh builds from `line` (printf '%s\0' repeats per argument).
QStringList shellArgv(const QString &line)
{
    QProcess sh;
    sh.start(u"/bin/sh"_s, {u"-c"_s, u"printf '%s\\0' "_s + line});
    if (!sh.waitForFinished(10000))
        return {u"<sh did not finish>"_s};
    QStringList out = QString::fromUtf8(sh.readAllStandardOutput()).split(QChar(0));
    out.removeLast();   // after the last NUL
    return out;
}
} // namespace

class TestShellWords : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void likeShell_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("words");
        QTest::newRow("plain") << u"echo a  b\tc"_s << QStringList{u"echo"_s, u"a"_s, u"b"_s, u"c"_s};
        QTest::newRow("single quotes") << u"sh -c 'echo a b'"_s << QStringList{u"sh"_s, u"-c"_s, u"echo a b"_s};
        QTest::newRow("single keeps backslash and dq") << u"x 'a\\b \"c\"'"_s << QStringList{u"x"_s, u"a\\b \"c\""_s};
        QTest::newRow("double quotes") << u"x \"a 'b' \\\"c\\\" \\\\ \\q\""_s << QStringList{u"x"_s, u"a 'b' \"c\" \\ \\q"_s};
        QTest::newRow("backslash space") << u"x a\\ b c\\\\d \\'e"_s << QStringList{u"x"_s, u"a b"_s, u"c\\d"_s, u"'e"_s};
        QTest::newRow("adjacent parts join") << u"x a'b c'\"d e\"f"_s << QStringList{u"x"_s, u"ab cd ef"_s};
        QTest::newRow("empty quoted words") << u"x '' \"\" y"_s << QStringList{u"x"_s, QString(), QString(), u"y"_s};
        QTest::newRow("quote inside single") << u"x 'it'\\''s'"_s << QStringList{u"x"_s, u"it's"_s};
        QTest::newRow("unicode") << u"x 'größe  ✓' ü"_s << QStringList{u"x"_s, u"größe  ✓"_s, u"ü"_s};
        QTest::newRow("leading and trailing blanks") << u"   x   y   "_s << QStringList{u"x"_s, u"y"_s};
    }
    void likeShell()
    {
        QFETCH(QString, line);
        QFETCH(QStringList, words);
        const ShellWords parsed = splitShellWords(line);
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        QCOMPARE(parsed.words, words);
        // /bin/sh agrees (printf stands in for the program: its arguments after the format).
        QStringList sh = shellArgv(line);
        QCOMPARE(sh, words);
        // Quoted back, the words read the same.
        QCOMPARE(splitShellWords(joinShellWords(words)).words, words);
        QCOMPARE(shellArgv(joinShellWords(words)), words);
    }
    void errors_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("error");
        QTest::newRow("open single") << u"sh -c 'echo"_s << u"single quote"_s;
        QTest::newRow("open double") << u"sh -c \"echo"_s << u"double quote"_s;
        QTest::newRow("trailing backslash") << u"echo \\"_s << u"backslash"_s;
    }
    void errors()
    {
        QFETCH(QString, line);
        QFETCH(QString, error);
        const ShellWords parsed = splitShellWords(line);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error.contains(error), qPrintable(parsed.error));
    }
    void emptyLine()
    {
        QVERIFY(splitShellWords(u"  \t "_s).ok());
        QVERIFY(splitShellWords(u"  \t "_s).words.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestShellWords)
#include "tst_shellwords.moc"
