#include "runusage.h"

#include "executor.h"
#include "store.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace mc {

RunUsageBar::RunUsageBar(Store &store, Executor &executor, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_label(new QLabel(this))
    , m_changes(new QPushButton(tr("Changes…"), this))
{
    setObjectName(u"runUsage"_s);
    m_label->setObjectName(u"runUsageText"_s);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_changes->setObjectName(u"runChanges"_s);
    m_changes->setToolTip(tr("What this run changed in its working folder (git diff since the run started)"));
    m_changes->setAutoDefault(false);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_changes);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &RunUsageBar::refresh);
    connect(&executor, &Executor::taskCompleted, this, [this](const QJsonObject &data) {
        if (data.value(u"run_id"_s).toString() == m_runId)
            refresh();
    });
    connect(m_changes, &QPushButton::clicked, this, [this] { Q_EMIT showChanges(m_runId); });
    showRun({});
}

QString RunUsageBar::text() const
{
    return m_label->text();
}

QString RunUsageBar::durationText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(qMax<qint64>(0, seconds));
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(qlonglong(seconds % 60), 2, 10, QChar(u'0'));
    return tr("%1 h %2 min").arg(seconds / 3600).arg(qlonglong(seconds / 60 % 60), 2, 10, QChar(u'0'));
}

QString RunUsageBar::usageText(const QJsonObject &run)
{
    const QLocale locale;
    const QDateTime started = QDateTime::fromString(run.value(u"started_at"_s).toString(), Qt::ISODateWithMs);
    const QString finishedAt = run.value(u"finished_at"_s).toString();
    const QDateTime finished = finishedAt.isEmpty() ? QDateTime::currentDateTimeUtc()
                                                    : QDateTime::fromString(finishedAt, Qt::ISODateWithMs);
    QStringList parts;
    if (run.value(u"input_tokens"_s).isDouble() || run.value(u"output_tokens"_s).isDouble()) {
        parts.append(tr("%1 tokens in · %2 out")
                             .arg(locale.toString(run.value(u"input_tokens"_s).toInteger()),
                                  locale.toString(run.value(u"output_tokens"_s).toInteger())));
    } else {
        parts.append(tr("no token usage reported"));
    }
    if (run.value(u"cost_usd"_s).isDouble())
        parts.append(u"$"_s + QString::number(run.value(u"cost_usd"_s).toDouble(), 'f', 4));
    if (started.isValid())
        parts.append((finishedAt.isEmpty() ? tr("running for %1") : tr("took %1"))
                             .arg(durationText(started.secsTo(finished))));
    return parts.join(u"  ·  "_s);
}

void RunUsageBar::showRun(const QString &runId)
{
    m_runId = runId;
    refresh();
}

void RunUsageBar::refresh()
{
    const QJsonObject run = m_runId.isEmpty() ? QJsonObject() : m_store.fetch(runTable(), m_runId);
    m_changes->setEnabled(!run.isEmpty());
    if (run.isEmpty()) {
        m_tick.stop();
        m_label->setText(tr("No run yet"));
        return;
    }
    m_label->setText(usageText(run));
    if (run.value(u"finished_at"_s).toString().isEmpty())
        m_tick.start();
    else
        m_tick.stop();
}

} // namespace mc
