// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The `stepwise` command-line tool (DESIGN.md section 10), built on the public API only:
//   stepwise validate FILE...         diagnostics as FILE:POINTER: CODE: message
//   stepwise run FILE [options]       runs a definition, prints the result as JSON
//   stepwise test DIR...              runs conformance case folders
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "asl_suite.h"
#include "cli_files.h"
#include "durable_cmd.h"
#include "jsonata_suite.h"
#include "process_tasks.h"
#include "progress.h"
#include "serve_cmd.h"
#include "stepwise/jsonata.h"
#include "stepwise/stepwise.h"
#include "stepwise/tools.h"
#include "view_commands.h"

// test_state_cmd.cc
int cmd_test_state(int argc, char** argv);
int cmd_schedule(int argc, char** argv);  // schedule_cmd.cc
std::shared_ptr<stepwise::TaskExecutor> mock_executor_for_run(
    std::string mock_file, const std::string& test_case, std::string& state_machine,
    const std::string& definition_file, std::shared_ptr<stepwise::TaskExecutor> fallback);

namespace {

using nlohmann::json;
using stepwise::tools::read_inline_or_file;
using stepwise::tools::read_whole_file;
namespace fs = std::filesystem;

constexpr const char* kUsage =
    R"(stepwise: run Amazon States Language (AWS Step Functions) workflows in-process.

Usage:
  stepwise validate FILE...        Check definitions; prints FILE:POINTER: CODE: message per
                                   problem. Exit 0 when all are valid, 1 otherwise.
  stepwise run FILE [options]      Run a definition and print {"status":...,"output":...}.
                                   Exit 0 on success, 1 on a failed execution, 2 on a bad
                                   definition or usage.
  stepwise test DIR... [--json F]  Run conformance case folders: ASL executions (layout of
                                   ../shared/conformance/asl) or a JSONata test suite (layout
                                   of ../shared/conformance/jsonata); prints failures,
                                   per-group totals and "N passed, N failed, N skipped".
  stepwise executions --checkpoint-db DB
                                   List checkpointed executions: status, times, state.
  stepwise test-state --definition FILE [options]
                                   Run one state in isolation, as AWS's TestState API does.
  stepwise jsonata EXPR [--input FILE|--data JSON]
                                   Evaluate one JSONata expression and print the result.
  stepwise graph FILE [--format dot|mermaid]
                                   Draw a definition as Graphviz DOT or a Mermaid flowchart.
  stepwise view HISTORY --definition FILE -o PAGE.html
                                   Render an execution's history (run --history) as one
                                   self-contained HTML page: the path taken, each state's
                                   input and output, a timeline. (Or: run ... --view PAGE.)
  stepwise serve [--port N] [--store sqlite:PATH] [options]
                                   Serve the AWS Step Functions API over HTTP for boto3, the
                                   AWS SDKs and the AWS CLI, with a web console.
  stepwise help COMMAND            Help for one command.

Run `stepwise COMMAND --help` for a command's options.
)";

constexpr const char* kValidateUsage = R"(Usage: stepwise validate [--express] [--warnings] FILE...

Loads each ASL definition, validates it as AWS does, and prints one line per problem:
  FILE:POINTER: CODE: message
POINTER is an RFC 6901 JSON pointer into the file (empty for whole-document problems); CODE is
AWS's diagnostic code (SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, ...).

Options:
  --express    validate as an EXPRESS state machine (no .sync, .waitForTaskToken, activities)
  --warnings   also print warnings (NO_DOLLAR, PASS_RESULT_IS_STATIC)
Exit status: 0 when every file is valid, 1 otherwise, 2 on usage errors.
)";

constexpr const char* kRunUsage =
    R"(Usage: stepwise run FILE [--input JSON|@FILE] [--name NAME] [--express]
                    [--virtual-time] [--history FILE] [--view PAGE.html]
                    [--task RESOURCE=COMMAND]... [--task-concurrency N]
                    [--kill-grace SECONDS] [--bucket NAME=DIR]...
                    [--mock-config FILE --test-case NAME [--state-machine NAME]]
                    [--checkpoint-db DB [--resume NAME | --redrive NAME]]

