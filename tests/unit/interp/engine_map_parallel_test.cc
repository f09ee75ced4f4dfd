// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Parallel and Map states through the Engine's public API on a ManualClock: results in
// order, failures and tolerated failures, concurrency, ItemBatcher, ResultSelector, Retry and
// Catch on the state (ASL-REFERENCE.md sections 10 and 11).
#include "stepwise/engine.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
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
using engine_test::kSecond;
using engine_test::kWork;

// ---------------------------------------------------------------------------------------------
// States end to end.

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
  tasks_->script(kWork,
                 {ScriptedExecutor::never(), ScriptedExecutor::never(), ScriptedExecutor::never()});
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
// Details checked against ASL-REFERENCE.md.

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

}  // namespace
}  // namespace stepwise
