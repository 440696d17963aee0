#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace mc {

// A strip across the top of the window saying that a run ended, with a button
// to open its task and one to close the strip. Never modal; a newer notice
// replaces the shown one.
class NoticeBanner final : public QFrame
{
    Q_OBJECT

public:
    explicit NoticeBanner(QWidget *parent = nullptr);
    void showNotice(const QString &taskId, const QString &text, bool failure);
    QString text() const;
    QString taskId() const { return m_taskId; }
    QPushButton *openButton() const { return m_open; }

Q_SIGNALS:
    void openTask(const QString &taskId);

private:
    QString m_taskId;
    QLabel *m_text;
    QPushButton *m_open;
    QPushButton *m_close;
};

} // namespace mc
