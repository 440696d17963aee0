#include "jsontext.h"

namespace mc {

namespace {
// The escape of a byte that JSON does not allow raw in a string, or nullptr.
// Written as QJsonDocument writes them, so both writers give the same bytes.
const char *escapeOf(unsigned char c, char (&buffer)[7])
{
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\b': return "\\b";
    case '\f': return "\\f";
    default:
        if (c >= 0x20)
            return nullptr;
        buffer[0] = '\\';
        buffer[1] = 'u';
        buffer[2] = '0';
        buffer[3] = '0';
        buffer[4] = hex[c >> 4];
        buffer[5] = hex[c & 0xf];
        buffer[6] = '\0';
        return buffer;
    }
}
} // namespace

void appendJsonString(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    // Runs of plain bytes are copied at once; only escapes go one by one.
    const char *run = utf8.constData();
    const char *const end = run + utf8.size();
    char buffer[7];
    for (const char *p = run; p < end; ++p) {
        const char *escape = escapeOf(static_cast<unsigned char>(*p), buffer);
        if (!escape)
            continue;
        out.append(run, p - run);
        out.append(escape);
        run = p + 1;
    }
    out.append(run, end - run);
    out.append('"');
}

} // namespace mc
