#pragma once

#include "fieldspec.h"

namespace mc {

struct ApiRequest;

// No list answer holds more than this many items (a larger `limit` is clamped):
// a page is built on the event loop. Scripts that walk everything page on
// (`after=` for tasks, `after_seq=` for a run's output).
constexpr int kMaxListLimit = 1000;

// The `limit` query parameter of a list, documented with the bound.
FieldSpec limitParam(int fallback);
// The request's `limit`, at most kMaxListLimit.
int limitOf(const ApiRequest &r, int fallback);

} // namespace mc
