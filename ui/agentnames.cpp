#include "agentnames.h"

#include "fieldspec.h"
#include "store.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace mc {

QString agentDisplayName(Store &store, const QString &agentId)
{
    const QJsonObject agent = store.fetch(agentTable(), agentId);
    return agent.isEmpty() ? QCoreApplication::translate("AgentNames", "(deleted agent)")
                           : agent.value(u"name"_s).toString();
}

} // namespace mc
