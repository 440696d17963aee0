#pragma once

#include <QJsonObject>
#include <QObject>
#include <QStringList>

#include <functional>

class QProcess;

namespace mc {

// One file changed in a run's working folder since the run started.
struct ChangedFile
{
    QString path;     // relative to the repository's top folder
    QString status;   // git's letter: M, A, D, T, ... or "?" for a new untracked file
    QString diff;     // unified diff, possibly cut at the size bound
};

// What the agent changed: reads, with the git program and asynchronously
// (never blocking the thread it lives on), the files changed since a run's
// baseline (gitbaseline.h) and their diff -- the working tree against the
// commit recorded at the start, plus untracked files. Output is bounded.
class GitChanges final : public QObject
{
    Q_OBJECT

public:
    explicit GitChanges(QObject *parent = nullptr);
    ~GitChanges() override;

    // Starts reading; finished() follows (also for errors, see error()).
    void load(const QJsonObject &baseline);
    bool isLoading() const { return m_process != nullptr; }
    QList<ChangedFile> files() const { return m_files; }
    // Why there is nothing to show (no git, not a repository, ...); empty on success.
    QString error() const { return m_error; }
    // Worth knowing: the folder was dirty at the start, output was cut, ...
    QStringList notes() const { return m_notes; }

    static constexpr qint64 maxDiffBytes = 4 * 1024 * 1024;
    static constexpr qint64 maxFileDiffBytes = 256 * 1024;
    static constexpr int maxUntrackedFiles = 200;
    static constexpr int stepTimeoutMs = 30000;

Q_SIGNALS:
    void finished();

private:
    using Done = std::function<void(bool ok, const QByteArray &out)>;
    void git(const QStringList &args, Done done, bool exitOneIsOk = false);
    void fail(const QString &message);
    void done();
    void readNameStatus(const QByteArray &out);
    void readUntracked(const QByteArray &out);
    void readDiff(const QByteArray &out);
    void diffUntracked(int index);

    QProcess *m_process = nullptr;
    QString m_top;
    QString m_head;
    QList<ChangedFile> m_files;
    QString m_error;
    QStringList m_notes;
    quint64 m_generation = 0;
};

} // namespace mc
