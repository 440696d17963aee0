#pragma once

#include <QFrame>

class QAction;
class QLabel;
class QPushButton;

namespace mc {

class Store;

// The first-start guide across the top of the window: create an agent, then
// a task, then run it. Each step is ticked off from the store as it is done;
// once all three are done, or the guide is dismissed, it is gone for good
// (remembered in the settings).
class FirstStartGuide final : public QFrame
{
    Q_OBJECT

public:
    struct Steps
    {
        QAction *newAgent;
        QAction *newTask;
        QAction *run;
    };
    FirstStartGuide(Store &store, Steps steps, QWidget *parent = nullptr);
    // False once the guide was finished or dismissed.
    static bool wanted();
    void dismiss();
    // 0..3: the steps done so far.
    int stepsDone() const { return m_done; }

private:
    void refresh();

    Store &m_store;
    QList<QLabel *> m_labels;
    QList<QPushButton *> m_buttons;
    int m_done = 0;
};

} // namespace mc
