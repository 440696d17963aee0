#include "carddelegate.h"

#include "statuscolors.h"
#include "taskmodel.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>
#include <QTime>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
constexpr int kMargin = 4;
constexpr int kPadding = 8;

int lineCount(const QModelIndex &index)
{
    int lines = 2;   // title, priority + assignees
    if (!index.data(TaskTableModel::TagsRole).toStringList().isEmpty())
        ++lines;
    if (index.data(TaskTableModel::RunningRole).toBool())
        ++lines;
    return lines;
}
} // namespace

QString CardDelegate::elapsedText(qint64 seconds)
{
    seconds = qMax<qint64>(0, seconds);
    const qint64 h = seconds / 3600, m = (seconds % 3600) / 60, s = seconds % 60;
    return h > 0 ? u"%1:%2:%3"_s.arg(h).arg(m, 2, 10, QChar(u'0')).arg(s, 2, 10, QChar(u'0'))
                 : u"%1:%2"_s.arg(m).arg(s, 2, 10, QChar(u'0'));
}

QSize CardDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int line = option.fontMetrics.lineSpacing();
    return {qMax(160, option.rect.width()), 2 * kMargin + 2 * kPadding + lineCount(index) * (line + 2)};
}

void CardDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const bool running = index.data(TaskTableModel::RunningRole).toBool();
    const QRect card = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath shape;
    shape.addRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter->fillPath(shape, palette.color(QPalette::Base));
    painter->setPen(QPen(selected ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid), selected ? 2 : 1));
    painter->drawPath(shape);
    if (option.state & QStyle::State_HasFocus) {
        painter->setPen(QPen(palette.color(QPalette::Highlight), 1, Qt::DashLine));
        painter->drawRoundedRect(QRectF(card).adjusted(2.5, 2.5, -2.5, -2.5), 4, 4);
    }

    const int line = option.fontMetrics.lineSpacing() + 2;
    QRect row(card.left() + kPadding, card.top() + kPadding, card.width() - 2 * kPadding, line);
    const auto text = [&](const QString &value, const QFont &font, const QColor &color, int left = 0) {
        painter->setFont(font);
        painter->setPen(color);
        const QRect r = row.adjusted(left, 0, 0, 0);
        painter->drawText(r, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(font).elidedText(value, Qt::ElideRight, r.width()));
    };
    QFont bold = option.font;
    bold.setBold(true);
    const QColor textColor = palette.color(QPalette::Text);
    const QColor dim = palette.color(QPalette::PlaceholderText);
    text(index.data(TaskTableModel::TitleRole).toString(), bold, textColor);

    // Priority as a small badge, then the assignees.
    row.translate(0, line);
    const QString priority = index.data(TaskTableModel::PriorityRole).toString();
    const QString badge = statusLabel(priority);
    const int badgeWidth = option.fontMetrics.horizontalAdvance(badge) + 10;
    const QRect badgeRect(row.left(), row.top() + 1, badgeWidth, row.height() - 2);
    static const QHash<QString, QString> priorityTone{
            {u"urgent"_s, u"blocked"_s}, {u"high"_s, u"review"_s}, {u"medium"_s, u"assigned"_s}, {u"low"_s, u"skipped"_s}};
    painter->setPen(Qt::NoPen);
    painter->setBrush(statusBackground(priorityTone.value(priority, u"inbox"_s), palette));
    painter->drawRoundedRect(badgeRect, 4, 4);
    painter->setPen(textColor);
    painter->setFont(option.font);
    painter->drawText(badgeRect, Qt::AlignCenter, badge);
    const QString assignees = index.data(TaskTableModel::AssigneeNamesRole).toString();
    text(assignees.isEmpty() ? tr("unassigned") : assignees, option.font, assignees.isEmpty() ? dim : textColor,
         badgeWidth + 6);

    const QStringList tags = index.data(TaskTableModel::TagsRole).toStringList();
    if (!tags.isEmpty()) {
        row.translate(0, line);
        text(u"#"_s + tags.join(u"  #"_s), option.font, palette.color(QPalette::Link));
    }
    if (running) {
        row.translate(0, line);
        // A quarter arc turning with the clock: the model repaints running cards.
        const int d = row.height() - 4;
        const QRect spin(row.left(), row.top() + 2, d, d);
        painter->setPen(QPen(palette.color(QPalette::Highlight), 2));
        painter->setBrush(Qt::NoBrush);
        const int angle = -(QTime::currentTime().msecsSinceStartOfDay() % 1000) * 360 / 1000;
        painter->drawArc(spin, angle * 16, 270 * 16);
        const QDateTime started = index.data(TaskTableModel::RunStartedRole).toDateTime();
        const QString elapsed = started.isValid() ? elapsedText(started.secsTo(QDateTime::currentDateTimeUtc())) : QString();
        const QString latest = index.data(TaskTableModel::LatestLineRole).toString();
        text(elapsed + (latest.isEmpty() ? QString() : u"  "_s + latest), option.font, textColor, d + 6);
    }
    painter->restore();
}

} // namespace mc
