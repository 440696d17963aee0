#pragma once

#include <QByteArray>
#include <QList>

namespace mc {

struct SseEvent
{
    QByteArray event;   // empty when the stream names none
    QByteArray data;    // data: lines joined with '\n'
};

// Incremental text/event-stream parser: feed bytes as they arrive, get whole
// events. Comment lines (": keep-alive") are skipped; CRLF and LF both work.
class SseParser final
{
public:
    QList<SseEvent> feed(const QByteArray &bytes);
    bool hasPartialEvent() const { return !m_buffer.isEmpty() || !m_data.isEmpty(); }

private:
    QByteArray m_buffer;
    QByteArray m_event;
    QByteArray m_data;
    bool m_hasData = false;
};

} // namespace mc
