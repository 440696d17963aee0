// mc-bench: the load generator. Starts the real mission-control binary headless
// on a free port in a fresh data dir and drives it over loopback, printing one
// line per figure. See tests/bench/README.md.

#include "bulkdata.h"
#include "measure.h"
#include "rawhttpclient.h"
#include "rawwsclient.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>

namespace {

const QByteArray kToken = "bench-token-0123456789-abcdefghijklmnopqrstuvwxyz";
// Given to every server started, e.g. --database postgresql://... (mc-bench --database URL).
QStringList g_serverArgs;

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void report(const char *name, const QString &value)
{
    std::printf("%-58s %s\n", name, qPrintable(value));
    std::fflush(stdout);
}

QString latencyLine(const QList<double> &msValues)
{
    return QStringLiteral("p50 %1 ms  p99 %2 ms  (n=%3)")
            .arg(mc::test::percentile(msValues, 0.5), 0, 'f', 3).arg(mc::test::percentile(msValues, 0.99), 0, 'f', 3).arg(msValues.size());
}

struct Server
{
    QTemporaryDir dir;
    QProcess process;
    quint16 port = 0;
    double coldStartMs = 0;

    bool start()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MISSION_CONTROL_TOKEN"), QString::fromLatin1(kToken));
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QElapsedTimer timer;
        timer.start();
        // MC_BENCH_WRAP runs the server under another program, e.g. a profiler:
        // MC_BENCH_WRAP="perf record -g -o /tmp/mc.perf --" (memory figures are then the wrapper's).
        // MC_BENCH_BINARY measures another build (e.g. the one before a change).
        const QString binary = qEnvironmentVariable("MC_BENCH_BINARY", QStringLiteral(MC_BINARY_PATH));
        QStringList command = QProcess::splitCommand(qEnvironmentVariable("MC_BENCH_WRAP"));
        command << binary << QStringLiteral("--headless") << QStringLiteral("--port")
                << QStringLiteral("0") << QStringLiteral("--data-dir") << dir.path() << g_serverArgs;
        process.start(command.takeFirst(), command);
        QByteArray out;
        static const QRegularExpression listening(QStringLiteral(R"(listening on http://[^:]+:(\d+))"));
        while (port == 0 && process.waitForReadyRead(10000)) {
            out += process.readAllStandardOutput();
            const auto m = listening.match(QString::fromUtf8(out));
            if (m.hasMatch())
                port = quint16(m.captured(1).toUInt());
        }
        if (port == 0)
            return false;
        RawHttpClient client(port, kToken);
        while (client.request("GET", "/api/mission-control/health") != 200)
            QThread::msleep(1);
        coldStartMs = double(timer.nsecsElapsed()) / 1e6;
        return true;
    }
    qint64 rssKb() const { return mc::test::procStatusKb(process.processId()); }
    void stop()
    {
        process.terminate();
        process.waitForFinished(60000);
        port = 0;
    }
    ~Server() { stop(); }
};

QString idOf(const QByteArray &body, const char *entity)
{
    return QJsonDocument::fromJson(body).object().value(QLatin1String(entity)).toObject().value(QStringLiteral("id")).toString();
}

// Requests/s of `clients` keep-alive connections sending GET path for 3 s.
double requestsPerSecond(quint16 port, const QByteArray &path, int clients)
{
    std::atomic<long> done{0};
    std::atomic<bool> stop{false};
    QList<QThread *> threads;
    for (int c = 0; c < clients; ++c) {
        threads.append(QThread::create([&] {
            RawHttpClient own(port, kToken);
            while (!stop.load()) {
                if (own.request("GET", path) == 200)
                    ++done;
            }
        }));
        threads.last()->start();
    }
    QThread::msleep(3000);
    stop = true;
    for (QThread *t : threads) {
        t->wait();
        delete t;
    }
    return double(done) / 3.0;
}

