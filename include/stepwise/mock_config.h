// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Mock configuration files in the format of AWS Step Functions Local (`MockConfigFile.json`;
// docs/guide.md section 11.1), part of stepwise::tools: test cases that replace chosen Task states
// with scripted responses, so a workflow is tested without writing an executor.
//
//   {"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<Task state>": "<response>"}}}},
//    "MockedResponses": {"<response>": {"0": {"Return": ...},
//                                       "1-2": {"Throw": {"Error": "...", "Cause": "..."}}}}}
//
// Responses are keyed by invocation number (zero-based) or by an inclusive range. Invocations
// are counted per state name per execution, at any depth (inside Map iterations and Parallel
// branches), and retries count, as on AWS. An invocation with no response fails the execution
// with States.Runtime. A Task state the test case does not name calls the fallback executor
// (the "hybrid" case). `.waitForTaskToken` tasks complete at once with their mocked response
// (the task token is still generated).
#ifndef STEPWISE_MOCK_CONFIG_H_
#define STEPWISE_MOCK_CONFIG_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/export.h"
#include "stepwise/status.h"
#include "stepwise/task_executor.h"

namespace stepwise {

// One entry of a mocked response: invocations `first`..`last` (inclusive) return `value` or
// throw `error`/`cause`.
struct MockedResponseEntry {
  std::int64_t first = 0;
  std::int64_t last = 0;
  bool is_throw = false;
  nlohmann::json value;  // "Return" (when !is_throw)
  std::string error;     // "Throw"."Error"
  std::string cause;     // "Throw"."Cause"
};

// A parsed mock configuration. Value type: immutable after `parse`/`load`; safe to use from
// any number of threads.
//
//   Result<MockConfig> config = MockConfig::load("MockConfigFile.json");
//   if (!config.ok()) { std::cerr << config.status().to_string(); return; }
//   Result<std::shared_ptr<TaskExecutor>> mocks =
//       config->executor("LambdaSQSIntegration", "RetryPath", real_executor);
//   options.task_executor = *mocks;
class STEPWISE_EXPORT MockConfig {
 public:
  // Checks and reads a mock configuration document. Fails with kInvalidArgument naming every
  // problem, one per line, each as "<JSON pointer>: <message>" (e.g.
  // "/MockedResponses/MockedLambdaRetry/1-2/Throw: \"Cause\" is required").
  static Result<MockConfig> parse(const nlohmann::json& document);
  // Parses JSON text, then as `parse`. A JSON syntax error is reported with its byte offset.
  static Result<MockConfig> parse_text(std::string_view text);
  // Reads and parses a file: kNotFound when it cannot be read, else as `parse_text` (messages
  // start with the path).
  static Result<MockConfig> load(const std::filesystem::path& path);

  // The state machine names, sorted.
  std::vector<std::string> state_machines() const;
  // The test case names of `state_machine`, sorted (empty when unknown).
  std::vector<std::string> test_cases(std::string_view state_machine) const;
  // The mocked state → response name map of a test case; kNotFound for an unknown state
  // machine or test case.
  Result<std::map<std::string, std::string>> test_case(std::string_view state_machine,
                                                       std::string_view test_case) const;
  // The entries of a mocked response, sorted by `first`; null when unknown.
  const std::vector<MockedResponseEntry>* response(std::string_view name) const;

  // An executor that serves the Task states named by the test case from their mocked
  // responses and sends every other task to `fallback` (may be null: such tasks then fail
  // with States.TaskFailed). Fails with kNotFound for an unknown state machine or test case.
  Result<std::shared_ptr<TaskExecutor>> executor(std::string_view state_machine,
                                                 std::string_view test_case,
                                                 std::shared_ptr<TaskExecutor> fallback) const;

 private:
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>, std::less<>>
      machines_;  // machine → test case → state → response name
  std::map<std::string, std::vector<MockedResponseEntry>, std::less<>> responses_;
};

// The executor made by `MockConfig::executor`. Counts invocations per (execution name, state
// name); `invocations` reads a count and `reset` forgets all counts (before reusing execution
// names). Thread-safe: all methods may be called concurrently.
class STEPWISE_EXPORT MockTaskExecutor final : public TaskExecutor {
 public:
  MockTaskExecutor(std::string test_case,
                   std::map<std::string, std::vector<MockedResponseEntry>> mocked_states,
                   std::shared_ptr<TaskExecutor> fallback);
  ~MockTaskExecutor() override;

  void start(const TaskRequest& request, TaskCompletion completion) override;
  void cancel(std::string_view task_token) override;

  // How many times the mocked state `state_name` was invoked in execution `execution_name`.
  std::int64_t invocations(std::string_view execution_name, std::string_view state_name) const;
  void reset();

 private:
  std::string test_case_;
  std::map<std::string, std::vector<MockedResponseEntry>, std::less<>> states_;
  std::shared_ptr<TaskExecutor> fallback_;
  struct Counts;  // invocations per (execution, state) behind a mutex (mock_config.cc)
  std::unique_ptr<Counts> counts_;
};

}  // namespace stepwise

#endif  // STEPWISE_MOCK_CONFIG_H_
