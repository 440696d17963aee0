// How a run's output reaches the pane: its last page is read off the GUI
// thread when the run is opened, earlier pages as the user scrolls to the top,
// live chunks are batched per refresh; a view scrolled up while a fast run
// streams pauses, and the range line says what is not on screen.

#include "outputview.h"

#include "executor.h"
#include "outputpager.h"
#include "store.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextDocument>

using namespace Qt::StringLiterals;

namespace mc {

void OutputView::loadRun(const QString &runId)
{
    m_runId = runId;
    m_pending.clear();
    m_restartFromPending = false;
    m_paused = false;
    m_flush.stop();
    m_lastSeq = 0;
    m_firstSeq = 0;
    m_loaded = false;
    m_earlierTicket = 0;
    m_lastType.clear();
    m_text->clear();
    showRunState();
    Q_EMIT runShown(runId);
    const int index = m_runs->findData(runId);
    if (index >= 0)
        m_runs->setCurrentIndex(index);
    if (runId.isEmpty()) {
        m_tailTicket = 0;
        m_text->setPlaceholderText(QString());
        showRange();
        return;
    }
    // LLM APIs stream text in fragments (joined inline); programs and CLIs in lines.
    const QString agentId = m_store.fetch(runTable(), runId).value(u"agent_id"_s).toString();
    const QString backend = m_store.fetch(agentTable(), agentId).value(u"backend"_s).toString();
    m_inlineMessages = backend == u"openai"_s || backend == u"anthropic"_s;
    // The last page comes from the pager's thread; live output waits in m_pending.
    m_text->setPlaceholderText(tr("Reading the output…"));
    m_tailTicket = m_pager->request(runId, 0, firstPageSize);
    showRange();
}

void OutputView::onPage(quint64 ticket, const QList<OutputChunk> &chunks)
{
    if (ticket == m_tailTicket && !m_loaded) {
        m_loaded = true;
        m_text->setPlaceholderText(QString());
        // What was printed but is not in the page: the live output since the
        // run was opened waits in m_pending; the lines between the page and it
        // (not stored yet when the page was read) are read here, on the GUI
        // thread, so only as many as the pane starts with. When the writer
        // lags far behind a fast run, that is not the whole gap: the pane
        // starts with the last lines, the others are read by scrolling up.
        QList<OutputChunk> all = chunks;
        const qint64 stored = chunks.isEmpty() ? 0 : chunks.constLast().seq;
        const qint64 upTo = m_pending.isEmpty() ? m_lastEmitted.value(m_runId) : m_pending.constFirst().seq - 1;
        if (upTo == 0) {
            all += m_executor.replay(m_taskId, m_runId, stored);   // a run printed before this window opened
        } else if (upTo > stored) {
            const qint64 from = qMax(stored, upTo - firstPageSize);
            if (from > stored)
                all.clear();   // the page is older than the lines before the live ones
            all += m_executor.replay(m_taskId, m_runId, from, upTo - from);
        }
        if (all.size() > firstPageSize)
            all = all.mid(all.size() - firstPageSize);
        appendChunks(all);
        flushPending();
        showRange();
    } else if (ticket == m_earlierTicket) {
        m_earlierTicket = 0;
        // Lines the writer had not stored yet when the page was read fill the gap.
        QList<OutputChunk> all = chunks;
        const qint64 end = m_firstSeq - 1;
        const qint64 after = chunks.isEmpty() ? qMax<qint64>(0, end - pageSize) : chunks.constLast().seq;
        // Only a small gap is read here, on the GUI thread; a page asked for
        // before the pane started again from the tail is stale (end <= 0).
        if (end <= 0 || end - after > pageSize)
            return;
        if (after < end)
            all += m_executor.replay(m_taskId, m_runId, after, end - after);
        prependChunks(all);
        showRange();
    }
}

void OutputView::loadEarlier()
{
    if (!m_loaded || m_earlierTicket != 0 || m_firstSeq <= 1)
        return;
    m_earlierTicket = m_pager->request(m_runId, m_firstSeq, pageSize);
}

QString OutputView::rangeText() const
{
    return m_range->isVisible() ? m_range->text() : QString();
}

void OutputView::showRange()
{
    // Constant texts: a label that changes size relayouts the whole window.
    if (isLoading()) {
        m_range->setText(tr("Reading the output…"));
        m_range->show();
    } else if (m_paused) {
        m_range->setText(tr("New output is paused while you read: scroll to the bottom to follow the run again."));
        m_range->show();
    } else if (m_firstSeq > 1) {
        m_range->setText(tr("Earlier lines are in the store: scroll to the top to read them."));
        m_range->show();
    } else {
        m_range->hide();
    }
    // Shown and hidden with the label, so that the row does not change height
    // (a relayout of the pane) between reading a run and showing it.
    m_loadEarlier->setVisible(m_range->isVisibleTo(this));
    m_loadEarlier->setEnabled(!isLoading() && m_firstSeq > 1);
}

bool OutputView::following() const
{
    const QScrollBar *bar = m_text->verticalScrollBar();
    return bar->value() >= bar->maximum() - 4;
}

void OutputView::pause()
{
    // The user reads earlier lines while the run prints faster than the pane
    // takes them: stop holding them (they are in the store) and stop growing
    // the document; scrolling to the bottom reads the tail again.
    m_paused = true;
    m_pending.clear();
    m_flush.stop();
    showRange();
}

void OutputView::onChunk(const OutputChunk &chunk)
{
    m_lastEmitted.insert(chunk.runId, chunk.seq);
    if (m_paused || chunk.runId != m_runId || chunk.seq <= m_lastSeq)
        return;
    m_pending.append(chunk);
    if (m_pending.size() > maxPending) {
        if (m_loaded && !following()) {
            pause();
            return;
        }
        // Following (or still reading the last page): only the tail will be shown.
        m_pending.remove(0, m_pending.size() - maxLinesPerRefresh);
        m_restartFromPending = true;
    }
    if (m_loaded && !m_flush.isActive())
        m_flush.start();
}

void OutputView::flushPending()
{
    m_flush.stop();
    if (!m_loaded)
        return;
    QList<OutputChunk> chunks = std::exchange(m_pending, {});
    if (chunks.isEmpty())
        return;
    const bool follow = following();
    // A view scrolled up holds at most twice maxBlocks lines.
    if (!follow && m_text->document()->blockCount() > 2 * maxBlocks) {
        pause();
        return;
    }
    // Nobody reads 100k lines a second: past a screenful per refresh, a
    // following view starts again from the tail (the lines in between are in
    // the store: scrolling up reads them); a view scrolled up takes a
    // screenful per refresh and catches up.
    // Pending chunks that were dropped leave a gap: the pane starts again from the rest.
    const bool gap = std::exchange(m_restartFromPending, false) && chunks.constFirst().seq > m_lastSeq + 1;
    if (gap || (follow && chunks.size() > maxLinesPerRefresh)) {
        if (chunks.size() > maxLinesPerRefresh)
            chunks = chunks.mid(chunks.size() - maxLinesPerRefresh);
        // Before clear(): it moves the scroll bar to the top at once, which
        // must not ask for the page before a first line that is going away.
        m_firstSeq = 0;
        m_earlierTicket = 0;
        m_text->clear();
        m_lastType.clear();
        m_lastSeq = chunks.constFirst().seq - 1;
    } else if (chunks.size() > maxLinesPerRefresh) {
        m_pending = chunks.mid(maxLinesPerRefresh);
        chunks.resize(maxLinesPerRefresh);
        m_flush.start();
    }
    appendChunks(chunks);
    showRange();
}

} // namespace mc
