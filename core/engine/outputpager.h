#pragma once

#include "outputchunk.h"
#include "store.h"

#include <QObject>
#include <QThread>

namespace mc {

// Reads pages of a run's stored output on a thread of its own (with its own
// database connection), so that a view of a run with hundreds of thousands of
// lines never makes the GUI thread wait for the database.
class OutputPager final : public QObject
{
    Q_OBJECT

public:
    explicit OutputPager(StoreLocation location, QObject *parent = nullptr);
    ~OutputPager() override;

    // Asks for at most `limit` stored chunks of a run ending with sequence
    // number beforeSeq - 1 (the run's last stored chunks when beforeSeq is 0),
    // in order. pageReady(ticket, ...) answers on this object's thread.
    quint64 request(const QString &runId, qint64 beforeSeq, int limit);

Q_SIGNALS:
    void pageReady(quint64 ticket, const QList<mc::OutputChunk> &chunks);

private:
    class Reader;
    QThread m_thread;
    Reader *m_reader;
    quint64 m_lastTicket = 0;
};

} // namespace mc
