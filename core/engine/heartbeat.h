#pragma once

#include <QObject>
#include <QTimer>

namespace mc {

class Dispatcher;
class Executor;
class Store;

// PocketPaw's heartbeat daemon: every interval each agent's last_heartbeat is
// updated (an agent marked active that runs nothing is idle again), with an
// agent_heartbeat activity only when something changed for it, and ready
// auto-run tasks are queued.
class Heartbeat final : public QObject
{
    Q_OBJECT

public:
    Heartbeat(Store &store, Executor &executor, Dispatcher &dispatcher, QObject *parent = nullptr);
    void start(int intervalS);   // 0 = off
    void beat();

private:
    Store &m_store;
    Executor &m_executor;
    Dispatcher &m_dispatcher;
    QTimer m_timer;
};

} // namespace mc
