#include "emptystate.h"

#include <QAbstractItemModel>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mc {

EmptyState::EmptyState(QWidget *content, QAbstractItemModel *model, const QString &message, const QString &action,
                       QWidget *parent)
    : QStackedWidget(parent)
    , m_model(model)
    , m_message(new QLabel(message))
    , m_button(new QPushButton(action))
{
    setObjectName(content->objectName() + u"Empty"_s);
    m_message->setObjectName(u"emptyMessage"_s);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setEnabled(false);   // drawn in the palette's disabled (quieter) text colour
    QFont big = m_message->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_message->setFont(big);
    m_button->setObjectName(u"emptyAction"_s);
    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(m_message);
    layout->addWidget(m_button, 0, Qt::AlignHCenter);
    layout->addStretch(1);
    addWidget(content);
    addWidget(page);
    connect(m_button, &QPushButton::clicked, this, &EmptyState::actionTriggered);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &EmptyState::refresh);
    connect(model, &QAbstractItemModel::modelReset, this, &EmptyState::refresh);
    refresh();
}

void EmptyState::refresh()
{
    const bool empty = m_model->rowCount() == 0;
    // Focus moves to the button when the list it was in disappears.
    const bool hadFocus = currentWidget() && currentWidget()->hasFocus();
    setCurrentIndex(empty ? 1 : 0);
    if (empty && hadFocus)
        m_button->setFocus();
}

} // namespace mc
