#include "datafolder.h"

#include "clock.h"

#include <QDir>
#include <QFile>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

constexpr QFile::Permissions kOwnerFile = QFile::ReadOwner | QFile::WriteOwner;
constexpr QFile::Permissions kOwnerDir = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;

} // namespace

QString loadOrCreateInstanceId(const QString &dataDir, QString *error)
{
    QFile file(QDir(dataDir).filePath(u"instance-id"_s));
    if (file.open(QIODevice::ReadOnly)) {
        const QString id = QString::fromUtf8(file.readAll()).trimmed();
        if (isUuid(id))
            return id;
        file.close();
    }
    const QString id = newId();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(id.toUtf8()) < 0) {
        *error = u"Cannot write %1: %2"_s.arg(file.fileName(), file.errorString());
        return {};
    }
    file.setPermissions(kOwnerFile);
    return id;
}

QString databaseFileName()
{
    return u"mission-control.db"_s;
}

bool secureDataFolder(const QString &dataDir, QString *error)
{
    if (!QDir().mkpath(dataDir) || !QFile::setPermissions(dataDir, kOwnerDir)) {
        *error = u"Cannot create the data folder %1 with owner-only permissions"_s.arg(dataDir);
        return false;
    }
    const QString database = QDir(dataDir).filePath(databaseFileName());
    if (!QFile::exists(database)) {
        // An empty file is a valid new SQLite database; created 0600 here.
        QFile file(database);
        // Another start may create it at the same moment: that one is as good.
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerFile) && !QFile::exists(database)) {
            *error = u"Cannot create the database %1: %2"_s.arg(database, file.errorString());
            return false;
        }
    }
    for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
        if (QFile::exists(database + suffix))
            QFile::setPermissions(database + suffix, kOwnerFile);
    }
    return true;
}

} // namespace mc
