#pragma once

#include <QDialog>

class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace mc {

// Settings: port, bind address (warns before anything but loopback), max
// concurrent runs, defaults for new OpenAI-compatible agents, API keys (masked,
// stored in the owner-only settings file). Server settings apply at next start.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    // runningPort: the port the server listens on now (--port may override the setting); 0 when unknown.
    explicit SettingsDialog(int runningPort = 0, QWidget *parent = nullptr);
    void accept() override;

private:
    QSpinBox *m_port;
    QLineEdit *m_host;
    QSpinBox *m_maxConcurrent;
    QLineEdit *m_database;
    QLineEdit *m_baseUrl;
    QLineEdit *m_model;
    QLineEdit *m_openAiKey;
    QLineEdit *m_anthropicKey;
};

} // namespace mc