Runs the definition in FILE to its end and prints one JSON object:
  {"status":"SUCCEEDED","output":...} or {"status":"FAILED","error":...,"cause":...}
(also TIMED_OUT and ABORTED).

Options:
  --input JSON|@FILE     execution input (default {})
  --name NAME            execution name
  --express              run as an EXPRESS execution
  --virtual-time         jump the clock instead of sleeping (Wait states finish at once)
  --history FILE         write the execution history as AWS's GetExecutionHistory JSON
  --view PAGE.html       write the execution as a self-contained HTML page (see
                         `stepwise view --help`)
  --task R=COMMAND       serve Task states whose Resource (or state name) is R with COMMAND,
                         run by /bin/sh -c in a process group of its own: the task input
                         arrives on stdin, the result is the JSON on stdout; a non-zero exit
                         fails the task (stderr may hold {"Error","Cause"}); a stderr line
                         {"Heartbeat":true} is a heartbeat. Commands run concurrently (Map,
                         Parallel); TimeoutSeconds kills them (SIGTERM, then SIGKILL), also
                         with --virtual-time, where time runs as on the wall clock while a
                         command runs. COMMAND "echo" returns the task input, in-process.
                         R "*" matches all. See docs/process.md.
  --task-concurrency N   run at most N commands at once; others wait their turn (default 8)
  --kill-grace SECONDS   from SIGTERM to SIGKILL when a command is cancelled (default 2)
  --mock-config FILE     a Step Functions Local mock file (default: $SFN_MOCK_CONFIG); the Task
  --test-case NAME       states the test case names get its mocked responses, the others
                         go to --task
  --state-machine NAME   the state machine in the mock file (default: FILE's stem, or the
                         only one)
  --bucket NAME=DIR      serve S3 bucket NAME from directory DIR (Distributed Map ItemReader
                         s3:getObject / s3:listObjectsV2 and ResultWriter s3:putObject)
  --checkpoint-db DB     checkpoint the (STANDARD) execution to the SQLite file DB after every
                         step, so that it can be resumed after a crash; use with --name
  --resume NAME          continue execution NAME from its last checkpoint in DB (FILE is
                         optional: the stored definition is used; if given, it must match)
  --redrive NAME         redrive the FAILED, ABORTED or TIMED_OUT execution NAME in DB from the
                         states that did not succeed
On a terminal, stderr shows progress (states entered, Map items done, elapsed time).
Exit status: 0 on success, 1 on a failed execution, 2 on a bad definition or usage.
)";

constexpr const char* kTestUsage = R"(Usage: stepwise test DIR... [--json FILE] [--write-history]

Runs conformance cases. A DIR holding groups/ and datasets/ is a JSONata test suite (the
jsonata-js case format: expr, data or dataset, bindings, result/undefinedResult/code). Any other
DIR is searched for ASL case folders (definition.json, input.json, expected.json, meta.json,
optional task_mocks.json and history.json), run on a virtual clock and compared with the
recording (see tests/cases/README.md).
Prints one line per failing case, per-group totals and "N passed, N failed, N skipped".
  --json FILE        write per-case ASL results as JSON
  --write-history    write history.json for ASL cases that have none (review it before use)
Exit status: 0 when no case failed, 1 otherwise.
)";

constexpr const char* kJsonataUsage = R"(Usage: stepwise jsonata EXPR [--input FILE | --data JSON]

Evaluates the JSONata expression EXPR against the JSON in FILE (or the JSON text given with
--data; default: no input, i.e. undefined) and prints the result as JSON, "undefined", or the
error with its code and position.
Exit status: 0 on a result (undefined included), 1 on an error, 2 on usage errors.
)";

bool wants_help(int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) return true;
  }
  return false;
}

