#include "queuetesting.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace mc::test {

QJsonObject shellAgent(const QString &name, const QString &script)
{
    return {{u"name"_s, name}, {u"role"_s, u"worker"_s}, {u"backend"_s, u"command"_s},
            {u"metadata"_s, QJsonObject{{u"backend_config"_s,
                                          QJsonObject{{u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s, script}}}}}}};
}

QString gatedScript(const QString &gateFile)
{
    return u"i=0; while [ ! -e '%1' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; echo done"_s.arg(gateFile);
}

int mostAtOnce(const QList<QJsonObject> &messages)
{
    int now = 0, most = 0;
    for (const QJsonObject &m : messages) {
        const QString type = m.value(u"event_type"_s).toString();
        now += type == u"mc_task_started"_s ? 1 : type == u"mc_task_completed"_s ? -1 : 0;
        most = std::max(most, now);
    }
    return most;
}

QStringList startedOrder(const QList<QJsonObject> &messages)
{
    QStringList out;
    for (const QJsonObject &m : messages) {
        if (m.value(u"event_type"_s).toString() == u"mc_task_started"_s)
            out.append(m.value(u"data"_s).toObject().value(u"task_id"_s).toString());
    }
    return out;
}

} // namespace mc::test
