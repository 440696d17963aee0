#pragma once

#include <QtGlobal>

namespace mc {

// What the HTTP/WebSocket server tolerates from a client.
struct ServerLimits
{
    qint64 maxBodyBytes = 1024 * 1024;       // larger bodies get 413
    qint64 maxHeaderBytes = 64 * 1024;       // larger request heads get 431
    int requestTimeoutMs = 15000;            // a started request must arrive whole within this
    int idleTimeoutMs = 60000;               // an idle keep-alive connection is closed after this
    int maxConnections = 256;                // HTTP connections open at once
    int maxWebSocketClients = 256;
    qint64 maxWebSocketMessageBytes = 64 * 1024;   // incoming
    // A client whose backlog passes the soft limit and that has not taken a byte
    // for stallMs is dropped (it stopped reading); past the hard limit it is
    // dropped whatever (too slow to keep up). A slow reader that still reads
    // is kept below the hard limit.
    qint64 maxWebSocketUnsentBytes = 4 * 1024 * 1024;
    qint64 hardWebSocketUnsentBytes = 16 * 1024 * 1024;
    int webSocketStallMs = 3000;
};

} // namespace mc
