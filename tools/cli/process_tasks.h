// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The executor behind `stepwise run --task RESOURCE_OR_STATE=COMMAND`: "echo" answers in
// process, every other COMMAND runs with `/bin/sh -c` through a `ProcessExecutor`, so the
// commands of a Map or Parallel run concurrently and TimeoutSeconds kills them.
#ifndef STEPWISE_TOOLS_CLI_PROCESS_TASKS_H_
#define STEPWISE_TOOLS_CLI_PROCESS_TASKS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "stepwise/process_executor.h"
#include "stepwise/task_executor.h"

namespace stepwise_cli {

// `routes` are the `--task` pairs (RESOURCE or state name or "*", COMMAND) in command-line
// order; a resource match wins over a state-name match, which wins over "*".
std::shared_ptr<stepwise::TaskExecutor> make_command_executor(
    std::vector<std::pair<std::string, std::string>> routes,
    const stepwise::ProcessExecutorOptions& options);

}  // namespace stepwise_cli

#endif  // STEPWISE_TOOLS_CLI_PROCESS_TASKS_H_
