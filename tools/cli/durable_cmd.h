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

// Opens (creating the schema if needed) the checkpoint database `db`: a PostgreSQL database
// when `db` starts with "postgresql:" or "postgres:" (a URI, or a conninfo string after the
// prefix), otherwise the SQLite file `db` (or the file after a "sqlite:" prefix). Null with
// `error` set when it cannot.
std::shared_ptr<stepwise::CheckpointStore> open_checkpoint_db(const std::string& db,
                                                              std::string& error);

// Whether `db` names a PostgreSQL database (see `open_checkpoint_db`).
bool is_postgres_db(const std::string& db);

extern const char* const kExecutionsUsage;

// `stepwise executions --checkpoint-db FILE [--status STATUS] [--json]`.
int cmd_executions(int argc, char** argv);

}  // namespace stepwise_cli

#endif  // STEPWISE_TOOLS_CLI_DURABLE_CMD_H_
