// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Engine through its public API on a ManualClock: every state type end to end, Retry and
// Catch, timeouts, stepping, history and limits (ASL-REFERENCE.md sections 3, 4, 7-12, 15, 16).
#include "stepwise/engine.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/engine_support.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::compile;
using testing_support::event_types;
using testing_support::ScriptedExecutor;
using Strings = std::vector<std::string>;

constexpr std::int64_t kSecond = 1000000000LL;
constexpr const char* kWork = "arn:aws:states:::dynamodb:putItem";

class EngineTest : public ::testing::Test {
 protected:
  EngineOptions options() {
    EngineOptions o;
    o.clock = clock_;
    o.task_executor = tasks_;
    return o;
  }

  // Runs `definition` on `input` in a fresh engine built from `o`; keeps the history.
  ExecutionResult run(std::string_view definition, json input, EngineOptions o) {
    auto machine = compile(definition);
    if (!machine) return {};
    Engine engine(std::move(o));
    Result<ExecutionId> id = engine.start(machine, std::move(input));
    EXPECT_TRUE(id.ok()) << id.status().to_string();
    if (!id.ok()) return {};
    Result<ExecutionResult> r = engine.run(*id);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    Result<const History*> h = engine.history(*id);
    EXPECT_TRUE(h.ok());
    if (h.ok()) history_ = **h;
    return r.ok() ? *r : ExecutionResult{};
  }
  ExecutionResult run(std::string_view definition, json input = json::object()) {
    return run(definition, std::move(input), options());
  }

  std::int64_t elapsed() const { return clock_->now() - start_; }

  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  std::int64_t start_ = clock_->now();
  std::shared_ptr<ScriptedExecutor> tasks_ = std::make_shared<ScriptedExecutor>(clock_);
  History history_;
};

void expect_succeeded(const ExecutionResult& r, const json& output) {
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded)
      << r.error.value_or("") << ": " << r.cause.value_or("");
  EXPECT_EQ(r.output, output);
}

void expect_failed(const ExecutionResult& r, const std::string& error,
                   const std::optional<std::string>& cause) {
  EXPECT_EQ(r.status, ExecutionStatus::kFailed) << r.to_json().dump();
  EXPECT_EQ(r.error, error);
  EXPECT_EQ(r.cause, cause);
}

// ---------------------------------------------------------------------------------------------
// States end to end.

TEST_F(EngineTest, PassAppliesParametersResultResultPathAndOutputPath) {
  ExecutionResult r = run(R"({
    "StartAt": "Params",
    "States": {
      "Params": {"Type": "Pass", "Parameters": {"x.$": "$.a", "const": 1},
                 "ResultPath": "$.r", "OutputPath": "$.r", "Next": "Result"},
      "Result": {"Type": "Pass", "Result": {"k": "v"}, "ResultPath": "$.res", "Next": "Discard"},
      "Discard": {"Type": "Pass", "Result": "ignored", "ResultPath": null, "Next": "Input"},
      "Input": {"Type": "Pass", "InputPath": "$.res", "End": true}
    }})",
                          {{"a", 5}, {"b", 6}});
  expect_succeeded(r, {{"k", "v"}});
}

TEST_F(EngineTest, PassResultPathMergesIntoTheRawInput) {
  ExecutionResult r = run(R"({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "InputPath": "$.a", "Result": 7, "ResultPath": "$.deep.n", "End": true}}})",
                          {{"a", 1}, {"b", 2}});
  expect_succeeded(r, {{"a", 1}, {"b", 2}, {"deep", {{"n", 7}}}});
}

TEST_F(EngineTest, ChoiceTakesTheMatchingRuleOrTheDefault) {
  const char* good = R"({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [
              {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}],
            "Default": "Small"},
      "Big": {"Type": "Pass", "Result": "big", "End": true},
      "Small": {"Type": "Pass", "Result": "small", "End": true}}})";
  expect_succeeded(run(good, {{"n", 11}}), "big");
  expect_succeeded(run(good, {{"n", 10}}), "small");
}

TEST_F(EngineTest, ChoiceWithoutMatchOrDefaultFailsWithNoChoiceMatched) {
  ExecutionResult r = run(R"({"StartAt": "First", "States": {
      "First": {"Type": "Pass", "Next": "C"},
      "C": {"Type": "Choice", "Choices": [
              {"Variable": "$.n", "NumericEquals": 1, "Next": "One"}]},
      "One": {"Type": "Succeed"}}})",
                          {{"n", 2}});
  expect_failed(r, "States.NoChoiceMatched",
                "An error occurred while executing the state 'C' (entered at the event id #4). "
                "Failed to transition out of the state.");
}

TEST_F(EngineTest, WaitSecondsAdvancesTheClockExactly) {
  ExecutionResult r = run(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 10, "End": true}}})",
                          {{"a", 1}});
  expect_succeeded(r, {{"a", 1}});
  EXPECT_EQ(elapsed(), 10 * kSecond);
}

TEST_F(EngineTest, WaitOfOneYearFinishesInstantlyWithTheClockAdvancedAYear) {
  ExecutionResult r = run(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 31536000, "End": true}}})");
  expect_succeeded(r, json::object());
  EXPECT_EQ(elapsed(), 31536000 * kSecond);
}

TEST_F(EngineTest, WaitTimestampAndPaths) {
  ExecutionResult r = run(R"({"StartAt": "Until", "States": {
      "Until": {"Type": "Wait", "Timestamp": "2024-01-02T00:00:00Z", "Next": "ByPath"},
      "ByPath": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "ByTsPath"},
      "ByTsPath": {"Type": "Wait", "TimestampPath": "$.until", "End": true}}})",
                          {{"delay", 7}, {"until", "2024-01-02T01:00:00+01:00"}});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json().dump();
  // 2024-01-02T01:00:00+01:00 is the same instant as 00:00Z, already past after the 7 s wait.
  EXPECT_EQ(elapsed(), 86400 * kSecond + 7 * kSecond);
}

TEST_F(EngineTest, WaitTimestampInThePastDoesNotWait) {
  ExecutionResult r = run(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Timestamp": "2000-01-01T00:00:00Z", "End": true}}})");
  expect_succeeded(r, json::object());
  EXPECT_EQ(elapsed(), 0);
}

TEST_F(EngineTest, SucceedStateEndsWithItsInput) {
  expect_succeeded(run(R"({"StartAt": "S", "States": {"S": {"Type": "Succeed",
      "OutputPath": "$.x"}}})", {{"x", {1, 2}}}), json({1, 2}));
}

TEST_F(EngineTest, FailStateReportsErrorAndCause) {
  expect_failed(run(R"({"StartAt": "F", "States": {
      "F": {"Type": "Fail", "Error": "My.Error", "Cause": "it broke"}}})"),
                "My.Error", "it broke");
}

TEST_F(EngineTest, FailStateWithoutErrorOrCause) {
  ExecutionResult r = run(R"({"StartAt": "F", "States": {"F": {"Type": "Fail"}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, std::nullopt);
  EXPECT_EQ(r.cause, std::nullopt);
}

TEST_F(EngineTest, FailStateErrorPathAndCausePath) {
  expect_failed(run(R"({"StartAt": "F", "States": {
      "F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}}})",
                    {{"e", "Dyn.Error"}, {"c", "dynamic cause"}}),
                "Dyn.Error", "dynamic cause");
}

TEST_F(EngineTest, ParallelResultsAreInBranchOrder) {
  // The first branch finishes last; the output is still in branch order.
  ExecutionResult r = run(R"({"StartAt": "Par", "States": {
      "Par": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Slow", "States": {
          "Slow": {"Type": "Wait", "Seconds": 5, "Next": "A"},
          "A": {"Type": "Pass", "Result": "a", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": true}}},
        {"StartAt": "C", "States": {
          "CW": {"Type": "Pass", "End": true},
          "C": {"Type": "Wait", "Seconds": 1, "Next": "CW"}}}
      ]}}})",
                          {{"in", 1}});
  expect_succeeded(r, json({"a", "b", {{"in", 1}}}));
  EXPECT_EQ(elapsed(), 5 * kSecond);
}

