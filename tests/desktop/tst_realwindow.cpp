// The real mission-control binary with its real window on an X server (Xvfb),
// driven as a person drives it: keys typed and a mouse click sent through
// XTEST by xdotool, not QTest events posted to widgets. What the person did is
// checked through the REST API of the same process.

#include "appprocess.h"
#include "httpclient.h"
#include "queuetesting.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mc::test;

class TestRealWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void typedTaskAndClickedRowRun();

private:
    // xdotool with arguments; its stdout, trimmed. Bounded: `--sync` waits
    // for a window that may never come.
    QString xdotool(const QStringList &args, int timeoutMs = 15000);
    QJsonArray tasksTitled(HttpClient &client, const QString &title);

    QProcess m_xvfb;
    QString m_display;
    QString m_xdotoolPath;
};

void TestRealWindow::initTestCase()
{
    const QString xvfb = QStandardPaths::findExecutable(u"Xvfb"_s);
    m_xdotoolPath = QStandardPaths::findExecutable(u"xdotool"_s);
    QVERIFY2(!xvfb.isEmpty() && !m_xdotoolPath.isEmpty(),
             "Xvfb and xdotool are needed for a real window (apt-get install xvfb xdotool)");
    // -displayfd 1: the server picks a free display and prints its number.
    m_xvfb.start(xvfb, {u"-displayfd"_s, u"1"_s, u"-screen"_s, u"0"_s, u"1280x800x24"_s, u"-nolisten"_s, u"tcp"_s});
    QVERIFY2(m_xvfb.waitForStarted(10000), qPrintable(m_xvfb.errorString()));
    QDeadlineTimer deadline(20000);
    while (!m_xvfb.canReadLine() && !deadline.hasExpired() && m_xvfb.state() == QProcess::Running)
        m_xvfb.waitForReadyRead(100);
    m_display = QString::fromLatin1(m_xvfb.readLine()).trimmed();
    QVERIFY2(!m_display.isEmpty(), m_xvfb.readAllStandardError().constData());
    m_display.prepend(u':');
}

void TestRealWindow::cleanupTestCase()
{
    m_xvfb.terminate();
    m_xvfb.waitForFinished(5000);
}

