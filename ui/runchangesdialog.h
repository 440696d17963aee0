#pragma once

#include <QDialog>

class QLabel;
class QListView;
class QPlainTextEdit;

namespace mc {

class ChangedFilesModel;
class GitChanges;

// "What the agent changed": the files changed in the run's working folder
// since the run started, and the selected file's diff, read by GitChanges
// (the git program, asynchronously). Says plainly when there is nothing to
// show and why (no git, not a repository, no starting point recorded).
class RunChangesDialog final : public QDialog
{
    Q_OBJECT

public:
    RunChangesDialog(const QString &dataDir, const QString &runId, QWidget *parent = nullptr);
    ChangedFilesModel *model() const { return m_model; }
    bool isLoading() const;
    QString messageText() const;
    QString diffText() const;
    void selectFile(int row);

private:
    void onLoaded();

    GitChanges *m_changes;
    ChangedFilesModel *m_model;
    QLabel *m_message;
    QListView *m_files;
    QPlainTextEdit *m_diff;
};

} // namespace mc
