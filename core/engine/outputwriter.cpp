#include "outputwriter.h"

#include "apierror.h"
#include "runend.h"
#include "runrepository.h"
#include "store.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcWriter, "mc.writer")

namespace mc {

OutputWriter::OutputWriter(StoreLocation location)
    : m_location(std::move(location))
{
}

OutputWriter::~OutputWriter() = default;

void OutputWriter::open()
{
    m_store = std::make_unique<Store>();
    try {
        m_store->open(m_location);
    } catch (const StoreError &e) {
        qCWarning(lcWriter) << "output writer cannot open the database:" << e.message();
        m_store.reset();
        m_failed = true;
    }
}

void OutputWriter::write(quint64 batchId, const QList<OutputChunk> &chunks)
{
    bool ok = false;
    if (m_store) {
        try {
            m_store->runs().appendOutput(chunks);
            ok = true;
        } catch (const StoreError &e) {
            qCWarning(lcWriter) << "writing" << chunks.size() << "output chunks failed, will retry:" << e.message();
        }
    }
    m_failed = !ok;
    Q_EMIT written(batchId, ok);
}

std::optional<QList<Store::Change>> OutputWriter::recordEnd(const RunEnd &end)
{
    if (!m_store)
        return QList<Store::Change>();
    try {
        return m_store->writeQuietly([&] { recordRunEnd(*m_store, end); });
    } catch (const StoreError &e) {
        // A full disk, a dropped database connection: the run counts as
        // running until its end is stored (never a row left `running` while
        // this instance lives), and the end is tried again.
        if (!e.storageFull())
            qCWarning(lcWriter) << "recording the end of run" << end.runId << "failed, will retry:" << e.what();
        return std::nullopt;
    } catch (const std::exception &e) {
        // The run stays `running` in the store and becomes `interrupted` on the next start.
        qCWarning(lcWriter) << "recording the end of run" << end.runId << "failed:" << e.what();
        return QList<Store::Change>();
    }
}

} // namespace mc