// 1. create cost as the store grows; 2. list throughput at 10k tasks.
void benchCreateAndList(Server &server, int maxTasks)
{
    RawHttpClient client(server.port, kToken);
    const QList<int> checkpoints{1000, 10000, 100000};
    int created = 0;
    for (int checkpoint : checkpoints) {
        if (checkpoint > maxTasks)
            break;
        QList<double> lastThousand;
        while (created < checkpoint) {
            const QByteArray body = "{\"title\": \"bench task " + QByteArray::number(created)
                    + "\", \"tags\": [\"bench\", \"t" + QByteArray::number(created % 10) + "\"], \"priority\": \"high\"}";
            QElapsedTimer t;
            t.start();
            if (client.request("POST", "/api/mission-control/tasks", body) != 200) {
                report("create failed at", QString::number(created));
                return;
            }
            if (created >= checkpoint - 1000)
                lastThousand.append(double(t.nsecsElapsed()) / 1e6);
            ++created;
        }
        report(qPrintable(QStringLiteral("1. POST /tasks, last 1000 creates at N=%1").arg(checkpoint)), latencyLine(lastThousand));
        if (checkpoint == 10000) {
            for (int clients : {1, 16}) {
                report(qPrintable(QStringLiteral("2. GET /tasks?limit=100 at 10k tasks, %1 keep-alive client(s)").arg(clients)),
                       QStringLiteral("%1 req/s").arg(requestsPerSecond(server.port, "/api/mission-control/tasks?limit=100", clients), 0, 'f', 0));
            }
            // The read cache answers the figures above while nothing changes;
            // here every read follows a write, so each one reads the store.
            QByteArray created;
            client.request("POST", "/api/mission-control/tasks", "{\"title\": \"touched\"}", &created);
            const QByteArray touched = "/api/mission-control/tasks/" + idOf(created, "task").toLatin1();
            QList<double> uncached;
            for (int i = 0; i < 500; ++i) {
                client.request("PATCH", touched, i % 2 ? "{\"priority\": \"low\"}" : "{\"priority\": \"high\"}");
                QElapsedTimer t;
                t.start();
                client.request("GET", "/api/mission-control/tasks?limit=100");
                uncached.append(double(t.nsecsElapsed()) / 1e6);
            }
            report("2. GET /tasks?limit=100 at 10k tasks, after a write (cache missed)", latencyLine(uncached));
            report("2. GET /health (the HTTP layer alone), 1 keep-alive client",
                   QStringLiteral("%1 req/s").arg(requestsPerSecond(server.port, "/api/mission-control/health", 1), 0, 'f', 0));
        }
    }
}

