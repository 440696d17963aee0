#include "runchangesdialog.h"

#include "changedfilesmodel.h"
#include "gitbaseline.h"
#include "gitchanges.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QSyntaxHighlighter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
// Added lines green, removed red, hunk headers blue, as diff viewers do.
class DiffHighlighter final : public QSyntaxHighlighter
{
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString &text) override
    {
        QColor color;
        if (text.startsWith(u"+++"_s) || text.startsWith(u"---"_s) || text.startsWith(u"diff "_s))
            color = QColor(0x7f, 0x8c, 0x8d);
        else if (text.startsWith(u'+'))
            color = QColor(0x1e, 0x84, 0x49);
        else if (text.startsWith(u'-'))
            color = QColor(0xc0, 0x39, 0x2b);
        else if (text.startsWith(u"@@"_s))
            color = QColor(0x29, 0x80, 0xb9);
        if (color.isValid())
            setFormat(0, int(text.size()), color);
    }
};
} // namespace

RunChangesDialog::RunChangesDialog(const QString &dataDir, const QString &runId, QWidget *parent)
    : QDialog(parent)
    , m_changes(new GitChanges(this))
    , m_model(new ChangedFilesModel(this))
    , m_message(new QLabel(tr("Reading the changes with git…"), this))
    , m_files(new QListView(this))
    , m_diff(new QPlainTextEdit(this))
{
    setWindowTitle(tr("What the agent changed"));
    setObjectName(u"runChangesDialog"_s);
    m_message->setObjectName(u"changesMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_files->setObjectName(u"changedFiles"_s);
    m_files->setModel(m_model);
    m_diff->setObjectName(u"changesDiff"_s);
    m_diff->setReadOnly(true);
    m_diff->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_diff->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new DiffHighlighter(m_diff->document());
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_files);
    split->addWidget(m_diff);
    split->setStretchFactor(1, 3);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(960, 600);
    connect(m_files->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { m_diff->setPlainText(current.data(ChangedFilesModel::DiffRole).toString()); });
    connect(m_changes, &GitChanges::finished, this, &RunChangesDialog::onLoaded);
    m_changes->load(gitbaseline::load(dataDir, runId));
}

bool RunChangesDialog::isLoading() const
{
    return m_changes->isLoading();
}

QString RunChangesDialog::messageText() const
{
    return m_message->text();
}

QString RunChangesDialog::diffText() const
{
    return m_diff->toPlainText();
}

void RunChangesDialog::selectFile(int row)
{
    m_files->setCurrentIndex(m_model->index(row, 0));
}

void RunChangesDialog::onLoaded()
{
    m_model->setFiles(m_changes->files());
    QStringList lines;
    if (!m_changes->error().isEmpty())
        lines.append(m_changes->error());
    else if (m_model->rowCount() == 0)
        lines.append(tr("The run changed no file in its working folder."));
    else
        lines.append((m_model->rowCount() == 1 ? tr("1 file changed") : tr("%1 files changed").arg(m_model->rowCount()))
                     + tr(" since the run started (and any change made after it, until now)."));
    lines += m_changes->notes();
    m_message->setText(lines.join(u'\n'));
    if (m_model->rowCount() > 0)
        selectFile(0);
}

} // namespace mc
