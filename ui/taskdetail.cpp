#include "taskdetail.h"

#include "apierror.h"
#include "documentrepository.h"
#include "enums.h"
#include "fieldspec.h"
#include "messagerepository.h"
#include "statuscolors.h"
#include "store.h"
#include "taskrepository.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTextBrowser>
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
    m_messages->setWordWrap(true);
    m_document->setObjectName(u"documentView"_s);
    m_document->setOpenExternalLinks(true);

    auto *overview = new QWidget(this);
    auto *form = new QFormLayout;
    form->addRow(tr("Status"), m_status);
    form->addRow(tr("Priority"), m_priority);
    auto *overviewLayout = new QVBoxLayout(overview);
    overviewLayout->addLayout(form);
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
    tabs->addTab(overview, tr("Overview"));
    tabs->addTab(thread, tr("Messages"));
    tabs->addTab(docs, tr("Documents"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(tabs, 1);

    connect(m_status, &QComboBox::activated, this, [this] { apply({{u"status"_s, m_status->currentData().toString()}}); });
    connect(m_priority, &QComboBox::activated, this, [this] { apply({{u"priority"_s, m_priority->currentData().toString()}}); });
    connect(m_saveDescription, &QPushButton::clicked, this, [this] { apply({{u"description"_s, m_description->toPlainText()}}); });
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
    connect(&store, &Store::activityCreated, this, [this](const QJsonObject &a) {
        if (a.value(u"type"_s) == u"message_sent"_s && a.value(u"task_id"_s).toString() == m_taskId)
            refresh();
    });
    setEnabled(false);
}

void TaskDetail::showTask(const QString &taskId)
{
    m_taskId = taskId;
    setEnabled(!taskId.isEmpty());
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
    if (!m_description->hasFocus())
        m_description->setPlainText(task.value(u"description"_s).toString());
    QStringList assignees, blockers;
    for (const QString &id : toStringList(task.value(u"assignee_ids"_s)))
        assignees.append(m_store.fetch(agentTable(), id).value(u"name"_s).toString(id.left(8)));
    for (const QString &id : toStringList(task.value(u"blocked_by"_s)))
        blockers.append(m_store.fetch(taskTable(), id).value(u"title"_s).toString(id.left(8)));
    m_people->setText(tr("Assignees: %1\nBlocked by: %2")
                              .arg(assignees.isEmpty() ? tr("nobody") : assignees.join(u", "_s),
                                   blockers.isEmpty() ? tr("nothing") : blockers.join(u", "_s)));
    m_messages->clear();
    if (!m_taskId.isEmpty()) {
        for (const QJsonValue &v : m_store.messages().listForTask(m_taskId, 1000).items) {
            const QJsonObject m = v.toObject();
            const QString from = m.value(u"from_agent_id"_s).isString()
                    ? m_store.fetch(agentTable(), m.value(u"from_agent_id"_s).toString()).value(u"name"_s).toString(u"agent"_s)
                    : tr("you");
            m_messages->addItem(from + u": "_s + m.value(u"content"_s).toString());
        }
    }
    m_updating = false;
}

void TaskDetail::refreshDocuments()
{
    const QString current = m_documents->currentData().toString();
    QSignalBlocker block(m_documents);
    m_documents->clear();
    if (!m_taskId.isEmpty()) {
        for (const DocumentRepository::Head &doc : m_store.documents().headsForTask(m_taskId, 100))
            m_documents->addItem(u"%1 (v%2)"_s.arg(doc.title).arg(doc.version), doc.id);
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

void TaskDetail::apply(const QJsonObject &patch)
{
    if (m_updating || m_taskId.isEmpty())
        return;
    try {
        m_store.tasks().update(m_taskId, patch);
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
        refresh();
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
        Q_EMIT failed(QString::fromUtf8(e.what()));
        return false;
    }
    m_messageInput->clear();
    refresh();
    return true;
}

} // namespace mc
