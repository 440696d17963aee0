#pragma once

#include <QString>

#include <exception>

namespace mc {

// What the window shows for a refused change: an ApiError's detail (its first
// message for a validation error), else the exception's text.
QString errorText(const std::exception &e);

} // namespace mc