TEST_F(EngineTest, FailingParallelBranchPropagatesItsErrorAndStopsSiblings) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "Par", "States": {
      "Par": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "W", "States": {
          "W": {"Type": "Wait", "Seconds": 1, "Next": "F"},
          "F": {"Type": "Fail", "Error": "Branch.Boom", "Cause": "bad"}}},
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}}
      ]}}})");
  expect_failed(r, "Branch.Boom", "bad");
  ASSERT_EQ(tasks_->calls().size(), 1u);
  EXPECT_EQ(tasks_->cancelled(), Strings{tasks_->calls()[0].task_token});
  EXPECT_EQ(elapsed(), 1 * kSecond);
}

TEST_F(EngineTest, InlineMapWithItemSelectorAndContextIndex) {
  ExecutionResult r = run(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "ItemsPath": "$.items", "End": true,
            "ItemSelector": {"idx.$": "$$.Map.Item.Index", "val.$": "$$.Map.Item.Value",
                             "k.$": "$.k"},
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}})",
                          {{"items", {"a", "b", "c"}}, {"k", 9}});
  expect_succeeded(r, json::parse(R"([{"idx":0,"val":"a","k":9},{"idx":1,"val":"b","k":9},
                                      {"idx":2,"val":"c","k":9}])"));
}

TEST_F(EngineTest, MapOfAnEmptyArrayIsAnEmptyArray) {
  ExecutionResult r = run(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}})",
                          json::array());
  expect_succeeded(r, json::array());
}

// Iterations start a chunk at a time (so that finished ones are freed before more start), but
// with MaxConcurrency 0 every item is still in flight after one step, and a bound of 50 is a
// bound of 50, not of the chunk size.
TEST_F(EngineTest, MapStartsEveryItemWithinItsConcurrencyInOneStep) {
  for (int max_concurrency : {0, 50}) {
    SCOPED_TRACE(::testing::Message() << "MaxConcurrency " << max_concurrency);
    auto machine = compile(fmt::format(R"({{"StartAt": "M", "States": {{
        "M": {{"Type": "Map", "MaxConcurrency": {}, "End": true,
              "ItemProcessor": {{"StartAt": "T", "States": {{
                "T": {{"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                      "End": true}}}}}}}}}}}})",
                                           max_concurrency));
    ASSERT_TRUE(machine);
    auto pending = std::make_shared<ScriptedExecutor>(clock_);
    EngineOptions o = options();
    o.task_executor = pending;
    Engine engine(std::move(o));
    json items = json::array();
    for (int i = 0; i < 200; ++i) items.push_back(i);
    for (int i = 0; i < 200; ++i) pending->script(kWork, {ScriptedExecutor::never()});
    Result<ExecutionId> id = engine.start(machine, items);
    ASSERT_TRUE(id.ok());
    StepReport report = engine.step();
    EXPECT_FALSE(report.runnable);
    std::size_t expected = max_concurrency == 0 ? 200u : 50u;
    ASSERT_EQ(pending->calls().size(), expected);
    // Completing them in reverse order still gives the results in item order.
    std::size_t completed = 0;
    while (engine.status(*id).value() == ExecutionStatus::kRunning) {
      std::vector<TaskCompletion> open = pending->pending();
      ASSERT_GT(open.size(), completed);
      for (std::size_t i = open.size(); i-- > completed;) open[i].succeed(json("done"));
      completed = open.size();
      engine.step();
    }
    EXPECT_EQ(completed, 200u);
    Result<ExecutionResult> r = engine.result(*id);
    ASSERT_TRUE(r.ok());
    expect_succeeded(*r, json(std::vector<std::string>(200, "done")));
  }
}

TEST_F(EngineTest, MapWithMaxConcurrencyOneProcessesItemsInOrder) {
  tasks_->script(kWork, {ScriptedExecutor::never(), ScriptedExecutor::never(),
                         ScriptedExecutor::never()});
  auto machine = compile(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "MaxConcurrency": 1, "End": true,
            "ItemProcessor": {"StartAt": "T", "States": {
              "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "End": true}}}}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json{10, 20, 30});
  ASSERT_TRUE(id.ok());
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(::testing::Message() << "item " << i);
    StepReport report = engine.step();
    EXPECT_FALSE(report.runnable);
    EXPECT_EQ(report.running, 1u);
    std::vector<ScriptedExecutor::Call> calls = tasks_->calls();
    ASSERT_EQ(calls.size(), i + 1);  // one item in flight at a time
    EXPECT_EQ(calls[i].input, json(10 * static_cast<int>(i + 1)));
    tasks_->pending()[i].succeed(json(static_cast<int>(i)));
  }
  engine.step();
  Result<ExecutionResult> r = engine.result(*id);
  ASSERT_TRUE(r.ok());
  expect_succeeded(*r, json({0, 1, 2}));
}

TEST_F(EngineTest, MapItemBatcherGroupsItems) {
  ExecutionResult r = run(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "End": true,
            "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"b.$": "$.tag"}},
            "ItemsPath": "$.items",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
              "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}})",
                          {{"items", {1, 2, 3, 4, 5}}, {"tag", "t"}});
  expect_succeeded(r, json::parse(R"([{"BatchInput":{"b":"t"},"Items":[1,2]},
                                      {"BatchInput":{"b":"t"},"Items":[3,4]},
                                      {"BatchInput":{"b":"t"},"Items":[5]}])"));
}

// ---------------------------------------------------------------------------------------------
// Retry and Catch.

constexpr const char* kRetryThenCatch = R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
          "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 3, "BackoffRate": 2,
                     "MaxAttempts": 3}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Caught"}],
          "End": true},
    "Caught": {"Type": "Pass", "End": true}}})";

TEST_F(EngineTest, RetrySucceedsAfterFailuresWithBackoffOnTheClock) {
  tasks_->fail_then_succeed(kWork, 2, "Flaky", "try again", {{"done", true}});
  ExecutionResult r = run(kRetryThenCatch, {{"in", 1}});
  expect_succeeded(r, {{"done", true}});
  std::vector<ScriptedExecutor::Call> calls = tasks_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].at - start_, 0);
  EXPECT_EQ(calls[1].at - start_, 3 * kSecond);
  EXPECT_EQ(calls[2].at - start_, 9 * kSecond);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(calls[i].attempt, i);
    EXPECT_EQ(calls[i].input, json({{"in", 1}}));
  }
}

TEST_F(EngineTest, ExhaustedRetriesFallToCatchWhoseResultPathMergesErrorOutput) {
  tasks_->fail_then_succeed(kWork, 4, "Flaky", "try again", {{"done", true}});
  ExecutionResult r = run(kRetryThenCatch, {{"in", 1}});
  expect_succeeded(r, {{"in", 1}, {"error", {{"Error", "Flaky"}, {"Cause", "try again"}}}});
  std::vector<ScriptedExecutor::Call> calls = tasks_->calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[1].at - start_, 3 * kSecond);
  EXPECT_EQ(calls[2].at - start_, 9 * kSecond);
  EXPECT_EQ(calls[3].at - start_, 21 * kSecond);
  EXPECT_EQ(elapsed(), 21 * kSecond);
}

TEST_F(EngineTest, UnmatchedErrorIsCaughtWithoutRetry) {
  tasks_->script(kWork, {ScriptedExecutor::fail("Other", "no retry")});
  ExecutionResult r = run(kRetryThenCatch, {{"in", 1}});
  expect_succeeded(r, {{"in", 1}, {"error", {{"Error", "Other"}, {"Cause", "no retry"}}}});
  EXPECT_EQ(tasks_->calls().size(), 1u);
}

TEST_F(EngineTest, UncaughtTaskErrorFailsTheExecution) {
  tasks_->script(kWork, {ScriptedExecutor::fail("Custom.Error", "details")});
  expect_failed(run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Catch": [{"ErrorEquals": ["Else"], "Next": "X"}], "End": true},
      "X": {"Type": "Succeed"}}})"),
                "Custom.Error", "details");
}

