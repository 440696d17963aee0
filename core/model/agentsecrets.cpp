#include "agentsecrets.h"

#include "secretnames.h"
#include "settingsfile.h"


using namespace Qt::StringLiterals;

namespace mc::agentsecrets {

namespace {

QString group(const QString &agentId)
{
    return u"agent_env/"_s + agentId;
}

} // namespace

QJsonObject stash(const QString &agentId, QJsonObject metadata)
{
    QJsonObject config = metadata.value(u"backend_config"_s).toObject();
    const QJsonValue envValue = config.value(u"env"_s);
    const QJsonObject env = envValue.toObject();
    auto settings = openSettings();
    settings->beginGroup(group(agentId));
    QHash<QString, QString> kept;
    for (const QString &name : settings->childKeys())
        kept.insert(name, settings->value(name).toString());
    settings->remove(QString());   // the whole group: names no longer in env go
    if (!envValue.isObject()) {
        settings->endGroup();
        return metadata;
    }
    QJsonObject masked = env;
    const QString mask = QString::fromUtf16(kMask);
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (!isSecretName(it.key()) || !it.value().isString())
            continue;
        const QString value = it.value().toString();
        if (value == mask && !kept.contains(it.key()))
            continue;   // nothing to keep: the mask stays as the (odd) value
        settings->setValue(it.key(), value == mask ? kept.value(it.key()) : value);
        masked.insert(it.key(), mask);
    }
    settings->endGroup();
    settings->sync();
    restrictSettingsFile();
    config.insert(u"env"_s, masked);
    metadata.insert(u"backend_config"_s, config);
    return metadata;
}

QString value(const QString &agentId, const QString &name)
{
    return openSettings()->value(group(agentId) + u'/' + name).toString();
}

void forget(const QString &agentId)
{
    auto settings = openSettings();
    settings->remove(group(agentId));
}

} // namespace mc::agentsecrets
