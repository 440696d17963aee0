#pragma once

#include "outputchunk.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTextCursor;

namespace mc {

class Executor;
class OutputPager;
class Store;

// The live output of the selected task: streams its current run, shows a
// finished run's stored output, a picker when there are several runs, and the
// run's state (a failed run's error) above it. Tool calls and results are
// styled apart from the agent's text; the view follows the tail unless the
// user scrolled up. A run opens at once whatever its length: its last page is
// read off the GUI thread (OutputPager) and earlier pages are read as the
// user scrolls to the top; while following, at most maxBlocks lines are kept.
class OutputView final : public QWidget
{
    Q_OBJECT

public:
    OutputView(Store &store, Executor &executor, QWidget *parent = nullptr);
    void showTask(const QString &taskId);
    QString runId() const { return m_runId; }
    QString plainText() const;
    QPlainTextEdit *editor() const { return m_text; }
    // The shown run's state in words ("Failed — exit code 1: …"), as on screen.
    QString runStateText() const;
    void flushPending();
    // The shown run's output is being read (its last page has not arrived yet).
    bool isLoading() const { return !m_loaded && !m_runId.isEmpty(); }
    // Sequence number of the first chunk in the pane (1: the run's beginning is shown).
    qint64 firstSeq() const { return m_firstSeq; }
    // Sequence number of the last chunk on screen.
    qint64 lastSeq() const { return m_lastSeq; }
    QString rangeText() const;
    // Chunks printed but not on screen yet (bounded by maxPending).
    qsizetype pendingCount() const { return m_pending.size(); }
    // Scrolled up while a fast run streamed: new output waits in the store
    // until the view is scrolled to the bottom again.
    bool isPaused() const { return m_paused; }
    QPushButton *loadEarlierButton() const { return m_loadEarlier; }

    static constexpr int maxBlocks = 20000;
    static constexpr qsizetype maxLinesPerRefresh = 500;
    static constexpr int pageSize = 2000;       // read when scrolled to the top
    static constexpr int firstPageSize = 400;   // read when a run is opened: a few screens
    static constexpr qsizetype maxPending = maxBlocks;   // chunks held for a view scrolled up
    static constexpr qsizetype maxToolChars = 4000;      // a tool call or result is cut here on screen

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    // Another run (or none: empty) is shown; also when the task changes.
    void runShown(const QString &runId);

private:
    // outputview.cpp: the task's runs and the shown run's state.
    void setRunPickerVisible(bool visible);
    void fillRunPicker();
    void showRunState();
    void onRunEnded(const QJsonObject &data);
    // outputviewstream.cpp: a run's pages and live chunks into the pane.
    void loadRun(const QString &runId);
    void onChunk(const OutputChunk &chunk);
    void onPage(quint64 ticket, const QList<OutputChunk> &chunks);
    void loadEarlier();
    void showRange();
    bool following() const;
    void pause();
    // outputviewdocument.cpp: chunks into the text document.
    void appendChunks(const QList<OutputChunk> &chunks);
    void prependChunks(const QList<OutputChunk> &chunks);
    void insertChunks(QTextCursor &cursor, const QList<OutputChunk> &chunks, bool joinFirst);
    void trimTop();

    Store &m_store;
    Executor &m_executor;
    QString m_taskId;
    QString m_runId;
    QComboBox *m_runs;
    QLabel *m_header;
    QLabel *m_runState;
    QPlainTextEdit *m_text;
    QLabel *m_runsLabel;
    QLabel *m_range;
    QPushButton *m_loadEarlier;
    OutputPager *m_pager;
    quint64 m_tailTicket = 0;
    quint64 m_earlierTicket = 0;
    bool m_loaded = false;
    qint64 m_firstSeq = 0;
    QList<OutputChunk> m_pending;
    QHash<QString, qint64> m_lastEmitted;   // running run -> sequence number of its latest chunk
    bool m_restartFromPending = false;   // older pending chunks were dropped
    bool m_paused = false;
    QTimer m_flush;
    qint64 m_lastSeq = 0;
    bool m_inlineMessages = false;
    QString m_lastType;
    QString m_firstType;   // of the first chunk on screen
};

} // namespace mc
