// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The web console of the API server: HTML pages rendered by the server from the same data the
// API answers with (state machines, executions, histories), refreshed while executions run.
// Everything is served from the binary; the pages load nothing from elsewhere.
#ifndef STEPWISE_SERVER_CONSOLE_H_
#define STEPWISE_SERVER_CONSOLE_H_

#include "server/server_impl.h"

namespace httplib {
class Server;
}

namespace stepwise::internal {

// GET / (state machines and recent executions), GET /console/machine?arn=ARN (a machine's
// executions and definition), GET /console/execution?arn=ARN (the execution page that
// `stepwise view` draws: graph with the path taken, inputs and outputs, timeline).
void add_console_routes(httplib::Server& http, Server::Impl& server);

}  // namespace stepwise::internal

#endif  // STEPWISE_SERVER_CONSOLE_H_
