#pragma once

#include <QByteArray>
#include <QString>

namespace mc {

// The API access token: generated once (32 random bytes, base64url), kept in the
// data dir with owner-only permissions, compared in constant time.
class AccessToken final
{
public:
    AccessToken() = default;
    explicit AccessToken(QByteArray token) : m_token(std::move(token)) {}

    // MISSION_CONTROL_TOKEN wins when set; else <dataDir>/token, created if missing.
    // Throws StoreError when the file cannot be read or written.
    static AccessToken loadOrCreate(const QString &dataDir);
    static QByteArray generate();

    bool matches(QByteArrayView candidate) const;
    const QByteArray &value() const { return m_token; }
    bool isEmpty() const { return m_token.isEmpty(); }

private:
    QByteArray m_token;
};

} // namespace mc
