#include "outputview.h"

#include "executor.h"
#include "outputpager.h"
#include "runrepository.h"
#include "runstate.h"
#include "store.h"

#include "statuscolors.h"

#include <QApplication>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>
#include <QWheelEvent>

using namespace Qt::StringLiterals;

namespace mc {

OutputView::OutputView(Store &store, Executor &executor, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_executor(executor)
    , m_runs(new QComboBox(this))
    , m_header(new QLabel(tr("Select a task to see its agent's output."), this))
    , m_runState(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
    , m_runsLabel(new QLabel(tr("Run:"), this))
    , m_range(new QLabel(this))
    , m_loadEarlier(new QPushButton(tr("Load earlier output"), this))
    , m_pager(new OutputPager(store.location(), this))
{
    m_range->setObjectName(u"outputRange"_s);
    m_range->setForegroundRole(QPalette::PlaceholderText);
    m_range->hide();
    // A short run, or an LLM's text joined into a few long lines, has no
    // scroll range to scroll to the top of: the button reads the page before.
    m_loadEarlier->setObjectName(u"loadEarlier"_s);
    m_loadEarlier->hide();
    connect(m_loadEarlier, &QPushButton::clicked, this, &OutputView::loadEarlier);
    m_runsLabel->setBuddy(m_runs);
    m_runs->setObjectName(u"runPicker"_s);
    m_runState->setObjectName(u"runState"_s);
    m_runState->setWordWrap(true);
    m_runState->setTextFormat(Qt::PlainText);
    m_runState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runState->setAutoFillBackground(true);
    m_runState->setMargin(6);
    m_runState->hide();
    m_text->setObjectName(u"outputText"_s);
    m_text->setReadOnly(true);
    m_text->setUndoRedoEnabled(false);   // a log: recording every insertion only costs time and memory
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_runsLabel);
    top->addWidget(m_runs);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_runState);
    auto *rangeRow = new QHBoxLayout;
    rangeRow->addWidget(m_range, 1);
    rangeRow->addWidget(m_loadEarlier);
    layout->addLayout(rangeRow);
    layout->addWidget(m_text);
    setRunPickerVisible(false);
    connect(m_runs, &QComboBox::activated, this, [this](int i) { loadRun(m_runs->itemData(i).toString()); });
    connect(&executor, &Executor::taskOutput, this, &OutputView::onChunk);
    connect(&executor, &Executor::taskStarted, this, [this](const QJsonObject &data) {
        if (data.value(u"task_id"_s).toString() == m_taskId)
            showTask(m_taskId);
    });
    connect(&executor, &Executor::taskCompleted, this, &OutputView::onRunEnded);
    connect(m_pager, &OutputPager::pageReady, this, &OutputView::onPage);
    // Scrolled to the top with earlier output in the store: read the page before.
    connect(m_text->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (value == m_text->verticalScrollBar()->minimum())
            loadEarlier();
        else if (m_paused && value == m_text->verticalScrollBar()->maximum())
            loadRun(m_runId);   // back at the bottom: follow the run again from its tail
    });
    // The wheel turned up with nowhere left to scroll also reads the page before.
    m_text->viewport()->installEventFilter(this);
    m_flush.setObjectName(u"outputFlush"_s);   // named for MC_TRACE in mc-gui-bench
    m_flush.setSingleShot(true);
    m_flush.setInterval(50);
    connect(&m_flush, &QTimer::timeout, this, &OutputView::flushPending);
}

bool OutputView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text->viewport() && event->type() == QEvent::Wheel
        && static_cast<QWheelEvent *>(event)->angleDelta().y() > 0
        && m_text->verticalScrollBar()->value() == m_text->verticalScrollBar()->minimum())
        loadEarlier();
    return QWidget::eventFilter(watched, event);
}

QString OutputView::plainText() const
{
    return m_text->toPlainText();
}

void OutputView::showTask(const QString &taskId)
{
    m_taskId = taskId;
    if (taskId.isEmpty()) {
        m_runs->clear();
        m_header->setText(tr("Select a task to see its agent's output."));
        setRunPickerVisible(false);
        loadRun({});
        return;
    }
    fillRunPicker();
    const int runs = m_runs->count();
    setRunPickerVisible(runs > 1);
    const QString title = m_store.fetch(taskTable(), taskId).value(u"title"_s).toString();
    m_header->setText(runs == 0 ? tr("“%1” has not run yet.").arg(title) : tr("Output of “%1”").arg(title));
    const QString active = m_executor.activeRunId(taskId);
    loadRun(active.isEmpty() && runs > 0 ? m_runs->itemData(0).toString() : active);
}