QString TestRealWindow::xdotool(const QStringList &args, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DISPLAY"_s, m_display);
    p.setProcessEnvironment(env);
    p.start(m_xdotoolPath, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(1000);
        qWarning() << "xdotool" << args << "did not finish in" << timeoutMs << "ms";
        return {};
    }
    if (p.exitCode() != 0)
        qWarning() << "xdotool" << args << "failed:" << p.readAllStandardError();
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QJsonArray TestRealWindow::tasksTitled(HttpClient &client, const QString &title)
{
    QJsonArray found;
    for (const QJsonValue &t : client.get(api + u"/tasks"_s).object().value(u"tasks"_s).toArray()) {
        if (t.toObject().value(u"title"_s).toString() == title)
            found.append(t);
    }
    return found;
}

void TestRealWindow::typedTaskAndClickedRowRun()
{
    QTemporaryDir dir;
    const QString dataDir = dir.path() + u"/data"_s;
    AppProcess app;
    app.setWindowed(true);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"DISPLAY"_s, m_display);
    env.insert(u"QT_QPA_PLATFORM"_s, u"xcb"_s);   // the suite runs offscreen; this one on X
    env.insert(u"MISSION_CONTROL_SETTINGS"_s, dir.path() + u"/settings.ini"_s);
    app.process().setProcessEnvironment(env);
    QVERIFY2(app.start(dataDir, {}, 30000), app.errorOutput().constData());
    HttpClient client(app.base(), app.token(dataDir));

    const QString window = xdotool({u"search"_s, u"--sync"_s, u"--onlyvisible"_s, u"--name"_s, u"^Mission Control$"_s})
                                   .section(u'\n', 0, 0);
    QVERIFY2(!window.isEmpty(), app.errorOutput().constData());
    xdotool({u"windowfocus"_s, u"--sync"_s, window});

    // Mouse: "Don't show again" on the first-start guide, at the right end of
    // its top row; the guide remembers it in the settings file.
    const QString geometry = xdotool({u"getwindowgeometry"_s, u"--shell"_s, window});
    const int width = geometry.section(u"WIDTH="_s, 1).section(u'\n', 0, 0).toInt();
    QVERIFY2(width > 800, qPrintable(geometry));
    xdotool({u"mousemove"_s, u"--window"_s, window, QString::number(width - 60), u"104"_s, u"click"_s, u"1"_s});
    QTRY_VERIFY_WITH_TIMEOUT(QSettings(dir.path() + u"/settings.ini"_s, QSettings::IniFormat).value(u"guide/done"_s).toBool(),
                             5000);

    // Keyboard: New Task (Ctrl+N), a title typed key by key, Return.
    xdotool({u"key"_s, u"--clearmodifiers"_s, u"ctrl+n"_s});
    QVERIFY(!xdotool({u"search"_s, u"--sync"_s, u"--onlyvisible"_s, u"--name"_s, u"^New Task$"_s}).isEmpty());
    const QString typed = u"Typed under Xvfb"_s;
    xdotool({u"type"_s, u"--delay"_s, u"30"_s, typed});
    xdotool({u"key"_s, u"Return"_s});
    QTRY_COMPARE_WITH_TIMEOUT(tasksTitled(client, typed).size(), 1, 15000);
    const QString typedId = tasksTitled(client, typed).first().toObject().value(u"id"_s).toString();

    // A task created elsewhere (by a script) with an agent: the newest, so the
    // first row of the list (sorted by Updated), while the typed one stays
    // selected.
    const QString agent = client.createAgent(shellAgent(u"Echoer"_s, u"echo hello from a real window"_s));
    const QString clicked = client.createTask({{u"title"_s, u"Clicked with the mouse"_s},
                                               {u"assignee_ids"_s, QJsonArray{agent}}});
    QVERIFY(!clicked.isEmpty());
    QTest::qWait(1500);   // the window's list hears of it

    // Mouse: a click on the first row of the task list (below the toolbar,
    // the figures bar, the filter and the header; the guide is gone), then
    // Run (Ctrl+R) and Return in its agent choice (the task's assignee) run
    // the clicked task. Without the click it would be the typed one.
    xdotool({u"mousemove"_s, u"--window"_s, window, u"40"_s, u"145"_s, u"click"_s, u"1"_s});
    QTest::qWait(300);
    xdotool({u"key"_s, u"--clearmodifiers"_s, u"ctrl+r"_s});
    QVERIFY(!xdotool({u"search"_s, u"--sync"_s, u"--onlyvisible"_s, u"--name"_s, u"^Run task$"_s}).isEmpty());
    QTest::qWait(300);
    xdotool({u"key"_s, u"Return"_s});
    QTRY_COMPARE_WITH_TIMEOUT(client.get(api + u"/tasks/"_s + clicked).object().value(u"task"_s).toObject()
                                      .value(u"status"_s).toString(),
                              u"done"_s, 20000);
    const QJsonArray runs = client.get(api + u"/tasks/"_s + clicked + u"/runs"_s).object().value(u"runs"_s).toArray();
    QCOMPARE(runs.size(), 1);
    const QString runId = runs.first().toObject().value(u"id"_s).toString();
    const QByteArray output = client.get(api + u"/runs/"_s + runId + u"/output"_s).body;
    QVERIFY2(output.contains("hello from a real window"), output.constData());
    QCOMPARE(client.get(api + u"/tasks/"_s + typedId + u"/runs"_s).object().value(u"runs"_s).toArray().size(), 0);
    app.terminate();
}

QTEST_GUILESS_MAIN(TestRealWindow)
#include "tst_realwindow.moc"
