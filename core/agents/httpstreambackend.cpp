#include "httpstreambackend.h"

#include "processrunner.h"
#include "sanitize.h"
#include "settingsfile.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSettings>
#include <QThread>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace mc {

QString lookupApiKey(const QString &envName)
{
    if (envName.isEmpty())
        return {};
    const QString fromEnv = qEnvironmentVariable(envName.toLocal8Bit().constData());
    if (!fromEnv.isEmpty())
        return fromEnv;
    return openSettings()->value(u"api_keys/"_s + envName).toString();
}

static RunOutcome completedWith(const StreamState &state)
{
    return RunOutcome::completed(state.usage);
}

qint64 retryAfterMs(const QByteArray &header, const QDateTime &now)
{
    const QByteArray value = header.trimmed();
    if (value.isEmpty())
        return -1;
    bool ok = false;
    const double seconds = value.toDouble(&ok);
    if (ok)
        return seconds < 0 ? -1 : qint64(qMin(seconds, 1e9) * 1000);
    // An HTTP-date (RFC 7231: IMF-fixdate, which Qt reads as RFC 2822).
    QString text = QString::fromLatin1(value);
    if (text.endsWith(u" GMT"_s))
        text = text.chopped(4) + u" +0000"_s;   // Qt 6.4 wants a numeric zone
    const QDateTime at = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!at.isValid())
        return -1;
    return qMax<qint64>(0, now.msecsTo(at));
}

QString HttpStreamBackend::baseUrl(const QJsonObject &config, const QString &fallback)
{
    QString base = config.value(u"base_url"_s).toString(fallback);
    while (base.endsWith(u'/'))
        base.chop(1);
    return base;
}

QString HttpStreamBackend::errorMessage(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QJsonValue error = o.value(u"error"_s);
    if (error.isObject())
        return error.toObject().value(u"message"_s).toString();
    if (error.isString())
        return error.toString();
    if (o.value(u"message"_s).isString())
        return o.value(u"message"_s).toString();
    return QString::fromUtf8(body.left(200)).simplified();
}

RunOutcome HttpStreamBackend::run(const RunSpec &spec, RunSink &sink)
{
    const QString keyEnv = spec.config.value(u"api_key_env"_s).toString(defaultApiKeyEnv());
    const QString apiKey = lookupApiKey(keyEnv);
    const int maxRetries = spec.config.value(u"max_retries"_s).toInt(2);
    double backoffS = spec.config.value(u"retry_backoff_s"_s).toDouble(1.0);
    const qint64 timeoutMs = ProcessRunner::secondsToMs(spec.timeoutS);
    QElapsedTimer total;
    total.start();
    for (int attemptNo = 0;; ++attemptNo) {
        Attempt a;
        reset();
        RunOutcome outcome = attempt(spec, sink, apiKey, qMax<qint64>(0, timeoutMs - total.elapsed()), &a);
        if (outcome.status != RunOutcome::Status::Error || !a.retryable || attemptNo >= maxRetries) {
            outcome.error = sanitizeError(outcome.error, {apiKey});
            return outcome;
        }
        // The server's Retry-After wins over our backoff, within the run's time limit.
        const qint64 waitMs = a.retryAfterMs >= 0 ? a.retryAfterMs : qint64(backoffS * 1000);
        if (total.elapsed() + waitMs > timeoutMs) {
            outcome.error = sanitizeError(outcome.error + u" (the server asked to retry in %1 s, after the run's time limit)"_s.arg(
                                                                  double(waitMs) / 1000.0), {apiKey});
            return outcome;
        }
        sink.notice(u"[%1] %2; retrying in %3 s (attempt %4 of %5)\n"_s.arg(
                                           name(), sanitizeError(a.reason, {apiKey}))
                                           .arg(double(waitMs) / 1000.0).arg(attemptNo + 2).arg(maxRetries + 1));
        QElapsedTimer wait;
        wait.start();
        while (wait.elapsed() < waitMs) {
            if (sink.cancelled())
                return RunOutcome::stopped();
            QThread::msleep(20);
        }
        backoffS *= 2;
    }
}

RunOutcome HttpStreamBackend::attempt(const RunSpec &spec, RunSink &sink, const QString &apiKey, qint64 timeoutMs,
                                      Attempt *out)
{
    bool *retryable = &out->retryable;
    QString *retryReason = &out->reason;
    const Request request = buildRequest(spec, apiKey);
    QNetworkAccessManager nam;
    QNetworkRequest req(request.url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
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
            abortReason = u"stopped"_s;
        else if (total.elapsed() > timeoutMs)
            abortReason = u"Run timed out after %1 s"_s.arg(spec.timeoutS);
        else if (idle.elapsed() > qint64(spec.idleTimeoutS) * 1000)
            abortReason = u"%1 sent nothing for %2 s"_s.arg(name()).arg(spec.idleTimeoutS);
        if (!abortReason.isEmpty())
            reply->abort();
    });
    tick.start();
    if (!reply->isFinished())
        loop.exec();
    tick.stop();

    // Tokens the answer reported so far count however the run ends.
    const auto withUsage = [&state](RunOutcome outcome) {
        outcome.usage = state.usage;
        return outcome;
    };
    if (abortReason == u"stopped"_s)
        return withUsage(RunOutcome::stopped());
    if (!abortReason.isEmpty())
        return withUsage(RunOutcome::failed(abortReason));
    if (!state.error.isEmpty()) {
        *retryable = state.retryable && !state.producedOutput;
        *retryReason = state.error;
        return withUsage(RunOutcome::failed(u"%1: %2"_s.arg(name(), state.error)));
    }
    const int code = status();
    if (code == 0 || reply->error() != QNetworkReply::NoError) {
        if (code >= 400) {
            out->retryAfterMs = retryAfterMs(reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
            const QString message = errorMessage(errorBody + reply->readAll());
            *retryable = (code == 429 || code >= 500) && !state.producedOutput;
            *retryReason = u"HTTP %1"_s.arg(code);
            if (code == 401 || code == 403)
                return RunOutcome::failed(u"%1 refused the API key (HTTP %2): %3"_s.arg(name()).arg(code).arg(message));
            return RunOutcome::failed(u"%1 answered HTTP %2: %3"_s.arg(name()).arg(code).arg(message));
        }
        if (state.finished)
            return completedWith(state);
        const auto netError = reply->error();
        *retryable = netError == QNetworkReply::ConnectionRefusedError && !state.producedOutput;
        *retryReason = u"connection refused"_s;
        if (netError == QNetworkReply::ConnectionRefusedError || netError == QNetworkReply::HostNotFoundError)
            return RunOutcome::failed(u"Cannot connect to %1 at %2 (%3)"_s.arg(name(), request.url.host(), reply->errorString()));
        if (netError >= QNetworkReply::SslHandshakeFailedError && netError <= QNetworkReply::UnknownNetworkError)
            return RunOutcome::failed(u"%1 connection failed: %2"_s.arg(name(), reply->errorString()));
        if (state.producedOutput || code >= 200)
            return RunOutcome::failed(u"%1 stream ended before it was complete (%2)"_s.arg(name(), reply->errorString()));
        return RunOutcome::failed(u"%1 request failed: %2"_s.arg(name(), reply->errorString()));
    }
    if (!state.finished)
        return RunOutcome::failed(u"%1 stream ended before it was complete"_s.arg(name()));
    return completedWith(state);
}

} // namespace mc
