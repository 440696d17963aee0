#pragma once

#include <QObject>

class QCompleter;
class QLineEdit;
class QStringListModel;

namespace mc {

class Store;

// @-completion in a message box: typing "@" and the start of a name offers
// the agents' names (and "all"); picking one writes "@name ".
class MentionCompleter final : public QObject
{
    Q_OBJECT

public:
    MentionCompleter(Store &store, QLineEdit *input);
    QCompleter *completer() const { return m_completer; }
    // The names offered now for the text before the cursor (empty: no "@word" there).
    QStringList candidates() const;
    // Replaces the "@word" before the cursor by "@name ".
    void insert(const QString &name);

private:
    void reloadNames();
    void onEdited();
    // The "@word" ending at the cursor: its start, or -1.
    qsizetype mentionStart() const;

    Store &m_store;
    QLineEdit *m_input;
    QStringListModel *m_names;
    QCompleter *m_completer;
};

} // namespace mc
