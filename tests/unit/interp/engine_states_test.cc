// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Pass, Choice, Wait, Succeed and Fail states end to end through the Engine's public API
// on a ManualClock (ASL-REFERENCE.md sections 3, 4 and 7-9), with AWS's Wait limits and errors.
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
using engine_test::kSecond;
using nlohmann::json;
using testing_support::compile;
using testing_support::ScriptedExecutor;

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

// A Wait of a second or more keeps its output as text while it waits and parses it back when
// it ends (state_wait.cc): the output and the history must be exactly what they would be with
// the document kept as a tree, with and without history.
TEST_F(EngineTest, LongWaitReturnsItsOutputExactly) {
  const json input = json::parse(
      R"({"f": 0.1, "neg": -0.0, "big": 18446744073709551615, "i": -9007199254740993,
          "s": "caf\u00e9 \ud83d\ude00 \"q\"\n", "a": [1, [2, {"b": null}], true, 1e300],
          "e": {}, "z": []})");
  const char* definition = R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 3600, "Next": "Short"},
      "Short": {"Type": "Wait", "Seconds": 0, "OutputPath": "$.a", "End": true}}})";
  for (bool history : {true, false}) {
    auto machine = testing_support::compile(definition);
    ASSERT_TRUE(machine);
    Engine engine(options());
    StartOptions start;
    start.record_history = history;
    Result<ExecutionId> id = engine.start(machine, input, start);
    ASSERT_TRUE(id.ok());
    Result<ExecutionResult> r = engine.run(*id);
    ASSERT_TRUE(r.ok());
    expect_succeeded(*r, input["a"]);
    if (!history) continue;
    const History& events = **engine.history(*id);
    ASSERT_GE(events.size(), 4u);
    const json exited = events[2].to_json();
    EXPECT_EQ(exited["type"], "WaitStateExited");
    EXPECT_EQ(json::parse(exited["stateExitedEventDetails"]["output"].get<std::string>()), input);
  }
}

// `$$.Task.Token` is in the context object only while the callback Task's Parameters are
// evaluated; the context the next state reads has no Task member, whether the token was the
// first read of `$$` (the object is then dropped and built again) or not.
TEST_F(EngineTest, TaskTokenIsGoneFromTheContextAfterTheCallbackTask) {
  const std::string resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
  for (bool read_before : {false, true}) {
    tasks_->script(resource, {ScriptedExecutor::never()});
    std::string definition =
        R"({"StartAt": "Before", "States": {
        "Before": {"Type": "Pass", )" +
        std::string(read_before ? R"("Parameters": {"n.$": "$$.State.Name"}, )" : "") +
        R"("Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters": {"QueueUrl": "q", "MessageBody": {"TaskToken.$": "$$.Task.Token"}},
              "Next": "After"},
        "After": {"Type": "Pass", "Parameters": {"ctx.$": "$$"}, "End": true}}})";
    auto machine = testing_support::compile(definition);
    ASSERT_TRUE(machine);
    Engine engine(options());
    Result<ExecutionId> id = engine.start(machine, json{{"k", 1}});
    ASSERT_TRUE(id.ok());
    std::size_t before = tasks_->pending().size();
    engine.step();
    ASSERT_EQ(tasks_->pending().size(), before + 1);
    tasks_->pending().back().succeed(json{{"done", true}});
    Result<ExecutionResult> r = engine.run(*id);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, ExecutionStatus::kSucceeded) << r->cause.value_or("");
    const json& ctx = r->output["ctx"];
    EXPECT_FALSE(ctx.contains("Task")) << ctx.dump();
    EXPECT_EQ(ctx["State"]["Name"], "After");
    EXPECT_EQ(ctx["Execution"]["Input"], json({{"k", 1}}));
    EXPECT_TRUE(ctx["Execution"]["Id"].get<std::string>().ends_with(
        ":execution:stepwise:" + ctx["Execution"]["Name"].get<std::string>()));
  }
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
      "OutputPath": "$.x"}}})",
                       {{"x", {1, 2}}}),
                   json({1, 2}));
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

// ---------------------------------------------------------------------------------------------
// Details checked against ASL-REFERENCE.md.

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
  ExecutionResult r = *engine.run(machine, json::object(), so);
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_NE(r.cause.value_or("").find("Wait state delay is too long."), std::string::npos)
      << r.cause.value_or("");
}

}  // namespace
}  // namespace stepwise
