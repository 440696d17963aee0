#pragma once

#include <QStyledItemDelegate>

namespace mc {

// Paints a task as a board card: title, priority, assignees and tags; a
// running task adds a spinner, the time since its run started and the
// agent's latest output line.
class CardDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // "4:07" or "1:02:03" since the start.
    static QString elapsedText(qint64 seconds);
};

} // namespace mc
