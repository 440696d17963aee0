#pragma once

#include <QIcon>

namespace mc {

// The application icon, drawn (no image plugin needed): a rocket-orange disc
// with a white check mark. Also rendered to PNG for packaging.
QIcon appIcon();
QImage renderAppIcon(int size);

} // namespace mc
