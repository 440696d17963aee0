#include "httpstreambackend.h"

#include "sanitize.h"
#include "settingsfile.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QThread>
#include <QTimer>

#include <memory>

namespace mc {

QString lookupApiKey(const QString &envName)
{
    if (envName.isEmpty())
        return {};
    const QString fromEnv = qEnvironmentVariable(envName.toLocal8Bit().constData());
    if (!fromEnv.isEmpty())
        return fromEnv;
    return openSettings()->value(u"api_keys/"_qs + envName).toString();
}

static RunOutcome completedWith(const StreamState &state)
{
    RunOutcome outcome = RunOutcome::completed(state.usage);
    outcome.deliverable = state.text;
    return outcome;
}

QString HttpStreamBackend::baseUrl(const QJsonObject &config, const QString &fallback)
{
    QString base = config.value(u"base_url"_qs).toString(fallback);
    while (base.endsWith(u'/'))
        base.chop(1);
    return base;
}

QString HttpStreamBackend::errorMessage(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QJsonValue error = o.value(u"error"_qs);
    if (error.isObject())
        return error.toObject().value(u"message"_qs).toString();
    if (error.isString())
        return error.toString();
    if (o.value(u"message"_qs).isString())
        return o.value(u"message"_qs).toString();
    return QString::fromUtf8(body.left(200)).simplified();
}

RunOutcome HttpStreamBackend::run(const RunSpec &spec, RunSink &sink)
{
    const QString keyEnv = spec.config.value(u"api_key_env"_qs).toString(defaultApiKeyEnv());
    const QString apiKey = lookupApiKey(keyEnv);
    const int maxRetries = spec.config.value(u"max_retries"_qs).toInt(2);
    double backoffS = spec.config.value(u"retry_backoff_s"_qs).toDouble(1.0);
    for (int attemptNo = 0;; ++attemptNo) {
        bool retryable = false;
        QString reason;
        reset();
        RunOutcome outcome = attempt(spec, sink, apiKey, &retryable, &reason);
        if (outcome.status != RunOutcome::Status::Error || !retryable || attemptNo >= maxRetries) {
            outcome.error = sanitizeError(outcome.error, {apiKey});
            return outcome;
        }
        sink.output(u"message"_qs, u"[%1] %2; retrying in %3 s (attempt %4 of %5)"_qs.arg(
                                           name(), sanitizeError(reason, {apiKey}))
                                           .arg(backoffS).arg(attemptNo + 2).arg(maxRetries + 1));
        QElapsedTimer wait;
        wait.start();
        while (wait.elapsed() < qint64(backoffS * 1000)) {
            if (sink.cancelled())
                return RunOutcome::stopped();
            QThread::msleep(20);
        }
        backoffS *= 2;
    }
}

RunOutcome HttpStreamBackend::attempt(const RunSpec &spec, RunSink &sink, const QString &apiKey, bool *retryable,
                                      QString *retryReason)
{
    const Request request = buildRequest(spec, apiKey);
    QNetworkAccessManager nam;
    QNetworkRequest req(request.url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_qs);
    req.setRawHeader("Accept", "text/event-stream");
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    for (const auto &[header, value] : request.headers)
        req.setRawHeader(header, value);
    std::unique_ptr<QNetworkReply> reply(nam.post(req, request.body));

    StreamState state;
    SseParser parser;
    QByteArray errorBody;
    QString abortReason;
    QElapsedTimer total, idle;
    total.start();
    idle.start();
    QEventLoop loop;
    const auto status = [&] { return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); };
    QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, [&] {
        idle.restart();
        const QByteArray bytes = reply->readAll();
        if (status() < 200 || status() >= 300) {
            if (errorBody.size() < 64 * 1024)
                errorBody += bytes;
            return;
        }
        for (const SseEvent &event : parser.feed(bytes)) {
            handleEvent(event, sink, state);
            if (!state.error.isEmpty()) {
                reply->abort();
                break;
            }
        }
    });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer tick;
    tick.setInterval(50);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (sink.cancelled())
            abortReason = u"stopped"_qs;
        else if (total.elapsed() > qint64(spec.timeoutS) * 1000)
            abortReason = u"Run timed out after %1 s"_qs.arg(spec.timeoutS);
        else if (idle.elapsed() > qint64(spec.idleTimeoutS) * 1000)
            abortReason = u"%1 sent nothing for %2 s"_qs.arg(name()).arg(spec.idleTimeoutS);
        if (!abortReason.isEmpty())
            reply->abort();
    });
    tick.start();
    if (!reply->isFinished())
        loop.exec();
    tick.stop();

    if (abortReason == u"stopped"_qs)
        return RunOutcome::stopped();
    if (!abortReason.isEmpty())
        return RunOutcome::failed(abortReason);
    if (!state.error.isEmpty()) {
        *retryable = state.retryable && !state.producedOutput;
        *retryReason = state.error;
        return RunOutcome::failed(u"%1: %2"_qs.arg(name(), state.error));
    }
    const int code = status();
    if (code == 0 || reply->error() != QNetworkReply::NoError) {
        if (code >= 400) {
            const QString message = errorMessage(errorBody + reply->readAll());
            *retryable = (code == 429 || code >= 500) && !state.producedOutput;
            *retryReason = u"HTTP %1"_qs.arg(code);
            if (code == 401 || code == 403)
                return RunOutcome::failed(u"%1 refused the API key (HTTP %2): %3"_qs.arg(name()).arg(code).arg(message));
            return RunOutcome::failed(u"%1 answered HTTP %2: %3"_qs.arg(name()).arg(code).arg(message));
        }
        if (state.finished)
            return completedWith(state);
        const auto netError = reply->error();
        *retryable = netError == QNetworkReply::ConnectionRefusedError && !state.producedOutput;
        *retryReason = u"connection refused"_qs;
        if (netError == QNetworkReply::ConnectionRefusedError || netError == QNetworkReply::HostNotFoundError)
            return RunOutcome::failed(u"Cannot connect to %1 at %2 (%3)"_qs.arg(name(), request.url.host(), reply->errorString()));
        if (netError >= QNetworkReply::SslHandshakeFailedError && netError <= QNetworkReply::UnknownNetworkError)
            return RunOutcome::failed(u"%1 connection failed: %2"_qs.arg(name(), reply->errorString()));
        if (state.producedOutput || code >= 200)
            return RunOutcome::failed(u"%1 stream ended before it was complete (%2)"_qs.arg(name(), reply->errorString()));
        return RunOutcome::failed(u"%1 request failed: %2"_qs.arg(name(), reply->errorString()));
    }
    if (!state.finished)
        return RunOutcome::failed(u"%1 stream ended before it was complete"_qs.arg(name()));
    return completedWith(state);
}

} // namespace mc
