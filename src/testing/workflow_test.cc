// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "stepwise/testing/workflow_test.h"

#include <fstream>
#include <sstream>

#include "stepwise/parser.h"

namespace stepwise::testing {

WorkflowTest::WorkflowTest()
    : clock_(std::make_shared<ManualClock>()), tasks_(std::make_shared<ScriptedExecutor>(clock_)) {}

WorkflowTest::~WorkflowTest() = default;

Engine& WorkflowTest::engine() {
  if (!engine_) {
    EngineOptions o = options_;
    o.clock = clock_;
    o.task_executor = executor_ ? executor_ : tasks_;
    engine_ = std::make_unique<Engine>(std::move(o));
  }
  return *engine_;
}

void WorkflowTest::use_executor(std::shared_ptr<TaskExecutor> executor) {
  EXPECT_EQ(engine_, nullptr) << "use_executor must come before the engine is used";
  executor_ = std::move(executor);
}

void WorkflowTest::use_mock_config(const std::filesystem::path& path,
                                   const std::string& state_machine, const std::string& test_case) {
  Result<MockConfig> config = MockConfig::load(path);
  if (!config.ok()) {
    ADD_FAILURE() << config.status().message();
    return;
  }
  Result<std::shared_ptr<TaskExecutor>> exec = config->executor(state_machine, test_case, tasks_);
  if (!exec.ok()) {
    ADD_FAILURE() << path.string() << ":" << exec.status().message();
    return;
  }
  mocks_ = std::static_pointer_cast<MockTaskExecutor>(*exec);
  use_executor(mocks_);
}

void WorkflowTest::use_mock_document(const nlohmann::json& document,
                                     const std::string& state_machine,
                                     const std::string& test_case) {
  Result<MockConfig> config = MockConfig::parse(document);
  if (!config.ok()) {
    ADD_FAILURE() << config.status().message();
    return;
  }
  Result<std::shared_ptr<TaskExecutor>> exec = config->executor(state_machine, test_case, tasks_);
  if (!exec.ok()) {
    ADD_FAILURE() << exec.status().message();
    return;
  }
  mocks_ = std::static_pointer_cast<MockTaskExecutor>(*exec);
  use_executor(mocks_);
}

std::shared_ptr<const StateMachine> WorkflowTest::load(std::string_view definition) {
  ParseResult r = parse_state_machine(definition);
  if (!r.ok()) {
    std::string text;
    for (const Diagnostic& d : r.diagnostics()) text += d.to_string() + "\n";
    ADD_FAILURE() << "the definition does not load:\n" << text;
  }
  return r.machine();
}

std::shared_ptr<const StateMachine> WorkflowTest::load_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path.string();
    return nullptr;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return load(ss.str());
}

ExecutionResult WorkflowTest::run(const std::shared_ptr<const StateMachine>& machine,
                                  nlohmann::json input, StartOptions start) {
  ExecutionResult failed;
  failed.status = ExecutionStatus::kFailed;
  if (!machine) {
    ADD_FAILURE() << "run: no state machine";
    return failed;
  }
  Result<ExecutionId> id = engine().start(machine, std::move(input), std::move(start));
  if (!id.ok()) {
    ADD_FAILURE() << "run: " << id.status().to_string();
    return failed;
  }
  return run_to_end(*id);
}

ExecutionResult WorkflowTest::run_to_end(ExecutionId id) {
  Engine& e = engine();
  last_id_ = id;
  for (;;) {
    StepReport report = e.step();
    Result<ExecutionStatus> st = e.status(id);
    if (!st.ok()) {
      ADD_FAILURE() << "run: " << st.status().to_string();
      return {};
    }
    if (*st != ExecutionStatus::kRunning) break;
    if (report.runnable) continue;
    // Jump the virtual clock to the next timer or delayed completion, whichever is first.
    std::optional<std::int64_t> next = report.next_deadline;
    std::optional<std::int64_t> due = tasks_->next_due();
    if (due && (!next || *due < *next)) next = due;
    if (!next) {
      ADD_FAILURE() << "run: the execution waits for a task that never completes";
      break;
    }
    if (*next > clock_->now()) clock_->set(*next);
    tasks_->deliver_due(clock_->now());
  }
  auto h = e.history(id);
  history_ = h.ok() ? **h : History{};
  Result<ExecutionResult> r = e.result(id);
  return r.ok() ? *r : ExecutionResult{};
}

}  // namespace stepwise::testing
