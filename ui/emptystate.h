#pragma once

#include <QStackedWidget>

class QAbstractItemModel;
class QLabel;
class QPushButton;

namespace mc {

// A list that is empty says so and offers what to do about it: `content`
// while `model` has rows, otherwise a message with a call-to-action button.
class EmptyState final : public QStackedWidget
{
    Q_OBJECT

public:
    EmptyState(QWidget *content, QAbstractItemModel *model, const QString &message, const QString &action,
               QWidget *parent = nullptr);
    bool isShowingEmpty() const { return currentIndex() == 1; }
    QPushButton *actionButton() const { return m_button; }

Q_SIGNALS:
    void actionTriggered();

private:
    void refresh();

    QAbstractItemModel *m_model;
    QLabel *m_message;
    QPushButton *m_button;
};

} // namespace mc
