// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `stepwise view HISTORY --definition FILE -o PAGE.html`, and the page writer of `run --view`.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cli_files.h"
#include "stepwise/parser.h"
#include "stepwise/view.h"
#include "view_commands.h"

namespace stepwise::tools {

const char* const kViewUsage =
    R"(Usage: stepwise view HISTORY --definition FILE -o PAGE.html [--title TEXT] [--collapse N]

Renders an execution as one self-contained HTML page (no network access needed): the state
graph with the path taken (states coloured by outcome: succeeded, failed, caught, retried,
aborted, in progress, not reached), each state's entries with input and output (click a state,
or open PAGE.html#select=STATE_NAME), Map iterations and Parallel branches, and a timeline of
every event. HISTORY is GetExecutionHistory JSON, as `stepwise run --history` writes it
(`stepwise run FILE --view PAGE.html` does both in one go).
  --definition FILE   the definition the execution ran
  -o PAGE.html        where to write the page
  --title TEXT        the page's title (default: the history file's name)
  --collapse N        draw a Map or Parallel holding more than N states as one node
                      (default 40; 0 never collapses)
A history that names states the definition does not have (another definition), or that has no
terminal event (incomplete), still gives a page, with a warning banner; the warning is also
printed on stderr.
Exit status: 0 when the page is written, 2 on a malformed history, a bad definition or usage.
)";

int write_view_page(const StateMachine& machine, const nlohmann::json& history,
                    const std::string& path, const std::string& title, const std::string& who,
                    std::ostream& err) {
  ViewOptions options;
  if (!title.empty()) options.title = title;
  return write_view_page_with(machine, history, path, options, who, err);
}

int write_view_page_with(const StateMachine& machine, const nlohmann::json& history,
                         const std::string& path, const ViewOptions& options,
                         const std::string& who, std::ostream& err) {
  Result<ExecutionPage> page = render_execution_page(machine, history, options);
  if (!page.ok()) {
    err << who << ": " << page.status().message() << "\n";
    return 2;
  }
  for (const std::string& w : page->warnings) err << who << ": warning: " << w << "\n";
  std::ofstream out(path, std::ios::binary);
  out << page->html;
  if (!out.flush()) {
    err << who << ": cannot write " << path << "\n";
    return 2;
  }
  return 0;
}

int view_command(int argc, char** argv) {
  std::string history_path, definition_path, out_path, title;
  ViewOptions options;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--help" || a == "-h") {
      std::cout << kViewUsage;
      return 0;
    } else if (a == "--definition" && has_value) {
      definition_path = argv[++i];
    } else if ((a == "-o" || a == "--output") && has_value) {
      out_path = argv[++i];
    } else if (a == "--title" && has_value) {
      title = argv[++i];
    } else if (a == "--collapse" && has_value) {
      if (!parse_count(argv[++i], options.collapse_threshold)) {
        std::cerr << "stepwise view: --collapse needs a number\n";
        return 2;
      }
    } else if (a.rfind("-", 0) == 0) {
      std::cerr << "stepwise view: unknown option or missing value: " << a << "\n" << kViewUsage;
      return 2;
    } else if (history_path.empty()) {
      history_path = a;
    } else {
      std::cerr << "stepwise view: one history file only\n";
      return 2;
    }
  }
  if (history_path.empty() || definition_path.empty() || out_path.empty()) {
    std::cerr << "stepwise view: HISTORY, --definition FILE and -o PAGE.html are required\n"
              << kViewUsage;
    return 2;
  }
  std::string definition_text, history_text;
  if (!read_whole_file(definition_path, definition_text)) {
    std::cerr << "stepwise view: cannot read " << definition_path << "\n";
    return 2;
  }
  if (!read_whole_file(history_path, history_text)) {
    std::cerr << "stepwise view: cannot read " << history_path << "\n";
    return 2;
  }
  ParseResult parsed = parse_state_machine(definition_text);
  if (!parsed.ok()) {
    for (const Diagnostic& d : parsed.diagnostics()) {
      std::cerr << definition_path << ":" << d.pointer << ": " << diagnostic_code_name(d.code)
                << ": " << d.message << "\n";
    }
    return 2;
  }
  nlohmann::json history;
  try {
    history = nlohmann::json::parse(history_text);
  } catch (const nlohmann::json::exception& e) {
    std::cerr << "stepwise view: " << history_path << " is not JSON: " << e.what() << "\n";
    return 2;
  }
  options.title = title.empty() ? "Execution: " + history_path : title;
  return write_view_page_with(*parsed.machine(), history, out_path, options,
                              "stepwise view: " + history_path, std::cerr);
}

}  // namespace stepwise::tools
