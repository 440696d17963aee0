#include "newtaskdialog.h"

#include "enums.h"
#include "statuscolors.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace mc {

NewTaskDialog::NewTaskDialog(const QList<QJsonObject> &agents, QWidget *parent)
    : QDialog(parent)
    , m_title(new QLineEdit(this))
    , m_description(new QPlainTextEdit(this))
    , m_priority(new QComboBox(this))
    , m_assignees(new QListWidget(this))
{
    setWindowTitle(tr("New Task"));
    m_title->setObjectName(u"taskTitle"_s);
    m_title->setMaxLength(200);
    m_description->setObjectName(u"taskDescription"_s);
    m_description->setTabChangesFocus(true);   // Tab goes on to Priority, as in every other field
    for (const QString &p : enums::taskPriorities())
        m_priority->addItem(statusLabel(p), p);
    m_priority->setCurrentIndex(1);
    for (const QJsonObject &agent : agents) {
        auto *item = new QListWidgetItem(agent.value(u"name"_s).toString() + u" — "_s + agent.value(u"role"_s).toString(),
                                         m_assignees);
        item->setData(Qt::UserRole, agent.value(u"id"_s).toString());
        item->setCheckState(Qt::Unchecked);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("Create"));
    ok->setEnabled(false);
    connect(m_title, &QLineEdit::textChanged, this, [ok](const QString &t) { ok->setEnabled(!t.trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("&Title"), m_title);
    form->addRow(tr("&Description"), m_description);
    form->addRow(tr("&Priority"), m_priority);
    form->addRow(tr("&Assignees"), m_assignees);
    form->addRow(buttons);
}

QJsonObject NewTaskDialog::body() const
{
    QJsonArray assignees;
    for (int i = 0; i < m_assignees->count(); ++i) {
        if (m_assignees->item(i)->checkState() == Qt::Checked)
            assignees.append(m_assignees->item(i)->data(Qt::UserRole).toString());
    }
    QJsonObject body{{u"title"_s, m_title->text().trimmed()}, {u"priority"_s, m_priority->currentData().toString()},
                     {u"assignee_ids"_s, assignees}};
    if (!m_description->toPlainText().trimmed().isEmpty())
        body.insert(u"description"_s, m_description->toPlainText());
    return body;
}

} // namespace mc
