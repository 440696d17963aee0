#include "firststartguide.h"

#include "settingsfile.h"
#include "store.h"

#include <QAction>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
const QString kDoneKey = u"guide/done"_s;
}

FirstStartGuide::FirstStartGuide(Store &store, Steps steps, QWidget *parent)
    : QFrame(parent)
    , m_store(store)
{
    setObjectName(u"firstStartGuide"_s);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette tone = palette();
    tone.setColor(QPalette::Window, palette().color(QPalette::AlternateBase));
    setPalette(tone);
    // Two rows, so the guide fits a narrow window: the title and "Don't show
    // again" above, the steps below.
    auto *rows = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *layout = new QHBoxLayout;
    rows->addLayout(top);
    rows->addLayout(layout);
    auto *intro = new QLabel(tr("<b>Getting started</b>"), this);
    top->addWidget(intro);
    top->addStretch(1);
    const QList<std::pair<QString, QAction *>> texts{{tr("1. Create an agent"), steps.newAgent},
                                                     {tr("2. Create a task"), steps.newTask},
                                                     {tr("3. Select it and run it"), steps.run}};
    for (const auto &[text, action] : texts) {
        auto *label = new QLabel(text, this);
        auto *button = new QPushButton(action->text().remove(u'&'), this);
        button->setObjectName(u"guideStep"_s + QString::number(m_labels.size() + 1));
        button->setToolTip(action->toolTip());
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        // Run needs a selected task: the button follows the action.
        if (action == steps.run) {
            connect(action, &QAction::changed, button, [this, button, action] {
                button->setEnabled(action->isEnabled() && m_done >= 2);
            });
        }
        layout->addWidget(label);
        layout->addWidget(button);
        layout->addSpacing(12);
        m_labels.append(label);
        m_buttons.append(button);
    }
    layout->addStretch(1);
    auto *close = new QPushButton(tr("Don't show again"), this);
    close->setObjectName(u"guideDismiss"_s);
    connect(close, &QPushButton::clicked, this, &FirstStartGuide::dismiss);
    top->addWidget(close);

    for (auto signal : {&Store::agentChanged, &Store::agentRemoved, &Store::taskChanged, &Store::taskRemoved})
        connect(&store, signal, this, &FirstStartGuide::refresh);
    m_buttons.at(2)->setEnabled(steps.run->isEnabled());
    refresh();
}

bool FirstStartGuide::wanted()
{
    return !openSettings()->value(kDoneKey, false).toBool();
}

void FirstStartGuide::dismiss()
{
    const auto settings = openSettings();
    settings->setValue(kDoneKey, true);
    settings->sync();
    hide();
    deleteLater();
}

void FirstStartGuide::refresh()
{
    const bool done[] = {m_store.count(u"SELECT COUNT(*) FROM agents"_s) > 0,
                         m_store.count(u"SELECT COUNT(*) FROM tasks"_s) > 0,
                         m_store.count(u"SELECT COUNT(*) FROM runs"_s) > 0};
    m_done = 0;
    for (int i = 0; i < 3; ++i) {
        QFont font = m_labels.at(i)->font();
        font.setStrikeOut(done[i]);
        m_labels.at(i)->setFont(font);
        m_labels.at(i)->setText((done[i] ? u"✔ "_s : QString()) + m_labels.at(i)->text().remove(u"✔ "_s));
        m_buttons.at(i)->setVisible(!done[i]);
        m_done += done[i] ? 1 : 0;
    }
    // Steps in order: Create Task waits for an agent.
    m_buttons.at(1)->setEnabled(done[0]);
    if (m_done == 3)
        dismiss();
}

} // namespace mc
