#include "commandbackend.h"

#include "fieldspec.h"
#include "processrunner.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

// The length of the longest prefix of bytes that does not end inside a UTF-8
// sequence: the rest waits for the next read.
qsizetype completeUtf8Prefix(const QByteArray &bytes)
{
    const qsizetype n = bytes.size();
    for (qsizetype back = 1; back <= qMin<qsizetype>(3, n); ++back) {
        const uchar c = uchar(bytes.at(n - back));
        if ((c & 0xC0) == 0x80)
            continue;   // a continuation byte: look further back for the lead byte
        const int length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return length > back ? n - back : n;
    }
    return n;
}

} // namespace

RunOutcome CommandBackend::run(const RunSpec &spec, RunSink &sink)
{
    ProcessSpec process = processSpecFor(spec);
    process.argv = toStringList(spec.config.value(u"command"_s));
    process.environment = ProcessRunner::agentEnvironment(spec.config.value(u"env"_s), spec.agent.value(u"id"_s).toString());
    process.environment.insert(u"MC_TASK_ID"_s, spec.taskId);
    process.environment.insert(u"MC_WORKDIR"_s, spec.workingDir);
    process.standardInput = spec.prompt.toUtf8();
    process.splitLinesAt = 64 * 1024;
    // A character split between two pieces of a long line is decoded whole,
    // not as two U+FFFD.
    QByteArray carry;
    ProcessRunner runner;
    const auto emitText = [&](const QString &content) {
        if (!content.isEmpty())
            sink.output(u"message"_s, content);
    };
    RunOutcome outcome = runner.run(process, sink, [&](const QByteArray &piece) {
        carry += piece;
        const qsizetype complete = completeUtf8Prefix(carry);
        emitText(QString::fromUtf8(carry.left(complete)));
        carry.remove(0, complete);
    });
    emitText(QString::fromUtf8(carry));   // an incomplete character at the very end: U+FFFD
    return outcome;
}

} // namespace mc
