#include "taskdetail.h"

#include "agentnames.h"
#include "apierror.h"
#include "documentrepository.h"
#include "enums.h"
#include "errortext.h"
#include "fieldspec.h"
#include "mentioncompleter.h"
#include "messagerepository.h"
#include "runrepository.h"
#include "runstate.h"
#include "statuscolors.h"
#include "store.h"
#include "taskeditor.h"
#include "taskrepository.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedLayout>
#include <QScrollArea>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
// Agents write line by line: every line break is kept, as GitHub does for
// comments. (It also spares Qt's Markdown importer, which takes time that grows
// with the square of a paragraph's soft breaks: 28 ms for 16 KB of lines.)
// Fenced code blocks are left as they are.
QString withHardLineBreaks(const QString &markdown)
{
    QString out;
    out.reserve(markdown.size() + markdown.size() / 8);
    bool inFence = false;
    const QList<QStringView> lines = QStringView(markdown).split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QStringView line = lines.at(i);
        const QStringView trimmed = line.trimmed();
        if (trimmed.startsWith(u"```") || trimmed.startsWith(u"~~~"))
            inFence = !inFence;
        out += line;
        if (i + 1 < lines.size()) {
            const bool breakable = !inFence && !trimmed.isEmpty() && !lines.at(i + 1).trimmed().isEmpty();
            out += breakable ? u"  \n"_s : u"\n"_s;
        }
    }
    return out;
}
} // namespace

TaskDetail::TaskDetail(Store &store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_title(new QLabel(this))
    , m_people(new QLabel(this))
    , m_status(new QComboBox(this))
    , m_priority(new QComboBox(this))
    , m_description(new QPlainTextEdit(this))
    , m_saveDescription(new QPushButton(tr("Save description"), this))
    , m_messages(new QListWidget(this))
    , m_messageInput(new QLineEdit(this))
    , m_documents(new QComboBox(this))
    , m_document(new QTextBrowser(this))
    , m_editor(new TaskEditor(store, this))
    , m_mentions(new MentionCompleter(store, m_messageInput))
    , m_pages(new QStackedLayout)
{
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_people->setWordWrap(true);
    m_people->setTextFormat(Qt::PlainText);
    for (const QString &s : enums::taskStatuses())
        m_status->addItem(statusLabel(s), s);
    for (const QString &p : enums::taskPriorities())
        m_priority->addItem(statusLabel(p), p);
    m_status->setObjectName(u"statusEditor"_s);
    m_priority->setObjectName(u"priorityEditor"_s);
    m_messageInput->setObjectName(u"messageInput"_s);
    m_messageInput->setPlaceholderText(tr("Write a message — @name notifies an agent, @all everyone"));
    m_messages->setObjectName(u"messageList"_s);
    m_people->setObjectName(u"taskPeople"_s);
    m_people->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_description->setObjectName(u"descriptionEditor"_s);
    m_description->setTabChangesFocus(true);
    m_saveDescription->setObjectName(u"saveDescription"_s);
    m_saveDescription->setEnabled(false);
    m_documents->setObjectName(u"documentPicker"_s);
    m_messages->setWordWrap(true);
    m_document->setObjectName(u"documentView"_s);
    m_document->setOpenExternalLinks(true);

    auto *overview = new QWidget(this);
    auto *form = new QFormLayout;
    form->addRow(tr("Status"), m_status);
    form->addRow(tr("Priority"), m_priority);
    auto *overviewLayout = new QVBoxLayout(overview);
    overviewLayout->addLayout(form);
    overviewLayout->addWidget(m_editor);
    overviewLayout->addWidget(m_people);
    overviewLayout->addWidget(m_description, 1);
    overviewLayout->addWidget(m_saveDescription, 0, Qt::AlignRight);

    auto *thread = new QWidget(this);
    auto *post = new QPushButton(tr("Post"), thread);
    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_messageInput, 1);
    inputRow->addWidget(post);
    auto *threadLayout = new QVBoxLayout(thread);
    threadLayout->addWidget(m_messages, 1);
    threadLayout->addLayout(inputRow);

    auto *docs = new QWidget(this);
    auto *docsLayout = new QVBoxLayout(docs);
    docsLayout->addWidget(m_documents);
    docsLayout->addWidget(m_document, 1);

    auto *tabs = new QTabWidget(this);
    // The overview scrolls in a short window instead of setting its minimum height.
    auto *overviewScroll = new QScrollArea(this);
    overviewScroll->setWidgetResizable(true);
    overviewScroll->setFrameShape(QFrame::NoFrame);
    overviewScroll->setWidget(overview);
    tabs->addTab(overviewScroll, tr("Overview"));
    tabs->addTab(thread, tr("Messages"));
    tabs->addTab(docs, tr("Documents"));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(tabs, 1);
    // Nothing selected: say so, rather than show empty or stale fields.
    auto *placeholder = new QLabel(tr("No task selected.\nPick one in the list or on the board to see and edit it."), this);
    placeholder->setObjectName(u"detailPlaceholder"_s);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setEnabled(false);
    m_pages->addWidget(placeholder);
    m_pages->addWidget(content);
    setLayout(m_pages);
    connect(m_editor, &TaskEditor::failed, this, &TaskDetail::failed);

    connect(m_status, &QComboBox::activated, this, [this] { apply({{u"status"_s, m_status->currentData().toString()}}); });
    connect(m_priority, &QComboBox::activated, this, [this] { apply({{u"priority"_s, m_priority->currentData().toString()}}); });
    connect(m_saveDescription, &QPushButton::clicked, this, &TaskDetail::saveDescription);
    connect(m_description, &QPlainTextEdit::textChanged, this,
            [this] { m_saveDescription->setEnabled(descriptionDirty()); });
    connect(post, &QPushButton::clicked, this, &TaskDetail::postMessage);
    connect(m_messageInput, &QLineEdit::returnPressed, this, &TaskDetail::postMessage);
    connect(m_documents, &QComboBox::currentIndexChanged, this, &TaskDetail::showCurrentDocument);
    connect(&store, &Store::taskChanged, this, [this](const QString &id) {
        if (id == m_taskId)
            refresh();
    });
    connect(&store, &Store::documentChanged, this, [this](const QString &documentId) {
        // Only a change to one of this task's documents (or a deleted one in the list) matters.
        if (!m_taskId.isEmpty()
            && (m_documents->findData(documentId) >= 0 || m_store.documents().taskIdOf(documentId) == m_taskId))
            refreshDocuments();
    });
    // Agent names shown here follow renames and deletions.
    const auto agentsChanged = [this] {
        if (!m_taskId.isEmpty())
            refresh();
    };
    connect(&store, &Store::agentChanged, this, agentsChanged);
    connect(&store, &Store::agentRemoved, this, agentsChanged);
    connect(&store, &Store::activityCreated, this, [this](const QJsonObject &a) {
        if (a.value(u"type"_s) == u"message_sent"_s && a.value(u"task_id"_s).toString() == m_taskId)
            refresh();
    });
    setEnabled(false);
}

