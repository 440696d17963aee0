#pragma once

#include <QObject>

class QAbstractItemView;
class QMenu;
class QWidget;

namespace mc {

class Store;

// Edit and Delete for the agents list: double-click or Return/F2 edits (the
// New Agent form, prefilled), the Delete key or the context menu deletes
// after a confirmation. Changes go through the same store functions and
// checks as PATCH and DELETE /agents/{id}.
class AgentActions final : public QObject
{
    Q_OBJECT

public:
    AgentActions(Store &store, QAbstractItemView *view, QWidget *dialogParent);
    void edit(const QString &agentId);
    void remove(const QString &agentId);
    // The menu shown on right-click (built for the agent under the pointer).
    QMenu *menuFor(const QString &agentId, QWidget *parent);

Q_SIGNALS:
    void message(const QString &text);
    void failed(const QString &text);

private:
    QString currentAgentId() const;

    Store &m_store;
    QAbstractItemView *m_view;
    QWidget *m_dialogParent;
};

} // namespace mc
