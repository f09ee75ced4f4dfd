// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Limits, inputs and variables through the Engine's public API on a ManualClock: payload size
// limits, the history event limit (Standard executions only), inputs that are not objects,
// Assign and variable scopes, the context object (ASL-REFERENCE.md sections 4 and 16).
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

using engine_test::EngineTest;
using engine_test::expect_failed;
using engine_test::expect_succeeded;
using engine_test::kWork;
using nlohmann::json;
using testing_support::compile;
using testing_support::ScriptedExecutor;

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
  ExecutionResult r = *engine.run(machine, {{"q", 1}}, so);
  expect_succeeded(r, {{"name", "my-exec"}, {"state", "P"}, {"input", {{"q", 1}}}});
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
  expect_succeeded(
      r, {{"items", json::array({{{"b", 100}, {"m", 1}}, {{"b", 100}, {"m", 2}}})}, {"base", 100}});
}

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
  ExecutionResult r = *engine.run(parsed.machine(), {{"n", 0}}, express);
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.output, (nlohmann::json{{"n", 50}}));
  ExecutionResult standard = *engine.run(parsed.machine(), {{"n", 0}});
  EXPECT_EQ(standard.status, ExecutionStatus::kFailed);
  EXPECT_EQ(standard.cause, "The execution reached the maximum number of history events (20).");
}

}  // namespace
}  // namespace stepwise
