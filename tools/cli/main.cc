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
#include "durable_cmd.h"
#include "jsonata_suite.h"
#include "progress.h"
#include "stepwise/jsonata.h"
#include "stepwise/stepwise.h"
#include "view_commands.h"

// test_state_cmd.cc
int cmd_test_state(int argc, char** argv);
std::shared_ptr<stepwise::TaskExecutor> mock_executor_for_run(
    std::string mock_file, const std::string& test_case, std::string& state_machine,
    const std::string& definition_file, std::shared_ptr<stepwise::TaskExecutor> fallback);

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kUsage = R"(stepwise: run Amazon States Language (AWS Step Functions) workflows in-process.

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

constexpr const char* kRunUsage = R"(Usage: stepwise run FILE [--input JSON|@FILE] [--name NAME] [--express]
                    [--virtual-time] [--history FILE] [--view PAGE.html]
                    [--task RESOURCE=COMMAND]... [--bucket NAME=DIR]...
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
  --task R=COMMAND       serve Task states whose Resource (or state name) is R with COMMAND:
                         the task input arrives on stdin, the result is read from stdout; a
                         non-zero exit fails the task (stderr may hold {"Error","Cause"}).
                         COMMAND "echo" returns the task input, in-process. R "*" matches all.
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

constexpr const char* kTestUsage = R"(Usage: stepwise test DIR... [--json FILE]

Runs conformance cases. A DIR holding groups/ and datasets/ is a JSONata test suite (the
jsonata-js case format: expr, data or dataset, bindings, result/undefinedResult/code). Any other
DIR is searched for ASL case folders (definition.json, input.json, expected.json, meta.json,
optional task_mocks.json), run on a virtual clock and compared with the recording.
Prints one line per failing case, per-group totals and "N passed, N failed, N skipped".
  --json FILE   write per-case ASL results as JSON
Exit status: 0 when no case failed, 1 otherwise.
)";

constexpr const char* kJsonataUsage = R"(Usage: stepwise jsonata EXPR [--input FILE | --data JSON]

Evaluates the JSONata expression EXPR against the JSON in FILE (or the JSON text given with
--data; default: no input, i.e. undefined) and prints the result as JSON, "undefined", or the
error with its code and position.
Exit status: 0 on a result (undefined included), 1 on an error, 2 on usage errors.
)";

