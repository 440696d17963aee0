#include "sseparser.h"

namespace mc {

QList<SseEvent> SseParser::feed(const QByteArray &bytes)
{
    QList<SseEvent> events;
    m_buffer.append(bytes);
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', start);
        if (nl < 0)
            break;
        QByteArray line = m_buffer.mid(start, nl - start);
        start = nl + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty()) {
            if (m_hasData)
                events.append({m_event, m_data});
            m_event.clear();
            m_data.clear();
            m_hasData = false;
            continue;
        }
        if (line.startsWith(':'))
            continue;
        const qsizetype colon = line.indexOf(':');
        const QByteArray field = colon < 0 ? line : line.left(colon);
        QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
        if (value.startsWith(' '))
            value.remove(0, 1);
        if (field == "data") {
            if (m_hasData)
                m_data.append('\n');
            m_data.append(value);
            m_hasData = true;
        } else if (field == "event") {
            m_event = value;
        }
    }
    m_buffer.remove(0, start);
    return events;
}

} // namespace mc
