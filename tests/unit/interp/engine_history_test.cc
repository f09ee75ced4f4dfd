// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Execution history through the Engine's public API on a ManualClock: the events of each
// state type, ids, failure details, AWS's JSON shape, listeners, and running without history.
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
using engine_test::expect_succeeded;
using engine_test::kRetryThenCatch;
using engine_test::kSecond;
using engine_test::kWork;

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
  ExecutionResult r =
      run(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})", {{"a", 1}});
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
  EXPECT_EQ(failures[0]->details, (json{{"resourceType", "dynamodb"},
                                        {"resource", "putItem"},
                                        {"error", "Plain"},
                                        {"cause", nul_cause}}));
  EXPECT_EQ(failures[1]->details, (json{{"resourceType", "dynamodb"},
                                        {"resource", "putItem"},
                                        {"error", nul_error},
                                        {"cause", ""}}));
  EXPECT_EQ(failures[2]->type, "TaskTimedOut");
  EXPECT_EQ(failures[2]->details_key, "taskTimedOutEventDetails");
  EXPECT_EQ(
      failures[2]->details,
      (json{{"resourceType", "dynamodb"}, {"resource", "putItem"}, {"error", "States.Timeout"}}));
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
  ExecutionResult r =
      run(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})", {{"a", 1}});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  json j = history_to_json(history_);
  ASSERT_TRUE(j.contains("events"));
  ASSERT_EQ(j["events"].size(), 4u);
  const json& entered = j["events"][1];
  EXPECT_EQ(entered["id"], 2);
  EXPECT_EQ(entered["previousEventId"], 0);
  EXPECT_EQ(entered["type"], "PassStateEntered");
  EXPECT_EQ(entered["timestamp"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(
      entered["stateEnteredEventDetails"],
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
  ASSERT_TRUE(engine.run(machine, json::object(), so).ok());
  EXPECT_EQ(recorder->seen, (Strings{"ex:1:ExecutionStarted", "ex:2:PassStateEntered",
                                     "ex:3:PassStateExited", "ex:4:ExecutionSucceeded"}));
}

// ---------------------------------------------------------------------------------------------
// Details checked against ASL-REFERENCE.md.

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

}  // namespace
}  // namespace stepwise
