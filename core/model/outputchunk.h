#pragma once

#include <QJsonObject>
#include <QString>

namespace mc {

// One piece of an agent's output, numbered per run from 1.
struct OutputChunk
{
    QString runId;
    QString taskId;
    qint64 seq = 0;
    QString type;        // message | tool_use | tool_result
    QString content;
    QString timestamp;

    QJsonObject toJson() const
    {
        return {{u"run_id"_qs, runId}, {u"task_id"_qs, taskId}, {u"seq"_qs, seq},
                {u"output_type"_qs, type}, {u"content"_qs, content}, {u"timestamp"_qs, timestamp}};
    }
};

} // namespace mc
