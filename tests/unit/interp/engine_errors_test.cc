// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Errors through the Engine's public API on a ManualClock: Retry with backoff and jitter,
// Catch, task timeouts and heartbeats, the machine's TimeoutSeconds (ASL-REFERENCE.md
// sections 12 and 15).
#include "stepwise/engine.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/engine_support.h"
#include "unit/interp/engine_test_fixture.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::compile;
using testing_support::event_types;
using testing_support::ScriptedExecutor;
using Strings = std::vector<std::string>;
using engine_test::EngineTest;
using engine_test::expect_failed;
using engine_test::expect_succeeded;
using engine_test::kRetryThenCatch;
using engine_test::kSecond;
using engine_test::kWork;

// ---------------------------------------------------------------------------------------------
// Retry and Catch.

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
// Details checked against ASL-REFERENCE.md.

TEST_F(EngineTest, TaskTimedOutEventHasTheErrorAndNoCause) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "TimeoutSeconds": 3, "End": true}}})");
  EXPECT_EQ(r.error, "States.Timeout");
  ASSERT_GE(history_.size(), 5u);
  EXPECT_EQ(history_[4].type, "TaskTimedOut");
  EXPECT_EQ(history_[4].details_key, "taskTimedOutEventDetails");
  EXPECT_EQ(
      history_[4].details,
      json({{"resourceType", "dynamodb"}, {"resource", "putItem"}, {"error", "States.Timeout"}}));
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
    EXPECT_EQ(engine.run(machine, json::object())->status, ExecutionStatus::kSucceeded);
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

}  // namespace
}  // namespace stepwise
