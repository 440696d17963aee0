#pragma once

#include <QJsonObject>
#include <QString>

namespace mc {

// A run (API.md part B run object) told in words for people: what state it is
// in, since when (local time) and, for a failed run, its stored error.
struct RunState
{
    QString text;          // "Failed at 14:02:11 — exit code 1: …"
    QString taskStatus;    // the task status whose colour fits: in_progress, done, blocked
    bool failed = false;   // error or interrupted: worth the user's attention
};

RunState describeRun(const QJsonObject &run);
// "2026-11-25 14:02:03 · completed" in local time, for a run picker.
QString runPickerLabel(const QJsonObject &run);
// A stored ISO 8601 timestamp in local time, "yyyy-MM-dd HH:mm:ss"; empty stays empty.
QString localTimeText(const QString &iso);

} // namespace mc