bool TaskDetail::showsPlaceholder() const
{
    return m_pages->currentIndex() == 0;
}

void TaskDetail::showTask(const QString &taskId)
{
    if (taskId != m_taskId) {
        // Asked once the selection has changed: a modal question (a nested
        // event loop) inside the list's selectionChanged handler could see
        // the selection change again underneath it.
        if (descriptionDirty()) {
            QTimer::singleShot(0, this, [this, id = m_taskId, draft = m_description->toPlainText()] {
                askToSaveDraft(id, draft);
            });
        }
        m_savedDescription.clear();
        m_description->clear();
    }
    m_taskId = taskId;
    setEnabled(!taskId.isEmpty());
    m_pages->setCurrentIndex(taskId.isEmpty() ? 0 : 1);
    refresh();
    refreshDocuments();
}

void TaskDetail::refresh()
{
    const QJsonObject task = m_taskId.isEmpty() ? QJsonObject() : m_store.fetch(taskTable(), m_taskId);
    m_updating = true;
    m_title->setText(task.value(u"title"_s).toString());
    m_status->setCurrentIndex(m_status->findData(task.value(u"status"_s).toString()));
    m_priority->setCurrentIndex(m_priority->findData(task.value(u"priority"_s).toString()));
    // Edits in progress are kept when the stored task changes underneath.
    const bool dirty = descriptionDirty();
    m_savedDescription = task.value(u"description"_s).toString();
    if (!dirty)
        m_description->setPlainText(m_savedDescription);
    m_saveDescription->setEnabled(descriptionDirty());
    QStringList assignees, blockers;
    for (const QString &id : toStringList(task.value(u"assignee_ids"_s)))
        assignees.append(agentDisplayName(m_store, id));
    for (const QString &id : toStringList(task.value(u"blocked_by"_s)))
        blockers.append(m_store.fetch(taskTable(), id).value(u"title"_s).toString(tr("(deleted task)")));
    m_editor->showTask(task);
    m_people->setText(tr("Assignees: %1\n%2")
                              .arg(assignees.isEmpty() ? tr("nobody") : assignees.join(u", "_s),
                                   blockedText(task, blockers)));
    m_messages->clear();
    if (!m_taskId.isEmpty()) {
        for (const QJsonValue &v : m_store.messages().listForTask(m_taskId, 1000).items) {
            const QJsonObject m = v.toObject();
            const QString fromId = m.value(u"from_agent_id"_s).toString();
            const QString from = fromId.isEmpty() || fromId == u"human"_s ? tr("you") : agentDisplayName(m_store, fromId);
            auto *item = new QListWidgetItem(tr("%1 · %2\n%3").arg(from, localTimeText(m.value(u"created_at"_s).toString()),
                                                                    m.value(u"content"_s).toString()));
            item->setToolTip(m.value(u"created_at"_s).toString());
            m_messages->addItem(item);
        }
    }
    m_updating = false;
}

