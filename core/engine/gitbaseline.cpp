#include "gitbaseline.h"

#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace mc::gitbaseline {

namespace {
constexpr int kGitTimeoutMs = 10000;

struct GitResult
{
    bool ok = false;
    QByteArray out;
};

GitResult git(const QString &workDir, const QStringList &args)
{
    QProcess process;
    process.setWorkingDirectory(workDir);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(u"git"_s, safeOptions() + args);
    if (!process.waitForFinished(kGitTimeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, process.readAllStandardOutput()};
}
} // namespace

QJsonObject read(const QString &workDir)
{
    QJsonObject baseline{{u"work_dir"_s, workDir}};
    if (QStandardPaths::findExecutable(u"git"_s).isEmpty()) {
        baseline.insert(u"git"_s, false);
        return baseline;
    }
    baseline.insert(u"git"_s, true);
    const GitResult inside = git(workDir, {u"rev-parse"_s, u"--is-inside-work-tree"_s});
    baseline.insert(u"repo"_s, inside.ok && inside.out.trimmed() == "true");
    if (!baseline.value(u"repo"_s).toBool())
        return baseline;
    const GitResult head = git(workDir, {u"rev-parse"_s, u"--verify"_s, u"--quiet"_s, u"HEAD"_s});
    baseline.insert(u"head"_s, head.ok ? QString::fromLatin1(head.out.trimmed()) : QString::fromLatin1(kEmptyTree));
    // "normal" names an untracked folder once instead of every file in it.
    const GitResult status = git(workDir, {u"status"_s, u"--porcelain"_s, u"--untracked-files=normal"_s});
    baseline.insert(u"dirty"_s, !status.ok || !status.out.trimmed().isEmpty());
    return baseline;
}

QStringList safeOptions()
{
    return {u"--no-optional-locks"_s, u"-c"_s, u"core.fsmonitor=false"_s, u"-c"_s, u"core.hooksPath=/dev/null"_s};
}

QString filePath(const QString &dataDir, const QString &runId)
{
    return QDir(dataDir).filePath(u"run-baselines/"_s + runId + u".json"_s);
}

void save(const QString &dataDir, const QString &runId, const QJsonObject &baseline)
{
    const QString path = filePath(dataDir, runId);
    QDir().mkpath(QFileInfo(path).path());
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QJsonDocument(baseline).toJson(QJsonDocument::Compact));
        file.commit();
    }
}

QJsonObject load(const QString &dataDir, const QString &runId)
{
    QFile file(filePath(dataDir, runId));
    if (runId.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.read(1 << 20)).object();
}

} // namespace mc::gitbaseline
