#include "answercache.h"

namespace mc {

std::optional<Reply> AnswerCache::find(QByteArrayView target)
{
    // A key over the caller's bytes: no copy for the lookup.
    const auto it = m_entries.find(QByteArray::fromRawData(target.data(), target.size()));
    if (it == m_entries.end())
        return std::nullopt;
    bool current = false;
    try {
        current = it->stamp.probe() == it->stamp.version;
    } catch (...) {
        // The version cannot be read (the store failed): not known to be current.
    }
    if (!current) {
        m_bytes -= it->bytes;
        m_entries.erase(it);
        return std::nullopt;
    }
    return it->reply;
}

void AnswerCache::remember(const QByteArray &target, const AnswerStamp &stamp, const Reply &reply)
{
    qsizetype bytes = target.size() + reply.body.size();
    for (const QByteArray &piece : reply.pieces)
        bytes += piece.size();
    if (bytes > maxBytes / 4)
        return;
    if (const auto old = m_entries.find(target); old != m_entries.end()) {
        m_bytes -= old->bytes;
        m_entries.erase(old);
    }
    if (m_entries.size() >= maxEntries || m_bytes + bytes > maxBytes)
        clear();
    m_bytes += bytes;
    m_entries.insert(target, Entry{stamp, reply, bytes});
}

void AnswerCache::clear()
{
    m_entries.clear();
    m_bytes = 0;
}

} // namespace mc