QString TaskDetail::blockedText(const QJsonObject &task, const QStringList &blockers)
{
    if (!blockers.isEmpty())
        return tr("Blocked by: %1").arg(blockers.join(u", "_s));
    if (task.value(u"status"_s).toString() != u"blocked"_s)
        return tr("Blocked by: nothing");
    // A run that ended badly blocks its task: say how it ended.
    const QString runId = m_store.runs().latestRunId(m_taskId);
    const QJsonObject run = runId.isEmpty() ? QJsonObject() : m_store.fetch(runTable(), runId);
    const QString runStatus = run.value(u"status"_s).toString();
    if (!run.isEmpty() && runStatus != u"completed"_s && runStatus != u"running"_s)
        return tr("Blocked because its last run ended: %1").arg(describeRun(run).text);
    return tr("Blocked: set by hand, no other task blocks it");
}

bool TaskDetail::descriptionDirty() const
{
    return !m_taskId.isEmpty() && m_description->toPlainText() != m_savedDescription;
}

bool TaskDetail::saveDescription()
{
    if (!descriptionDirty())
        return true;
    const bool saved = apply({{u"description"_s, m_description->toPlainText()}});
    m_saveDescription->setEnabled(descriptionDirty());
    return saved;
}

void TaskDetail::askToSaveDraft(const QString &taskId, const QString &draft)
{
    const QString title = m_store.fetch(taskTable(), taskId).value(u"title"_s).toString();
    if (title.isEmpty())
        return;   // the task is gone
    const auto answer = QMessageBox::question(this, tr("Unsaved description"),
                                              tr("The description of “%1” was changed. Save the changes?").arg(title),
                                              QMessageBox::Save | QMessageBox::Discard, QMessageBox::Save);
    if (answer != QMessageBox::Save)
        return;
    try {
        m_store.tasks().update(taskId, {{u"description"_s, draft}});
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
    }
}

void TaskDetail::refreshDocuments()
{
    const QString current = m_documents->currentData().toString();
    QSignalBlocker block(m_documents);
    m_documents->clear();
    if (!m_taskId.isEmpty()) {
        for (const DocumentRepository::Head &doc : m_store.documents().headsForTask(m_taskId, 100)) {
            // Each run leaves its own deliverable: tell them apart by version, date and run.
            QString label = tr("%1 — v%2 · %3").arg(doc.title).arg(doc.version).arg(localTimeText(doc.updatedAt));
            if (!doc.runId.isEmpty())
                label += tr(" · run %1").arg(doc.runId.left(8));
            m_documents->addItem(label, doc.id);
        }
    }
    const int index = qMax(0, m_documents->findData(current));
    m_documents->setCurrentIndex(m_documents->count() ? index : -1);
    showCurrentDocument();
}

void TaskDetail::showCurrentDocument()
{
    // Laying out Markdown is slow for huge texts (a run's deliverable can be a
    // megabyte of output lines): render the beginning, say that there is more.
    constexpr qsizetype kRenderLimit = 16 * 1024;
    qsizetype total = 0;
    const QString content = m_store.documents().contentPrefix(m_documents->currentData().toString(), kRenderLimit, &total);
    if (total <= kRenderLimit) {
        m_document->setMarkdown(withHardLineBreaks(content));
        return;
    }
    m_document->setMarkdown(withHardLineBreaks(content)
                            + tr("\n\n---\n*Showing the first %1 KB of %2 KB; the whole text is in the run's output.*")
                                      .arg(kRenderLimit / 1024).arg(total / 1024));
}

bool TaskDetail::apply(const QJsonObject &patch)
{
    if (m_updating || m_taskId.isEmpty())
        return false;
    try {
        m_store.tasks().update(m_taskId, patch);
        return true;
    } catch (const std::exception &e) {
        Q_EMIT failed(errorText(e));
        refresh();
        return false;
    }
}

bool TaskDetail::postMessage()
{
    const QString text = m_messageInput->text().trimmed();
    if (text.isEmpty() || m_taskId.isEmpty())
        return false;
    try {
        m_store.messages().post(m_taskId, {{u"from_agent_id"_s, u"human"_s}, {u"content"_s, text}});
    } catch (const std::exception &e) {
        Q_EMIT failed(errorText(e));
        return false;
    }
    m_messageInput->clear();
    refresh();
    return true;
}

} // namespace mc