TEST_F(EngineTest, StatesRuntimeIsNeverRetriedOrCaught) {
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "OutputPath": "$.missing",
            "Retry": [{"ErrorEquals": ["States.ALL"]}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
      "Caught": {"Type": "Succeed"}}})",
                          {{"a", 1}});
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause.value_or("").rfind(
                "An error occurred while executing the state 'T' (entered at the event id #2). "
                "Invalid path '$.missing'",
                0),
            0u)
      << r.cause.value_or("");
  EXPECT_EQ(tasks_->calls().size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// Timeouts.

TEST_F(EngineTest, TaskTimeoutFailsWithStatesTimeoutAfterExactlyTimeoutSeconds) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  auto machine = compile(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "TimeoutSeconds": 5, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  Result<ExecutionResult> r = engine.run(*id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, ExecutionStatus::kFailed);
  EXPECT_EQ(r->error, "States.Timeout");
  EXPECT_EQ(elapsed(), 5 * kSecond);
  std::vector<ScriptedExecutor::Call> calls = tasks_->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].deadline, start_ + 5 * kSecond);
  EXPECT_EQ(tasks_->cancelled(), Strings{calls[0].task_token});
  Strings types = event_types(**engine.history(*id));
  EXPECT_EQ(types, (Strings{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                            "TaskTimedOut", "ExecutionFailed"}));
  // A late completion is ignored.
  tasks_->pending()[0].succeed({{"late", true}});
  tasks_->pending()[0].fail("Late", "late");
  StepReport report = engine.step();
  EXPECT_EQ(report.running, 0u);
  Result<ExecutionResult> after = engine.result(*id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, ExecutionStatus::kFailed);
  EXPECT_EQ(after->error, "States.Timeout");
  EXPECT_EQ((*engine.history(*id))->size(), types.size());
}

TEST_F(EngineTest, TaskTimeoutCanBeRetriedAndCaught) {
  tasks_->script(kWork, {ScriptedExecutor::never(), ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "TimeoutSeconds": 5,
            "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1, "IntervalSeconds": 2}],
            "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.err", "Next": "C"}],
            "End": true},
      "C": {"Type": "Pass", "OutputPath": "$.err.Error", "End": true}}})");
  expect_succeeded(r, "States.Timeout");
  EXPECT_EQ(tasks_->calls().size(), 2u);
  EXPECT_EQ(tasks_->cancelled().size(), 2u);
  EXPECT_EQ(elapsed(), 12 * kSecond);
}

TEST_F(EngineTest, TaskFailedMatcherDoesNotCatchTimeout) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "TimeoutSeconds": 1,
            "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "C"}], "End": true},
      "C": {"Type": "Succeed"}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Timeout");
}

TEST_F(EngineTest, MachineTimeoutSecondsTimesOutTheExecution) {
  ExecutionResult r = run(R"({"StartAt": "W", "TimeoutSeconds": 10, "States": {
      "W": {"Type": "Wait", "Seconds": 100, "End": true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kTimedOut);
  EXPECT_EQ(r.error, "States.Timeout");
  EXPECT_EQ(elapsed(), 10 * kSecond);
  ASSERT_FALSE(history_.empty());
  EXPECT_EQ(history_.back().type, "ExecutionTimedOut");
}

// ---------------------------------------------------------------------------------------------
// Stepping and engine lifetime.

TEST_F(EngineTest, StepWithOneTransitionAdvancesOneStateAtATime) {
  auto machine = compile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Pass", "Next": "C"},
      "C": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json{{"x", 1}});
  ASSERT_TRUE(id.ok());
  StepBudget one;
  one.max_transitions = 1;
  const char* names[] = {"A", "B", "C"};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(names[i]);
    StepReport report = engine.step(one);
    EXPECT_EQ(report.transitions, 1u);
    const History& h = **engine.history(*id);
    // The last state entered is names[i].
    std::string last_entered;
    for (const HistoryEvent& e : h) {
      if (e.type == "PassStateEntered") last_entered = e.details.value("name", "");
    }
    EXPECT_EQ(last_entered, names[i]);
    if (i < 2) {
      EXPECT_TRUE(report.runnable);
      EXPECT_EQ(report.running, 1u);
      EXPECT_EQ(*engine.status(*id), ExecutionStatus::kRunning);
    }
  }
  StepReport last = engine.step(one);
  EXPECT_FALSE(last.runnable);
  EXPECT_EQ(last.running, 0u);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kSucceeded);
}

TEST_F(EngineTest, StepReportsTheNextDeadlineOfABlockedExecution) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 30, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  StepReport report = engine.step();
  EXPECT_FALSE(report.runnable);
  EXPECT_EQ(report.running, 1u);
  EXPECT_EQ(report.next_deadline, start_ + 30 * kSecond);
  clock_->advance(29 * kSecond);
  engine.step();
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kRunning);
  clock_->advance(1 * kSecond);
  report = engine.step();
  EXPECT_EQ(report.running, 0u);
  EXPECT_EQ(report.next_deadline, std::nullopt);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kSucceeded);
}

TEST_F(EngineTest, ManyExecutionsPerEngine) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "SecondsPath": "$.s", "Next": "P"},
      "P": {"Type": "Pass", "Parameters": {"r.$": "$.s"}, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  std::vector<ExecutionId> ids;
  for (int i = 0; i < 20; ++i) {
    Result<ExecutionId> id = engine.start(machine, json{{"s", 20 - i}});
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  engine.run_all();
  for (int i = 0; i < 20; ++i) {
    Result<ExecutionResult> r = engine.result(ids[i]);
    ASSERT_TRUE(r.ok());
    expect_succeeded(*r, {{"r", 20 - i}});
  }
  EXPECT_EQ(elapsed(), 20 * kSecond);
}

// An input that is not valid JSON text (a string with invalid UTF-8, which only a C++ host can
// build) is refused by start, as AWS's StartExecution refuses it, whether or not history is
// kept; the engine stays usable.
TEST_F(EngineTest, StartRefusesAnInputThatIsNotValidJsonText) {
  auto machine = compile(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  json bad = {{"name", std::string("caf\xc3")}};
  for (bool history : {true, false}) {
    StartOptions so;
    so.record_history = history;
    Result<ExecutionId> id = engine.start(machine, bad, so);
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(id.status().message().find("the execution input cannot be written as JSON"),
              std::string::npos)
        << id.status().message();
  }
  ExecutionResult r = engine.run(machine, {{"name", "caf\xc3\xa9"}});
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.output, (json{{"name", "caf\xc3\xa9"}}));
}

TEST_F(EngineTest, ExecutionNamesMustBeUniqueWhileRunning) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 1, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  StartOptions so;
  so.name = "job";
  ASSERT_TRUE(engine.start(machine, json::object(), so).ok());
  Result<ExecutionId> dup = engine.start(machine, json::object(), so);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dup.status().message(), "an execution named 'job' is already running");
  EXPECT_EQ(engine.start(nullptr, json::object()).status().code(), StatusCode::kInvalidArgument);
}

