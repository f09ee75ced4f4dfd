// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `stepwise test-state` (AWS's TestState API from the shell) and the mock-file options of
// `stepwise run` (--mock-config, --test-case, --state-machine).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cli_files.h"
#include "stepwise/mock_config.h"
#include "stepwise/stepwise.h"
#include "stepwise/test_state.h"

namespace {

using nlohmann::json;
using stepwise::tools::read_inline_or_file;

constexpr const char* kTestStateUsage =
    R"(Usage: stepwise test-state --definition FILE [--state NAME] [--input JSON|@FILE]
                          [--variables JSON|@FILE] [--context JSON|@FILE] [--mock JSON|@FILE]
                          [--inspection-level INFO|DEBUG|TRACE] [--role-arn ARN]
                          [--state-configuration JSON|@FILE] [--task R=echo]

Runs one state in isolation, as AWS Step Functions' TestState API does, and prints the
response: {"status":"SUCCEEDED|FAILED|CAUGHT_ERROR|RETRIABLE","output":...,"error":...,
"cause":...,"nextState":...,"inspectionData":{...}}.

  --definition FILE       a single state, or a whole state machine (then give --state)
  --state NAME            the state to test in a state machine
  --input JSON|@FILE      the state's input (default {})
  --variables JSON        variables visible to the state, e.g. '{"limit": 10}'
  --context JSON          the context object ($$), used as given
  --mock JSON             the state's mocked work: {"result": ...} or
                          {"errorOutput": {"error": "...", "cause": "..."}}
  --inspection-level L    INFO (default), DEBUG or TRACE (DEBUG and TRACE add inspectionData)
  --state-configuration J {"retrierRetryCount", "errorCausedByState",
                          "mapIterationFailureCount", "mapItemReaderData"}
  --task R=echo           serve unmocked Task states (resource or state name R, "*" = all)
                          by returning their input
Exit status: 0 when the state SUCCEEDED or CAUGHT_ERROR, 1 when it FAILED or is RETRIABLE,
2 on a bad definition or usage.
)";

// A JSON option value: JSON text or @FILE.
bool json_arg(const char* option, const std::string& arg, json& out) {
  std::string text;
  if (!read_inline_or_file(arg, text)) {
    std::cerr << "stepwise test-state: cannot read " << arg.substr(1) << "\n";
    return false;
  }
  try {
    out = json::parse(text);
  } catch (const std::exception& e) {
    std::cerr << "stepwise test-state: " << option << " is not JSON: " << e.what() << "\n";
    return false;
  }
  return true;
}

class EchoExecutor final : public stepwise::TaskExecutor {
 public:
  explicit EchoExecutor(std::string route) : route_(std::move(route)) {}
  void start(const stepwise::TaskRequest& req, stepwise::TaskCompletion done) override {
    if (route_ == "*" || route_ == req.resource || route_ == req.state_name) {
      done.succeed(*req.input);
    } else {
      done.fail("States.TaskFailed",
                "no --task is given for resource '" + std::string(req.resource) + "'");
    }
  }

 private:
  std::string route_;
};

}  // namespace

int cmd_test_state(int argc, char** argv) {
  json request = json::object();
  std::string definition_file;
  std::string task_route;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kTestStateUsage;
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "stepwise test-state: " << a << " needs a value\n" << kTestStateUsage;
      return 2;
    }
    std::string v = argv[++i];
    json value;
    if (a == "--definition") {
      definition_file = v;
    } else if (a == "--state") {
      request["stateName"] = v;
    } else if (a == "--inspection-level") {
      request["inspectionLevel"] = v;
    } else if (a == "--role-arn") {
      request["roleArn"] = v;
    } else if (a == "--task") {
      auto eq = v.find('=');
      if (eq == std::string::npos || v.substr(eq + 1) != "echo") {
        std::cerr << "stepwise test-state: --task takes RESOURCE=echo\n";
        return 2;
      }
      task_route = v.substr(0, eq);
    } else if (a == "--input" || a == "--variables" || a == "--context" || a == "--mock" ||
               a == "--state-configuration") {
      if (!json_arg(a.c_str(), v, value)) return 2;
      std::string key = a == "--state-configuration" ? "stateConfiguration" : a.substr(2);
      request[key] = std::move(value);
    } else {
      std::cerr << "stepwise test-state: unknown option " << a << "\n" << kTestStateUsage;
      return 2;
    }
  }
  if (definition_file.empty()) {
    std::cerr << "stepwise test-state: --definition is required\n" << kTestStateUsage;
    return 2;
  }
  json definition;
  if (!json_arg("--definition", "@" + definition_file, definition)) return 2;
  request["definition"] = std::move(definition);
  stepwise::Result<stepwise::TestStateRequest> req = stepwise::TestStateRequest::from_json(request);
  if (!req.ok()) {
    std::cerr << "stepwise test-state: " << req.status().message() << "\n";
    return 2;
  }
  stepwise::TestStateOptions options;
  if (!task_route.empty()) options.task_executor = std::make_shared<EchoExecutor>(task_route);
  stepwise::Result<stepwise::TestStateResponse> res = stepwise::test_state(*req, options);
  if (!res.ok()) {
    std::cerr << "stepwise test-state: " << res.status().message() << "\n";
    return 2;
  }
  std::cout << res->to_json().dump() << "\n";
  return res->status == stepwise::TestStateStatus::kSucceeded ||
                 res->status == stepwise::TestStateStatus::kCaughtError
             ? 0
             : 1;
}

// The executor for `stepwise run --mock-config FILE --test-case NAME [--state-machine NAME]`:
// the test case's mocked Task states, and `fallback` for the others. The mock file defaults to
// $SFN_MOCK_CONFIG (as Step Functions Local reads it), the state machine name to the
// definition file's stem or the only machine in the file. Prints the problem and returns null
// on error; `state_machine` receives the name used.
std::shared_ptr<stepwise::TaskExecutor> mock_executor_for_run(
    std::string mock_file, const std::string& test_case, std::string& state_machine,
    const std::string& definition_file, std::shared_ptr<stepwise::TaskExecutor> fallback) {
  if (mock_file.empty()) {
    const char* env = std::getenv("SFN_MOCK_CONFIG");
    if (env != nullptr) mock_file = env;
  }
  if (mock_file.empty()) {
    std::cerr << "stepwise run: --test-case needs --mock-config FILE (or SFN_MOCK_CONFIG)\n";
    return nullptr;
  }
  if (test_case.empty()) {
    std::cerr << "stepwise run: --mock-config needs --test-case NAME\n";
    return nullptr;
  }
  stepwise::Result<stepwise::MockConfig> config = stepwise::MockConfig::load(mock_file);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return nullptr;
  }
  if (state_machine.empty()) {
    std::vector<std::string> machines = config->state_machines();
    std::string stem = std::filesystem::path(definition_file).stem().string();
    // "etl.asl.json" → "etl"
    auto dot = stem.find('.');
    std::string short_stem = dot == std::string::npos ? stem : stem.substr(0, dot);
    for (const std::string& m : machines) {
      if (m == stem || m == short_stem) state_machine = m;
    }
    if (state_machine.empty() && machines.size() == 1) state_machine = machines[0];
    if (state_machine.empty()) {
      std::cerr << "stepwise run: " << mock_file << ": no state machine named \"" << short_stem
                << "\"; choose one with --state-machine\n";
      return nullptr;
    }
  }
  auto exec = config->executor(state_machine, test_case, std::move(fallback));
  if (!exec.ok()) {
    std::cerr << mock_file << ":" << exec.status().message() << "\n";
    return nullptr;
  }
  return *exec;
}