std::string read_text(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

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
    bool ok = false;
    std::string text = read_text(f, ok);
    if (!ok) {
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

// Runs a shell command as a task: input on stdin, result on stdout.
class CommandExecutor final : public stepwise::TaskExecutor {
 public:
  explicit CommandExecutor(std::vector<std::pair<std::string, std::string>> routes)
      : routes_(std::move(routes)) {}

  void start(const stepwise::TaskRequest& req, stepwise::TaskCompletion done) override {
    const std::string* command = nullptr;
    for (const auto& [key, cmd] : routes_) {
      if (key == req.resource || key == req.state_name || key == "*") {
        command = &cmd;
        break;
      }
    }
    if (command == nullptr) {
      done.fail("States.TaskFailed",
                "no --task is given for resource '" + std::string(req.resource) + "'");
      return;
    }
    if (*command == "echo") {
      done.succeed(*req.input);
      return;
    }
    char in_path[] = "/tmp/stepwise-task-inXXXXXX";
    char err_path[] = "/tmp/stepwise-task-errXXXXXX";
    int in_fd = mkstemp(in_path);
    int err_fd = mkstemp(err_path);
    if (in_fd < 0 || err_fd < 0) {
      done.fail("States.TaskFailed", "cannot create temporary files");
      return;
    }
    std::string payload = req.input->dump();
    bool written = write(in_fd, payload.data(), payload.size()) ==
                   static_cast<ssize_t>(payload.size());
    close(in_fd);
    close(err_fd);
    if (!written) {
      std::remove(in_path);
      std::remove(err_path);
      done.fail("States.TaskFailed", "cannot write the task input");
      return;
    }
    std::string full = "(" + *command + ") < " + in_path + " 2> " + err_path;
    FILE* pipe = popen(full.c_str(), "r");
    std::string out;
    if (pipe != nullptr) {
      char buf[4096];
      std::size_t n;
      while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    }
    int status = pipe != nullptr ? pclose(pipe) : -1;
    bool ok = false;
    std::string err = read_text(err_path, ok);
    std::remove(in_path);
    std::remove(err_path);
    if (status != 0) {
      try {
        json e = json::parse(err);
        done.fail(e.value("Error", "States.TaskFailed"), e.value("Cause", ""));
      } catch (...) {
        done.fail("States.TaskFailed", err.empty() ? "the command failed" : err);
      }
      return;
    }
    try {
      done.succeed(out.find_first_not_of(" \t\r\n") == std::string::npos ? json(nullptr)
                                                                           : json::parse(out));
    } catch (const std::exception& e) {
      done.fail("States.TaskFailed", std::string("the command's output is not JSON: ") + e.what());
    }
  }

 private:
  std::vector<std::pair<std::string, std::string>> routes_;
};

// Parses an execution input, refusing nesting deeper than the engine accepts
// (`EngineOptions::max_payload_depth`): nlohmann's parser is iterative, but a value nested
// 100,000 deep would overflow the stack wherever it is later copied or written.
json parse_payload(const std::string& text) {
  const std::size_t max_depth = stepwise::EngineOptions().max_payload_depth;
  return json::parse(text, [max_depth](int depth, json::parse_event_t event, json&) {
    bool opens = event == json::parse_event_t::object_start ||
                 event == json::parse_event_t::array_start;
    if (opens && static_cast<std::size_t>(depth) >= max_depth) {
      throw std::length_error("nested deeper than the maximum of " + std::to_string(max_depth) +
                              " levels");
    }
    return true;
  });
}

int cmd_run(int argc, char** argv) {
  if (wants_help(argc, argv)) {
    std::cout << kRunUsage;
    return 0;
  }
  std::shared_ptr<stepwise::LocalObjectStore> buckets;
  std::string file, input_arg = "{}", name, history_file, view_file, checkpoint_db,
      resume_name, redrive_name, mock_config, test_case, state_machine;
  bool express = false, virtual_time = false;
  std::vector<std::pair<std::string, std::string>> routes;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* opt) -> const char* {
      if (i + 1 >= argc) {
        std::cerr << "stepwise run: " << opt << " needs a value\n";
        return nullptr;
      }
      return argv[++i];
    };
    if (a == "--input") {
      const char* v = value("--input");
      if (v == nullptr) return 2;
      input_arg = v;
    } else if (a == "--name") {
      const char* v = value("--name");
      if (v == nullptr) return 2;
      name = v;
    } else if (a == "--history") {
      const char* v = value("--history");
      if (v == nullptr) return 2;
      history_file = v;
    } else if (a == "--checkpoint-db" || a == "--resume" || a == "--redrive") {
      const char* v = value(a.c_str());
      if (v == nullptr) return 2;
      (a == "--checkpoint-db" ? checkpoint_db : a == "--resume" ? resume_name : redrive_name) = v;
    } else if (a == "--bucket") {
      const char* v = value("--bucket");
      if (v == nullptr) return 2;
      std::string b = v;
      auto eq = b.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == b.size()) {
        std::cerr << "stepwise run: --bucket needs NAME=DIR\n";
        return 2;
      }
      if (!buckets) buckets = std::make_shared<stepwise::LocalObjectStore>();
      buckets->add_bucket(b.substr(0, eq), b.substr(eq + 1));
    } else if (a == "--view") {
      const char* v = value("--view");
      if (v == nullptr) return 2;
      view_file = v;
    } else if (a == "--task") {
      const char* v = value("--task");
      if (v == nullptr) return 2;
      std::string t = v;
      auto eq = t.find('=');
      if (eq == std::string::npos) {
        std::cerr << "stepwise run: --task needs RESOURCE=COMMAND\n";
        return 2;
      }
      routes.emplace_back(t.substr(0, eq), t.substr(eq + 1));
    } else if (a == "--mock-config" || a == "--test-case" || a == "--state-machine") {
      const char* v = value(a.c_str());
      if (v == nullptr) return 2;
      (a == "--mock-config" ? mock_config : a == "--test-case" ? test_case : state_machine) = v;
    } else if (a == "--express") {
      express = true;
    } else if (a == "--virtual-time") {
      virtual_time = true;
    } else if (a.rfind("--", 0) == 0) {
      std::cerr << "stepwise run: unknown option " << a << "\n" << kRunUsage;
      return 2;
    } else if (file.empty()) {
      file = a;
    } else {
      std::cerr << "stepwise run: one definition file only\n";
      return 2;
    }
  }
  bool continuing = !resume_name.empty() || !redrive_name.empty();
  if ((file.empty() && !continuing) || (!resume_name.empty() && !redrive_name.empty())) {
    std::cerr << kRunUsage;
    return 2;
  }
  if (continuing && checkpoint_db.empty()) {
    std::cerr << "stepwise run: --resume and --redrive need --checkpoint-db\n";
    return 2;
  }
  bool ok = false;
  std::string text = file.empty() ? std::string("{}") : read_text(file, ok);
  if (!file.empty() && !ok) {
    std::cerr << "stepwise run: cannot read " << file << "\n";
    return 2;
  }
  stepwise::ParseOptions popts;
  popts.express = express;
  stepwise::ParseResult parsed = file.empty()
      ? stepwise::ParseResult(nullptr, {})
      : stepwise::parse_state_machine(text, popts);
  if (!file.empty() && !parsed.ok()) {
    for (const auto& d : parsed.diagnostics()) {
      std::cerr << file << ":" << d.pointer << ": " << stepwise::diagnostic_code_name(d.code)
                << ": " << d.message << "\n";
    }
    return 2;
  }
  json input;
  try {
    if (!input_arg.empty() && input_arg[0] == '@') {
      std::string in_text = read_text(input_arg.substr(1), ok);
      if (!ok) {
        std::cerr << "stepwise run: cannot read " << input_arg.substr(1) << "\n";
        return 2;
      }
      input = parse_payload(in_text);
    } else {
      input = parse_payload(input_arg);
    }
  } catch (const std::length_error& e) {
    std::cerr << "stepwise run: the input is " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "stepwise run: the input is not JSON: " << e.what() << "\n";
    return 2;
  }
  stepwise::EngineOptions eopts;
  eopts.object_store = buckets;
  if (virtual_time) eopts.clock = std::make_shared<stepwise::ManualClock>();
  eopts.task_executor = std::make_shared<CommandExecutor>(std::move(routes));
  if (!mock_config.empty() || !test_case.empty()) {
    eopts.task_executor = mock_executor_for_run(mock_config, test_case, state_machine, file,
                                                std::move(eopts.task_executor));
    if (!eopts.task_executor) return 2;
  }
  if (!checkpoint_db.empty()) {
    std::string error;
    eopts.checkpoint_store = stepwise_cli::open_checkpoint_db(checkpoint_db, error);
    if (!eopts.checkpoint_store) {
      std::cerr << "stepwise run: " << checkpoint_db << ": " << error << "\n";
      return 2;
    }
    if (name.empty() && !continuing && !express) {
      name = "run-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count());
      std::cerr << "stepwise run: execution name " << name << "\n";
    }
  }
  auto progress = std::make_shared<stepwise::tools::ProgressLine>();
  if (progress->enabled()) {
    eopts.history_listeners.push_back(std::make_shared<stepwise::tools::RunProgress>(progress));
  }
  stepwise::Engine engine(std::move(eopts));
  stepwise::StartOptions sopts;
  if (!state_machine.empty()) sopts.state_machine_name = state_machine;
  sopts.name = name;
  sopts.express = express;
  auto id = !resume_name.empty()    ? engine.resume(resume_name, parsed.machine())
            : !redrive_name.empty() ? engine.redrive(redrive_name, parsed.machine())
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
  if (!history_file.empty()) {
    auto hist = engine.history(*id);
    std::ofstream(history_file) << stepwise::history_to_json(**hist).dump(2) << "\n";
  }
  if (!view_file.empty()) {
    auto hist = engine.history(*id);
    int rc = stepwise::tools::write_view_page(*parsed.machine(), stepwise::history_to_json(**hist),
                                              view_file, "Execution of " + file, "stepwise run",
                                              std::cerr);
    if (rc != 0) return rc;
  }
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
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json" && i + 1 < argc) {
      json_out = argv[++i];
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
        progress.enabled() ? std::function<void(std::size_t, std::size_t)>(on_case) : nullptr);
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
      bool ok = false;
      std::string text = read_text(input_file, ok);
      if (!ok) {
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
    std::cout << (sub == "validate" ? kValidateUsage
                  : sub == "run"    ? kRunUsage
                  : sub == "test"   ? kTestUsage
                  : sub == "jsonata" ? kJsonataUsage
                  : sub == "executions" ? stepwise_cli::kExecutionsUsage
                  : sub == "graph"   ? stepwise::tools::kGraphUsage
                  : sub == "view"    ? stepwise::tools::kViewUsage
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
  std::cerr << "stepwise: unknown command '" << cmd << "'\n" << kUsage;
  return 2;
}