// A name is free again once its execution has finished; find() prefers the running one, then
// the most recently started among the finished ones the engine still holds.
TEST_F(EngineTest, ANameIsReusableOnceItsExecutionFinished) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  StartOptions so;
  so.name = "job";
  Result<ExecutionId> first = engine.start(machine, json{{"s", 1}}, so);
  ASSERT_TRUE(first.ok());
  engine.run_all();
  Result<ExecutionId> second = engine.start(machine, json{{"s", 1}}, so);
  ASSERT_TRUE(second.ok());
  Result<ExecutionId> third = engine.start(machine, json{{"s", 1}}, so);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(engine.find("job"), *second);
  engine.run_all();
  Result<ExecutionId> fourth = engine.start(machine, json{{"s", 5}}, so);
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(engine.find("job"), *fourth);
  engine.step();
  ASSERT_TRUE(engine.stop(*fourth, "Halt", "").ok());
  EXPECT_EQ(engine.find("job"), *fourth);  // the latest, though it ran least
  ASSERT_TRUE(engine.release(*fourth).ok());
  EXPECT_EQ(engine.find("job"), *second);
  ASSERT_TRUE(engine.release(*second).ok());
  ASSERT_TRUE(engine.release(*first).ok());
  EXPECT_EQ(engine.find("job"), std::nullopt);
  EXPECT_TRUE(engine.start(machine, json{{"s", 1}}, so).ok());
}

// Machine TimeoutSeconds of many executions: each times out at its own deadline, and step()
// reports the soonest deadline of those still running. Executions that finished, were
// stopped or were released no longer count.
TEST_F(EngineTest, MachineTimeoutsOfManyExecutionsFireAtTheirOwnDeadlines) {
  auto machine = compile(R"({"TimeoutSeconds": 100, "StartAt": "W", "States": {
      "W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  // Execution i starts at i seconds and times out at i + 100 s; even ones wait 1000 s (they
  // time out), odd ones 5 s (they succeed).
  std::vector<ExecutionId> ids;
  for (int i = 0; i < 300; ++i) {
    Result<ExecutionId> id = engine.start(machine, json{{"s", i % 2 == 0 ? 1000 : 5}});
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
    engine.step();
    clock_->advance(kSecond);
  }
  // At 300 s. Two running ones are stopped, one of them released.
  ASSERT_TRUE(engine.stop(ids[250], "", "").ok());
  ASSERT_TRUE(engine.release(ids[250]).ok());
  ASSERT_TRUE(engine.stop(ids[252], "", "").ok());
  StepReport report = engine.step();
  auto expected = [](int i, bool done) {
    if (i == 252) return ExecutionStatus::kAborted;
    if (i % 2 == 1) return done || i + 5 <= 300 ? ExecutionStatus::kSucceeded : ExecutionStatus::kRunning;
    return done || i + 100 <= 300 ? ExecutionStatus::kTimedOut : ExecutionStatus::kRunning;
  };
  for (int i = 0; i < 300; ++i) {
    if (i == 250) continue;
    EXPECT_EQ(*engine.status(ids[i]), expected(i, false)) << "execution " << i;
  }
  // Soonest: execution 202's timeout and execution 297's Wait, both at 302 s.
  EXPECT_EQ(report.next_deadline, start_ + 302 * kSecond);
  engine.run_all();
  for (int i = 0; i < 300; ++i) {
    if (i == 250) continue;
    EXPECT_EQ(*engine.status(ids[i]), expected(i, true)) << "execution " << i;
  }
  EXPECT_EQ(elapsed(), 398 * kSecond);  // execution 298 timed out last
  EXPECT_EQ(engine.step().next_deadline, std::nullopt);
}

// Express executions all carry the five-minute cap as a deadline; thousands that finish at
// once leave no deadline behind.
TEST_F(EngineTest, FinishedExpressExecutionsLeaveNoDeadline) {
  auto machine = compile(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  StartOptions so;
  so.express = true;
  for (int i = 0; i < 5000; ++i) {
    Result<ExecutionId> id = engine.start(machine, json{{"i", i}}, so);
    ASSERT_TRUE(id.ok());
    StepReport report = engine.step();
    EXPECT_EQ(report.next_deadline, std::nullopt);
    ASSERT_TRUE(engine.take(*id).ok());
  }
}

TEST_F(EngineTest, TwoEnginesInOneProcessAreIndependent) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 5, "Next": "P"},
      "P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  auto clock2 = std::make_shared<ManualClock>();
  EngineOptions o2;
  o2.clock = clock2;
  Engine e1(options());
  Engine e2(std::move(o2));
  Result<ExecutionId> a = e1.start(machine, json{{"e", 1}});
  Result<ExecutionId> b = e2.start(machine, json{{"e", 2}});
  ASSERT_TRUE(a.ok() && b.ok());
  e1.step();
  e2.step();
  clock_->advance(5 * kSecond);
  e1.step();
  EXPECT_EQ(*e1.status(*a), ExecutionStatus::kSucceeded);
  e2.step();
  EXPECT_EQ(*e2.status(*b), ExecutionStatus::kRunning);
  clock2->advance(5 * kSecond);
  e2.step();
  expect_succeeded(*e2.result(*b), {{"e", 2}});
  expect_succeeded(*e1.result(*a), {{"e", 1}});
}

TEST_F(EngineTest, StopAbortsTheExecutionAndCancelsItsTask) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  auto machine = compile(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  engine.step();
  ASSERT_EQ(tasks_->calls().size(), 1u);
  Status s = engine.stop(*id, "User.Stop", "no longer needed");
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kAborted);
  Result<ExecutionResult> r = engine.result(*id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->error, "User.Stop");
  EXPECT_EQ(r->cause, "no longer needed");
  EXPECT_EQ(tasks_->cancelled(), Strings{tasks_->calls()[0].task_token});
  const History& h = **engine.history(*id);
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h.back().type, "ExecutionAborted");
  // A completion after the stop changes nothing.
  tasks_->pending()[0].succeed(1);
  EXPECT_EQ(engine.step().running, 0u);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kAborted);
}

TEST_F(EngineTest, UnknownExecutionIdsAreNotFound) {
  Engine engine(options());
  EXPECT_EQ(engine.status(42).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.result(42).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.history(42).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(engine.run(42).ok());
}

TEST_F(EngineTest, ReleaseForgetsOnlyFinishedExecutions) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 1, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(engine.release(*id).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(engine.run(*id).ok());
  EXPECT_TRUE(engine.release(*id).ok());
  EXPECT_EQ(engine.status(*id).status().code(), StatusCode::kNotFound);
}

TEST_F(EngineTest, TakeReturnsTheResultAndForgetsTheExecution) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
      "P": {"Type": "Pass", "Result": {"big": [1, 2, 3]}, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(engine.take(*id).status().code(), StatusCode::kFailedPrecondition);
  engine.run_all();
  Result<ExecutionResult> r = engine.take(*id);
  ASSERT_TRUE(r.ok());
  expect_succeeded(*r, json{{"big", {1, 2, 3}}});
  EXPECT_EQ(engine.status(*id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.take(*id).status().code(), StatusCode::kNotFound);
}

TEST_F(EngineTest, CompletionAfterEngineDestructionDoesNothing) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  auto machine = compile(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})");
  ASSERT_TRUE(machine);
  {
    Engine engine(options());
    ASSERT_TRUE(engine.start(machine, json::object()).ok());
    engine.step();
  }
  ASSERT_EQ(tasks_->pending().size(), 1u);
  TaskCompletion c = tasks_->pending()[0];
  c.heartbeat();
  c.succeed({{"too", "late"}});
  c.fail("Too.Late", "engine is gone");
  EXPECT_FALSE(c.task_token().empty());
}

// ---------------------------------------------------------------------------------------------
// Limits, inputs and variables.

TEST_F(EngineTest, OversizedPassResultFailsWithDataLimitExceeded) {
  EngineOptions o = options();
  o.max_payload_bytes = 100;
  json big = {{"s", std::string(200, 'x')}};
  json def = {{"StartAt", "P"},
              {"States",
               {{"P", {{"Type", "Pass"}, {"Result", big}, {"Next", "Never"}}},
                {"Never", {{"Type", "Succeed"}}}}}};
  expect_failed(run(def.dump(), json::object(), o), "States.DataLimitExceeded",
                "The state/task 'P' returned a result with a size exceeding the maximum number "
                "of bytes service limit.");
}

