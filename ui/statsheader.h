#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace mc {

class Executor;
class Store;
class StoreWatch;

// The numbers across the top of the window: agents, active runs, tasks done
// today, what today's runs cost -- and a button for the standup report.
// "Today" is the local calendar day.
class StatsHeader final : public QWidget
{
    Q_OBJECT

public:
    struct Numbers
    {
        qint64 agents = 0;
        int activeRuns = 0;
        int maxRuns = 0;
        qint64 doneToday = 0;
        double costToday = 0;
        qint64 tokensToday = 0;
    };

    StatsHeader(Store &store, Executor &executor, QWidget *parent = nullptr);
    Numbers numbers() const { return m_numbers; }
    QString text() const;
    // The start of the local day as the store writes times (UTC, fixed width).
    static QString startOfTodayIso();
    void refresh();

Q_SIGNALS:
    void standupRequested();

private:
    Store &m_store;
    Executor &m_executor;
    StoreWatch *m_watch;
    Numbers m_numbers;
    QLabel *m_agents;
    QLabel *m_active;
    QLabel *m_done;
    QLabel *m_cost;
    QPushButton *m_standup;
};

} // namespace mc
