#include "backendregistry.h"

#include <QUrl>

#include "anthropicbackend.h"
#include "claudecodebackend.h"
#include "codexbackend.h"
#include "commandbackend.h"
#include "openaibackend.h"

namespace mc::backends {

namespace {

QJsonObject configError(const QString &field, const QString &type, const QString &msg, const QJsonValue &input)
{
    QJsonArray loc{u"body"_qs, u"metadata"_qs, u"backend_config"_qs};
    if (!field.isEmpty())
        loc.append(field);
    return {{u"type"_qs, type}, {u"loc"_qs, loc}, {u"msg"_qs, msg}, {u"input"_qs, input}};
}

void expectStringList(const QJsonObject &cfg, const QString &key, bool required, QJsonArray &errors)
{
    const QJsonValue v = cfg.value(key);
    if (v.isUndefined() || v.isNull()) {
        if (required)
            errors.append(configError(key, u"missing"_qs, u"Field required"_qs, cfg));
        return;
    }
    bool ok = v.isArray() && (!required || !v.toArray().isEmpty());
    for (const QJsonValue &item : v.toArray())
        ok = ok && item.isString() && !item.toString().isEmpty();
    if (!ok)
        errors.append(configError(key, u"list_type"_qs, u"Input should be a non-empty list of strings"_qs, v));
}

void expectString(const QJsonObject &cfg, const QString &key, QJsonArray &errors)
{
    const QJsonValue v = cfg.value(key);
    if (!v.isUndefined() && !v.isNull() && !v.isString())
        errors.append(configError(key, u"string_type"_qs, u"Input should be a valid string"_qs, v));
}

void expectPositive(const QJsonObject &cfg, const QString &key, QJsonArray &errors)
{
    const QJsonValue v = cfg.value(key);
    if (!v.isUndefined() && !v.isNull() && (!v.isDouble() || v.toDouble() <= 0))
        errors.append(configError(key, u"greater_than"_qs, u"Input should be a number greater than 0"_qs, v));
}

} // namespace

QStringList known()
{
    return {u"command"_qs, u"openai"_qs, u"anthropic"_qs, u"claude_code"_qs, u"claude_agent_sdk"_qs, u"codex"_qs};
}

bool isKnown(const QString &name)
{
    return known().contains(name);
}

std::unique_ptr<AgentBackend> create(const QString &name)
{
    if (name == u"command"_qs)
        return std::make_unique<CommandBackend>();
    if (name == u"openai"_qs)
        return std::make_unique<OpenAiBackend>();
    if (name == u"anthropic"_qs)
        return std::make_unique<AnthropicBackend>();
    if (name == u"claude_code"_qs || name == u"claude_agent_sdk"_qs)
        return std::make_unique<ClaudeCodeBackend>();
    if (name == u"codex"_qs)
        return std::make_unique<CodexBackend>();
    return nullptr;
}

QJsonArray validateConfig(const QString &backend, const QJsonObject &metadata)
{
    QJsonArray errors;
    if (!isKnown(backend))
        return errors;
    const QJsonValue raw = metadata.value(u"backend_config"_qs);
    if (!raw.isUndefined() && !raw.isNull() && !raw.isObject()) {
        errors.append(configError({}, u"dict_type"_qs, u"Input should be a valid dictionary"_qs, raw));
        return errors;
    }
    const QJsonObject cfg = raw.toObject();
    expectPositive(cfg, u"timeout_s"_qs, errors);
    expectPositive(cfg, u"idle_timeout_s"_qs, errors);
    expectPositive(cfg, u"kill_grace_s"_qs, errors);
    expectString(cfg, u"cwd"_qs, errors);
    expectStringList(cfg, u"env"_qs, false, errors);
    if (backend == u"command"_qs) {
        expectStringList(cfg, u"command"_qs, true, errors);
    } else if (backend == u"openai"_qs || backend == u"anthropic"_qs) {
        for (const QString &key : {u"base_url"_qs, u"model"_qs, u"api_key_env"_qs, u"system_prompt"_qs})
            expectString(cfg, key, errors);
        expectPositive(cfg, u"max_tokens"_qs, errors);
        const QJsonValue url = cfg.value(u"base_url"_qs);
        if (url.isString()) {
            const QUrl parsed(url.toString());
            if (!parsed.isValid() || (parsed.scheme() != u"http"_qs && parsed.scheme() != u"https"_qs))
                errors.append(configError(u"base_url"_qs, u"url_parsing"_qs, u"Input should be an http(s) URL"_qs, url));
        }
        const QJsonValue temperature = cfg.value(u"temperature"_qs);
        if (!temperature.isUndefined() && !temperature.isDouble())
            errors.append(configError(u"temperature"_qs, u"float_type"_qs, u"Input should be a valid number"_qs, temperature));
    } else {
        expectStringList(cfg, u"command"_qs, false, errors);
        expectStringList(cfg, u"extra_args"_qs, false, errors);
        expectString(cfg, u"model"_qs, errors);
    }
    return errors;
}

} // namespace mc::backends
