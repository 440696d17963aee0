#pragma once

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;

namespace mc {

// New Task: title (required), description, priority, assignees.
class NewTaskDialog final : public QDialog
{
    Q_OBJECT

public:
    NewTaskDialog(const QList<QJsonObject> &agents, QWidget *parent = nullptr);
    QJsonObject body() const;

private:
    QLineEdit *m_title;
    QPlainTextEdit *m_description;
    QComboBox *m_priority;
    QListWidget *m_assignees;
};

} // namespace mc
