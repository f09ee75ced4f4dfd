// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The `graph` and `view` commands of the `stepwise` tool, and the page writer `run --view`
// shares with `view`. They use the public API only.
#ifndef STEPWISE_TOOLS_CLI_VIEW_COMMANDS_H_
#define STEPWISE_TOOLS_CLI_VIEW_COMMANDS_H_

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "stepwise/state_machine.h"
#include "stepwise/view.h"

namespace stepwise::tools {

extern const char* const kGraphUsage;
extern const char* const kViewUsage;

// `stepwise graph FILE [--format dot|mermaid] [--collapse N] [-o OUT]`. argv[1] is "graph".
int graph_command(int argc, char** argv);

// `stepwise view HISTORY --definition FILE -o PAGE [--collapse N]`. argv[1] is "view".
int view_command(int argc, char** argv);

// Renders the execution page of `history` (GetExecutionHistory JSON) and writes it to `path`.
// Warnings (a history from another definition, an incomplete one) go to `err` prefixed with
// `who`. Returns 0 on success, 2 when the history is malformed or the file cannot be written.
int write_view_page(const StateMachine& machine, const nlohmann::json& history,
                    const std::string& path, const std::string& title, const std::string& who,
                    std::ostream& err);

// The same with all page options.
int write_view_page_with(const StateMachine& machine, const nlohmann::json& history,
                         const std::string& path, const ViewOptions& options,
                         const std::string& who, std::ostream& err);

}  // namespace stepwise::tools

#endif  // STEPWISE_TOOLS_CLI_VIEW_COMMANDS_H_
