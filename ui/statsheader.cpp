#include "statsheader.h"

#include "executor.h"
#include "store.h"
#include "storewatch.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
QLabel *figure(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::RichText);
    return label;
}

QString shown(const QString &value, const QString &caption)
{
    return u"<b style='font-size:large'>%1</b>&nbsp;%2"_s.arg(value.toHtmlEscaped(), caption.toHtmlEscaped());
}
} // namespace

StatsHeader::StatsHeader(Store &store, Executor &executor, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_executor(executor)
    , m_watch(new StoreWatch(store, this))
    , m_agents(figure(u"statAgents"_s, this))
    , m_active(figure(u"statActiveRuns"_s, this))
    , m_done(figure(u"statDoneToday"_s, this))
    , m_cost(figure(u"statCostToday"_s, this))
    , m_standup(new QPushButton(tr("Standup Report…"), this))
{
    setObjectName(u"statsHeader"_s);
    m_standup->setObjectName(u"standupButton"_s);
    m_standup->setToolTip(tr("Today's standup: done, in progress, blocked, the team (Markdown)"));
    m_standup->setAutoDefault(false);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(24);
    for (QLabel *label : {m_agents, m_active, m_done, m_cost})
        layout->addWidget(label);
    layout->addStretch(1);
    layout->addWidget(m_standup);
    connect(m_standup, &QPushButton::clicked, this, &StatsHeader::standupRequested);
    connect(m_watch, &StoreWatch::changed, this, &StatsHeader::refresh);
    connect(&executor, &Executor::runningChanged, this, &StatsHeader::refresh);
    refresh();
}

QString StatsHeader::startOfTodayIso()
{
    const QDateTime midnight = QDateTime(QDate::currentDate(), QTime(0, 0)).toUTC();
    return midnight.toString(u"yyyy-MM-ddTHH:mm:ss.zzz"_s) + u"000+00:00"_s;
}

void StatsHeader::refresh()
{
    const QString today = startOfTodayIso();
    Numbers n;
    n.agents = m_store.count(u"SELECT COUNT(*) FROM agents"_s);
    n.activeRuns = m_executor.running();
    n.maxRuns = m_executor.maxConcurrent();
    n.doneToday = m_store.count(u"SELECT COUNT(*) FROM tasks WHERE status = 'done' AND completed_at >= ?"_s, {today});
    QSqlQuery &q = m_store.exec(u"SELECT COALESCE(SUM(cost_usd), 0), COALESCE(SUM(input_tokens), 0) + "
                                "COALESCE(SUM(output_tokens), 0) FROM runs WHERE COALESCE(finished_at, started_at) >= ?"_s,
                                {today});
    if (q.next()) {
        n.costToday = q.value(0).toDouble();
        n.tokensToday = q.value(1).toLongLong();
    }
    q.finish();
    m_numbers = n;
    const QLocale locale;
    m_agents->setText(shown(locale.toString(n.agents), tr("agents")));
    m_active->setText(shown(u"%1/%2"_s.arg(n.activeRuns).arg(n.maxRuns), tr("active runs")));
    m_done->setText(shown(locale.toString(n.doneToday), tr("done today")));
    m_cost->setText(shown(u"$"_s + QString::number(n.costToday, 'f', 2), tr("cost today")));
    m_cost->setToolTip(tr("$%1 for %2 tokens in today's runs")
                               .arg(QString::number(n.costToday, 'f', 4), locale.toString(n.tokensToday)));
}

QString StatsHeader::text() const
{
    QStringList parts;
    for (QLabel *label : {m_agents, m_active, m_done, m_cost}) {
        QString plain = label->text();
        plain.remove(QRegularExpression(u"<[^>]*>"_s));
        parts.append(plain.replace(u"&nbsp;"_s, u" "_s));
    }
    return parts.join(u" · "_s);
}

} // namespace mc
