#pragma once

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace mc {

class Executor;
class Store;

// One line under the run's header in the output pane: the shown run's usage
// -- tokens in/out, cost, duration (counting while it runs) -- and a
// Changes… button that shows what the run changed in its working folder.
class RunUsageBar final : public QWidget
{
    Q_OBJECT

public:
    RunUsageBar(Store &store, Executor &executor, QWidget *parent = nullptr);
    void showRun(const QString &runId);
    QString runId() const { return m_runId; }
    QString text() const;
    QPushButton *changesButton() const { return m_changes; }
    // "3 min 05 s": how long a run took (or has been running).
    static QString durationText(qint64 seconds);
    // The usage line of a stored run (GET /runs/{id}), as shown.
    static QString usageText(const QJsonObject &run);

Q_SIGNALS:
    void showChanges(const QString &runId);

private:
    void refresh();

    Store &m_store;
    QString m_runId;
    QLabel *m_label;
    QPushButton *m_changes;
    QTimer m_tick;   // the duration of a running run
};

} // namespace mc
