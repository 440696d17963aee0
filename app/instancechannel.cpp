#include "instancechannel.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalSocket>

using namespace Qt::StringLiterals;

namespace mc {

namespace {

constexpr char kActivate[] = "activate\n";

} // namespace

InstanceChannel::InstanceChannel(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_name(serverName(dataDir))
{
}

QString InstanceChannel::serverName(const QString &dataDir)
{
    // Inside the owner-only data folder when the path fits a socket address
    // (108 bytes on Linux), else a per-folder name in the temp folder.
    const QString inFolder = QDir(QDir(dataDir).absolutePath()).filePath(u"instance.sock"_s);
    if (inFolder.toLocal8Bit().size() < 100)
        return inFolder;
    const QByteArray hash = QCryptographicHash::hash(inFolder.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    return u"mission-control-"_s + QString::fromLatin1(hash);
}

bool InstanceChannel::listen(std::function<QByteArray()> onActivate, QString *error)
{
    m_onActivate = std::move(onActivate);
    // We hold the folder's lock, so a socket left behind is from a crashed instance.
    QLocalServer::removeServer(m_name);
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server.listen(m_name)) {
        *error = m_server.errorString();
        return false;
    }
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server.nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, socket, [this, socket] {
                if (!socket->canReadLine())
                    return;
                if (socket->readLine() == kActivate)
                    socket->write(m_onActivate() + '\n');
                socket->disconnectFromServer();
            });
        }
    });
    return true;
}

QByteArray InstanceChannel::activate(const QString &dataDir, int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(serverName(dataDir));
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(kActivate);
    if (!socket.waitForBytesWritten(timeoutMs))
        return {};
    for (int reads = 0; reads < 3 && !socket.canReadLine(); ++reads) {
        if (!socket.waitForReadyRead(timeoutMs))
            break;
    }
    return socket.canReadLine() ? socket.readLine().trimmed() : QByteArray();
}

} // namespace mc
