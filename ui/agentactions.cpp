#include "agentactions.h"

#include "agentmodel.h"
#include "agentrepository.h"
#include "errortext.h"
#include "newagentdialog.h"
#include "store.h"

#include <QAbstractItemView>
#include <QAction>
#include <QMenu>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace mc {

AgentActions::AgentActions(Store &store, QAbstractItemView *view, QWidget *dialogParent)
    : QObject(view)
    , m_store(store)
    , m_view(view)
    , m_dialogParent(dialogParent)
{
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view, &QAbstractItemView::doubleClicked, this,
            [this](const QModelIndex &index) { edit(index.data(AgentTableModel::AgentIdRole).toString()); });
    connect(view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (!index.isValid())
            return;
        m_view->setCurrentIndex(index);
        QMenu *menu = menuFor(index.data(AgentTableModel::AgentIdRole).toString(), m_view);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_view->viewport()->mapToGlobal(pos));
    });
    auto *editKey = new QAction(tr("Edit Agent"), view);
    editKey->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_F2)});
    editKey->setShortcutContext(Qt::WidgetShortcut);
    connect(editKey, &QAction::triggered, this, [this] { edit(currentAgentId()); });
    auto *deleteKey = new QAction(tr("Delete Agent"), view);
    deleteKey->setShortcut(QKeySequence::Delete);
    deleteKey->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteKey, &QAction::triggered, this, [this] { remove(currentAgentId()); });
    view->addActions({editKey, deleteKey});
}

QString AgentActions::currentAgentId() const
{
    return m_view->currentIndex().data(AgentTableModel::AgentIdRole).toString();
}

QMenu *AgentActions::menuFor(const QString &agentId, QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(u"agentMenu"_s);
    connect(menu->addAction(tr("Edit…")), &QAction::triggered, this, [this, agentId] { edit(agentId); });
    connect(menu->addAction(tr("Delete…")), &QAction::triggered, this, [this, agentId] { remove(agentId); });
    return menu;
}

void AgentActions::edit(const QString &agentId)
{
    const QJsonObject agent = m_store.fetch(agentTable(), agentId);
    if (agent.isEmpty())
        return;
    NewAgentDialog dialog(agent, m_dialogParent);
    if (dialog.exec() != QDialog::Accepted)
        return;
    try {
        const QJsonObject saved = m_store.agents().update(agentId, dialog.body());
        Q_EMIT message(tr("Agent %1 saved").arg(saved.value(u"name"_s).toString()));
    } catch (const std::exception &e) {
        Q_EMIT failed(tr("The agent was not saved: %1").arg(errorText(e)));
    }
}

void AgentActions::remove(const QString &agentId)
{
    const QJsonObject agent = m_store.fetch(agentTable(), agentId);
    if (agent.isEmpty())
        return;
    const QString name = agent.value(u"name"_s).toString();
    if (agent.value(u"status"_s).toString() == u"active"_s) {
        Q_EMIT failed(tr("%1 is working on a task: stop its run before deleting it").arg(name));
        return;
    }
    if (QMessageBox::question(m_dialogParent, tr("Delete agent"),
                              tr("Delete the agent “%1”? Its past runs stay recorded; tasks assigned to it "
                                 "keep their other assignees.").arg(name))
        != QMessageBox::Yes)
        return;
    try {
        m_store.agents().remove(agentId);
        Q_EMIT message(tr("Agent %1 deleted").arg(name));
    } catch (const std::exception &e) {
        Q_EMIT failed(tr("The agent was not deleted: %1").arg(errorText(e)));
    }
}

} // namespace mc
