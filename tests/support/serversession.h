#pragma once

#include "httpclient.h"
#include "testserver.h"
#include "wsclient.h"

#include <memory>

namespace mc::test {

// A fresh test server, an HTTP client with its token and a WebSocket client
// connected to /ws: the peers of the API, engine and replay tests. False when
// the WebSocket does not connect.
inline bool startServerSession(std::unique_ptr<TestServer> &server, std::unique_ptr<HttpClient> &client,
                               std::unique_ptr<WsClient> &ws)
{
    using namespace Qt::StringLiterals;
    server = std::make_unique<TestServer>();
    client = std::make_unique<HttpClient>(server->base(), server->token());
    ws = std::make_unique<WsClient>();
    return ws->connectTo(u"ws://127.0.0.1:%1/ws?token=%2"_s.arg(server->port()).arg(server->token()));
}

} // namespace mc::test