// 3. five runs streaming; 4. start latency; 5. memory.
void benchStreaming(Server &server, int linesPerRun, int wsClients)
{
    RawHttpClient client(server.port, kToken);
    QByteArray body;
    client.request("POST", "/api/mission-control/agents",
                   QJsonDocument(QJsonObject{{QStringLiteral("name"), QStringLiteral("Firehose%1").arg(wsClients)},
                                             {QStringLiteral("role"), QStringLiteral("bench")},
                                             {QStringLiteral("backend"), QStringLiteral("command")},
                                             {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("backend_config"),
                                                                                       QJsonObject{{QStringLiteral("command"),
                                                                                                    QJsonArray{QStringLiteral(MC_BENCH_AGENT), QString::number(linesPerRun)}}}}}}})
                           .toJson(QJsonDocument::Compact),
                   &body);
    const QString agent = idOf(body, "agent");
    QStringList tasks;
    for (int i = 0; i < 5; ++i) {
        client.request("POST", "/api/mission-control/tasks", "{\"title\": \"stream " + QByteArray::number(i) + "\"}", &body);
        tasks.append(idOf(body, "task"));
    }
    QList<RawWsClient *> sockets;
    long events = 0;
    int completed = 0;
    QList<double> latencies;
    latencies.reserve(5 * linesPerRun / 10 + 16);
    qint64 firstNs = 0, lastNs = 0;
    for (int c = 0; c < wsClients; ++c) {
        RawWsClient::Handler handler = [](QByteArrayView) {};
        if (c == 0) {
            handler = [&](QByteArrayView message) {
                if (message.indexOf("\"mc_task_output\"") >= 0) {
                    const qint64 now = nowNs();
                    if (!firstNs)
                        firstNs = now;
                    lastNs = now;
                    if (++events % 10 == 0) {   // sample one in ten for latency
                        const qsizetype at = message.indexOf(" t ");
                        if (at > 0) {
                            qsizetype end = at + 3;
                            while (end < message.size() && message.at(end) >= '0' && message.at(end) <= '9')
                                ++end;
                            latencies.append(double(now - message.sliced(at + 3, end - at - 3).toLongLong()) / 1e6);
                        }
                    }
                } else if (message.indexOf("\"mc_task_completed\"") >= 0) {
                    ++completed;
                }
            };
        }
        sockets.append(new RawWsClient(server.port, kToken, handler));
    }
    QDeadlineTimer connectDeadline(10000);
    while (std::any_of(sockets.cbegin(), sockets.cend(), [](RawWsClient *s) { return !s->isOpen(); })
           && !connectDeadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    const qint64 rssBefore = server.rssKb();
    qint64 rssPeak = rssBefore;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &sampler, [&] { rssPeak = qMax(rssPeak, server.rssKb()); });
    sampler.start(100);
    for (const QString &task : tasks) {
        client.request("POST", "/api/mission-control/tasks/" + task.toLatin1() + "/run",
                       "{\"agent_id\": \"" + agent.toLatin1() + "\"}");
    }
    // A well-behaved client's request while five agents stream.
    QList<double> healthDuringStream;
    QDeadlineTimer deadline(600000);
    QElapsedTimer probe;
    probe.start();
    while (completed < 5 && !deadline.hasExpired() && sockets.first()->isConnected()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        if (probe.elapsed() > 100) {
            probe.restart();
            QElapsedTimer t;
            t.start();
            client.request("GET", "/api/mission-control/health");
            healthDuringStream.append(double(t.nsecsElapsed()) / 1e6);
        }
    }
    sampler.stop();
    const double seconds = double(lastNs - firstNs) / 1e9;
    const QString label = QStringLiteral("%1 WebSocket client(s)").arg(wsClients);
    report(qPrintable(QStringLiteral("3. output events/s received, 5 runs x %1 lines, ").arg(linesPerRun) + label),
           QStringLiteral("%1 events/s (%2 events in %3 s)").arg(double(events) / qMax(seconds, 1e-9), 0, 'f', 0).arg(events).arg(seconds, 0, 'f', 2));
    report(qPrintable(QStringLiteral("3. agent write -> client receipt, ") + label), latencyLine(latencies));
    report(qPrintable(QStringLiteral("3. GET /health while streaming, ") + label), latencyLine(healthDuringStream));
    long persisted = 0;
    for (const QString &task : tasks) {
        client.request("GET", "/api/mission-control/tasks/" + task.toLatin1() + "/runs", QByteArray(), &body);
        persisted += QJsonDocument::fromJson(body).object().value(QStringLiteral("runs")).toArray().first().toObject()
                             .value(QStringLiteral("output_chunks")).toInteger();
    }
    report(qPrintable(QStringLiteral("3. chunks persisted (expected %1), ").arg(5L * linesPerRun) + label), QString::number(persisted));
    report(qPrintable(QStringLiteral("5. RSS before / peak during stream, ") + label),
           QStringLiteral("%1 MB / %2 MB").arg(double(rssBefore) / 1024, 0, 'f', 1).arg(double(rssPeak) / 1024, 0, 'f', 1));
    qDeleteAll(sockets);
    QThread::msleep(2000);   // the server gives freed memory back a second after its last run
    report(qPrintable(QStringLiteral("5. RSS 2 s after the stream finished, ") + label),
           QStringLiteral("%1 MB").arg(double(server.rssKb()) / 1024, 0, 'f', 1));
}

