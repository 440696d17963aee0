#include "readcache.h"

namespace mc {

std::optional<RawPage> ReadCache::find(const QString &key, const DataVersion &version) const
{
    if (version != m_version)
        return std::nullopt;
    const auto it = m_pages.constFind(key);
    if (it == m_pages.cend())
        return std::nullopt;
    return *it;
}

void ReadCache::insert(const QString &key, const DataVersion &version, const RawPage &page)
{
    if (version != m_version) {
        clear();
        m_version = version;
    }
    if (page.items.size() > maxBytes / 4)
        return;
    const qsizetype bytes = page.items.size() + key.size() * 2;
    if (m_bytes + bytes > maxBytes || m_pages.size() >= maxEntries)
        clear();
    m_bytes += bytes;
    m_pages.insert(key, page);
}

void ReadCache::clear()
{
    m_pages.clear();
    m_bytes = 0;
}

} // namespace mc
