#pragma once

#include <QJsonObject>
#include <QString>

namespace mc::gitbaseline {

// What a run's working folder looked like in git when the run started, so
// that "what the agent changed" can later be read as a diff against it.
// Kept beside the database (<dataDir>/run-baselines/<runId>.json), not in a
// table: {"work_dir", "git" (false: no git program), "repo" (false: not a
// repository), "head" (the commit, or git's empty tree for a repository
// without commits), "dirty" (uncommitted changes at the start)}.

// Reads the folder's state with the git program, blocking (each command is
// bounded to a few seconds): call it off the GUI thread.
QJsonObject read(const QString &workDir);
// Put before every git command run in an agent's folder: the repository and
// its config are the agent's, so nothing in them may make git run a program
// (fsmonitor, hooks) or take locks.
QStringList safeOptions();
QString filePath(const QString &dataDir, const QString &runId);
void save(const QString &dataDir, const QString &runId, const QJsonObject &baseline);
// Empty when the run has none (it started before baselines were recorded).
QJsonObject load(const QString &dataDir, const QString &runId);

// git's well-known empty tree: what an unborn HEAD is compared against.
inline constexpr char kEmptyTree[] = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

} // namespace mc::gitbaseline
