#pragma once

#include <QJsonObject>
#include <QString>

namespace mc {

using namespace Qt::StringLiterals;

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
        return {{u"run_id"_s, runId}, {u"task_id"_s, taskId}, {u"seq"_s, seq},
                {u"output_type"_s, type}, {u"content"_s, content}, {u"timestamp"_s, timestamp}};
    }
};

} // namespace mc
