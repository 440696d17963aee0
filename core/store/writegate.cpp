#include "writegate.h"

#include <QFileInfo>
#include <QHash>

namespace mc {

std::shared_ptr<WriteGate> WriteGate::forDatabase(const QString &path)
{
    static std::mutex registryMutex;
    static QHash<QString, std::weak_ptr<WriteGate>> registry;
    const QString key = QFileInfo(path).absoluteFilePath();
    std::lock_guard lock(registryMutex);
    std::shared_ptr<WriteGate> gate = registry.value(key).lock();
    if (!gate) {
        gate = std::make_shared<WriteGate>();
        registry.insert(key, gate);
    }
    return gate;
}

void WriteGate::lock()
{
    std::unique_lock lock(m_mutex);
    const std::uint64_t ticket = m_nextTicket++;
    m_turn.wait(lock, [&] { return m_serving == ticket; });
}

void WriteGate::unlock()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_serving;
    }
    m_turn.notify_all();
}

} // namespace mc
