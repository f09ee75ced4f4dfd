// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `stepwise serve`: the AWS Step Functions API over HTTP (docs/server.md).
#ifndef STEPWISE_TOOLS_CLI_SERVE_CMD_H_
#define STEPWISE_TOOLS_CLI_SERVE_CMD_H_

namespace stepwise_cli {

extern const char* const kServeUsage;
int cmd_serve(int argc, char** argv);

}  // namespace stepwise_cli

#endif  // STEPWISE_TOOLS_CLI_SERVE_CMD_H_
