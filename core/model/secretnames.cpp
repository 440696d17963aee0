#include "secretnames.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

// Splits on anything not a letter or digit and on camelCase boundaries, lowercased.
QStringList wordsOf(QStringView name)
{
    QStringList words;
    QString current;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (!c.isLetterOrNumber()) {
            if (!current.isEmpty())
                words.append(std::exchange(current, {}));
            continue;
        }
        if (c.isUpper() && !current.isEmpty() && i > 0 && name.at(i - 1).isLower())
            words.append(std::exchange(current, {}));
        current.append(c.toLower());
    }
    if (!current.isEmpty())
        words.append(current);
    return words;
}

QJsonObject secretError(const QJsonArray &loc)
{
    return {{u"type"_s, u"value_error"_s},
            {u"loc"_s, loc},
            {u"msg"_s, u"Value error, inline secrets are not stored (GET /agents would return them): put the key "
                       "in an environment variable of the server and name it in backend_config.api_key_env, "
                       "e.g. \"api_key_env\": \"OPENAI_API_KEY\""_s},
            {u"input"_s, u"***"_s}};
}

void findSecrets(const QJsonObject &object, const QJsonArray &loc, QJsonArray &errors)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        QJsonArray here = loc;
        here.append(it.key());
        if (it.value().isString() && !it.value().toString().isEmpty() && isSecretName(it.key()))
            errors.append(secretError(here));
        else if (it.value().isObject())
            findSecrets(it.value().toObject(), here, errors);
    }
}

void checkSeconds(const QJsonObject &cfg, const QString &key, QJsonArray &errors)
{
    const QJsonValue v = cfg.value(key);
    if (v.isDouble() && v.toDouble() > double(kMaxRunSeconds)) {
        errors.append(QJsonObject{{u"type"_s, u"less_than_equal"_s},
                                  {u"loc"_s, QJsonArray{u"body"_s, u"metadata"_s, u"backend_config"_s, key}},
                                  {u"msg"_s, u"Input should be less than or equal to %1 (seconds, one week)"_s.arg(kMaxRunSeconds)},
                                  {u"input"_s, v},
                                  {u"ctx"_s, QJsonObject{{u"le"_s, kMaxRunSeconds}}}});
    }
}

} // namespace

bool isSecretName(QStringView name)
{
    static const QSet<QString> secretWords{u"key"_s,         u"apikey"_s,     u"token"_s,       u"secret"_s,
                                           u"password"_s,    u"passwd"_s,     u"passphrase"_s,  u"credential"_s,
                                           u"credentials"_s, u"auth"_s,       u"authorization"_s, u"bearer"_s,
                                           u"cookie"_s,      u"privatekey"_s, u"accesstoken"_s, u"authtoken"_s};
    // Pointers to a secret, not the secret itself.
    static const QSet<QString> pointerWords{u"env"_s, u"var"_s, u"file"_s, u"path"_s, u"name"_s};
    const QStringList words = wordsOf(name);
    if (words.isEmpty() || pointerWords.contains(words.constLast()))
        return false;
    for (const QString &w : words) {
        if (secretWords.contains(w))
            return true;
    }
    return false;
}

QJsonArray backendConfigPolicyErrors(const QJsonObject &metadata)
{
    QJsonArray errors;
    const QJsonValue raw = metadata.value(u"backend_config"_s);
    if (!raw.isObject())
        return errors;
    const QJsonObject cfg = raw.toObject();
    QJsonObject withoutEnv = cfg;
    withoutEnv.remove(u"env"_s);
    findSecrets(withoutEnv, QJsonArray{u"body"_s, u"metadata"_s, u"backend_config"_s}, errors);
    checkSeconds(cfg, u"timeout_s"_s, errors);
    checkSeconds(cfg, u"idle_timeout_s"_s, errors);
    return errors;
}

} // namespace mc
