#include "backendregistry.h"

#include <QUrl>

#include "anthropicbackend.h"
#include "claudecodebackend.h"
#include "codexbackend.h"
#include "commandbackend.h"
#include "openaibackend.h"

using namespace Qt::StringLiterals;

namespace mc::backends {

namespace {

QJsonObject configError(const QString &field, const QString &type, const QString &msg, const QJsonValue &input)
{
    QJsonArray loc{u"body"_s, u"metadata"_s, u"backend_config"_s};
    if (!field.isEmpty())
        loc.append(field);
    return {{u"type"_s, type}, {u"loc"_s, loc}, {u"msg"_s, msg}, {u"input"_s, input}};
}

void expectStringList(const QJsonObject &cfg, const QString &key, bool required, QJsonArray &errors)
{
    const QJsonValue v = cfg.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            errors.append(configError(key, u"missing"_s, u"Field required"_s, cfg));
        return;
    }
    bool ok = v.isArray() && (!required || !v.toArray().isEmpty());
    for (const QJsonValue &item : v.toArray())
        ok = ok && item.isString() && !item.toString().isEmpty();
    if (!ok)
        errors.append(configError(key, u"list_type"_s, u"Input should be a non-empty list of strings"_s, v));
}

void expectString(const QJsonObject &cfg, const QString &key, QJsonArray &errors)
{
    const QJsonValue v = cfg.value(key);
    if (!v.isUndefined() && !v.isNull() && !v.isString())
        errors.append(configError(key, u"string_type"_s, u"Input should be a valid string"_s, v));
}

void expectPositive(const QJsonObject &cfg, const QString &key, QJsonArray &errors)
{
    const QJsonValue v = cfg.value(key);
    if (!v.isUndefined() && !v.isNull() && (!v.isDouble() || v.toDouble() <= 0))
        errors.append(configError(key, u"greater_than"_s, u"Input should be a number greater than 0"_s, v));
}

void expectOneOf(const QJsonObject &cfg, const QString &key, const QStringList &allowed, QJsonArray &errors)
{
    const QJsonValue v = cfg.value(key);
    if (v.isUndefined() || v.isNull())
        return;
    if (!v.isString() || !allowed.contains(v.toString())) {
        errors.append(configError(key, u"literal_error"_s,
                                  u"Input should be one of: %1"_s.arg(allowed.join(u", "_s)), v));
    }
}

// env: names of variables to pass through, or an object of NAME: value.
void expectEnv(const QJsonObject &cfg, QJsonArray &errors)
{
    const QJsonValue v = cfg.value(u"env"_s);
    if (!v.isObject()) {
        expectStringList(cfg, u"env"_s, false, errors);
        return;
    }
    const QJsonObject values = v.toObject();
    for (auto it = values.begin(); it != values.end(); ++it) {
        const bool nameOk = !it.key().isEmpty() && !it.key().contains(u'=') && !it.key().contains(QChar(0));
        if (!nameOk || !it.value().isString()) {
            QJsonObject error = configError(u"env"_s, u"string_type"_s,
                                            u"env should be a list of variable names or an object of NAME: string value"_s,
                                            QJsonValue());
            QJsonArray loc = error.value(u"loc"_s).toArray();
            loc.append(it.key());
            error.insert(u"loc"_s, loc);
            error.insert(u"input"_s, it.value().isString() ? QJsonValue(it.key()) : it.value());
            errors.append(error);
        }
    }
}

} // namespace

QStringList known()
{
    return {u"command"_s, u"openai"_s, u"anthropic"_s, u"claude_code"_s, u"claude_agent_sdk"_s, u"codex"_s};
}

bool isKnown(const QString &name)
{
    return known().contains(name);
}

std::unique_ptr<AgentBackend> create(const QString &name)
{
    if (name == u"command"_s)
        return std::make_unique<CommandBackend>();
    if (name == u"openai"_s)
        return std::make_unique<OpenAiBackend>();
    if (name == u"anthropic"_s)
        return std::make_unique<AnthropicBackend>();
    if (name == u"claude_code"_s || name == u"claude_agent_sdk"_s)
        return std::make_unique<ClaudeCodeBackend>();
    if (name == u"codex"_s)
        return std::make_unique<CodexBackend>();
    return nullptr;
}

QJsonArray validateConfig(const QString &backend, const QJsonObject &metadata)
{
    QJsonArray errors;
    if (!isKnown(backend))
        return errors;
    const QJsonValue raw = metadata.value(u"backend_config"_s);
    if (!raw.isUndefined() && !raw.isNull() && !raw.isObject()) {
        errors.append(configError({}, u"dict_type"_s, u"Input should be a valid dictionary"_s, raw));
        return errors;
    }
    const QJsonObject cfg = raw.toObject();
    expectPositive(cfg, u"timeout_s"_s, errors);
    expectPositive(cfg, u"idle_timeout_s"_s, errors);
    expectPositive(cfg, u"kill_grace_s"_s, errors);
    expectString(cfg, u"cwd"_s, errors);
    expectEnv(cfg, errors);
    expectPositive(cfg, u"max_line_bytes"_s, errors);
    if (backend == u"command"_s) {
        expectStringList(cfg, u"command"_s, true, errors);
    } else if (backend == u"openai"_s || backend == u"anthropic"_s) {
        for (const QString &key : {u"base_url"_s, u"model"_s, u"api_key_env"_s, u"system_prompt"_s})
            expectString(cfg, key, errors);
        expectPositive(cfg, u"max_tokens"_s, errors);
        const QJsonValue url = cfg.value(u"base_url"_s);
        if (url.isString()) {
            const QUrl parsed(url.toString());
            if (!parsed.isValid() || (parsed.scheme() != u"http"_s && parsed.scheme() != u"https"_s))
                errors.append(configError(u"base_url"_s, u"url_parsing"_s, u"Input should be an http(s) URL"_s, url));
        }
        const QJsonValue temperature = cfg.value(u"temperature"_s);
        if (!temperature.isUndefined() && !temperature.isDouble())
            errors.append(configError(u"temperature"_s, u"float_type"_s, u"Input should be a valid number"_s, temperature));
    } else {
        expectStringList(cfg, u"command"_s, false, errors);
        expectStringList(cfg, u"extra_args"_s, false, errors);
        expectString(cfg, u"model"_s, errors);
        if (backend == u"codex"_s)
            expectOneOf(cfg, u"sandbox"_s, CodexBackend::sandboxModes(), errors);
        else
            expectOneOf(cfg, u"permission_mode"_s, ClaudeCodeBackend::permissionModes(), errors);
    }
    return errors;
}

} // namespace mc::backends
