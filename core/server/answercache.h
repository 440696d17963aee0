#pragma once

#include "errormapper.h"
#include "router.h"

#include <QHash>

#include <optional>

namespace mc {

// Whole 200 answers of GET routes that declare an answerVersion (Route), keyed
// by the request target exactly as sent. An answer is given out only while the
// data it was read from is unchanged (its route's answerVersion still returns
// the version read before the answer was built), so a hit is what the route
// would answer now. Bounded in entries and bytes; a stale entry goes when found.
class AnswerCache
{
public:
    std::optional<Reply> find(QByteArrayView target);
    void remember(const QByteArray &target, const AnswerStamp &stamp, const Reply &reply);
    void clear();

    static constexpr qsizetype maxEntries = 64;
    static constexpr qsizetype maxBytes = 16 * 1024 * 1024;

private:
    struct Entry
    {
        AnswerStamp stamp;
        Reply reply;
        qsizetype bytes = 0;
    };
    QHash<QByteArray, Entry> m_entries;
    qsizetype m_bytes = 0;
};

} // namespace mc
