#include "appprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

namespace mc::test {

AppProcess::~AppProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString AppProcess::binary()
{
    return qEnvironmentVariable("MC_BINARY");
}

bool AppProcess::start(const QString &dataDir, const QStringList &extraArgs, int timeoutMs)
{
    m_output.clear();
    m_error.clear();
    m_port = 0;
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    const QStringList mode = m_windowed ? QStringList() : QStringList{u"--headless"_s};
    m_process.start(binary(), mode + QStringList{u"--port"_s, u"0"_s, u"--data-dir"_s, dataDir} + extraArgs);
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    static const QRegularExpression listening(uR"(listening on http://[^:]+:(\d+))"_s);
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(50);
        m_output += m_process.readAllStandardOutput();
        const auto match = listening.match(QString::fromUtf8(m_output));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    m_process.waitForFinished(1000);
    m_error = m_process.readAllStandardError();
    qInfo() << "app did not start:" << m_output << m_error;
    return false;
}

void AppProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

int AppProcess::terminate(int timeoutMs)
{
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
}

QString AppProcess::base() const
{
    return u"http://127.0.0.1:%1"_s.arg(m_port);
}

QString AppProcess::token(const QString &dataDir) const
{
    QProcess p;
    p.start(binary(), {u"--print-token"_s, u"--data-dir"_s, dataDir});
    p.waitForFinished(10000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace mc::test
