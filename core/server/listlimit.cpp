#include "listlimit.h"

#include "router.h"

using namespace Qt::StringLiterals;

namespace mc {

FieldSpec limitParam(int fallback)
{
    return FieldSpec::integer(u"limit"_s, QString::number(fallback))
            .describe(u"Maximum number of items returned; values above %1 are treated as %1"_s.arg(kMaxListLimit));
}

int limitOf(const ApiRequest &r, int fallback)
{
    return qMin(queryInt(r.query, u"limit"_s, fallback), kMaxListLimit);
}

} // namespace mc
