#include "windowplacement.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

namespace mc {

void placeOnScreen(QWidget *window)
{
    const QScreen *screen = window->screen() ? window->screen() : QGuiApplication::primaryScreen();
    if (!screen)
        return;
    const QRect available = screen->availableGeometry();
    // Before the first show the frame is not known yet: allow for a title bar.
    const QSize measured = window->frameGeometry().size() - window->geometry().size();
    const QSize frameExtra = measured.isEmpty() ? QSize(16, 48) : measured;
    const QSize size = window->size().boundedTo(available.size() - frameExtra);
    window->resize(size);
    QRect frame(window->pos(), size + frameExtra);
    frame.moveRight(qMin(frame.right(), available.right()));
    frame.moveBottom(qMin(frame.bottom(), available.bottom()));
    frame.moveLeft(qMax(frame.left(), available.left()));
    frame.moveTop(qMax(frame.top(), available.top()));
    window->move(frame.topLeft());
}

} // namespace mc
