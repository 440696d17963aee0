#pragma once

#include "outputchunk.h"

#include <QByteArray>
#include <QList>

namespace mc {

// Output chunks of one run packed into one value (run_output_batches.payload),
// about 7 bytes of framing per chunk instead of a row each (~100 bytes per
// line in the old run_output table). Per chunk: the seq step from the previous
// chunk, the type (a code for the known ones), the time as microseconds after
// the batch's first chunk (its text when not in nowIso()'s form), the content;
// integers as LEB128 varints.
class OutputBatch
{
public:
    // Appends `chunk` to `payload`, whose last chunk had seq `previousSeq`
    // (the batch's first_seq - 0 for an empty payload: pass first_seq).
    static void append(QByteArray &payload, qint64 previousSeq, const OutputChunk &chunk);
    // The chunks of `payload` with seq in (afterSeq, upToSeq], at most `limit`.
    static QList<OutputChunk> read(const QByteArray &payload, const QString &runId, qint64 firstSeq,
                                   qint64 afterSeq, qint64 upToSeq, qsizetype limit);

    // A batch row takes chunks until its payload reaches this size.
    static constexpr qsizetype targetBytes = 4096;
};

} // namespace mc
