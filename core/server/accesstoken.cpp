#include "accesstoken.h"

#include "apierror.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryFile>

#include <cerrno>
#include <cstring>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mc {

QByteArray AccessToken::generate()
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), raw.size() / 4);
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

AccessToken AccessToken::loadOrCreate(const QString &dataDir)
{
    const QByteArray fromEnv = qgetenv("MISSION_CONTROL_TOKEN").trimmed();
    if (!fromEnv.isEmpty())
        return AccessToken(fromEnv);
    if (!QDir().mkpath(dataDir))
        throw StoreError(u"Cannot create the data directory %1"_s.arg(dataDir));
    const QString path = QDir(dataDir).filePath(u"token"_s);
    QFile existing(path);
    if (existing.exists()) {
        if (!existing.open(QIODevice::ReadOnly))
            throw StoreError(u"Cannot read the access token file %1: %2"_s.arg(path, existing.errorString()));
        const QByteArray token = existing.readAll().trimmed();
        if (!token.isEmpty()) {
            existing.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
            return AccessToken(token);
        }
        existing.close();
        QFile::remove(path); // an empty file (a crash while writing it) holds no token
    }
    // Two first starts at once must agree on one token: the new token is
    // written whole to a private file, then linked into place, which fails
    // when another start got there first; that one's token is then read.
    const QByteArray token = generate();
    QTemporaryFile file(path + u".XXXXXX"_s);
    if (!file.open())
        throw StoreError(u"Cannot write the access token file %1: %2"_s.arg(path, file.errorString()));
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    if (file.write(token + '\n') != token.size() + 1 || !file.flush() || ::fsync(file.handle()) != 0)
        throw StoreError(u"Cannot write the access token file %1: %2"_s.arg(path, file.errorString()));
    if (::link(QFile::encodeName(file.fileName()).constData(), QFile::encodeName(path).constData()) == 0)
        return AccessToken(token);
    if (errno != EEXIST)
        throw StoreError(u"Cannot write the access token file %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    QFile winner(path);
    if (!winner.open(QIODevice::ReadOnly))
        throw StoreError(u"Cannot read the access token file %1: %2"_s.arg(path, winner.errorString()));
    const QByteArray theirs = winner.readAll().trimmed();
    if (theirs.isEmpty())
        throw StoreError(u"The access token file %1 is empty; delete it to get a new token"_s.arg(path));
    return AccessToken(theirs);
}

bool AccessToken::matches(QByteArrayView candidate) const
{
    // Constant time in the candidate's content: every byte is compared, and a
    // length mismatch still walks the whole token.
    const qsizetype n = m_token.size();
    unsigned char diff = candidate.size() == n ? 0 : 1;
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char c = i < candidate.size() ? static_cast<unsigned char>(candidate[i]) : 0;
        diff |= c ^ static_cast<unsigned char>(m_token[i]);
    }
    return n > 0 && diff == 0;
}

} // namespace mc
