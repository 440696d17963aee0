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
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>

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
    , m_pager(new OutputPager(store.dataDir(), this))
{
    m_range->setObjectName(u"outputRange"_s);
    m_range->setForegroundRole(QPalette::PlaceholderText);
    m_range->hide();
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
    layout->addWidget(m_range);
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
    });
    m_flush.setSingleShot(true);
    m_flush.setInterval(50);
    connect(&m_flush, &QTimer::timeout, this, &OutputView::flushPending);
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
        // What was printed but not stored yet (or stored since the page was read).
        QList<OutputChunk> all = chunks;
        all += m_executor.replay(m_taskId, m_runId, chunks.isEmpty() ? 0 : chunks.constLast().seq);
        // When the writer lags behind a fast run that is most of it: the pane
        // starts with the last lines, the others are read by scrolling up.
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
    if (isLoading()) {
        m_range->setText(tr("Reading the output…"));
        m_range->show();
    } else if (m_firstSeq > 1) {
        // Constant text: a label that changes size relayouts the whole window.
        m_range->setText(tr("Earlier lines are in the store: scroll to the top to read them."));
        m_range->show();
    } else {
        m_range->hide();
    }
}

void OutputView::onChunk(const OutputChunk &chunk)
{
    if (chunk.runId != m_runId || chunk.seq <= m_lastSeq)
        return;
    m_pending.append(chunk);
    if (m_loaded && !m_flush.isActive())
        m_flush.start();
}

void OutputView::flushPending()
{
    m_flush.stop();
    if (!m_loaded)
        return;
    QList<OutputChunk> chunks = std::exchange(m_pending, {});
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool following = bar->value() >= bar->maximum() - 4;
    // Nobody reads 100k lines a second: past a screenful per refresh, a
    // following view starts again from the tail (the lines in between are in
    // the store: scrolling up reads them); a view scrolled up takes a
    // screenful per refresh and catches up.
    if (chunks.size() > maxLinesPerRefresh) {
        if (following) {
            chunks = chunks.mid(chunks.size() - maxLinesPerRefresh);
            // Before clear(): it moves the scroll bar to the top at once, which
            // must not ask for the page before a first line that is going away.
            m_firstSeq = 0;
            m_earlierTicket = 0;
            m_text->clear();
            m_lastType.clear();
            m_lastSeq = chunks.constFirst().seq - 1;
        } else {
            m_pending = chunks.mid(maxLinesPerRefresh);
            chunks.resize(maxLinesPerRefresh);
            m_flush.start();
        }
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
} // namespace

void OutputView::insertChunks(QTextCursor &cursor, const QList<OutputChunk> &chunks, bool joinFirst)
{
    // Each block remembers the sequence number of the chunk that starts it.
    const Formats formats(m_text->palette());
    QString lastType = joinFirst ? m_lastType : QString();
    bool first = true;
    for (const OutputChunk &chunk : chunks) {
        const bool inlineText = m_inlineMessages && chunk.type == u"message"_s && lastType == u"message"_s;
        if (!first || (joinFirst && !inlineText && !m_text->document()->isEmpty())) {
            if (!inlineText) {
                cursor.insertBlock();
                cursor.block().setUserState(int(chunk.seq));
            }
        } else if (!inlineText) {
            cursor.block().setUserState(int(chunk.seq));
        }
        first = false;
        lastType = chunk.type;
        if (chunk.type == u"tool_use"_s)
            cursor.insertText(u"▶ tool: "_s + chunk.content, formats.tool);
        else if (chunk.type == u"tool_result"_s)
            cursor.insertText(u"◀ result: "_s + chunk.content.left(4000), formats.result);
        else
            cursor.insertText(m_inlineMessages ? chunk.content : withoutLineEnd(chunk.content), formats.message);
    }
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
    const bool following = bar->value() >= bar->maximum() - 4;
    if (m_firstSeq == 0)
        m_firstSeq = chunks.constFirst().seq;
    QTextCursor cursor(m_text->document());
    cursor.beginEditBlock();
    cursor.movePosition(QTextCursor::End);
    insertChunks(cursor, chunks, true);
    cursor.endEditBlock();
    if (following) {
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
    cursor.insertBlock();
    cursor.block().setUserState(oldFirstSeq);
    cursor.endEditBlock();
    m_firstSeq = chunks.constFirst().seq;
    // The lines that were on screen stay on screen.
    bar->setValue(bar->value() + m_text->document()->blockCount() - blocksBefore);
}

void OutputView::trimTop()
{
    QTextDocument *doc = m_text->document();
    const int excess = doc->blockCount() - maxBlocks;
    if (excess <= 0)
        return;
    QTextCursor cursor(doc);
    cursor.movePosition(QTextCursor::Start);
    cursor.movePosition(QTextCursor::NextBlock, QTextCursor::KeepAnchor, excess);
    cursor.removeSelectedText();
    m_firstSeq = doc->firstBlock().userState();
}

} // namespace mc
