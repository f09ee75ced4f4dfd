// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Bad input at the engine's boundaries (issue 13, "Bad input"): payloads nested 100,000 deep
// (execution input, task results, callback outputs, checkpoint records) and runaway JSONata
// end in a Status or a workflow error, never a stack overflow or a hang.
#include <memory>
#include <string>
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/checkpoint.h"
#include "stepwise/engine.h"
#include "support/engine_support.h"
#include "support/status_matchers.h"

namespace stepwise {
namespace {

using nlohmann::json;
using ::testing::Eq;
using testing_support::compile;
using testing_support::StatusIs;

constexpr const char* kTaskMachine = R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true},
    "C": {"Type": "Pass", "End": true}}})";

// Parsing is iterative, so this is how a host (or the CLI) can come to hold such a value.
json nested(std::size_t depth) {
  return json::parse(std::string(depth, '[') + "1" + std::string(depth, ']'));
}

EngineOptions with_executor(std::shared_ptr<TaskExecutor> executor) {
  EngineOptions options;
  options.task_executor = std::move(executor);
  options.clock = std::make_shared<ManualClock>();
  return options;
}

std::string outcome(const ExecutionResult& r) {
  if (r.status == ExecutionStatus::kSucceeded) return r.output.dump();
  return r.error.value_or("-") + " / " + r.cause.value_or("-");
}

TEST(PayloadLimitsTest, AnInputNestedTooDeeplyIsRefusedAtStart) {
  Engine engine(with_executor(nullptr));
  auto machine = compile(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  EXPECT_THAT(
      engine.start(machine, nested(100000)).status(),
      StatusIs(StatusCode::kInvalidArgument,
               Eq("The execution input is nested deeper than the maximum of 1000 levels.")));
  ExecutionResult at_limit = *engine.run(machine, nested(1000));
  EXPECT_EQ(at_limit.status, ExecutionStatus::kSucceeded);
}

TEST(PayloadLimitsTest, TheDepthLimitIsAnOption) {
  EngineOptions options = with_executor(nullptr);
  options.max_payload_depth = 2;
  Engine engine(std::move(options));
  auto machine = compile(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  EXPECT_THAT(engine.start(machine, nested(3)).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("The execution input is nested deeper than the maximum of 2 levels.")));
  EXPECT_EQ(engine.run(machine, nested(2))->status, ExecutionStatus::kSucceeded);
}

// States.DataLimitExceeded is terminal, as on AWS: States.ALL does not catch it.
TEST(PayloadLimitsTest, ATaskResultNestedTooDeeplyFailsWithDataLimitExceeded) {
  auto executor = std::make_shared<FunctionExecutor>([](const json&) { return nested(100000); });
  Engine engine(with_executor(executor));
  ExecutionResult r = *engine.run(compile(kTaskMachine), json::object());
  EXPECT_EQ(outcome(r),
            "States.DataLimitExceeded / The task result is nested deeper than the maximum of "
            "1000 levels.");
}

TEST(PayloadLimitsTest, ACallbackOutputNestedTooDeeplyFailsWithDataLimitExceeded) {
  struct Holding : TaskExecutor {
    void start(const TaskRequest& request, TaskCompletion) override {
      token = std::string(request.task_token);
    }
    std::string token;
  };
  auto executor = std::make_shared<Holding>();
  Engine engine(with_executor(executor));
  Result<ExecutionId> id = engine.start(compile(kTaskMachine), json::object());
  ASSERT_TRUE(id.ok());
  engine.step();
  ASSERT_FALSE(executor->token.empty());
  ASSERT_TRUE(engine.send_task_success(executor->token, nested(100000)).ok());
  Result<ExecutionResult> r = engine.run(*id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(outcome(*r),
            "States.DataLimitExceeded / The task result is nested deeper than the maximum of "
            "1000 levels.");
}

TEST(PayloadLimitsTest, AStateOutputGrownTooDeepFailsWithDataLimitExceeded) {
  EngineOptions options = with_executor(nullptr);
  options.max_payload_depth = 3;
  Engine engine(std::move(options));
  auto machine = compile(R"({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Parameters": {"w.$": "$"}, "ResultPath": "$.a", "End": true}}})");
  ExecutionResult r = *engine.run(machine, json{{"x", {{"y", 1}}}});
  EXPECT_EQ(outcome(r),
            "States.DataLimitExceeded / The state/task 'P' returned a result with a nesting "
            "depth exceeding the maximum of 3 levels.");
}

