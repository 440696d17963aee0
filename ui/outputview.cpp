// The output pane's widgets and the selected task's runs: the header, the run
// picker, the shown run's state line, and what opens a run or reads the page
// before. Reading the output: outputviewstream.cpp; writing it into the text
// document: outputviewdocument.cpp.

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

} // namespace mc