int cmd_validate(int argc, char** argv) {
  if (wants_help(argc, argv)) {
    std::cout << kValidateUsage;
    return 0;
  }
  stepwise::ParseOptions options;
  std::vector<std::string> files;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--express") {
      options.express = true;
    } else if (a == "--warnings") {
      options.warnings = true;
    } else if (a.rfind("--", 0) == 0) {
      std::cerr << "stepwise validate: unknown option " << a << "\n" << kValidateUsage;
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::cerr << kValidateUsage;
    return 2;
  }
  bool all_ok = true;
  for (const std::string& f : files) {
    std::string text;
    if (!read_whole_file(f, text)) {
      std::cout << f << ":: IO_ERROR: cannot read the file\n";
      all_ok = false;
      continue;
    }
    stepwise::ParseResult parsed = stepwise::parse_state_machine(text, options);
    for (const stepwise::Diagnostic& d : parsed.diagnostics()) {
      std::cout << f << ":" << d.pointer << ": " << stepwise::diagnostic_code_name(d.code) << ": "
                << d.message << "\n";
    }
    if (!parsed.ok()) all_ok = false;
  }
  return all_ok ? 0 : 1;
}

// Parses an execution input, refusing nesting deeper than the engine accepts
// (`EngineOptions::max_payload_depth`): nlohmann's parser is iterative, but a value nested
// 100,000 deep would overflow the stack wherever it is later copied or written.
json parse_payload(const std::string& text) {
  const std::size_t max_depth = stepwise::EngineOptions().max_payload_depth;
  return json::parse(text, [max_depth](int depth, json::parse_event_t event, json&) {
    bool opens =
        event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (opens && static_cast<std::size_t>(depth) >= max_depth) {
      throw std::length_error("nested deeper than the maximum of " + std::to_string(max_depth) +
                              " levels");
    }
    return true;
  });
}

// The options of `stepwise run`.
struct RunArgs {
  std::shared_ptr<stepwise::LocalObjectStore> buckets;
  std::string file, input_arg = "{}", name, history_file, view_file, checkpoint_db, resume_name,
                    redrive_name, mock_config, test_case, state_machine;
  bool express = false, virtual_time = false;
  std::vector<std::pair<std::string, std::string>> routes;
  stepwise::ProcessExecutorOptions processes;  // --task-concurrency, --kill-grace

  bool continuing() const { return !resume_name.empty() || !redrive_name.empty(); }
};

// Adds a `--bucket NAME=DIR` to `args`; false (after saying why) when it is malformed.
bool add_bucket_arg(const std::string& b, RunArgs& args) {
  auto eq = b.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == b.size()) {
    std::cerr << "stepwise run: --bucket needs NAME=DIR\n";
    return false;
  }
  if (!args.buckets) args.buckets = std::make_shared<stepwise::LocalObjectStore>();
  args.buckets->add_bucket(b.substr(0, eq), b.substr(eq + 1));
  return true;
}

// Adds a `--task RESOURCE=COMMAND` to `args`; false (after saying why) when it is malformed.
bool add_task_arg(const std::string& t, RunArgs& args) {
  auto eq = t.find('=');
  if (eq == std::string::npos) {
    std::cerr << "stepwise run: --task needs RESOURCE=COMMAND\n";
    return false;
  }
  args.routes.emplace_back(t.substr(0, eq), t.substr(eq + 1));
  return true;
}

// Reads `--task-concurrency N` or `--kill-grace SECONDS` into `args`; false (after saying
// why) when the value is not a number in range.
bool add_process_arg(const std::string& option, const std::string& value, RunArgs& args) {
  double v = -1;
  try {
    std::size_t used = 0;
    v = std::stod(value, &used);
    if (used != value.size()) v = -1;
  } catch (const std::exception&) {
  }
  if (option == "--task-concurrency" && v >= 1 && v <= 4096 && v == static_cast<int>(v)) {
    args.processes.max_concurrency = static_cast<std::size_t>(v);
    return true;
  }
  if (option == "--kill-grace" && v >= 0 && v <= 3600) {
    args.processes.kill_grace = std::chrono::milliseconds(static_cast<std::int64_t>(v * 1000));
    return true;
  }
  std::cerr << "stepwise run: " << option << " needs "
            << (option == "--kill-grace" ? "a number of seconds from 0 to 3600\n"
                                         : "a whole number from 1 to 4096\n");
  return false;
}

