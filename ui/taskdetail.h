#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QStackedLayout;
class QTextBrowser;

namespace mc {

class MentionCompleter;
class Store;
class TaskEditor;

// The selected task: description, status and priority editors, assignees,
// blocked_by, the message thread (post with @mentions) and its documents,
// the deliverable rendered as Markdown.
class TaskDetail final : public QWidget
{
    Q_OBJECT

public:
    explicit TaskDetail(Store &store, QWidget *parent = nullptr);
    void showTask(const QString &taskId);
    QString taskId() const { return m_taskId; }
    // Posts the text of the message box as the human user.
    bool postMessage();
    // The description was edited and not saved.
    bool descriptionDirty() const;
    // Saves the edited description; false (and failed() emitted) when refused.
    bool saveDescription();
    TaskEditor *editor() const { return m_editor; }
    MentionCompleter *mentionCompleter() const { return m_mentions; }
    // True while no task is selected: a placeholder instead of empty fields.
    bool showsPlaceholder() const;

Q_SIGNALS:
    void failed(const QString &message);

private:
    void refresh();
    void refreshDocuments();
    void showCurrentDocument();
    bool apply(const QJsonObject &patch);
    void askToSaveDraft(const QString &taskId, const QString &draft);
    QString blockedText(const QJsonObject &task, const QStringList &blockers);

    Store &m_store;
    QString m_taskId;
    bool m_updating = false;
    QString m_savedDescription;   // the stored text the editor started from
    QLabel *m_title;
    QLabel *m_people;
    QComboBox *m_status;
    QComboBox *m_priority;
    QPlainTextEdit *m_description;
    QPushButton *m_saveDescription;
    QListWidget *m_messages;
    QLineEdit *m_messageInput;
    QComboBox *m_documents;
    QTextBrowser *m_document;
    TaskEditor *m_editor;
    MentionCompleter *m_mentions;
    QStackedLayout *m_pages;
};

} // namespace mc
