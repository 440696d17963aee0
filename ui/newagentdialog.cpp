#include "newagentdialog.h"

#include "backendregistry.h"
#include "secretnames.h"
#include "settingsfile.h"
#include "shellwords.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
QWidget *formPage(QWidget *parent, const QList<QPair<QString, QWidget *>> &rows)
{
    auto *page = new QWidget(parent);
    auto *form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    for (const auto &[label, widget] : rows)
        form->addRow(label, widget);
    return page;
}
} // namespace

NewAgentDialog::NewAgentDialog(QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(this))
    , m_role(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_backend(new QComboBox(this))
    , m_forms(new QStackedWidget(this))
    , m_command(new QLineEdit(this))
    , m_argv(new QLabel(this))
    , m_cwd(new QLineEdit(this))
    , m_baseUrl(new QLineEdit(this))
    , m_openAiModel(new QLineEdit(this))
    , m_openAiKeyEnv(new QLineEdit(u"OPENAI_API_KEY"_s, this))
    , m_temperature(new QDoubleSpinBox(this))
    , m_anthropicModel(new QLineEdit(u"claude-sonnet-4-5"_s, this))
    , m_anthropicKeyEnv(new QLineEdit(u"ANTHROPIC_API_KEY"_s, this))
    , m_maxTokens(new QSpinBox(this))
    , m_cliModel(new QLineEdit(this))
    , m_cliCommand(new QLineEdit(this))
    , m_timeout(new QSpinBox(this))
    , m_env(new QPlainTextEdit(this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(tr("New Agent"));
    m_name->setObjectName(u"agentName"_s);
    m_role->setObjectName(u"agentRole"_s);
    m_backend->setObjectName(u"agentBackend"_s);
    m_command->setObjectName(u"agentCommand"_s);
    m_command->setToolTip(tr("Split into arguments like a shell does: 'single quotes', \"double quotes\" and "
                             "backslashes; no variables or globs are expanded."));
    m_argv->setObjectName(u"agentArgv"_s);
    m_argv->setWordWrap(true);
    m_argv->setTextFormat(Qt::PlainText);
    m_argv->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_name->setMaxLength(50);
    m_role->setMaxLength(100);
    const auto settings = openSettings();
    m_baseUrl->setText(settings->value(u"defaults/openai_base_url"_s, u"http://127.0.0.1:11434/v1"_s).toString());
    m_openAiModel->setText(settings->value(u"defaults/openai_model"_s, u"llama3.2"_s).toString());
    m_command->setPlaceholderText(tr("e.g. /usr/share/mission-control/examples/echo-agent.sh"));
    m_cwd->setPlaceholderText(tr("default: the project's folder"));
    m_cliModel->setPlaceholderText(tr("default model"));
    m_cliCommand->setPlaceholderText(tr("default: found on PATH"));
    m_temperature->setRange(0, 2);
    m_temperature->setSingleStep(0.1);
    m_temperature->setValue(0.2);
    m_maxTokens->setRange(1, 200000);
    m_maxTokens->setValue(4096);
    m_timeout->setRange(1, 7 * 86400);
    m_timeout->setValue(3600);
    m_timeout->setSuffix(tr(" s"));
    m_env->setObjectName(u"agentEnv"_s);
    m_env->setTabChangesFocus(true);
    m_env->setPlaceholderText(tr("One per line: NAME=value to set, or NAME to pass through from Mission Control's "
                                 "environment. Values of secret names (…KEY, …TOKEN) are kept in the owner-only "
                                 "settings file."));
    m_env->setMaximumHeight(m_env->fontMetrics().lineSpacing() * 4 + 12);

    const QList<QPair<QString, QString>> backends{{u"command"_s, tr("Command line (any program)")},
                                                  {u"openai"_s, tr("OpenAI-compatible (Ollama, llama.cpp, vLLM, OpenAI)")},
                                                  {u"anthropic"_s, tr("Anthropic Messages API")},
                                                  {u"claude_code"_s, tr("Claude Code CLI")},
                                                  {u"codex"_s, tr("Codex CLI")}};
    for (const auto &[id, label] : backends)
        m_backend->addItem(label, id);
    m_forms->addWidget(formPage(this, {{tr("Command"), m_command}, {tr("Will run"), m_argv}, {tr("Working folder"), m_cwd}}));
    m_forms->addWidget(formPage(this, {{tr("Base URL"), m_baseUrl}, {tr("Model"), m_openAiModel},
                                       {tr("API key variable"), m_openAiKeyEnv}, {tr("Temperature"), m_temperature}}));
    m_forms->addWidget(formPage(this, {{tr("Model"), m_anthropicModel}, {tr("API key variable"), m_anthropicKeyEnv},
                                       {tr("Max tokens"), m_maxTokens}}));
    m_forms->addWidget(formPage(this, {{tr("Model"), m_cliModel}, {tr("Executable"), m_cliCommand}}));

    m_problem->setObjectName(u"agentProblem"_s);
    m_problem->setWordWrap(true);
    m_problem->setForegroundRole(QPalette::PlaceholderText);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Role"), m_role);
    form->addRow(tr("&Description"), m_description);
    form->addRow(tr("&Backend"), m_backend);
    form->addRow(m_forms);
    form->addRow(tr("Time limit"), m_timeout);
    form->addRow(tr("&Environment"), m_env);
    form->addRow(m_problem);
    form->addRow(buttons);

    m_forms->addWidget(new QWidget(this));   // a backend this build does not know: nothing to set
    connect(m_backend, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_forms->setCurrentIndex(i == 4 ? 3 : qMin(i, 4));   // codex uses the CLI page
        revalidate();
    });
    for (QLineEdit *edit : {m_name, m_role, m_command, m_baseUrl, m_openAiModel, m_anthropicModel, m_cliCommand})
        connect(edit, &QLineEdit::textChanged, this, &NewAgentDialog::revalidate);
    connect(m_env, &QPlainTextEdit::textChanged, this, &NewAgentDialog::revalidate);
    m_okButton = buttons->button(QDialogButtonBox::Ok);
    revalidate();
}

NewAgentDialog::NewAgentDialog(const QJsonObject &agent, QWidget *parent)
    : NewAgentDialog(parent)
{
    m_agent = agent;
    setWindowTitle(tr("Edit Agent — %1").arg(agent.value(u"name"_s).toString()));
    m_okButton->setText(tr("Save"));
    prefill();
    revalidate();
}

void NewAgentDialog::prefill()
{
    const QJsonObject cfg = m_agent.value(u"metadata"_s).toObject().value(u"backend_config"_s).toObject();
    const auto text = [&cfg](QLineEdit *edit, const QString &key) {
        if (cfg.value(key).isString())
            edit->setText(cfg.value(key).toString());
    };
    m_name->setText(m_agent.value(u"name"_s).toString());
    m_role->setText(m_agent.value(u"role"_s).toString());
    m_description->setText(m_agent.value(u"description"_s).toString());
    QString backend = m_agent.value(u"backend"_s).toString();
    if (backend == u"claude_agent_sdk"_s)
        backend = u"claude_code"_s;
    if (m_backend->findData(backend) < 0)   // a backend this build cannot run: kept as it is
        m_backend->addItem(tr("%1 (not runnable by this build)").arg(backend), backend);
    m_backend->setCurrentIndex(m_backend->findData(backend));
    if (backend == u"command"_s) {
        QStringList argv;
        for (const QJsonValue &word : cfg.value(u"command"_s).toArray())
            argv.append(word.toString());
        m_command->setText(joinShellWords(argv));
        text(m_cwd, u"cwd"_s);
    } else if (backend == u"openai"_s) {
        text(m_baseUrl, u"base_url"_s);
        text(m_openAiModel, u"model"_s);
        m_openAiKeyEnv->setText(cfg.value(u"api_key_env"_s).toString());
        m_temperature->setValue(cfg.value(u"temperature"_s).toDouble(m_temperature->value()));
    } else if (backend == u"anthropic"_s) {
        text(m_anthropicModel, u"model"_s);
        text(m_anthropicKeyEnv, u"api_key_env"_s);
        m_maxTokens->setValue(cfg.value(u"max_tokens"_s).toInt(m_maxTokens->value()));
    } else {
        text(m_cliModel, u"model"_s);
        m_cliCommand->setText(cfg.value(u"command"_s).toArray().at(0).toString());
    }
    m_timeout->setValue(cfg.value(u"timeout_s"_s).toInt(m_timeout->value()));
    QStringList env;
    const QJsonValue stored = cfg.value(u"env"_s);
    for (const QJsonValue &name : stored.toArray())
        env.append(name.toString());
    const QJsonObject values = stored.toObject();
    for (auto it = values.begin(); it != values.end(); ++it)
        env.append(it.key() + u'=' + it.value().toString());
    m_env->setPlainText(env.join(u'\n'));
}

QJsonValue NewAgentDialog::environment(QString *error) const
{
    QJsonArray names;
    QJsonObject values;
    for (const QString &raw : m_env->toPlainText().split(u'\n', Qt::SkipEmptyParts)) {
        const QString line = raw.trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype eq = line.indexOf(u'=');
        if (eq < 0)
            names.append(line);
        else
            values.insert(line.left(eq).trimmed(), line.mid(eq + 1));
    }
    if (!names.isEmpty() && !values.isEmpty() && error)
        *error = tr("Environment: either NAME=value on every line, or names only (passed through).");
    if (names.isEmpty() && values.isEmpty())
        return QJsonValue::Undefined;
    return values.isEmpty() ? QJsonValue(names) : QJsonValue(values);
}

QJsonObject NewAgentDialog::backendConfig() const
{
    const QString backend = m_backend->currentData().toString();
    // Editing: the settings the form has no field for stay as they were.
    QJsonObject cfg;
    const QString before = m_agent.value(u"backend"_s).toString();
    if (isEditing() && (before == backend || (before == u"claude_agent_sdk"_s && backend == u"claude_code"_s)))
        cfg = m_agent.value(u"metadata"_s).toObject().value(u"backend_config"_s).toObject();
    for (const QString &owned : {u"command"_s, u"cwd"_s, u"base_url"_s, u"model"_s, u"api_key_env"_s,
                                 u"temperature"_s, u"max_tokens"_s, u"env"_s})
        cfg.remove(owned);
    cfg.insert(u"timeout_s"_s, m_timeout->value());
    if (const QJsonValue env = environment(); !env.isUndefined())
        cfg.insert(u"env"_s, env);
    if (backend == u"command"_s) {
        cfg.insert(u"command"_s, QJsonArray::fromStringList(splitShellWords(m_command->text()).words));
        if (!m_cwd->text().trimmed().isEmpty())
            cfg.insert(u"cwd"_s, m_cwd->text().trimmed());
    } else if (backend == u"openai"_s) {
        cfg.insert(u"base_url"_s, m_baseUrl->text().trimmed());
        cfg.insert(u"model"_s, m_openAiModel->text().trimmed());
        if (!m_openAiKeyEnv->text().trimmed().isEmpty())
            cfg.insert(u"api_key_env"_s, m_openAiKeyEnv->text().trimmed());
        cfg.insert(u"temperature"_s, m_temperature->value());
    } else if (backend == u"anthropic"_s) {
        cfg.insert(u"model"_s, m_anthropicModel->text().trimmed());
        cfg.insert(u"api_key_env"_s, m_anthropicKeyEnv->text().trimmed());
        cfg.insert(u"max_tokens"_s, m_maxTokens->value());
    } else if (m_forms->currentIndex() == 3) {
        if (!m_cliModel->text().trimmed().isEmpty())
            cfg.insert(u"model"_s, m_cliModel->text().trimmed());
        if (!m_cliCommand->text().trimmed().isEmpty())
            cfg.insert(u"command"_s, QJsonArray{m_cliCommand->text().trimmed()});
    }
    return cfg;
}

QJsonObject NewAgentDialog::body() const
{
    QString backend = m_backend->currentData().toString();
    if (backend == u"claude_code"_s && m_agent.value(u"backend"_s).toString() == u"claude_agent_sdk"_s)
        backend = u"claude_agent_sdk"_s;   // the original's name for the same backend stays
    QJsonObject metadata = m_agent.value(u"metadata"_s).toObject();
    metadata.insert(u"backend_config"_s, backendConfig());
    QJsonObject body{{u"name"_s, m_name->text().trimmed()},
                     {u"role"_s, m_role->text().trimmed()},
                     {u"backend"_s, backend},
                     {u"metadata"_s, metadata}};
    if (!m_description->text().trimmed().isEmpty() || isEditing())
        body.insert(u"description"_s, m_description->text().trimmed());
    return body;
}

QString NewAgentDialog::problem() const
{
    if (m_name->text().trimmed().isEmpty())
        return tr("Give the agent a name.");
    if (m_role->text().trimmed().isEmpty())
        return tr("Say what the agent's role is.");
    const QString backend = m_backend->currentData().toString();
    if (backend == u"command"_s && m_command->text().trimmed().isEmpty())
        return tr("Enter the command line that runs the agent; it gets the prompt on stdin.");
    if (backend == u"command"_s) {
        const ShellWords words = splitShellWords(m_command->text());
        if (!words.ok())
            return tr("Command: %1.").arg(words.error);
    }
    QString envError;
    environment(&envError);
    if (!envError.isEmpty())
        return envError;
    // The checks POST and PATCH /agents make: the shared policy, then the backend's own.
    QJsonArray errors = backendConfigPolicyErrors({{u"backend_config"_s, backendConfig()}});
    for (const QJsonValue &e : backends::validateConfig(backend, {{u"backend_config"_s, backendConfig()}}))
        errors.append(e);
    if (!errors.isEmpty()) {
        const QJsonObject e = errors.first().toObject();
        return e.value(u"loc"_s).toArray().last().toString() + u": "_s + e.value(u"msg"_s).toString();
    }
    return {};
}

void NewAgentDialog::showArgv()
{
    const ShellWords words = splitShellWords(m_command->text());
    if (!words.ok() || words.words.isEmpty()) {
        m_argv->setText(words.ok() ? tr("(nothing yet)") : tr("(cannot split: %1)").arg(words.error));
        return;
    }
    // One bracket per argument, so spaces inside an argument show.
    QStringList shown;
    for (const QString &word : words.words)
        shown.append(u"⟨"_s + word + u"⟩"_s);
    m_argv->setText(tr("%n argument(s): %1", nullptr, int(words.words.size())).arg(shown.join(u' ')));
}

void NewAgentDialog::revalidate()
{
    showArgv();
    const QString why = problem();
    m_problem->setText(why);
    if (m_okButton)
        m_okButton->setEnabled(why.isEmpty());
}

} // namespace mc
