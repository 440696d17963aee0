#pragma once

#include <QString>

#include <exception>

namespace mc {

// What a failed store or engine call says to the user: an ApiError's detail
// (its first message for a validation error), else the exception's text.
QString errorText(const std::exception &e);

} // namespace mc
