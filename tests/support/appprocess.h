#pragma once

#include <QProcess>
#include <QStringList>

namespace mc::test {

// The real mission-control binary (MC_BINARY), started on port 0: headless,
// or with its window (setWindowed, on the display of the process environment).
class AppProcess
{
public:
    ~AppProcess();
    static QString binary();
    // Starts and waits for "listening on http://HOST:PORT"; false on failure.
    bool start(const QString &dataDir, const QStringList &extraArgs = {}, int timeoutMs = 15000);
    void kill();                      // SIGKILL
    int terminate(int timeoutMs = 15000);   // SIGTERM, returns the exit code
    quint16 port() const { return m_port; }
    QString base() const;
    QString token(const QString &dataDir) const;
    QProcess &process() { return m_process; }
    void setWindowed(bool windowed) { m_windowed = windowed; }
    QByteArray output() const { return m_output; }
    QByteArray errorOutput() const { return m_error; }

private:
    QProcess m_process;
    quint16 m_port = 0;
    bool m_windowed = false;
    QByteArray m_output;
    QByteArray m_error;
};

} // namespace mc::test
