// Helper for tst_store_durability: writes tasks (with activities) as fast as it
// can and prints each id once its transaction has committed.

#include "store.h"
#include "taskrepository.h"

#include <QCoreApplication>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2)
        return 2;
    mc::Store store;
    store.open(QString::fromLocal8Bit(argv[1]));
    for (int i = 0; i < 1000000; ++i) {
        const QJsonObject task = store.tasks().create({{u"title"_s, u"durable %1"_s.arg(i)}, {u"tags"_s, QJsonArray{u"d"_s}}});
        std::printf("%s\n", qPrintable(task.value(u"id"_s).toString()));
        std::fflush(stdout);
    }
    return 0;
}