// The string option `a` names (--input, --name, ...), or nullptr for the others.
std::string* run_string_option(const std::string& a, RunArgs& args) {
  if (a == "--input") return &args.input_arg;
  if (a == "--name") return &args.name;
  if (a == "--history") return &args.history_file;
  if (a == "--checkpoint-db") return &args.checkpoint_db;
  if (a == "--resume") return &args.resume_name;
  if (a == "--redrive") return &args.redrive_name;
  if (a == "--view") return &args.view_file;
  if (a == "--mock-config") return &args.mock_config;
  if (a == "--test-case") return &args.test_case;
  if (a == "--state-machine") return &args.state_machine;
  return nullptr;
}

// Reads the command line of `stepwise run` into `args`. Returns the exit status to stop with
// (after printing why) on a usage error, nullopt to go on.
std::optional<int> parse_run_args(int argc, char** argv, RunArgs& args) {
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    std::string* target = run_string_option(a, args);
    bool process_option = a == "--task-concurrency" || a == "--kill-grace";
    if (target != nullptr || a == "--bucket" || a == "--task" || process_option) {
      if (i + 1 >= argc) {
        std::cerr << "stepwise run: " << a << " needs a value\n";
        return 2;
      }
      const char* v = argv[++i];
      if (target != nullptr) {
        *target = v;
      } else if (process_option) {
        if (!add_process_arg(a, v, args)) return 2;
      } else if (!(a == "--bucket" ? add_bucket_arg(v, args) : add_task_arg(v, args))) {
        return 2;
      }
    } else if (a == "--express") {
      args.express = true;
    } else if (a == "--virtual-time") {
      args.virtual_time = true;
    } else if (a.rfind("--", 0) == 0) {
      std::cerr << "stepwise run: unknown option " << a << "\n" << kRunUsage;
      return 2;
    } else if (args.file.empty()) {
      args.file = a;
    } else {
      std::cerr << "stepwise run: one definition file only\n";
      return 2;
    }
  }
  if ((args.file.empty() && !args.continuing()) ||
      (!args.resume_name.empty() && !args.redrive_name.empty())) {
    std::cerr << kRunUsage;
    return 2;
  }
  if (args.continuing() && args.checkpoint_db.empty()) {
    std::cerr << "stepwise run: --resume and --redrive need --checkpoint-db\n";
    return 2;
  }
  return std::nullopt;
}

// Parses the definition FILE (an empty result when there is none, as with --resume); false
// after printing its diagnostics when it cannot be read or is invalid.
bool load_run_definition(const RunArgs& args, stepwise::ParseResult& parsed) {
  if (args.file.empty()) {
    parsed = stepwise::ParseResult(nullptr, {});
    return true;
  }
  std::string text;
  if (!read_whole_file(args.file, text)) {
    std::cerr << "stepwise run: cannot read " << args.file << "\n";
    return false;
  }
  stepwise::ParseOptions popts;
  popts.express = args.express;
  parsed = stepwise::parse_state_machine(text, popts);
  if (!parsed.ok()) {
    for (const auto& d : parsed.diagnostics()) {
      std::cerr << args.file << ":" << d.pointer << ": " << stepwise::diagnostic_code_name(d.code)
                << ": " << d.message << "\n";
    }
    return false;
  }
  return true;
}

// The execution input of `--input JSON|@FILE`; false after printing why it is unusable.
bool read_run_input(const std::string& input_arg, json& input) {
  try {
    std::string text;
    if (!read_inline_or_file(input_arg, text)) {
      std::cerr << "stepwise run: cannot read " << input_arg.substr(1) << "\n";
      return false;
    }
    input = parse_payload(text);
  } catch (const std::length_error& e) {
    std::cerr << "stepwise run: the input is " << e.what() << "\n";
    return false;
  } catch (const std::exception& e) {
    std::cerr << "stepwise run: the input is not JSON: " << e.what() << "\n";
    return false;
  }
  return true;
}

