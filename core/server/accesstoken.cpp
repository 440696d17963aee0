#include "accesstoken.h"

#include "apierror.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>

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
    }
    const QByteArray token = generate();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw StoreError(u"Cannot write the access token file %1: %2"_s.arg(path, file.errorString()));
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(token + '\n');
    if (!file.commit())
        throw StoreError(u"Cannot write the access token file %1: %2"_s.arg(path, file.errorString()));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return AccessToken(token);
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