TEST(PayloadLimitsTest, StringToJsonRefusesTextNestedTooDeeply) {
  Engine engine(with_executor(nullptr));
  auto machine = compile(R"asl({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Parameters": {"v.$": "States.StringToJson($.t)"}, "End": true}}})asl");
  ExecutionResult r = *engine.run(machine, json{{"t", std::string(5000, '[')}});
  EXPECT_EQ(r.error, "States.DataLimitExceeded");
  EXPECT_THAT(r.cause.value_or(""),
              ::testing::EndsWith("States.StringToJson: argument 1 is nested deeper than the "
                                  "maximum of 1000 levels."));
}

// A record rewritten by a faulty store: loading it fails with kDataLoss before anything
// recurses over it.
TEST(PayloadLimitsTest, ACheckpointRecordNestedTooDeeplyIsDataLoss) {
  struct Rewriting : CheckpointStore {
    std::shared_ptr<CheckpointStore> inner = make_memory_checkpoint_store();
    Status commit(const CheckpointBatch& batch) override { return inner->commit(batch); }
    Result<StoredExecution> load(std::string_view name) override {
      Result<StoredExecution> st = inner->load(name);
      if (st.ok()) {
        for (CheckpointRecord& r : st->records) {
          if (r.key == "run") r.value = std::string(100000, '[');
        }
      }
      return st;
    }
    Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& f) override {
      return inner->list(f);
    }
    Status remove(std::string_view name) override { return inner->remove(name); }
  };
  auto store = std::make_shared<Rewriting>();
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 10, "End": true}}})");
  {
    EngineOptions options = with_executor(nullptr);
    options.checkpoint_store = store;
    Engine engine(std::move(options));
    StartOptions so;
    so.name = "deep";
    ASSERT_TRUE(engine.start(machine, json::object(), so).ok());
    engine.step();
  }
  EngineOptions options = with_executor(nullptr);
  options.checkpoint_store = store;
  Engine engine(std::move(options));
  EXPECT_THAT(engine.resume("deep", machine).status(),
              StatusIs(StatusCode::kDataLoss,
                       Eq("a record of execution 'deep' is not JSON: JSON nested deeper than "
                          "1064 levels at byte 1064")));
}

constexpr const char* kRunawayTail =
    R"({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Output": "{% ($f := function($x){ $f($x+1) }; $f(0)) %}",
              "End": true}}})";

TEST(JsonataLimitsTest, InfiniteTailRecursionEndsWithTheReferenceTimeoutError) {
  Engine engine(with_executor(nullptr));
  ExecutionResult r = *engine.run(compile(kRunawayTail), json::object());
  EXPECT_EQ(outcome(r),
            "States.QueryEvaluationError / An error occurred while executing the state 'P' "
            "(entered at the event id #2). The JSONata expression '($f := function($x){ "
            "$f($x+1) }; $f(0))' specified for the field 'Output' threw an error during "
            "evaluation. U1001: Expression evaluation timeout: Check for infinite loop");
}

TEST(JsonataLimitsTest, DeepRecursionEndsWithTheReferenceStackOverflowError) {
  Engine engine(with_executor(nullptr));
  ExecutionResult r = *engine.run(compile(R"({"QueryLanguage": "JSONata", "StartAt": "P",
      "States": {"P": {"Type": "Pass",
          "Output": "{% ($f := function($n){ $n = 0 ? 0 : 1 + $f($n-1) }; $f(100000)) %}",
          "End": true}}})"),
                                  json::object());
  EXPECT_EQ(r.error, "States.QueryEvaluationError");
  EXPECT_THAT(r.cause.value_or(""),
              ::testing::EndsWith("threw an error during evaluation. U1001: Stack overflow "
                                  "error: Check for non-terminating recursive function.  "
                                  "Consider rewriting as tail-recursive."));
}

TEST(JsonataLimitsTest, TheStepLimitIsAnOption) {
  auto machine = compile(R"({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Arguments": "{% $sum($map([1..5000], function($v){ $v })) %}", "End": true}}})");
  auto echo = std::make_shared<FunctionExecutor>([](const json& in) { return in; });
  EXPECT_EQ(outcome(*Engine(with_executor(echo)).run(machine, json::object())), "12502500");
  EngineOptions options = with_executor(echo);
  options.jsonata_max_steps = 1000;
  EXPECT_EQ(outcome(*Engine(std::move(options)).run(machine, json::object())),
            "States.QueryEvaluationError / An error occurred while executing the state 'T' "
            "(entered at the event id #2). The JSONata expression '$sum($map([1..5000], "
            "function($v){ $v }))' specified for the field 'Arguments' threw an error during "
            "evaluation. U1001: Expression evaluation timeout: Check for infinite loop");
}

}  // namespace
}  // namespace stepwise