void OutputView::fillRunPicker()
{
    m_runs->clear();
    for (const QJsonValue &v : m_store.runs().listForTask(m_taskId).items) {
        const QJsonObject run = v.toObject();
        m_runs->addItem(runPickerLabel(run), run.value(u"id"_s).toString());
    }
    const int index = m_runs->findData(m_runId);
    if (index >= 0)
        m_runs->setCurrentIndex(index);
}

void OutputView::onRunEnded(const QJsonObject &data)
{
    m_lastEmitted.remove(data.value(u"run_id"_s).toString());
    if (data.value(u"task_id"_s).toString() != m_taskId)
        return;
    // The picker's "· running" and the state line follow the run's end.
    fillRunPicker();
    if (data.value(u"run_id"_s).toString() == m_runId) {
        flushPending();
        showRunState();
    }
}

QString OutputView::runStateText() const
{
    return m_runState->isVisible() ? m_runState->text() : QString();
}

void OutputView::showRunState()
{
    const QJsonObject run = m_runId.isEmpty() ? QJsonObject() : m_store.fetch(runTable(), m_runId);
    if (run.isEmpty()) {
        m_runState->hide();
        return;
    }
    const RunState state = describeRun(run);
    QPalette palette = m_runState->palette();
    palette.setColor(QPalette::Window, statusBackground(state.taskStatus, QApplication::palette()));
    m_runState->setPalette(palette);
    QFont font = m_runState->font();
    font.setBold(state.failed);
    m_runState->setFont(font);
    m_runState->setText(state.text);
    m_runState->show();
}

void OutputView::setRunPickerVisible(bool visible)
{
    m_runsLabel->setVisible(visible);
    m_runs->setVisible(visible);
}

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

namespace {
struct Formats
{
    QTextCharFormat message, tool, result;
    explicit Formats(const QPalette &palette)
    {
        message.setForeground(palette.color(QPalette::Text));
        tool.setForeground(palette.color(QPalette::Link));
        tool.setFontWeight(QFont::DemiBold);
        result.setForeground(palette.color(QPalette::PlaceholderText));
    }
};
} // namespace

namespace {
// A chunk carries its line break as printed; the block that follows stands for it.
QString withoutLineEnd(const QString &content)
{
    if (content.endsWith(u"\r\n"_s))
        return content.chopped(2);
    if (content.endsWith(u'\n'))
        return content.chopped(1);
    return content;
}

const QString toolPrefix = u"▶ tool: "_s;
const QString resultPrefix = u"◀ result: "_s;

// A tool's input or result can be a whole file: the pane shows its beginning
// (one huge block would be laid out on every refresh); the API has all of it.
QString cutToolText(const QString &content)
{
    if (content.size() <= OutputView::maxToolChars)
        return content;
    return content.left(OutputView::maxToolChars)
            + OutputView::tr(" … [%1 more characters in the run's stored output]").arg(content.size() - OutputView::maxToolChars);
}

// Where QTextCursor::insertText starts a new block ("\r\n" is one break).
int blockBreaks(const QString &text)
{
    int breaks = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text.at(i);
        if (ch == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n')
            continue;   // counted at its \n
        if (ch == u'\n' || ch == u'\r' || ch == QChar::ParagraphSeparator || ch == QChar(0xfdd0) || ch == QChar(0xfdd1))
            ++breaks;
    }
    return breaks;
}
} // namespace

