#include "standupdialog.h"

#include "reportbuilder.h"
#include "store.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mc {

StandupDialog::StandupDialog(Store &store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_view(new QTextBrowser(this))
{
    setWindowTitle(tr("Standup Report"));
    setObjectName(u"standupDialog"_s);
    m_view->setObjectName(u"standupView"_s);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy as Markdown"), QDialogButtonBox::ActionRole);
    copy->setObjectName(u"copyStandup"_s);
    QPushButton *refresh = buttons->addButton(tr("Refresh"), QDialogButtonBox::ActionRole);
    refresh->setObjectName(u"refreshStandup"_s);
    connect(copy, &QPushButton::clicked, this, &StandupDialog::copyMarkdown);
    connect(refresh, &QPushButton::clicked, this, &StandupDialog::reload);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(640, 560);
    reload();
}

void StandupDialog::reload()
{
    m_markdown = m_store.reports().standup();
    m_view->setMarkdown(m_markdown);
}

void StandupDialog::copyMarkdown()
{
    QGuiApplication::clipboard()->setText(m_markdown);
}

} // namespace mc