TEST_F(EngineTest, OversizedTaskResultIsNotCaughtByStatesAll) {
  EngineOptions o = options();
  o.max_payload_bytes = 100;
  tasks_->script(kWork, {ScriptedExecutor::succeed({{"s", std::string(200, 'x')}})});
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true},
      "C": {"Type": "Succeed"}}})",
                          json::object(), o);
  expect_failed(r, "States.DataLimitExceeded",
                "The state/task 'T' returned a result with a size exceeding the maximum number "
                "of bytes service limit.");
}

TEST_F(EngineTest, OversizedExecutionInputFailsWithDataLimitExceeded) {
  EngineOptions o = options();
  o.max_payload_bytes = 100;
  ExecutionResult r = run(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})",
                          {{"s", std::string(200, 'x')}}, o);
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.DataLimitExceeded");
}

TEST_F(EngineTest, InfinitePassLoopEndsAtTheHistoryLimit) {
  EngineOptions o = options();
  o.max_history_events = 50;
  // Loop -> Loop forever; the Choice only exists to give the machine a terminal state.
  ExecutionResult r = run(R"({"StartAt": "Loop", "States": {
      "Loop": {"Type": "Pass", "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [
                  {"Variable": "$.stop", "IsPresent": true, "Next": "Done"}],
                "Default": "Loop"},
      "Done": {"Type": "Succeed"}}})",
                          json::object(), o);
  expect_failed(r, "States.Runtime",
                "The execution reached the maximum number of history events (50).");
  EXPECT_LE(history_.size(), 50u);
  ASSERT_FALSE(history_.empty());
  EXPECT_EQ(history_.back().type, "ExecutionFailed");
}

TEST_F(EngineTest, InfiniteChoiceLoopEndsAtTheHistoryLimit) {
  EngineOptions o = options();
  o.max_history_events = 40;
  ExecutionResult r = run(R"({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.go", "BooleanEquals": true, "Next": "C"}],
            "Default": "Done"},
      "Done": {"Type": "Succeed"}}})",
                          {{"go", true}}, o);
  expect_failed(r, "States.Runtime",
                "The execution reached the maximum number of history events (40).");
  EXPECT_LE(history_.size(), 40u);
}

TEST_F(EngineTest, ExecutionInputNeedNotBeAnObject) {
  const char* def = R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})";
  expect_succeeded(run(def, "just a string"), "just a string");
  expect_succeeded(run(def, 42), 42);
  expect_succeeded(run(def, json{1, 2}), json({1, 2}));
  expect_succeeded(run(def, nullptr), nullptr);
}

TEST_F(EngineTest, AssignedVariablesAreVisibleAtTheNextStateNotTheSameOne) {
  ExecutionResult r = run(R"({"StartAt": "Init", "States": {
      "Init": {"Type": "Pass", "Assign": {"x": 3, "a": 6}, "Next": "Swap"},
      "Swap": {"Type": "Pass", "Assign": {"x.$": "$a", "nextX.$": "$x"},
               "Parameters": {"seen.$": "$x"}, "Next": "Read"},
      "Read": {"Type": "Pass",
               "Parameters": {"x.$": "$x", "nextX.$": "$nextX", "seen.$": "$.seen"},
               "End": true}}})");
  expect_succeeded(r, {{"x", 6}, {"nextX", 3}, {"seen", 3}});
}

TEST_F(EngineTest, ParallelBranchReadsOuterVariables) {
  ExecutionResult r = run(R"({"StartAt": "Init", "States": {
      "Init": {"Type": "Pass", "Assign": {"outer": "hi"}, "Next": "Par"},
      "Par": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Parameters": {"v.$": "$outer"},
                                           "End": true}}}]}}})");
  expect_succeeded(r, json::array({{{"v", "hi"}}}));
}

TEST_F(EngineTest, ContextObjectCarriesExecutionAndStateFields) {
  StartOptions so;
  so.name = "my-exec";
  auto machine = compile(R"({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Parameters": {"name.$": "$$.Execution.Name",
                                           "state.$": "$$.State.Name",
                                           "input.$": "$$.Execution.Input"}, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  ExecutionResult r = engine.run(machine, {{"q", 1}}, so);
  expect_succeeded(r, {{"name", "my-exec"}, {"state", "P"}, {"input", {{"q", 1}}}});
}

// ---------------------------------------------------------------------------------------------
// History.

void expect_sequential_ids(const History& h) {
  for (std::size_t i = 0; i < h.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "event " << i << " " << h[i].type);
    EXPECT_EQ(h[i].id, static_cast<std::int64_t>(i + 1));
    EXPECT_LT(h[i].previous_event_id, h[i].id);
    EXPECT_GE(h[i].previous_event_id, 0);
  }
}

TEST_F(EngineTest, HistoryOfAPassState) {
  ExecutionResult r = run(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})",
                          {{"a", 1}});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(event_types(history_), (Strings{"ExecutionStarted", "PassStateEntered",
                                            "PassStateExited", "ExecutionSucceeded"}));
  expect_sequential_ids(history_);
  EXPECT_EQ(history_[0].previous_event_id, 0);
  EXPECT_EQ(history_[1].previous_event_id, 0);
  EXPECT_EQ(history_[1].details_key, "stateEnteredEventDetails");
  EXPECT_EQ(history_[1].details["name"], "P");
  EXPECT_EQ(history_[1].details["input"], R"({"a":1})");
  EXPECT_EQ(history_[2].details_key, "stateExitedEventDetails");
  EXPECT_EQ(history_[2].details["output"], R"({"a":1})");
  EXPECT_EQ(history_[3].details_key, "executionSucceededEventDetails");
  EXPECT_EQ(history_[3].details["output"], R"({"a":1})");
  for (const HistoryEvent& e : history_) EXPECT_EQ(e.timestamp, start_);
}

TEST_F(EngineTest, HistoryOfATaskWithRetry) {
  tasks_->fail_then_succeed(kWork, 1, "Flaky", "once", {{"ok", 1}});
  ExecutionResult r = run(kRetryThenCatch);
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(event_types(history_),
            (Strings{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                     "TaskFailed", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                     "TaskStateExited", "ExecutionSucceeded"}));
  expect_sequential_ids(history_);
  const HistoryEvent& failed = history_[4];
  EXPECT_EQ(failed.details_key, "taskFailedEventDetails");
  EXPECT_EQ(failed.details["error"], "Flaky");
  EXPECT_EQ(failed.details["cause"], "once");
  EXPECT_EQ(failed.details["resourceType"], "dynamodb");
  EXPECT_EQ(failed.details["resource"], "putItem");
  EXPECT_EQ(history_[5].timestamp - start_, 3 * kSecond);  // the retry is scheduled after backoff
}

// Task failure details keep the error and cause exactly, NUL bytes and all, and leave out
// what is absent: a timeout has no cause.
TEST_F(EngineTest, TaskFailureDetailsKeepErrorAndCauseExactly) {
  const std::string nul_cause("line one\0line two", 17);
  const std::string nul_error("Odd\0Name", 8);
  tasks_->script(kWork, {ScriptedExecutor::fail("Plain", nul_cause),
                         ScriptedExecutor::fail(nul_error, ""), ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "TimeoutSeconds": 5,
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2}],
            "End": true}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  std::vector<const HistoryEvent*> failures;
  for (const HistoryEvent& e : history_) {
    if (e.type == "TaskFailed" || e.type == "TaskTimedOut") failures.push_back(&e);
  }
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_EQ(failures[0]->details, (json{{"resourceType", "dynamodb"}, {"resource", "putItem"},
                                        {"error", "Plain"}, {"cause", nul_cause}}));
  EXPECT_EQ(failures[1]->details, (json{{"resourceType", "dynamodb"}, {"resource", "putItem"},
                                        {"error", nul_error}, {"cause", ""}}));
  EXPECT_EQ(failures[2]->type, "TaskTimedOut");
  EXPECT_EQ(failures[2]->details_key, "taskTimedOutEventDetails");
  EXPECT_EQ(failures[2]->details, (json{{"resourceType", "dynamodb"}, {"resource", "putItem"},
                                        {"error", "States.Timeout"}}));
}

