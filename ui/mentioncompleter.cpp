#include "mentioncompleter.h"

#include "store.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QLineEdit>
#include <QRegularExpression>
#include <QStringListModel>

using namespace Qt::StringLiterals;

namespace mc {

MentionCompleter::MentionCompleter(Store &store, QLineEdit *input)
    : QObject(input)
    , m_store(store)
    , m_input(input)
    , m_names(new QStringListModel(this))
    , m_completer(new QCompleter(m_names, this))
{
    setObjectName(u"mentionCompleter"_s);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setFilterMode(Qt::MatchStartsWith);
    // Not setCompleter(): that would complete the whole line, not the @word.
    m_completer->setWidget(input);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &MentionCompleter::insert);
    connect(input, &QLineEdit::textEdited, this, &MentionCompleter::onEdited);
    connect(&store, &Store::agentChanged, this, &MentionCompleter::reloadNames);
    connect(&store, &Store::agentRemoved, this, &MentionCompleter::reloadNames);
    reloadNames();
}

void MentionCompleter::reloadNames()
{
    // Only names a mention can reach: MessageRepository matches @word
    // against whole agent names, so "Code Reviewer" cannot be mentioned.
    static const QRegularExpression word(uR"(^\w+$)"_s, QRegularExpression::UseUnicodePropertiesOption);
    QStringList names;
    for (const QJsonObject &agent : m_store.fetchMany(agentTable(), u"ORDER BY name COLLATE NOCASE LIMIT 500"_s, {})) {
        const QString name = agent.value(u"name"_s).toString();
        if (word.match(name).hasMatch())
            names.append(name);
    }
    names.append(u"all"_s);
    m_names->setStringList(names);
}

qsizetype MentionCompleter::mentionStart() const
{
    const QString text = m_input->text().left(m_input->cursorPosition());
    const qsizetype at = text.lastIndexOf(u'@');
    if (at < 0 || (at > 0 && !text.at(at - 1).isSpace()))
        return -1;
    for (qsizetype i = at + 1; i < text.size(); ++i) {
        if (text.at(i).isSpace())
            return -1;
    }
    return at;
}

QStringList MentionCompleter::candidates() const
{
    const qsizetype at = mentionStart();
    if (at < 0)
        return {};
    const QString prefix = m_input->text().mid(at + 1, m_input->cursorPosition() - at - 1);
    QStringList out;
    for (const QString &name : m_names->stringList()) {
        if (name.startsWith(prefix, Qt::CaseInsensitive))
            out.append(name);
    }
    return out;
}

void MentionCompleter::onEdited()
{
    const qsizetype at = mentionStart();
    if (at < 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(m_input->text().mid(at + 1, m_input->cursorPosition() - at - 1));
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->popup()->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    m_completer->complete();
}

void MentionCompleter::insert(const QString &name)
{
    const qsizetype at = mentionStart();
    if (at < 0)
        return;
    const QString text = m_input->text();
    const int cursor = m_input->cursorPosition();
    const QString replaced = text.left(at) + u'@' + name + u' ';
    m_input->setText(replaced + text.mid(cursor));
    m_input->setCursorPosition(int(replaced.size()));
}

} // namespace mc
