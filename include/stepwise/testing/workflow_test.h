// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `WorkflowTest`: a GoogleTest fixture that runs workflows on virtual time, with a scripted
// executor and optional Step Functions Local mock files. Part of `stepwise::testing` (link
// `stepwise::testing`; it brings GoogleTest and gMock).
//
//   class EtlTest : public stepwise::testing::WorkflowTest {};
//
//   TEST_F(EtlTest, RetriesTheWarehouseLoad) {
//     auto machine = load_file("etl.asl.json");
//     tasks().fail_then_succeed("Load", 2, "Warehouse.Busy", "locked", {{"rows", 10}});
//     ExecutionResult r = run(machine, {{"batch", 1}});
//     EXPECT_THAT(r, Succeeded());
//     EXPECT_THAT(history(), StateEnteredTimes("Load", 1));
//     EXPECT_EQ(tasks().calls_to("Load").size(), 3u);
//   }
#ifndef STEPWISE_TESTING_WORKFLOW_TEST_H_
#define STEPWISE_TESTING_WORKFLOW_TEST_H_

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "stepwise/clock.h"
#include "stepwise/engine.h"
#include "stepwise/history.h"
#include "stepwise/mock_config.h"
#include "stepwise/state_machine.h"
#include "stepwise/testing/matchers.h"
#include "stepwise/testing/scripted_executor.h"

namespace stepwise::testing {

// The fixture. The engine is built on first use from `options()`, with a `ManualClock`
// (2024-01-01T00:00:00Z) and the scripted executor `tasks()` unless the test chose another
// executor (`use_executor`, `use_mock_config`). Not thread-safe: use from the test's thread.
class WorkflowTest : public ::testing::Test {
 protected:
  WorkflowTest();
  ~WorkflowTest() override;

  // The virtual clock.
  ManualClock& clock() { return *clock_; }
  const std::shared_ptr<ManualClock>& clock_ptr() const { return clock_; }
  // The scripted executor (the engine's executor, or the fallback of a mock file).
  ScriptedExecutor& tasks() { return *tasks_; }
  const std::shared_ptr<ScriptedExecutor>& tasks_ptr() const { return tasks_; }
  // Engine options, editable until `engine()` is first called.
  EngineOptions& options() { return options_; }
  // The engine (built on first use).
  Engine& engine();

  // Serves tasks with `executor` instead of `tasks()`. REQUIRES: before `engine()`.
  void use_executor(std::shared_ptr<TaskExecutor> executor);
  // Serves the Task states that `test_case` of `state_machine` names from the mock file, and
  // every other task with `tasks()` (the hybrid case). Records a test failure (with the
  // problem and its pointer) when the file or names are bad. REQUIRES: before `engine()`.
  void use_mock_config(const std::filesystem::path& path, const std::string& state_machine,
                       const std::string& test_case);
  // The same with the mock configuration given as a JSON document.
  void use_mock_document(const nlohmann::json& document, const std::string& state_machine,
                         const std::string& test_case);
  // The executor made by `use_mock_config` (invocation counts), or null.
  MockTaskExecutor* mocks() { return mocks_.get(); }

  // Loads a definition; records a test failure listing the diagnostics and returns null when
  // it does not load.
  std::shared_ptr<const StateMachine> load(std::string_view definition);
  std::shared_ptr<const StateMachine> load_file(const std::filesystem::path& path);

  // Starts an execution and runs it to its end on virtual time: Wait states, retry backoff,
  // timeouts and `ScriptedExecutor::after` delays take no real time. A task that never
  // completes (scripted `never()`, no timeout) records a test failure and returns a RUNNING
  // result. Keeps the history for `history()`.
  ExecutionResult run(const std::shared_ptr<const StateMachine>& machine,
                      nlohmann::json input = nlohmann::json::object(), StartOptions start = {});
  // Runs an execution started with `engine().start(...)` to its end, as `run` does.
  ExecutionResult run_to_end(ExecutionId id);
  // The history of the last execution `run`.
  const History& history() const { return history_; }
  // The id of the last execution `run`.
  ExecutionId last_execution() const { return last_id_; }

 private:
  std::shared_ptr<ManualClock> clock_;
  std::shared_ptr<ScriptedExecutor> tasks_;
  std::shared_ptr<MockTaskExecutor> mocks_;
  std::shared_ptr<TaskExecutor> executor_;
  EngineOptions options_;
  std::unique_ptr<Engine> engine_;
  History history_;
  ExecutionId last_id_ = 0;
};

}  // namespace stepwise::testing

#endif  // STEPWISE_TESTING_WORKFLOW_TEST_H_