void OutputView::insertChunks(QTextCursor &cursor, const QList<OutputChunk> &chunks, bool joinFirst)
{
    // Each block remembers the sequence number of the chunk that starts it.
    // Consecutive chunks of one kind go in with one insertText: one document
    // change instead of two per line (what made a page of output slow).
    const Formats formats(m_text->palette());
    QString lastType = joinFirst ? m_lastType : QString();
    bool first = true;
    QString batch;
    const QTextCharFormat *batchFormat = nullptr;
    QList<QPair<int, qint64>> starts;   // block index in the batch -> seq
    int batchBlocks = 0;
    const auto insertBatch = [&] {
        if (!batchFormat)
            return;
        const int at = cursor.position();
        cursor.insertText(batch, *batchFormat);
        QTextBlock block = cursor.document()->findBlock(at);
        int index = 0;
        for (const auto &[blockIndex, seq] : std::as_const(starts)) {
            for (; index < blockIndex && block.isValid(); ++index)
                block = block.next();
            block.setUserState(int(seq));
        }
        batch.clear();
        starts.clear();
        batchBlocks = 0;
        batchFormat = nullptr;
    };
    for (const OutputChunk &chunk : chunks) {
        const bool inlineText = m_inlineMessages && chunk.type == u"message"_s && lastType == u"message"_s;
        const QTextCharFormat *format = chunk.type == u"tool_use"_s      ? &formats.tool
                                      : chunk.type == u"tool_result"_s ? &formats.result
                                                                         : &formats.message;
        if (format != batchFormat) {
            insertBatch();
            batchFormat = format;
        }
        if (!inlineText) {
            if (!first || (joinFirst && !m_text->document()->isEmpty())) {
                batch += u'\n';
                ++batchBlocks;
            }
            starts.append({batchBlocks, chunk.seq});
        }
        first = false;
        lastType = chunk.type;
        const QString text = chunk.type == u"tool_use"_s      ? QString(toolPrefix + cutToolText(chunk.content))
                           : chunk.type == u"tool_result"_s ? QString(resultPrefix + cutToolText(chunk.content))
                           : m_inlineMessages               ? chunk.content
                                                            : withoutLineEnd(chunk.content);
        batch += text;
        batchBlocks += blockBreaks(text);
    }
    insertBatch();
    if (joinFirst)
        m_lastType = lastType;
}

void OutputView::appendChunks(const QList<OutputChunk> &input)
{
    QList<OutputChunk> chunks;
    for (const OutputChunk &chunk : input) {
        if (chunk.seq > m_lastSeq) {
            chunks.append(chunk);
            m_lastSeq = chunk.seq;
        }
    }
    if (chunks.isEmpty())
        return;
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool follow = following();
    if (m_firstSeq == 0) {
        m_firstSeq = chunks.constFirst().seq;
        m_firstType = chunks.constFirst().type;
    }
    QTextCursor cursor(m_text->document());
    cursor.beginEditBlock();
    cursor.movePosition(QTextCursor::End);
    insertChunks(cursor, chunks, true);
    cursor.endEditBlock();
    if (follow) {
        trimTop();
        bar->setValue(bar->maximum());
    }
}

void OutputView::prependChunks(const QList<OutputChunk> &input)
{
    QList<OutputChunk> chunks;
    for (const OutputChunk &chunk : input) {
        if (chunk.seq < m_firstSeq)
            chunks.append(chunk);
    }
    if (chunks.isEmpty())
        return;
    QScrollBar *bar = m_text->verticalScrollBar();
    const int blocksBefore = m_text->document()->blockCount();
    const int oldFirstSeq = m_text->document()->firstBlock().userState();
    QTextCursor cursor(m_text->document());
    cursor.beginEditBlock();
    cursor.movePosition(QTextCursor::Start);
    insertChunks(cursor, chunks, false);
    // An LLM's text goes on in the same line across the page boundary.
    const bool joined = m_inlineMessages && chunks.constLast().type == u"message"_s && m_firstType == u"message"_s;
    if (!joined) {
        cursor.insertBlock();
        cursor.block().setUserState(oldFirstSeq);
    }
    cursor.endEditBlock();
    m_firstSeq = chunks.constFirst().seq;
    m_firstType = chunks.constFirst().type;
    // The lines that were on screen stay on screen.
    bar->setValue(bar->value() + m_text->document()->blockCount() - blocksBefore);
}

void OutputView::trimTop()
{
    QTextDocument *doc = m_text->document();
    const int excess = doc->blockCount() - maxBlocks;
    if (excess <= 0)
        return;
    // Whole chunks go: a chunk of several lines starts with the only block
    // that carries its sequence number (the others have userState -1). An
    // LLM's text joined into lines may have no chunk start for a long way:
    // then nothing goes this time.
    QTextBlock first = doc->findBlockByNumber(excess);
    for (int step = 0; step < maxBlocks / 4 && first.isValid() && first.userState() < 0; ++step)
        first = first.next();
    if (!first.isValid() || first.userState() < 0 || first == doc->firstBlock())
        return;
    QTextCursor cursor(doc);
    cursor.movePosition(QTextCursor::Start);
    cursor.setPosition(first.position(), QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    m_firstSeq = doc->firstBlock().userState();
    const QString text = doc->firstBlock().text();
    m_firstType = text.startsWith(toolPrefix) ? u"tool_use"_s : text.startsWith(resultPrefix) ? u"tool_result"_s : u"message"_s;
}

} // namespace mc