void benchStartLatency(Server &server, int runs)
{
    RawHttpClient client(server.port, kToken);
    QByteArray body;
    client.request("POST", "/api/mission-control/agents",
                   "{\"name\": \"Quick\", \"role\": \"bench\", \"backend\": \"command\", \"metadata\": {\"backend_config\": "
                   "{\"command\": [\"" MC_BENCH_AGENT "\", \"0\"]}}}",
                   &body);
    const QString agent = idOf(body, "agent");
    client.request("POST", "/api/mission-control/tasks", "{\"title\": \"start latency\"}", &body);
    const QByteArray task = idOf(body, "task").toLatin1();
    QWebSocket ws;
    qint64 startedAt = 0;
    bool started = false, completed = false;
    QObject::connect(&ws, &QWebSocket::textMessageReceived, &ws, [&](const QString &m) {
        if (m.contains(QLatin1String("\"mc_task_started\"")) && !started) {
            startedAt = nowNs();
            started = true;
        } else if (m.contains(QLatin1String("\"mc_task_completed\""))) {
            completed = true;
        }
    });
    ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws?token=%2").arg(server.port).arg(QString::fromLatin1(kToken))));
    while (ws.state() != QAbstractSocket::ConnectedState)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    QList<double> latencies;
    for (int i = 0; i < runs; ++i) {
        started = completed = false;
        const qint64 sent = nowNs();
        client.request("POST", "/api/mission-control/tasks/" + task + "/run", "{\"agent_id\": \"" + agent.toLatin1() + "\"}");
        QDeadlineTimer deadline(10000);
        while (!(started && completed) && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
        latencies.append(double(startedAt - sent) / 1e6);
    }
    report("4. POST /run -> mc_task_started received", latencyLine(latencies));
}

// 7. each route's latency as the store grows to a million tasks, built in bulk
// (BulkData: direct SQL in one transaction, the server stopped meanwhile).
void benchScale(const QList<int> &sizes, int requests)
{
    Server server;
    if (!server.start())
        return;
    QStringList agents;
    {
        RawHttpClient client(server.port, kToken);
        for (int i = 0; i < 10; ++i) {
            QByteArray body;
            client.request("POST", "/api/mission-control/agents",
                           "{\"name\": \"Scale" + QByteArray::number(i) + "\", \"role\": \"bench\"}", &body);
            agents.append(idOf(body, "agent"));
        }
    }
    const QString database = server.dir.filePath(QStringLiteral("mission-control.db"));
    BulkData bulk;
    for (const int size : sizes) {
        server.stop();
        QElapsedTimer built;
        built.start();
        const QString error = bulk.fillTo(database, size, agents);
        if (!error.isEmpty()) {
            report("7. bulk build failed", error);
            return;
        }
        const double buildS = double(built.elapsed()) / 1000;
        if (!server.start())
            return;
        const QString n = size >= 1000000 ? QStringLiteral("%1M").arg(size / 1000000)
                                           : QStringLiteral("%1k").arg(size / 1000);
        report(qPrintable(QStringLiteral("7. N=%1: bulk build / database file").arg(n)),
               QStringLiteral("%1 s / %2 MB").arg(buildS, 0, 'f', 1).arg(double(QFileInfo(database).size()) / 1048576, 0, 'f', 0));
        RawHttpClient client(server.port, kToken);
        QByteArray body;
        client.request("POST", "/api/mission-control/tasks", "{\"title\": \"touched\"}", &body);
        const QByteArray touched = "/api/mission-control/tasks/" + idOf(body, "task").toLatin1();
        client.request("GET", "/api/mission-control/tasks?limit=100&after=", QByteArray(), &body);
        const QByteArray cursor = QJsonDocument::fromJson(body).object().value(QStringLiteral("next_cursor")).toString().toLatin1();
        const QByteArray agent = agents.first().toLatin1();
        const QList<QPair<QByteArray, QByteArray>> routes{
                {"GET /tasks?limit=100", "/tasks?limit=100"},
                {"GET /tasks?status=done&limit=100", "/tasks?status=done&limit=100"},
                {"GET /tasks?tags=<1 in 100>&limit=100", "/tasks?tags=t7&limit=100"},
                {"GET /tasks?tags=<1 in 10>&limit=100", "/tasks?tags=common&limit=100"},
                {"GET /tasks?tags=<two tags>&limit=100", "/tasks?tags=t7,t8&limit=100"},
                {"GET /tasks?assignee_id=<1 in 20>&limit=100", "/tasks?assignee_id=" + agent + "&limit=100"},
                {"GET /tasks?limit=0 (count)", "/tasks?limit=0"},
                {"GET /tasks?after=<cursor>&limit=100", "/tasks?limit=100&after=" + cursor},
                {"GET /tasks/{id}", touched.mid(int(qstrlen("/api/mission-control")))},
                {"GET /stats", "/stats"},
                {"GET /activity?limit=50", "/activity?limit=50"},
                {"GET /notifications?limit=50", "/notifications?limit=50"},
        };
        for (const auto &[name, path] : routes) {
            // Each read follows a write, so it reads the store (no read cache hit).
            QList<double> ms;
            int failures = 0;
            for (int i = 0; i < requests; ++i) {
                client.request("PATCH", touched, i % 2 ? "{\"priority\": \"low\"}" : "{\"priority\": \"high\"}");
                QElapsedTimer t;
                t.start();
                if (client.request("GET", "/api/mission-control" + path) != 200)
                    ++failures;
                ms.append(double(t.nsecsElapsed()) / 1e6);
            }
            report(qPrintable(QStringLiteral("7. N=%1: ").arg(n) + QString::fromLatin1(name)),
                   latencyLine(ms) + (failures ? QStringLiteral("  %1 FAILED").arg(failures) : QString()));
        }
        QList<double> creates;
        for (int i = 0; i < requests * 5; ++i) {
            QElapsedTimer t;
            t.start();
            client.request("POST", "/api/mission-control/tasks", "{\"title\": \"scale create\", \"tags\": [\"t1\"]}");
            creates.append(double(t.nsecsElapsed()) / 1e6);
        }
        report(qPrintable(QStringLiteral("7. N=%1: POST /tasks").arg(n)), latencyLine(creates));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&](const QString &name, int fallback) {
        const qsizetype at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
    };
    const int maxTasks = option(QStringLiteral("--tasks"), 100000);
    const int lines = option(QStringLiteral("--lines"), 200000);
    const int only = option(QStringLiteral("--only"), 0);   // 0: every figure
    // The store on PostgreSQL: an empty database per run (each server started uses it as it is).
    if (const qsizetype at = args.indexOf(QStringLiteral("--database")); at >= 0 && at + 1 < args.size())
        g_serverArgs << QStringLiteral("--database") << args.at(at + 1);
    std::printf("mc-bench: %d tasks, 5 x %d output lines, on %d cores\n", maxTasks, lines, QThread::idealThreadCount());
    if (only == 7) {
        // Only when asked for: a million tasks take minutes to build and ~1 GB of disk.
        QList<int> sizes;
        const qsizetype at = args.indexOf(QStringLiteral("--sizes"));
        for (const QString &size : (at >= 0 && at + 1 < args.size() ? args.at(at + 1) : QStringLiteral("1000,100000,1000000"))
                                           .split(QLatin1Char(',')))
            sizes.append(size.toInt());
        benchScale(sizes, option(QStringLiteral("--requests"), 200));
        return 0;
    }
    if (only == 0 || only >= 3) {
        Server server;
        if (!server.start()) {
            std::fprintf(stderr, "cannot start %s\n", MC_BINARY_PATH);
            return 1;
        }
        if (only == 0 || only == 5) {
            report("5. cold start to first healthy answer", QStringLiteral("%1 ms").arg(server.coldStartMs, 0, 'f', 1));
            report("5. RSS idle (fresh data dir)", QStringLiteral("%1 MB").arg(double(server.rssKb()) / 1024, 0, 'f', 1));
        }
        if (only == 0 || only == 4)
            benchStartLatency(server, option(QStringLiteral("--starts"), 200));
        if (only == 0 || only == 3 || only == 5) {
            benchStreaming(server, lines, 1);
            benchStreaming(server, lines, 20);
        }
    }
    if (only == 0 || only <= 2) {
        Server server;
        if (!server.start()) {
            std::fprintf(stderr, "cannot start %s\n", MC_BINARY_PATH);
            return 1;
        }
        benchCreateAndList(server, only == 2 ? qMin(maxTasks, 10000) : maxTasks);
    }
    return 0;
}