// The engine's options for `args`: executors, mocks, object store, clock and checkpoint
// store. Names the execution when it is checkpointed without a name. False after printing why.
bool make_run_engine_options(RunArgs& args, stepwise::EngineOptions& eopts) {
  eopts.object_store = args.buckets;
  if (args.virtual_time) eopts.clock = std::make_shared<stepwise::ManualClock>();
  eopts.task_executor = stepwise_cli::make_command_executor(std::move(args.routes), args.processes);
  if (!args.mock_config.empty() || !args.test_case.empty()) {
    eopts.task_executor =
        mock_executor_for_run(args.mock_config, args.test_case, args.state_machine, args.file,
                              std::move(eopts.task_executor));
    if (!eopts.task_executor) return false;
  }
  if (!args.checkpoint_db.empty()) {
    std::string error;
    eopts.checkpoint_store = stepwise_cli::open_checkpoint_db(args.checkpoint_db, error);
    if (!eopts.checkpoint_store) {
      std::cerr << "stepwise run: " << args.checkpoint_db << ": " << error << "\n";
      return false;
    }
    if (args.name.empty() && !args.continuing() && !args.express) {
      args.name = "run-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
      std::cerr << "stepwise run: execution name " << args.name << "\n";
    }
  }
  return true;
}

// Writes --history and --view of a finished execution; returns a non-zero exit status when
// the page cannot be written.
int write_run_outputs(const RunArgs& args, stepwise::Engine& engine, stepwise::ExecutionId id,
                      const stepwise::ParseResult& parsed) {
  if (!args.history_file.empty()) {
    auto hist = engine.history(id);
    std::ofstream(args.history_file) << stepwise::history_to_json(**hist).dump(2) << "\n";
  }
  if (!args.view_file.empty()) {
    auto hist = engine.history(id);
    return stepwise::tools::write_view_page(*parsed.machine(), stepwise::history_to_json(**hist),
                                            args.view_file, "Execution of " + args.file,
                                            "stepwise run", std::cerr);
  }
  return 0;
}

int cmd_run(int argc, char** argv) {
  if (wants_help(argc, argv)) {
    std::cout << kRunUsage;
    return 0;
  }
  RunArgs args;
  if (std::optional<int> stop = parse_run_args(argc, argv, args)) return *stop;
  stepwise::ParseResult parsed(nullptr, {});
  if (!load_run_definition(args, parsed)) return 2;
  json input;
  if (!read_run_input(args.input_arg, input)) return 2;
  stepwise::EngineOptions eopts;
  if (!make_run_engine_options(args, eopts)) return 2;
  auto progress = std::make_shared<stepwise::tools::ProgressLine>();
  if (progress->enabled()) {
    eopts.history_listeners.push_back(std::make_shared<stepwise::tools::RunProgress>(progress));
  }
  stepwise::Engine engine(std::move(eopts));
  stepwise::StartOptions sopts;
  if (!args.state_machine.empty()) sopts.state_machine_name = args.state_machine;
  sopts.name = args.name;
  sopts.express = args.express;
  auto id = !args.resume_name.empty()    ? engine.resume(args.resume_name, parsed.machine())
            : !args.redrive_name.empty() ? engine.redrive(args.redrive_name, parsed.machine())
                                         : engine.start(parsed.machine(), std::move(input), sopts);
  if (!id.ok()) {
    std::cerr << "stepwise run: " << id.status().to_string() << "\n";
    return 2;
  }
  auto result = engine.run(*id);
  progress->clear();
  if (!result.ok()) {
    std::cerr << "stepwise run: " << result.status().to_string() << "\n";
    return 2;
  }
  if (int rc = write_run_outputs(args, engine, *id, parsed); rc != 0) return rc;
  std::cout << result->to_json().dump() << "\n";
  return result->status == stepwise::ExecutionStatus::kSucceeded ? 0 : 1;
}

