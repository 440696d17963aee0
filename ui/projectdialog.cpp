#include "projectdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
constexpr int kMaxTitle = 200;
constexpr int kMaxDescription = 20000;
} // namespace

ProjectDialog::ProjectDialog(const QJsonObject &project, const QString &requirements, QWidget *parent)
    : QDialog(parent)
    , m_title(new QLineEdit(project.value(u"title"_s).toString(), this))
    , m_description(new QPlainTextEdit(project.value(u"description"_s).toString(), this))
    , m_tags(new QLineEdit(this))
    , m_requirements(new QPlainTextEdit(requirements, this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(project.isEmpty() ? tr("New Project") : tr("Edit Project"));
    setObjectName(u"projectDialog"_s);
    m_title->setObjectName(u"projectTitle"_s);
    m_title->setMaxLength(kMaxTitle);
    m_description->setObjectName(u"projectDescription"_s);
    m_description->setTabChangesFocus(true);
    m_tags->setObjectName(u"projectTags"_s);
    m_tags->setPlaceholderText(tr("comma separated, e.g. backend, q3"));
    QStringList tags;
    for (const QJsonValue &t : project.value(u"tags"_s).toArray())
        tags.append(t.toString());
    m_tags->setText(tags.join(u", "_s));
    m_requirements->setObjectName(u"projectRequirements"_s);
    m_requirements->setTabChangesFocus(true);
    m_requirements->setPlaceholderText(tr("The requirements document (PRD), in Markdown. Agents working on the "
                                          "project's tasks get its beginning in their prompt."));
    m_problem->setObjectName(u"projectProblem"_s);
    m_problem->setWordWrap(true);
    m_problem->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(project.isEmpty() ? tr("Create") : tr("Save"));
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("&Title"), m_title);
    form->addRow(tr("&Description"), m_description);
    form->addRow(tr("T&ags"), m_tags);
    form->addRow(tr("&Requirements"), m_requirements);
    form->addRow(m_problem);
    form->addRow(buttons);
    connect(m_title, &QLineEdit::textChanged, this, &ProjectDialog::revalidate);
    connect(m_description, &QPlainTextEdit::textChanged, this, &ProjectDialog::revalidate);
    resize(560, 520);
    revalidate();
}

QJsonObject ProjectDialog::body() const
{
    QJsonArray tags;
    for (const QString &tag : m_tags->text().split(u',', Qt::SkipEmptyParts)) {
        if (!tag.trimmed().isEmpty() && !tags.contains(tag.trimmed()))
            tags.append(tag.trimmed());
    }
    return {{u"title"_s, m_title->text().trimmed()},
            {u"description"_s, m_description->toPlainText()},
            {u"tags"_s, tags}};
}

QString ProjectDialog::requirements() const
{
    return m_requirements->toPlainText();
}

QString ProjectDialog::problem() const
{
    if (m_title->text().trimmed().isEmpty())
        return tr("Give the project a title.");
    if (m_description->toPlainText().size() > kMaxDescription)
        return tr("The description is %1 characters long; at most %2 fit.")
                .arg(m_description->toPlainText().size())
                .arg(kMaxDescription);
    return {};
}

void ProjectDialog::revalidate()
{
    const QString why = problem();
    m_problem->setText(why);
    m_ok->setEnabled(why.isEmpty());
}

} // namespace mc
