#pragma once

#include <QDialog>
#include <QJsonObject>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace mc {

// New or Edit Project: title, description, tags and the requirements
// document (Markdown). The limits are the API's (title 1-200 characters,
// description up to 20000); Save stays disabled, with the reason, until met.
class ProjectDialog final : public QDialog
{
    Q_OBJECT

public:
    // `project` empty: a new project; else it is edited (prefilled).
    explicit ProjectDialog(const QJsonObject &project = {}, const QString &requirements = {},
                           QWidget *parent = nullptr);
    // title, description, tags: a POST /projects or PATCH /projects/{id} body.
    QJsonObject body() const;
    QString requirements() const;
    QString problem() const;

private:
    void revalidate();

    QLineEdit *m_title;
    QPlainTextEdit *m_description;
    QLineEdit *m_tags;
    QPlainTextEdit *m_requirements;
    QLabel *m_problem;
    QPushButton *m_ok = nullptr;
};

} // namespace mc
