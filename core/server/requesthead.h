#pragma once

#include <QByteArrayView>

namespace mc {

// A request head read without QHttpServer, for the fast path of the connection
// guard (ConnectionGuard::answerFromCache). Only the plainest requests qualify:
// "GET <origin-form target> HTTP/1.1|HTTP/1.0", well-formed header lines, no
// body (no Content-Length, Transfer-Encoding or Expect), no Upgrade, and at most
// one Host, Authorization and Connection line. Anything else is left to
// QHttpServer untouched.
struct RequestHead
{
    QByteArrayView target;          // as sent: path and query
    QByteArrayView host;            // trimmed; empty when absent
    QByteArrayView authorization;   // trimmed; empty when absent
    QByteArrayView connection;      // trimmed; empty when absent
    bool http10 = false;

    // `head` is the request line and header lines up to, not including, the
    // empty line that ends them. Returns false when the request does not qualify.
    static bool parsePlainGet(QByteArrayView head, RequestHead *out);
};

} // namespace mc
