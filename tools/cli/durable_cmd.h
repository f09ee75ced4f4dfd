// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The command line's durable-execution parts: opening `--checkpoint-db`, and
// `stepwise executions`.
#ifndef STEPWISE_TOOLS_CLI_DURABLE_CMD_H_
#define STEPWISE_TOOLS_CLI_DURABLE_CMD_H_

#include <memory>
#include <string>

#include "stepwise/checkpoint.h"

namespace stepwise_cli {

// Opens (creating if needed) the SQLite checkpoint database at `path`; null with `error` set
// when it cannot.
std::shared_ptr<stepwise::CheckpointStore> open_checkpoint_db(const std::string& path,
                                                              std::string& error);

extern const char* const kExecutionsUsage;

// `stepwise executions --checkpoint-db FILE [--status STATUS] [--json]`.
int cmd_executions(int argc, char** argv);

}  // namespace stepwise_cli

#endif  // STEPWISE_TOOLS_CLI_DURABLE_CMD_H_
