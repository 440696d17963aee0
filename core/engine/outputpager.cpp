#include "outputpager.h"

#include "runrepository.h"
#include "store.h"

#include <QLoggingCategory>

#include <memory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcPager, "mc.outputpager")

namespace mc {

// Lives in the pager's thread; opens its connection there on first use.
class OutputPager::Reader final : public QObject
{
public:
    explicit Reader(StoreLocation location) : m_location(std::move(location)) {}

    QList<OutputChunk> read(const QString &runId, qint64 beforeSeq, int limit)
    {
        try {
            if (!m_store) {
                m_store = std::make_unique<Store>();
                m_store->open(m_location);
            }
            // Sequence numbers are contiguous per run: a page is a range of them.
            const qint64 end = beforeSeq > 0
                    ? beforeSeq - 1
                    : m_store->runs().lastSeq(runId);
            return m_store->runs().chunksAfter(runId, qMax<qint64>(0, end - limit), end);
        } catch (const StoreError &e) {
            qCWarning(lcPager) << "cannot read output:" << e.message();
            m_store.reset();
            return {};
        }
    }

private:
    StoreLocation m_location;
    std::unique_ptr<Store> m_store;
};

OutputPager::OutputPager(StoreLocation location, QObject *parent)
    : QObject(parent)
    , m_reader(new Reader(std::move(location)))
{
    m_thread.setObjectName(u"output pager"_s);
    m_reader->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_reader, &QObject::deleteLater);
    m_thread.start();
}

OutputPager::~OutputPager()
{
    m_thread.quit();
    m_thread.wait();
}

quint64 OutputPager::request(const QString &runId, qint64 beforeSeq, int limit)
{
    const quint64 ticket = ++m_lastTicket;
    QMetaObject::invokeMethod(m_reader, [this, reader = m_reader, ticket, runId, beforeSeq, limit] {
        QList<OutputChunk> chunks = reader->read(runId, beforeSeq, limit);
        // Queued to this pager: dropped if it is gone by then.
        QMetaObject::invokeMethod(this, [this, ticket, chunks = std::move(chunks)] { Q_EMIT pageReady(ticket, chunks); },
                                  Qt::QueuedConnection);
    }, Qt::QueuedConnection);
    return ticket;
}

} // namespace mc
