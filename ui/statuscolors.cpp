#include "statuscolors.h"

using namespace Qt::StringLiterals;

namespace mc {

QColor statusBackground(const QString &status, const QPalette &palette)
{
    int hue = -1;
    if (status == u"in_progress"_s)
        hue = 210;
    else if (status == u"done"_s)
        hue = 125;
    else if (status == u"blocked"_s)
        hue = 0;
    else if (status == u"review"_s)
        hue = 275;
    else if (status == u"assigned"_s)
        hue = 180;
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    if (hue < 0)
        return palette.color(QPalette::Base);
    return QColor::fromHsl(hue, dark ? 90 : 140, dark ? 55 : 225);
}

QString statusLabel(const QString &status)
{
    QString label = status;
    label.replace(u'_', u' ');
    if (!label.isEmpty())
        label[0] = label.at(0).toUpper();
    return label;
}

} // namespace mc
