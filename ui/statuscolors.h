#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace mc {

// A background for a task status that reads well on light and dark palettes:
// the hue says the status, the lightness follows the palette's base colour.
QColor statusBackground(const QString &status, const QPalette &palette);
QString statusLabel(const QString &status);

} // namespace mc