TEST_F(EngineTest, HistoryOfAParallelState) {
  ExecutionResult r = run(R"({"StartAt": "Par", "States": {
      "Par": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  Strings types = event_types(history_);
  ASSERT_EQ(types.size(), 10u) << ::testing::PrintToString(types);
  EXPECT_EQ((Strings(types.begin(), types.begin() + 3)),
            (Strings{"ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"}));
  EXPECT_EQ((Strings(types.end() - 3, types.end())),
            (Strings{"ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"}));
  Strings middle(types.begin() + 3, types.end() - 3);
  std::sort(middle.begin(), middle.end());
  EXPECT_EQ(middle, (Strings{"PassStateEntered", "PassStateEntered", "PassStateExited",
                             "PassStateExited"}));
  expect_sequential_ids(history_);
}

TEST_F(EngineTest, HistoryOfAMapState) {
  ExecutionResult r = run(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "MaxConcurrency": 1, "End": true,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}})",
                          json{1, 2});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(event_types(history_),
            (Strings{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                     "MapIterationStarted", "PassStateEntered", "PassStateExited",
                     "MapIterationSucceeded", "MapIterationStarted", "PassStateEntered",
                     "PassStateExited", "MapIterationSucceeded", "MapStateSucceeded",
                     "MapStateExited", "ExecutionSucceeded"}));
  expect_sequential_ids(history_);
  EXPECT_EQ(history_[2].details, json({{"length", 2}}));
  EXPECT_EQ(history_[3].details_key, "mapIterationStartedEventDetails");
  EXPECT_EQ(history_[3].details, json({{"name", "M"}, {"index", 0}}));
  EXPECT_EQ(history_[7].details, json({{"name", "M"}, {"index", 1}}));
}

TEST_F(EngineTest, HistoryOfAFailState) {
  ExecutionResult r = run(R"({"StartAt": "F", "States": {
      "F": {"Type": "Fail", "Error": "E", "Cause": "C"}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(event_types(history_),
            (Strings{"ExecutionStarted", "FailStateEntered", "ExecutionFailed"}));
  EXPECT_EQ(history_[2].details, json({{"error", "E"}, {"cause", "C"}}));
}

TEST_F(EngineTest, HistoryToJsonHasAwsShape) {
  ExecutionResult r = run(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})",
                          {{"a", 1}});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  json j = history_to_json(history_);
  ASSERT_TRUE(j.contains("events"));
  ASSERT_EQ(j["events"].size(), 4u);
  const json& entered = j["events"][1];
  EXPECT_EQ(entered["id"], 2);
  EXPECT_EQ(entered["previousEventId"], 0);
  EXPECT_EQ(entered["type"], "PassStateEntered");
  EXPECT_EQ(entered["timestamp"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(entered["stateEnteredEventDetails"],
            json({{"name", "P"}, {"input", R"({"a":1})"}, {"inputDetails", {{"truncated", false}}}}));
  EXPECT_EQ(j["events"][0]["type"], "ExecutionStarted");
  EXPECT_EQ(j["events"][0]["executionStartedEventDetails"]["input"], R"({"a":1})");
  EXPECT_EQ(j["events"][3]["previousEventId"], 3);
}

TEST_F(EngineTest, HistoryListenersSeeEveryEventInOrder) {
  struct Recorder : HistoryListener {
    std::vector<std::string> seen;
    void on_event(const std::string& execution_name, const HistoryEvent& event) override {
      seen.push_back(execution_name + ":" + std::to_string(event.id) + ":" +
                     std::string(event.type));
    }
  };
  auto recorder = std::make_shared<Recorder>();
  EngineOptions o = options();
  o.history_listeners.push_back(recorder);
  auto machine = compile(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(std::move(o));
  StartOptions so;
  so.name = "ex";
  engine.run(machine, json::object(), so);
  EXPECT_EQ(recorder->seen, (Strings{"ex:1:ExecutionStarted", "ex:2:PassStateEntered",
                                     "ex:3:PassStateExited", "ex:4:ExecutionSucceeded"}));
}


// ---------------------------------------------------------------------------------------------
// Details checked against ASL-REFERENCE.md.

TEST_F(EngineTest, HistoryLimitFailureIsTheLastAllowedEvent) {
  // AWS: event 25,000 is the ExecutionFailed for the history limit (previousEventId 24,999).
  EngineOptions o = options();
  o.max_history_events = 50;
  ExecutionResult r = run(R"({"StartAt": "Loop", "States": {
      "Loop": {"Type": "Pass", "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [
                  {"Variable": "$.stop", "IsPresent": true, "Next": "Done"}],
                "Default": "Loop"},
      "Done": {"Type": "Succeed"}}})",
                          json::object(), o);
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  ASSERT_EQ(history_.size(), 50u);
  EXPECT_EQ(history_.back().type, "ExecutionFailed");
  EXPECT_EQ(history_.back().id, 50);
  EXPECT_EQ(history_.back().previous_event_id, 49);
}

TEST_F(EngineTest, WaitTimestampMillisecondsAreTruncated) {
  ExecutionResult r = run(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Timestamp": "2024-01-01T00:00:10.900Z", "End": true}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(elapsed(), 10 * kSecond);
}

TEST_F(EngineTest, WaitSecondsPathErrorsAreRuntimeWithAwsCauses) {
  const char* def = R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "SecondsPath": "$.w", "End": true}}})";
  const std::string prefix =
      "An error occurred while executing the state 'W' (entered at the event id #2). ";
  struct Case {
    json input;
    std::string cause;
  };
  const Case cases[] = {
      {{{"w", 1.5}}, "The SecondsPath parameter cannot be parsed as a long value: $.w == 1.5"},
      {{{"w", -1}}, "The SecondsPath parameter references a negative value: $.w == -1"},
      {json::object(), "The SecondsPath parameter does not reference an input value: $.w"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input.dump());
    expect_failed(run(def, c.input), "States.Runtime", prefix + c.cause);
  }
}

TEST_F(EngineTest, WaitLongerThanAYearIsARuntimeError) {
  ExecutionResult r = run(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 31536001, "End": true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_NE(r.cause.value_or("").find("Wait state delay is too long."), std::string::npos)
      << r.cause.value_or("");
  EXPECT_EQ(elapsed(), 0);
}

TEST_F(EngineTest, ExpressWaitLongerThanFiveMinutesIsARuntimeError) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 301, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  StartOptions so;
  so.express = true;
  ExecutionResult r = engine.run(machine, json::object(), so);
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_NE(r.cause.value_or("").find("Wait state delay is too long."), std::string::npos)
      << r.cause.value_or("");
}

TEST_F(EngineTest, TaskTimedOutEventHasTheErrorAndNoCause) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "TimeoutSeconds": 3, "End": true}}})");
  EXPECT_EQ(r.error, "States.Timeout");
  ASSERT_GE(history_.size(), 5u);
  EXPECT_EQ(history_[4].type, "TaskTimedOut");
  EXPECT_EQ(history_[4].details_key, "taskTimedOutEventDetails");
  EXPECT_EQ(history_[4].details, json({{"resourceType", "dynamodb"},
                                       {"resource", "putItem"},
                                       {"error", "States.Timeout"}}));
  EXPECT_EQ(history_[2].details["timeoutInSeconds"], 3);
}

TEST_F(EngineTest, TaskTimeoutSecondsPath) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "TimeoutSecondsPath": "$.t", "End": true}}})",
                          {{"t", 4}});
  EXPECT_EQ(r.error, "States.Timeout");
  EXPECT_EQ(elapsed(), 4 * kSecond);
}

TEST_F(EngineTest, MachineTimeoutCancelsARunningTask) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "T", "TimeoutSeconds": 3, "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kTimedOut);
  EXPECT_EQ(elapsed(), 3 * kSecond);
  ASSERT_EQ(tasks_->calls().size(), 1u);
  EXPECT_EQ(tasks_->cancelled(), Strings{tasks_->calls()[0].task_token});
}

