#include "noticebanner.h"

#include "statuscolors.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace mc {

NoticeBanner::NoticeBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_open(new QPushButton(tr("Show task"), this))
    , m_close(new QPushButton(tr("Dismiss"), this))
{
    setObjectName(u"noticeBanner"_s);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_text->setObjectName(u"noticeText"_s);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_open->setObjectName(u"noticeOpen"_s);
    m_close->setObjectName(u"noticeClose"_s);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_open);
    layout->addWidget(m_close);
    connect(m_open, &QPushButton::clicked, this, [this] {
        hide();
        Q_EMIT openTask(m_taskId);
    });
    connect(m_close, &QPushButton::clicked, this, &QWidget::hide);
    hide();
}

void NoticeBanner::showNotice(const QString &taskId, const QString &text, bool failure)
{
    m_taskId = taskId;
    m_text->setText(text);
    QPalette palette = this->palette();
    palette.setColor(QPalette::Window, statusBackground(failure ? u"blocked"_s : u"done"_s, QApplication::palette()));
    setPalette(palette);
    show();
}

QString NoticeBanner::text() const
{
    return isVisible() ? m_text->text() : QString();
}

} // namespace mc
