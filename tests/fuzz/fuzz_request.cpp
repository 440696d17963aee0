// libFuzzer target: the request layer of every route -- routing, path and
// query parameters, body parsing, validation, the handlers and the JSON they
// produce -- on a real store. Input: "METHOD /path?query\nbody".
#include "backendregistry.h"
#include "executor.h"
#include "router.h"
#include "runroutes.h"
#include "store.h"
#include "storeroutes.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QUrl>

#include <cstdint>
#include <cstdlib>

namespace {
struct World
{
    QTemporaryDir dir;
    mc::Store store;
    std::unique_ptr<mc::Executor> executor;
    mc::Router router;
};
World *g_world = nullptr;
} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
    qputenv("MISSION_CONTROL_SETTINGS", "/dev/null");
    g_world = new World;
    g_world->store.open(g_world->dir.path());
    g_world->executor = std::make_unique<mc::Executor>(g_world->store, 5);
    mc::registerRunRoutes(g_world->router, g_world->store, *g_world->executor);
    mc::registerStoreRoutes(g_world->router, g_world->store, &mc::backends::validateConfig);
    mc::registerSystemRoutes(g_world->router, *g_world->executor, QStringLiteral("fuzz"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArray line = newline < 0 ? input : input.left(newline);
    const QByteArray body = newline < 0 ? QByteArray() : input.mid(newline + 1);
    const qsizetype space = line.indexOf(' ');
    const QByteArray method = space < 0 ? QByteArray("GET") : line.left(space);
    const QUrl url(QString::fromUtf8(space < 0 ? line : line.mid(space + 1)));
    const mc::Reply reply = g_world->router.dispatch(method, url.path(), QUrlQuery(url), body);
    // Every answer is a JSON object with the contract's shape; never a 500.
    const QJsonDocument doc = QJsonDocument::fromJson(reply.body);
    if (!doc.isObject() || reply.status == 500)
        std::abort();
    if (reply.status >= 400 && !doc.object().contains(QStringLiteral("detail")))
        std::abort();
    // Let queued work (run finishes, output) happen; nothing may run away.
    QCoreApplication::processEvents();
    return 0;
}
