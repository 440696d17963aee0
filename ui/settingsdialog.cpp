#include "settingsdialog.h"

#include "databaseurl.h"
#include "settingsfile.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSpinBox>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
QLineEdit *keyEdit(QWidget *parent, bool saved)
{
    auto *edit = new QLineEdit(parent);
    edit->setEchoMode(QLineEdit::Password);
    edit->setPlaceholderText(saved ? QObject::tr("•••••••• saved — type to replace") : QObject::tr("not set"));
    return edit;
}
} // namespace

SettingsDialog::SettingsDialog(int runningPort, QWidget *parent)
    : QDialog(parent)
    , m_port(new QSpinBox(this))
    , m_host(new QLineEdit(this))
    , m_maxConcurrent(new QSpinBox(this))
    , m_database(new QLineEdit(this))
    , m_baseUrl(new QLineEdit(this))
    , m_model(new QLineEdit(this))
{
    setWindowTitle(tr("Settings"));
    const auto settings = openSettings();
    m_port->setRange(0, 65535);
    m_port->setValue(settings->value(u"server/port"_s, 8000).toInt());
    m_host->setText(settings->value(u"server/host"_s, u"127.0.0.1"_s).toString());
    m_maxConcurrent->setRange(1, 64);
    m_maxConcurrent->setValue(settings->value(u"engine/max_concurrent"_s, 5).toInt());
    m_database->setText(settings->value(QString::fromLatin1(DatabaseUrl::settingsKey)).toString());
    m_database->setPlaceholderText(tr("empty: the SQLite file in the data folder"));
    m_database->setToolTip(tr("postgresql://user@host:5432/db?sslmode=verify-full to share one PostgreSQL "
                              "database with other instances. Keep the password in PGPASSFILE."));
    m_baseUrl->setText(settings->value(u"defaults/openai_base_url"_s, u"http://127.0.0.1:11434/v1"_s).toString());
    m_model->setText(settings->value(u"defaults/openai_model"_s, u"llama3.2"_s).toString());
    m_openAiKey = keyEdit(this, settings->contains(u"api_keys/OPENAI_API_KEY"_s));
    m_anthropicKey = keyEdit(this, settings->contains(u"api_keys/ANTHROPIC_API_KEY"_s));

    auto *form = new QFormLayout(this);
    form->addRow(new QLabel(tr("<b>Server</b> (applies at next start)"), this));
    form->addRow(tr("Port"), m_port);
    if (runningPort > 0) {
        auto *running = new QLabel(m_port->value() == runningPort
                                           ? tr("Listening on port %1 now.").arg(runningPort)
                                           : tr("Listening on port %1 now (set on the command line, --port); "
                                                "the setting above applies when started without it.").arg(runningPort),
                                   this);
        running->setObjectName(QStringLiteral("runningPort"));
        running->setWordWrap(true);
        form->addRow(QString(), running);
    }
    form->addRow(tr("Bind address"), m_host);
    form->addRow(tr("Concurrent runs"), m_maxConcurrent);
    form->addRow(tr("Database"), m_database);
    form->addRow(new QLabel(tr("<b>New OpenAI-compatible agents</b>"), this));
    form->addRow(tr("Base URL"), m_baseUrl);
    form->addRow(tr("Model"), m_model);
    form->addRow(new QLabel(tr("<b>API keys</b> (used when the variable is not set in the environment)"), this));
    form->addRow(u"OPENAI_API_KEY"_s, m_openAiKey);
    form->addRow(u"ANTHROPIC_API_KEY"_s, m_anthropicKey);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

void SettingsDialog::accept()
{
    const QHostAddress address(m_host->text().trimmed());
    if (address.isNull()) {
        QMessageBox::warning(this, windowTitle(), tr("The bind address must be an IP address such as 127.0.0.1."));
        return;
    }
    if (!address.isLoopback()
        && QMessageBox::warning(this, windowTitle(),
                                tr("Binding to %1 lets other machines reach the API (with the token). "
                                   "Only do this on a network you trust. Continue?").arg(address.toString()),
                                QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes)
        return;
    const QString database = m_database->text().trimmed();
    DatabaseUrl parsed;
    QString databaseError;
    if (!database.isEmpty() && !DatabaseUrl::parse(database, &parsed, &databaseError)) {
        QMessageBox::warning(this, windowTitle(), databaseError);
        return;
    }
    const auto settings = openSettings();
    settings->setValue(QString::fromLatin1(DatabaseUrl::settingsKey), database);
    settings->setValue(u"server/port"_s, m_port->value());
    settings->setValue(u"server/host"_s, address.toString());
    settings->setValue(u"engine/max_concurrent"_s, m_maxConcurrent->value());
    settings->setValue(u"defaults/openai_base_url"_s, m_baseUrl->text().trimmed());
    settings->setValue(u"defaults/openai_model"_s, m_model->text().trimmed());
    if (!m_openAiKey->text().isEmpty())
        settings->setValue(u"api_keys/OPENAI_API_KEY"_s, m_openAiKey->text());
    if (!m_anthropicKey->text().isEmpty())
        settings->setValue(u"api_keys/ANTHROPIC_API_KEY"_s, m_anthropicKey->text());
    settings->sync();
    restrictSettingsFile();
    QDialog::accept();
}

} // namespace mc
