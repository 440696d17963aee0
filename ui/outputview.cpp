#include "outputview.h"

#include "executor.h"
#include "runrepository.h"
#include "store.h"

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
    , m_text(new QPlainTextEdit(this))
    , m_runsLabel(new QLabel(tr("Run:"), this))
{
    m_runsLabel->setBuddy(m_runs);
    m_runs->setObjectName(u"runPicker"_s);
    m_text->setObjectName(u"outputText"_s);
    m_text->setReadOnly(true);
    m_text->setMaximumBlockCount(maxBlocks);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_runsLabel);
    top->addWidget(m_runs);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_text);
    setRunPickerVisible(false);
    connect(m_runs, &QComboBox::activated, this, [this](int i) { loadRun(m_runs->itemData(i).toString()); });
    connect(&executor, &Executor::taskOutput, this, &OutputView::onChunk);
    connect(&executor, &Executor::taskStarted, this, [this](const QJsonObject &data) {
        if (data.value(u"task_id"_s).toString() == m_taskId)
            showTask(m_taskId);
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
    m_runs->clear();
    if (taskId.isEmpty()) {
        m_header->setText(tr("Select a task to see its agent's output."));
        setRunPickerVisible(false);
        loadRun({});
        return;
    }
    const QJsonArray runs = m_store.runs().listForTask(taskId).items;
    for (const QJsonValue &v : runs) {
        const QJsonObject run = v.toObject();
        m_runs->addItem(u"%1 · %2"_s.arg(run.value(u"started_at"_s).toString().left(19).replace(u'T', u' '),
                                          run.value(u"status"_s).toString()),
                        run.value(u"id"_s).toString());
    }
    setRunPickerVisible(runs.size() > 1);
    const QString title = m_store.fetch(taskTable(), taskId).value(u"title"_s).toString();
    m_header->setText(runs.isEmpty() ? tr("“%1” has not run yet.").arg(title) : tr("Output of “%1”").arg(title));
    const QString active = m_executor.activeRunId(taskId);
    loadRun(active.isEmpty() && !runs.isEmpty() ? runs.first().toObject().value(u"id"_s).toString() : active);
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
    m_lastSeq = 0;
    m_text->clear();
    if (runId.isEmpty())
        return;
    // LLM APIs stream text in fragments (joined inline); programs and CLIs in lines.
    const QString agentId = m_store.fetch(runTable(), runId).value(u"agent_id"_s).toString();
    const QString backend = m_store.fetch(agentTable(), agentId).value(u"backend"_s).toString();
    m_inlineMessages = backend == u"openai"_s || backend == u"anthropic"_s;
    m_lastType.clear();
    QList<OutputChunk> chunks = m_executor.replay(m_taskId, runId, 0);
    if (chunks.size() > maxBlocks)
        chunks = chunks.mid(chunks.size() - maxBlocks);
    appendChunks(chunks);
    const int index = m_runs->findData(runId);
    if (index >= 0)
        m_runs->setCurrentIndex(index);
}

void OutputView::onChunk(const OutputChunk &chunk)
{
    if (chunk.runId != m_runId || chunk.seq <= m_lastSeq)
        return;
    m_pending.append(chunk);
    if (!m_flush.isActive())
        m_flush.start();
}

void OutputView::flushPending()
{
    m_flush.stop();
    QList<OutputChunk> chunks = std::exchange(m_pending, {});
    // Nobody reads 100k lines a second: past a screenful per refresh, show the
    // tail and say how much was skipped, so the GUI thread stays responsive.
    if (chunks.size() > maxLinesPerRefresh) {
        const qsizetype skipped = chunks.size() - maxLinesPerRefresh;
        OutputChunk marker = chunks.at(skipped - 1);
        marker.type = u"message"_s;
        marker.content = tr("[… %1 lines not shown while streaming; pick the run again to load them]").arg(skipped);
        chunks = chunks.mid(skipped - 1);
        chunks.first() = marker;
    }
    appendChunks(chunks);
}

void OutputView::appendChunks(const QList<OutputChunk> &chunks)
{
    if (chunks.isEmpty())
        return;
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool following = bar->value() >= bar->maximum() - 4;
    const QPalette palette = m_text->palette();
    QTextCharFormat messageFormat;
    messageFormat.setForeground(palette.color(QPalette::Text));
    QTextCharFormat toolFormat;
    toolFormat.setForeground(palette.color(QPalette::Link));
    toolFormat.setFontWeight(QFont::DemiBold);
    QTextCharFormat resultFormat;
    resultFormat.setForeground(palette.color(QPalette::PlaceholderText));
    QTextCursor cursor(m_text->document());
    cursor.beginEditBlock();
    for (const OutputChunk &chunk : chunks) {
        if (chunk.seq <= m_lastSeq)
            continue;
        m_lastSeq = chunk.seq;
        cursor.movePosition(QTextCursor::End);
        const bool inlineText = m_inlineMessages && chunk.type == u"message"_s && m_lastType == u"message"_s;
        if (!m_text->document()->isEmpty() && !inlineText)
            cursor.insertBlock();
        m_lastType = chunk.type;
        if (chunk.type == u"tool_use"_s)
            cursor.insertText(u"▶ tool: "_s + chunk.content, toolFormat);
        else if (chunk.type == u"tool_result"_s)
            cursor.insertText(u"◀ result: "_s + chunk.content.left(4000), resultFormat);
        else
            cursor.insertText(chunk.content, messageFormat);
    }
    cursor.endEditBlock();
    if (following)
        bar->setValue(bar->maximum());
}

} // namespace mc
