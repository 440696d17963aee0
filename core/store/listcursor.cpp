#include "listcursor.h"

#include <QByteArray>

using namespace Qt::StringLiterals;

namespace mc {

namespace {
constexpr auto kBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr char kSeparator = '\x1f';
} // namespace

QString ListCursor::encode() const
{
    const QByteArray raw = QByteArray::number(rowid) + kSeparator + updatedAt.toUtf8();
    return QString::fromLatin1(raw.toBase64(kBase64));
}

ListCursor ListCursor::decode(const QString &token)
{
    ListCursor cursor;
    const auto decoded = QByteArray::fromBase64Encoding(token.toLatin1(), kBase64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return cursor;
    const QByteArray raw = *decoded;
    const qsizetype split = raw.indexOf(kSeparator);
    if (split <= 0 || split == raw.size() - 1)
        return cursor;
    bool ok = false;
    cursor.rowid = raw.left(split).toLongLong(&ok);
    cursor.updatedAt = QString::fromUtf8(raw.mid(split + 1));
    cursor.valid = ok && cursor.rowid > 0;
    return cursor;
}

} // namespace mc
