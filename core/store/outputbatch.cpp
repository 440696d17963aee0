#include "outputbatch.h"

#include "clock.h"

using namespace Qt::StringLiterals;

namespace mc {

namespace {

const QStringList &knownTypes()
{
    static const QStringList types{u"message"_s, u"tool_use"_s, u"tool_result"_s};
    return types;
}
constexpr quint8 kOtherType = 0xff;

void putVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out.append(char(quint8(v) | 0x80));
        v >>= 7;
    }
    out.append(char(quint8(v)));
}

void putBytes(QByteArray &out, const QByteArray &bytes)
{
    putVarint(out, quint64(bytes.size()));
    out.append(bytes);
}

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return qint64(v >> 1) ^ -qint64(v & 1);
}

// Reads a payload front to back; a truncated or foreign payload ends the read.
class Reader
{
public:
    explicit Reader(const QByteArray &data) : m_data(data) {}

    bool atEnd() const { return m_pos >= m_data.size() || m_failed; }
    bool failed() const { return m_failed; }

    quint64 varint()
    {
        quint64 v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_data.size())
                break;
            const quint8 b = quint8(m_data.at(m_pos++));
            v |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
        }
        m_failed = true;
        return 0;
    }
    quint8 byte()
    {
        if (m_pos >= m_data.size()) {
            m_failed = true;
            return 0;
        }
        return quint8(m_data.at(m_pos++));
    }
    QByteArrayView bytes()
    {
        const quint64 n = varint();
        if (m_failed || n > quint64(m_data.size() - m_pos)) {
            m_failed = true;
            return {};
        }
        const QByteArrayView view(m_data.constData() + m_pos, qsizetype(n));
        m_pos += qsizetype(n);
        return view;
    }

private:
    const QByteArray &m_data;
    qsizetype m_pos = 0;
    bool m_failed = false;
};

struct Record
{
    qint64 seqStep = 0;
    QString type;
    bool timeIsText = false;
    qint64 timeValue = 0;   // microseconds relative to the batch's base
    QString timeText;
    QByteArrayView content;
};

Record readRecord(Reader &r)
{
    Record rec;
    rec.seqStep = qint64(r.varint());
    const quint8 code = r.byte();
    if (code == kOtherType)
        rec.type = QString::fromUtf8(r.bytes());
    else if (code < knownTypes().size())
        rec.type = knownTypes().at(code);
    const quint64 time = r.varint();
    rec.timeIsText = (time & 1) != 0;
    if (rec.timeIsText)
        rec.timeText = QString::fromUtf8(r.bytes());
    else
        rec.timeValue = unzigzag(time >> 1);
    rec.content = r.bytes();
    return rec;
}

// Times are stored relative to the first chunk's (0 when its time was text).
qint64 baseMicros(const QByteArray &payload)
{
    if (payload.isEmpty())
        return 0;
    Reader r(payload);
    const Record first = readRecord(r);
    return first.timeIsText ? 0 : first.timeValue;
}

} // namespace

void OutputBatch::append(QByteArray &payload, qint64 previousSeq, const OutputChunk &chunk)
{
    const qint64 base = baseMicros(payload);
    putVarint(payload, quint64(chunk.seq - previousSeq));
    const qsizetype code = knownTypes().indexOf(chunk.type);
    if (code >= 0) {
        payload.append(char(code));
    } else {
        payload.append(char(kOtherType));
        putBytes(payload, chunk.type.toUtf8());
    }
    if (const std::optional<qint64> us = microsFromIso(chunk.timestamp)) {
        putVarint(payload, zigzag(*us - base) << 1);
    } else {
        putVarint(payload, 1);
        putBytes(payload, chunk.timestamp.toUtf8());
    }
    putBytes(payload, chunk.content.toUtf8());
}

QList<OutputChunk> OutputBatch::read(const QByteArray &payload, const QString &runId, qint64 firstSeq,
                                     qint64 afterSeq, qint64 upToSeq, qsizetype limit)
{
    QList<OutputChunk> out;
    Reader r(payload);
    qint64 seq = firstSeq;
    qint64 base = 0;
    bool first = true;
    while (!r.atEnd() && out.size() < limit) {
        const Record rec = readRecord(r);
        if (r.failed())
            break;
        seq += rec.seqStep;
        if (first && !rec.timeIsText)
            base = rec.timeValue;
        const qint64 us = first ? rec.timeValue : base + rec.timeValue;
        first = false;
        if (seq <= afterSeq)
            continue;
        if (seq > upToSeq)
            break;
        OutputChunk c;
        c.runId = runId;
        c.seq = seq;
        c.type = rec.type;
        c.timestamp = rec.timeIsText ? rec.timeText : isoFromMicros(us);
        c.content = QString::fromUtf8(rec.content);
        out.append(std::move(c));
    }
    return out;
}

} // namespace mc
