#include "runstate.h"

#include <QCoreApplication>
#include <QDateTime>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("RunState", text);
}
} // namespace

QString localTimeText(const QString &iso)
{
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return time.isValid() ? time.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : QString();
}

RunState describeRun(const QJsonObject &run)
{
    const QString status = run.value(u"status"_s).toString();
    const QString started = localTimeText(run.value(u"started_at"_s).toString());
    const QString finished = localTimeText(run.value(u"finished_at"_s).toString());
    const QString error = run.value(u"error"_s).toString();
    if (status == u"running"_s)
        return {tr("Running since %1").arg(started), u"in_progress"_s, false};
    if (status == u"completed"_s)
        return {tr("Completed at %1").arg(finished), u"done"_s, false};
    if (status == u"stopped"_s)
        return {tr("Stopped by the user at %1").arg(finished), u"blocked"_s, false};
    if (status == u"interrupted"_s)
        return {tr("Interrupted: Mission Control ended while this run (started %1) was going").arg(started),
                u"blocked"_s, true};
    if (status == u"error"_s)
        return {error.isEmpty() ? tr("Failed at %1").arg(finished) : tr("Failed at %1 — %2").arg(finished, error),
                u"blocked"_s, true};
    return {status, QString(), false};
}

QString runPickerLabel(const QJsonObject &run)
{
    return u"%1 · %2"_s.arg(localTimeText(run.value(u"started_at"_s).toString()), run.value(u"status"_s).toString());
}

} // namespace mc