int cmd_test(int argc, char** argv) {
  if (wants_help(argc, argv)) {
    std::cout << kTestUsage;
    return 0;
  }
  std::vector<fs::path> dirs;
  std::string json_out;
  bool write_history = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json" && i + 1 < argc) {
      json_out = argv[++i];
    } else if (a == "--write-history") {
      write_history = true;
    } else if (a.rfind("--", 0) == 0) {
      std::cerr << "stepwise test: unknown option " << a << "\n" << kTestUsage;
      return 2;
    } else {
      dirs.emplace_back(a);
    }
  }
  if (dirs.empty()) {
    std::cerr << kTestUsage;
    return 2;
  }
  std::vector<fs::path> asl_dirs;
  int failures = 0;
  for (const fs::path& d : dirs) {
    if (fs::is_directory(d / "groups") && fs::is_directory(d / "datasets")) {
      failures += run_jsonata_suite(d.string(), std::cout);
    } else {
      asl_dirs.push_back(d);
    }
  }
  if (!asl_dirs.empty()) {
    stepwise::tools::ProgressLine progress;
    auto on_case = [&progress](std::size_t done, std::size_t total) {
      if (done == total) {
        progress.clear();
      } else if (progress.due()) {
        progress.update("testing: " + std::to_string(done) + "/" + std::to_string(total) +
                        " cases, " + progress.elapsed());
      }
    };
    auto results = stepwise::tools::run_asl_suite(
        asl_dirs, std::cout, json_out, /*include_test_state=*/true,
        progress.enabled() ? std::function<void(std::size_t, std::size_t)>(on_case) : nullptr,
        write_history);
    for (const auto& r : results) {
      if (r.outcome == stepwise::tools::CaseResult::Outcome::kFailed) ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

int cmd_jsonata(int argc, char** argv) {
  if (wants_help(argc, argv)) {
    std::cout << kJsonataUsage;
    return 0;
  }
  std::string expr, input_file, data;
  bool have_expr = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--input" && i + 1 < argc) {
      input_file = argv[++i];
    } else if (a == "--data" && i + 1 < argc) {
      data = argv[++i];
    } else if (!have_expr) {
      expr = a;
      have_expr = true;
    } else {
      std::cerr << "stepwise jsonata: unexpected argument " << a << "\n" << kJsonataUsage;
      return 2;
    }
  }
  if (!have_expr) {
    std::cerr << kJsonataUsage;
    return 2;
  }
  std::optional<json> input;
  try {
    if (!input_file.empty()) {
      std::string text;
      if (!read_whole_file(input_file, text)) {
        std::cerr << "stepwise jsonata: cannot read " << input_file << "\n";
        return 2;
      }
      input = json::parse(text);
    } else if (!data.empty()) {
      input = json::parse(data);
    }
  } catch (const std::exception& e) {
    std::cerr << "stepwise jsonata: the input is not JSON: " << e.what() << "\n";
    return 2;
  }
  stepwise::jsonata::CompileResult compiled = stepwise::jsonata::Expression::compile(expr);
  if (!compiled.ok()) {
    std::cout << "error " << compiled.error().to_string() << "\n";
    return 1;
  }
  stepwise::jsonata::Outcome r =
      compiled.expression().evaluate(input ? &*input : static_cast<const json*>(nullptr));
  if (r.is_error()) {
    std::cout << "error " << r.error().to_string() << "\n";
    return 1;
  }
  if (r.is_undefined()) {
    std::cout << "undefined\n";
  } else if (r.is_function()) {
    std::cout << "function\n";
  } else {
    std::cout << r.value().dump() << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  if (cmd == "help") {
    std::string sub = argc > 2 ? argv[2] : "";
    std::cout << (sub == "validate"     ? kValidateUsage
                  : sub == "run"        ? kRunUsage
                  : sub == "test"       ? kTestUsage
                  : sub == "jsonata"    ? kJsonataUsage
                  : sub == "executions" ? stepwise_cli::kExecutionsUsage
                  : sub == "graph"      ? stepwise::tools::kGraphUsage
                  : sub == "view"       ? stepwise::tools::kViewUsage
                  : sub == "serve"      ? stepwise_cli::kServeUsage
                                        : kUsage);
    return 0;
  }
  if (cmd == "validate") return cmd_validate(argc, argv);
  if (cmd == "run") return cmd_run(argc, argv);
  if (cmd == "test") return cmd_test(argc, argv);
  if (cmd == "jsonata") return cmd_jsonata(argc, argv);
  if (cmd == "executions") return stepwise_cli::cmd_executions(argc, argv);
  if (cmd == "graph") return stepwise::tools::graph_command(argc, argv);
  if (cmd == "view") return stepwise::tools::view_command(argc, argv);
  if (cmd == "test-state") return cmd_test_state(argc, argv);
  if (cmd == "serve") return stepwise_cli::cmd_serve(argc, argv);
  if (cmd == "schedule") return cmd_schedule(argc, argv);
  std::cerr << "stepwise: unknown command '" << cmd << "'\n" << kUsage;
  return 2;
}
