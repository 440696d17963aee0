#include "gitchanges.h"

#include "gitbaseline.h"

#include <QDir>
#include <QHash>
#include <algorithm>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
QStringList nulSeparated(const QByteArray &out)
{
    QStringList items;
    for (const QByteArray &item : out.split('\0')) {
        if (!item.isEmpty())
            items.append(QString::fromUtf8(item));
    }
    return items;
}
} // namespace

GitChanges::GitChanges(QObject *parent)
    : QObject(parent)
{
}

GitChanges::~GitChanges()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void GitChanges::load(const QJsonObject &baseline)
{
    ++m_generation;
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_files.clear();
    m_error.clear();
    m_notes.clear();
    m_top.clear();
    const QString workDir = baseline.value(u"work_dir"_s).toString();
    if (baseline.isEmpty())
        return fail(tr("No starting point was recorded for this run (it started before Mission Control recorded "
                       "one), so what it changed cannot be told apart."));
    if (!baseline.value(u"git"_s).toBool(true) || QStandardPaths::findExecutable(u"git"_s).isEmpty())
        return fail(tr("The git program is not installed, so the changes cannot be read. Install git "
                       "(apt-get install git) and open this view again."));
    if (!baseline.value(u"repo"_s).toBool())
        return fail(tr("The run's working folder %1 is not a git repository, so its changes are not tracked. "
                       "Run `git init` there (and commit) before the next run to see them here.")
                            .arg(QDir::toNativeSeparators(workDir)));
    if (!QDir(workDir).exists())
        return fail(tr("The run's working folder %1 no longer exists.").arg(QDir::toNativeSeparators(workDir)));
    m_head = baseline.value(u"head"_s).toString();
    m_top = workDir;
    if (baseline.value(u"dirty"_s).toBool())
        m_notes.append(tr("The folder already had uncommitted changes when the run started; they are included."));
    git({u"rev-parse"_s, u"--show-toplevel"_s}, [this](bool ok, const QByteArray &out) {
        if (!ok)
            return fail(tr("The run's working folder is no longer a git repository."));
        m_top = QString::fromUtf8(out.trimmed());
        git({u"diff"_s, u"--name-status"_s, u"--no-renames"_s, u"-z"_s, m_head, u"--"_s}, [this](bool ok, const QByteArray &out) {
            if (!ok)
                return fail(tr("git cannot compare with the commit the run started from (%1); was the history "
                               "rewritten?").arg(m_head.left(12)));
            readNameStatus(out);
            git({u"status"_s, u"--porcelain"_s, u"-z"_s, u"--untracked-files=all"_s},
                [this](bool ok, const QByteArray &out) {
                    if (ok)
                        readUntracked(out);
                    git({u"-c"_s, u"core.quotePath=false"_s, u"diff"_s, u"--no-color"_s, u"--no-ext-diff"_s,
                         u"--no-textconv"_s, u"--no-renames"_s, m_head, u"--"_s},
                        [this](bool ok, const QByteArray &out) {
                            if (ok)
                                readDiff(out);
                            diffUntracked(0);
                        });
                });
        });
    });
}

void GitChanges::git(const QStringList &args, Done done, bool exitOneIsOk)
{
    auto *process = new QProcess(this);
    m_process = process;
    auto *output = new QByteArray;
    auto *cut = new bool(false);
    auto *timer = new QTimer(process);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, process, [this, process] {
        m_notes.append(tr("git took longer than %1 s and was stopped.").arg(stepTimeoutMs / 1000));
        process->kill();
    });
    connect(process, &QProcess::readyReadStandardOutput, this, [process, output, cut] {
        const QByteArray chunk = process->readAllStandardOutput();
        if (*cut)
            return;
        output->append(chunk.left(maxDiffBytes - output->size()));
        if (output->size() >= maxDiffBytes) {
            *cut = true;
            process->kill();
        }
    });
    const quint64 generation = m_generation;
    connect(process, &QProcess::finished, this,
            [this, process, output, cut, done = std::move(done), exitOneIsOk, generation](int code, QProcess::ExitStatus status) {
                output->append(process->readAllStandardOutput().left(maxDiffBytes - output->size()));
                const QByteArray out = *output;
                const bool wasCut = *cut;
                delete output;
                delete cut;
                process->deleteLater();
                if (generation != m_generation)
                    return;
                m_process = nullptr;
                if (wasCut)
                    m_notes.append(tr("The changes are larger than %1 MiB; only the first part is shown.")
                                           .arg(maxDiffBytes / (1024 * 1024)));
                const bool ok = wasCut || (status == QProcess::NormalExit && (code == 0 || (exitOneIsOk && code == 1)));
                done(ok, out);
            });
    connect(process, &QProcess::errorOccurred, this, [this, process, generation](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || generation != m_generation)
            return;
        process->deleteLater();
        m_process = nullptr;
        fail(tr("The git program could not be started."));
    });
    process->setWorkingDirectory(m_top);
    process->start(u"git"_s, gitbaseline::safeOptions() + args);
    timer->start(stepTimeoutMs);
}