TEST_F(EngineTest, UncaughtParallelFailureHistoryEndsWithParallelStateFailed) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "Par", "States": {
      "Par": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "W", "States": {
          "W": {"Type": "Wait", "Seconds": 1, "Next": "F"},
          "F": {"Type": "Fail", "Error": "Branch.Boom", "Cause": "bad"}}},
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}}
      ]}}})");
  expect_failed(r, "Branch.Boom", "bad");
  Strings types = event_types(history_);
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ((Strings(types.end() - 2, types.end())),
            (Strings{"ParallelStateFailed", "ExecutionFailed"}))
      << ::testing::PrintToString(types);
}

// When a Parallel branch fails, the Task still running in a sibling branch is stopped and
// recorded as TaskStateAborted before ParallelStateFailed (ASL-REFERENCE.md section 12).
TEST_F(EngineTest, ParallelSiblingTaskIsAbortedInHistory) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "Par", "States": {
      "Par": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "W", "States": {
          "W": {"Type": "Wait", "Seconds": 1, "Next": "F"},
          "F": {"Type": "Fail", "Error": "Branch.Boom", "Cause": "bad"}}},
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}}
      ]}}})");
  expect_failed(r, "Branch.Boom", "bad");
  Strings types = event_types(history_);
  EXPECT_NE(std::find(types.begin(), types.end(), "TaskStateAborted"), types.end())
      << ::testing::PrintToString(types);
  auto aborted = std::find(types.begin(), types.end(), "TaskStateAborted");
  auto failed = std::find(types.begin(), types.end(), "ParallelStateFailed");
  EXPECT_LT(aborted, failed);
}

TEST_F(EngineTest, ParallelBranchErrorIsCaughtWithItsNameAndCause) {
  ExecutionResult r = run(R"({"StartAt": "Par", "States": {
      "Par": {"Type": "Parallel", "Next": "Done",
              "Catch": [{"ErrorEquals": ["FailureType"], "Next": "Done"}],
              "Branches": [
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "FailureType",
                                           "Cause": "why"}}}]},
      "Done": {"Type": "Succeed"}}})");
  expect_succeeded(r, {{"Error", "FailureType"}, {"Cause", "why"}});
}

TEST_F(EngineTest, RetryOnParallelRerunsAllBranches) {
  tasks_->fail_then_succeed(kWork, 1, "Flaky", "once", "t");
  ExecutionResult r = run(R"({"StartAt": "Par", "States": {
      "Par": {"Type": "Parallel", "End": true,
              "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2}],
              "Branches": [
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}},
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "p", "End": true}}}]}}})");
  expect_succeeded(r, json({"t", "p"}));
  Strings types = event_types(history_);
  EXPECT_EQ(std::count(types.begin(), types.end(), "ParallelStateStarted"), 2);
  EXPECT_EQ(std::count(types.begin(), types.end(), "TaskScheduled"), 2);
  EXPECT_EQ(std::count(types.begin(), types.end(), "ParallelStateEntered"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "ParallelStateExited"), 1);
  EXPECT_EQ(elapsed(), 2 * kSecond);
}

TEST_F(EngineTest, FailingMapIterationFailsTheMap) {
  tasks_->script(kWork, {ScriptedExecutor::echo(), ScriptedExecutor::fail("Item.Error", "item 1")});
  ExecutionResult r = run(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "MaxConcurrency": 1, "End": true,
            "ItemProcessor": {"StartAt": "T", "States": {
              "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "End": true}}}}}})",
                          json{1, 2, 3});
  expect_failed(r, "Item.Error", "item 1");
  EXPECT_EQ(tasks_->calls().size(), 2u);
  Strings types = event_types(history_);
  EXPECT_NE(std::find(types.begin(), types.end(), "MapIterationFailed"), types.end());
  EXPECT_EQ(types.back(), "ExecutionFailed");
}

TEST_F(EngineTest, MapToleratedFailureCountKeepsGoing) {
  tasks_->script(kWork, {ScriptedExecutor::fail("Item.Error", "x"), ScriptedExecutor::echo(),
                         ScriptedExecutor::fail("Item.Error", "y")});
  const char* def = R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "MaxConcurrency": 1, "ToleratedFailureCount": %d, "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
              "StartAt": "T", "States": {
              "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "End": true}}}}}})";
  char buf[1024];
  std::snprintf(buf, sizeof buf, def, 1);
  ExecutionResult r = run(buf, json{1, 2, 3});
  expect_failed(r, "States.ExceedToleratedFailureThreshold",
                "The specified tolerated failure threshold was exceeded");
}

// Each retry runs the Task's input processing again, so Parameters see the current
// `$$.State.RetryCount`: the three attempts receive {"retry":0}, {"retry":1}, {"retry":2}.
TEST_F(EngineTest, RetryCountIsInTheContextObject) {
  tasks_->fail_then_succeed(kWork, 2, "Flaky", "again", nullptr);
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"retry.$": "$$.State.RetryCount"},
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1}], "End": true}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  std::vector<ScriptedExecutor::Call> calls = tasks_->calls();
  ASSERT_EQ(calls.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(calls[i].input, json({{"retry", i}}));
}

TEST_F(EngineTest, JitteredBackoffIsReproducibleForASeedAndBounded) {
  auto attempt_times = [&](std::uint64_t seed) {
    auto clock = std::make_shared<ManualClock>();
    auto tasks = std::make_shared<ScriptedExecutor>(clock);
    tasks->fail_then_succeed(kWork, 3, "Flaky", "c", 1);
    EngineOptions o;
    o.clock = clock;
    o.task_executor = tasks;
    o.random_seed = seed;
    Engine engine(std::move(o));
    auto machine = compile(R"({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
              "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 10, "BackoffRate": 2,
                         "MaxDelaySeconds": 15, "JitterStrategy": "FULL"}], "End": true}}})");
    std::vector<std::int64_t> gaps;
    if (!machine) return gaps;
    EXPECT_EQ(engine.run(machine, json::object()).status, ExecutionStatus::kSucceeded);
    std::vector<ScriptedExecutor::Call> calls = tasks->calls();
    for (std::size_t i = 1; i < calls.size(); ++i) gaps.push_back(calls[i].at - calls[i - 1].at);
    return gaps;
  };
  std::vector<std::int64_t> a = attempt_times(5), b = attempt_times(5);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a, b);
  const std::int64_t caps[] = {10 * kSecond, 15 * kSecond, 15 * kSecond};
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(a[i], 0);
    EXPECT_LE(a[i], caps[i]);
  }
}

TEST_F(EngineTest, CatchAssignAndResultPathNull) {
  tasks_->script(kWork, {ScriptedExecutor::fail("E", "c")});
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Assign": {"never": 1},
            "Catch": [{"ErrorEquals": ["E"], "ResultPath": null,
                       "Assign": {"err.$": "$.Error"}, "Next": "After"}], "End": true},
      "After": {"Type": "Pass", "Parameters": {"orig.$": "$.orig", "err.$": "$err"},
                "End": true}}})",
                          {{"orig", 1}});
  expect_succeeded(r, {{"orig", 1}, {"err", "E"}});
}

TEST_F(EngineTest, StopDuringAWaitAbortsTheExecution) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 60, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  engine.step();
  ASSERT_TRUE(engine.stop(*id).ok());
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kAborted);
  StepReport report = engine.step();
  EXPECT_EQ(report.running, 0u);
  EXPECT_EQ(report.next_deadline, std::nullopt);
}

