#pragma once

#include "outputchunk.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace mc {

class Executor;
class Store;

// The live output of the selected task: streams its current run, shows a
// finished run's stored output, a picker when there are several runs. Tool
// calls and results are styled apart from the agent's text; the view follows
// the tail unless the user scrolled up, and keeps at most maxBlocks lines.
class OutputView final : public QWidget
{
    Q_OBJECT

public:
    OutputView(Store &store, Executor &executor, QWidget *parent = nullptr);
    void showTask(const QString &taskId);
    QString runId() const { return m_runId; }
    QString plainText() const;
    QPlainTextEdit *editor() const { return m_text; }
    void flushPending();

    static constexpr int maxBlocks = 20000;
    static constexpr qsizetype maxLinesPerRefresh = 500;

private:
    void loadRun(const QString &runId);
    void setRunPickerVisible(bool visible);
    void onChunk(const OutputChunk &chunk);
    void appendChunks(const QList<OutputChunk> &chunks);

    Store &m_store;
    Executor &m_executor;
    QString m_taskId;
    QString m_runId;
    QComboBox *m_runs;
    QLabel *m_header;
    QPlainTextEdit *m_text;
    QLabel *m_runsLabel;
    QList<OutputChunk> m_pending;
    QTimer m_flush;
    qint64 m_lastSeq = 0;
    bool m_inlineMessages = false;
    QString m_lastType;
};

} // namespace mc