void GitChanges::fail(const QString &message)
{
    m_error = message;
    m_files.clear();
    Q_EMIT finished();
}

void GitChanges::done()
{
    std::sort(m_files.begin(), m_files.end(),
              [](const ChangedFile &a, const ChangedFile &b) { return a.path < b.path; });
    Q_EMIT finished();
}

void GitChanges::readNameStatus(const QByteArray &out)
{
    const QStringList items = nulSeparated(out);
    for (int i = 0; i + 1 < items.size(); i += 2)
        m_files.append({items.at(i + 1), items.at(i).left(1), {}});
}

void GitChanges::readUntracked(const QByteArray &out)
{
    const QStringList items = nulSeparated(out);
    for (int i = 0; i < items.size(); ++i) {
        const QString &item = items.at(i);
        if (item.size() > 1 && (item.at(0) == u'R' || item.at(0) == u'C'))
            ++i;   // a rename's original name follows
        if (item.startsWith(u"?? "_s))
            m_files.append({item.mid(3), u"?"_s, {}});
    }
}

void GitChanges::readDiff(const QByteArray &out)
{
    const QString text = QString::fromUtf8(out);
    const QString marker = u"diff --git a/"_s;
    QHash<QString, qsizetype> byHeader;   // "diff --git a/P b/P" -> file
    for (qsizetype i = 0; i < m_files.size(); ++i)
        byHeader.insert(marker + m_files.at(i).path + u" b/"_s + m_files.at(i).path, i);
    qsizetype at = text.startsWith(marker) ? 0 : text.indexOf(u'\n' + marker);
    while (at >= 0) {
        const qsizetype start = at == 0 ? 0 : at + 1;
        const qsizetype next = text.indexOf(u'\n' + marker, start);
        const qsizetype headerEnd = text.indexOf(u'\n', start);
        const QString header = text.mid(start, headerEnd < 0 ? -1 : headerEnd - start);
        const qsizetype index = byHeader.value(header, -1);
        if (index >= 0 && m_files.at(index).diff.isEmpty())
            m_files[index].diff = text.mid(start, next < 0 ? -1 : next - start + 1).left(maxFileDiffBytes);
        at = next;
    }
}

void GitChanges::diffUntracked(int index)
{
    int seen = 0;
    for (int i = 0; i < m_files.size(); ++i) {
        if (m_files.at(i).status != u"?"_s)
            continue;
        if (++seen > maxUntrackedFiles) {
            m_notes.append(tr("More than %1 new files: the diff of the others is not shown.").arg(maxUntrackedFiles));
            break;
        }
        if (i < index || !m_files.at(i).diff.isEmpty())
            continue;
        return git({u"-c"_s, u"core.quotePath=false"_s, u"diff"_s, u"--no-color"_s, u"--no-ext-diff"_s, u"--no-textconv"_s, u"--no-index"_s, u"--"_s,
                    u"/dev/null"_s, m_files.at(i).path},
                   [this, i](bool ok, const QByteArray &out) {
                       m_files[i].diff = ok ? QString::fromUtf8(out.left(maxFileDiffBytes))
                                            : tr("(the new file could not be read)");
                       diffUntracked(i + 1);
                   },
                   true);
    }
    done();
}

} // namespace mc
