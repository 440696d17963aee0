#pragma once

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace mc {

// New Agent: identity plus a form per backend (command, openai, anthropic,
// claude_code, codex). Create stays disabled, with the reason shown, until the
// form is valid -- checked by the same validation the API uses.
class NewAgentDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit NewAgentDialog(QWidget *parent = nullptr);
    QJsonObject body() const;
    QString problem() const;     // empty when the form is valid

private:
    QJsonObject backendConfig() const;
    void revalidate();
    void showArgv();

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
    QLabel *m_problem;
    QPushButton *m_okButton = nullptr;
};

} // namespace mc
