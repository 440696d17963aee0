// Renders the application icon (ui/appicon.cpp) to PNG files for packaging:
// mc-icon-render OUTDIR SIZE...
#include "appicon.h"

#include <QDir>
#include <QGuiApplication>
#include <QImage>

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    if (argc < 3)
        return 2;
    const QString out = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(out);
    for (int i = 2; i < argc; ++i) {
        const int size = QByteArray(argv[i]).toInt();
        if (!mc::renderAppIcon(size).save(out + QStringLiteral("/mission-control-%1.png").arg(size)))
            return 1;
    }
    return 0;
}