// A heartbeat resets the HeartbeatSeconds gap; a silent task then fails with States.Timeout
// (as AWS reports it) one gap after its last heartbeat: 1.5 s + 2 s (ASL-REFERENCE.md 10).
TEST_F(EngineTest, HeartbeatKeepsATaskAliveUntilTheGapIsExceeded) {
  const std::string resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
  tasks_->script(resource, {ScriptedExecutor::never()});
  auto machine = compile(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"TaskToken.$": "$$.Task.Token"}},
            "TimeoutSeconds": 100, "HeartbeatSeconds": 2, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  engine.step();
  ASSERT_EQ(tasks_->pending().size(), 1u);
  clock_->advance(kSecond * 3 / 2);
  tasks_->pending()[0].heartbeat();
  engine.step();
  clock_->advance(kSecond * 3 / 2);  // 3 s since the start, 1.5 s since the heartbeat
  engine.step();
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kRunning);
  Result<ExecutionResult> r = engine.run(*id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, ExecutionStatus::kFailed);
  EXPECT_EQ(r->error, "States.Timeout");  // AWS reports a heartbeat expiry as States.Timeout
  EXPECT_EQ(elapsed(), kSecond * 7 / 2);
  EXPECT_EQ(tasks_->cancelled().size(), 1u);
}

TEST_F(EngineTest, WithoutRecordHistoryNothingIsRecordedButTheResultIsTheSame) {
  auto machine = compile(R"({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Result": {"r": 1}, "ResultPath": "$.out", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  StartOptions so;
  so.record_history = false;
  Result<ExecutionId> id = engine.start(machine, json{{"in", 0}}, so);
  ASSERT_TRUE(id.ok());
  Result<ExecutionResult> r = engine.run(*id);
  ASSERT_TRUE(r.ok());
  expect_succeeded(*r, {{"in", 0}, {"out", {{"r", 1}}}});
  EXPECT_TRUE((*engine.history(*id))->empty());
}

TEST_F(EngineTest, ExecutionResultToJson) {
  ExecutionResult ok = run(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})",
                           {{"a", 1}});
  EXPECT_EQ(ok.to_json(), json({{"status", "SUCCEEDED"}, {"output", {{"a", 1}}}}));
  ExecutionResult failed = run(R"({"StartAt": "F", "States": {
      "F": {"Type": "Fail", "Error": "E", "Cause": "C"}}})");
  EXPECT_EQ(failed.to_json(), json({{"status", "FAILED"}, {"error", "E"}, {"cause", "C"}}));
}

TEST_F(EngineTest, StepDeadlineStopsAtATransitionBoundary) {
  auto machine = compile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  StepBudget past;
  past.deadline = clock_->now();  // already reached: nothing may be entered
  StepReport report = engine.step(past);
  EXPECT_EQ(report.transitions, 0u);
  EXPECT_TRUE(report.runnable);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kRunning);
  report = engine.step();
  EXPECT_EQ(report.transitions, 2u);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kSucceeded);
}

TEST_F(EngineTest, MaxMapConcurrencyOptionBoundsAnUnboundedMap) {
  tasks_->script(kWork, std::vector<ScriptedExecutor::Step>(5, ScriptedExecutor::never()));
  EngineOptions o = options();
  o.max_map_concurrency = 2;
  auto machine = compile(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}}}}})");
  ASSERT_TRUE(machine);
  Engine engine(std::move(o));
  Result<ExecutionId> id = engine.start(machine, json{0, 1, 2, 3, 4});
  ASSERT_TRUE(id.ok());
  engine.step();
  EXPECT_EQ(tasks_->calls().size(), 2u);
  for (std::size_t done = 0; done < 5; ++done) {
    tasks_->pending()[done].succeed(static_cast<int>(done));
    engine.step();
    EXPECT_LE(tasks_->calls().size(), done + 3);
  }
  Result<ExecutionResult> r = engine.result(*id);
  ASSERT_TRUE(r.ok());
  expect_succeeded(*r, json({0, 1, 2, 3, 4}));
}

TEST_F(EngineTest, MapAndParallelApplyResultSelectorAndResultPath) {
  ExecutionResult r = run(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "ItemsPath": "$.items", "ResultSelector": {"all.$": "$"},
            "ResultPath": "$.mapped", "Next": "Par",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}},
      "Par": {"Type": "Parallel", "ResultSelector": {"first.$": "$[0]"}, "ResultPath": "$.par",
              "End": true, "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 1, "End": true}}}]}}})",
                          {{"items", {1, 2}}});
  expect_succeeded(r, {{"items", {1, 2}}, {"mapped", {{"all", {1, 2}}}}, {"par", {{"first", 1}}}});
}

TEST_F(EngineTest, MapItemFailureIsCaughtOnTheMap) {
  tasks_->script(kWork, {ScriptedExecutor::fail("Item.Error", "bad item")});
  ExecutionResult r = run(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "MaxConcurrency": 1, "Next": "Done",
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Done"}],
            "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "T", "States": {
              "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "End": true}}}},
      "Done": {"Type": "Succeed"}}})",
                          {{"items", {1}}});
  expect_succeeded(r, {{"items", {1}}, {"err", {{"Error", "Item.Error"}, {"Cause", "bad item"}}}});
}

TEST_F(EngineTest, RandomSeedMakesUuidsReproducible) {
  const char* def = R"js({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Parameters": {"u.$": "States.UUID()"}, "End": true}}})js";
  auto uuid_with_seed = [&](std::uint64_t seed) {
    EngineOptions o = options();
    o.random_seed = seed;
    ExecutionResult r = run(def, json::object(), o);
    EXPECT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json().dump();
    return r.output.value("u", std::string());
  };
  std::string a = uuid_with_seed(11), b = uuid_with_seed(11), c = uuid_with_seed(12);
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST_F(EngineTest, ChoiceRuleAssignReplacesTheTopLevelAssign) {
  const char* def = R"({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Assign": {"which": "default"},
            "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Assign": {"which": "rule"},
                         "Next": "R"}],
            "Default": "R"},
      "R": {"Type": "Pass", "Parameters": {"w.$": "$which"}, "End": true}}})";
  expect_succeeded(run(def, {{"n", 1}}), {{"w", "rule"}});
  expect_succeeded(run(def, {{"n", 2}}), {{"w", "default"}});
}

TEST_F(EngineTest, MapIterationsReadOuterVariablesAndKeepTheirOwn) {
  ExecutionResult r = run(R"({"StartAt": "Init", "States": {
      "Init": {"Type": "Pass", "Assign": {"base": 100}, "Next": "M"},
      "M": {"Type": "Map", "Next": "After",
            "ItemProcessor": {"StartAt": "Set", "States": {
              "Set": {"Type": "Pass", "Assign": {"mine.$": "$"}, "Next": "Get"},
              "Get": {"Type": "Pass", "Parameters": {"b.$": "$base", "m.$": "$mine"},
                      "End": true}}}},
      "After": {"Type": "Pass", "Parameters": {"items.$": "$", "base.$": "$base"},
                "End": true}}})",
                          json{1, 2});
  expect_succeeded(r, {{"items", json::array({{{"b", 100}, {"m", 1}}, {{"b", 100}, {"m", 2}}})}, {"base", 100}});
}

}  // namespace
}  // namespace stepwise

namespace stepwise {
namespace {

// AWS's 25,000-event history limit applies to Standard executions only.
TEST(EngineHistoryLimitTest, ExpressExecutionsHaveNoHistoryLimit) {
  ParseResult parsed = parse_state_machine(R"json({"StartAt": "Loop", "States": {
      "Loop": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$.n", "NumericLessThan": 50, "Next": "Loop"}], "Default": "Done"},
      "Done": {"Type": "Succeed"}}})json");
  ASSERT_TRUE(parsed.ok());
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.max_history_events = 20;
  Engine engine(std::move(options));
  StartOptions express;
  express.express = true;
  ExecutionResult r = engine.run(parsed.machine(), {{"n", 0}}, express);
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.output, (nlohmann::json{{"n", 50}}));
  ExecutionResult standard = engine.run(parsed.machine(), {{"n", 0}});
  EXPECT_EQ(standard.status, ExecutionStatus::kFailed);
  EXPECT_EQ(standard.cause,
            "The execution reached the maximum number of history events (20).");
}

}  // namespace
}  // namespace stepwise
