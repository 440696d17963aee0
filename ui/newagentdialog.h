#pragma once

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace mc {

// New Agent: identity plus a form per backend (command, openai, anthropic,
// claude_code, codex). Create stays disabled, with the reason shown, until the
// form is valid -- checked by the same validation the API uses.
// Given an agent, the same form edits it (Edit Agent): prefilled, settings the
// form has no field for are kept, and secret environment values stay masked
// (********) and unchanged unless a new value is typed.
class NewAgentDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit NewAgentDialog(QWidget *parent = nullptr);
    NewAgentDialog(const QJsonObject &agent, QWidget *parent);
    // POST /agents body, or (editing) the PATCH /agents/{id} body.
    QJsonObject body() const;
    QString problem() const;     // empty when the form is valid
    bool isEditing() const { return !m_agent.isEmpty(); }

private:
    void prefill();
    QJsonObject backendConfig() const;
    QJsonValue environment(QString *error = nullptr) const;
    void revalidate();
    void showArgv();

    QJsonObject m_agent;   // the agent being edited; empty for a new one
    QLineEdit *m_name;
    QLineEdit *m_role;
    QLineEdit *m_description;
    QComboBox *m_backend;
    QStackedWidget *m_forms;
    QLineEdit *m_command;
    QLabel *m_argv;   // the arguments the command line gives, as they will run
    QLineEdit *m_cwd;
    QLineEdit *m_baseUrl;
    QLineEdit *m_openAiModel;
    QLineEdit *m_openAiKeyEnv;
    QDoubleSpinBox *m_temperature;
    QLineEdit *m_anthropicModel;
    QLineEdit *m_anthropicKeyEnv;
    QSpinBox *m_maxTokens;
    QLineEdit *m_cliModel;
    QLineEdit *m_cliCommand;
    QSpinBox *m_timeout;
    QPlainTextEdit *m_env;   // NAME=value (or NAME, passed through) per line
    QLabel *m_problem;
    QPushButton *m_okButton = nullptr;
};

} // namespace mc
