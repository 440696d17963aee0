#pragma once

class QWidget;

namespace mc {

// Shrinks and moves a top-level window so all of it, frame included, is on
// the screen it opens on (at 2x scale 1280x800 is larger than many screens).
void placeOnScreen(QWidget *window);

} // namespace mc
