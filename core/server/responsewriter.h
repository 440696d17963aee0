#pragma once

#include "errormapper.h"

class QTcpSocket;

namespace mc {

// How an answer goes out (RFC 9112): HEAD gets the head alone, with the
// Content-Length the GET would have; the Connection header says whether the
// connection stays open.
struct ResponseOptions
{
    bool headOnly = false;
    bool keepAlive = true;
    bool http10 = false;
    QByteArray allow = {};   // the Allow header (405, OPTIONS) when not empty
};

QByteArray responseHead(int status, qint64 contentLength, const ResponseOptions &options);

// Writes the whole answer to the socket. The body's bytes are handed to the
// socket as they are (QIODevice keeps a reference, no copy), so a cached page
// is copied only by the kernel.
void writeResponse(QTcpSocket *socket, const Reply &reply, const ResponseOptions &options);

} // namespace mc
