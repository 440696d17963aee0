#pragma once

#include "store.h"

namespace mc {

// Read-only summaries: /stats and /standup.
class ReportBuilder final
{
public:
    explicit ReportBuilder(Store &store) : m_store(store) {}
    QJsonObject stats();
    QString standup();

private:
    QJsonObject byStatus(const QString &table, const QStringList &values, qint64 *total);
    Store &m_store;
};

} // namespace mc
