// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The TestState API: one state run in isolation, with AWS's statuses (SUCCEEDED, FAILED,
// CAUGHT_ERROR, RETRIABLE), next state and inspection data.
#include "stepwise/test_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/testing/scripted_executor.h"

namespace stepwise {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TestStateRequest request(const char* definition, json input = json::object()) {
  TestStateRequest r;
  r.definition = json::parse(definition);
  r.input = std::move(input);
  r.inspection_level = InspectionLevel::kDebug;
  return r;
}

TestStateResponse run(const TestStateRequest& r, const TestStateOptions& o = {}) {
  Result<TestStateResponse> res = test_state(r, o);
  EXPECT_TRUE(res.ok()) << res.status().to_string();
  return res.ok() ? *res : TestStateResponse{};
}

TEST(TestStateTest, PassStateReportsEachPipelineStep) {
  TestStateResponse r = run(request(
      R"({"Type": "Pass", "InputPath": "$.a", "Parameters": {"x.$": "$.b"},
          "ResultPath": "$.out", "OutputPath": "$.out", "Next": "After"})",
      {{"a", {{"b", 1}}}}));
  EXPECT_EQ(r.status, TestStateStatus::kSucceeded);
  EXPECT_EQ(r.next_state, "After");
  EXPECT_EQ(r.output, json({{"x", 1}}));
  EXPECT_EQ(*r.inspection_data, json::parse(R"({
    "input": {"a": {"b": 1}}, "afterInputPath": {"b": 1}, "afterParameters": {"x": 1},
    "afterResultSelector": {"x": 1}, "afterResultPath": {"a": {"b": 1}, "out": {"x": 1}}})"));
}

TEST(TestStateTest, InfoLevelHasNoInspectionData) {
  TestStateRequest req = request(R"({"Type": "Succeed"})", {{"k", 1}});
  req.inspection_level = InspectionLevel::kInfo;
  TestStateResponse r = run(req);
  EXPECT_EQ(r.to_json(), json::parse(R"({"status": "SUCCEEDED", "output": {"k": 1}})"));
}

TEST(TestStateTest, MockedTaskResultGoesThroughResultSelectorAndResultPath) {
  TestStateRequest req = request(
      R"({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "f", "Payload.$": "$"},
          "ResultSelector": {"v.$": "$.Payload"}, "ResultPath": "$.r", "End": true})",
      {{"n", 2}});
  req.mock = TestStateMock{json{{"Payload", 42}}, std::nullopt, std::nullopt};
  TestStateResponse r = run(req);
  EXPECT_EQ(r.status, TestStateStatus::kSucceeded);
  EXPECT_FALSE(r.next_state);
  EXPECT_EQ(r.output, json({{"n", 2}, {"r", {{"v", 42}}}}));
  EXPECT_EQ((*r.inspection_data)["afterParameters"],
            json({{"FunctionName", "f"}, {"Payload", {{"n", 2}}}}));
  EXPECT_EQ((*r.inspection_data)["result"], json({{"Payload", 42}}));
  EXPECT_EQ((*r.inspection_data)["afterResultSelector"], json({{"v", 42}}));
}

TEST(TestStateTest, UnmockedTaskCallsTheExecutor) {
  auto tasks = std::make_shared<testing::ScriptedExecutor>();
  tasks->script("arn:aws:states:::game:x", {testing::ScriptedExecutor::succeed("done")});
  TestStateOptions o;
  o.task_executor = tasks;
  TestStateResponse r =
      run(request(R"({"Type": "Task", "Resource": "arn:aws:states:::game:x", "End": true})"), o);
  EXPECT_EQ(r.output, "done");
  ASSERT_EQ(tasks->calls().size(), 1u);
}

const char* kRetryCatch = R"({"Type": "Task", "Resource": "arn:aws:states:::game:x",
    "Retry": [{"ErrorEquals": ["Other"], "MaxAttempts": 1},
              {"ErrorEquals": ["Busy"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["Nope"], "Next": "X"},
              {"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handle"}],
    "End": true})";

TEST(TestStateTest, MatchingRetrierWithAttemptsLeftIsRetriable) {
  TestStateRequest req = request(kRetryCatch);
  req.mock = TestStateMock{std::nullopt, "Busy", "locked"};
  req.retrier_retry_count = 1;
  TestStateResponse r = run(req);
  EXPECT_EQ(r.status, TestStateStatus::kRetriable);
  EXPECT_EQ(r.error, "Busy");
  EXPECT_EQ(r.cause, "locked");
  EXPECT_FALSE(r.output);
  EXPECT_EQ((*r.inspection_data)["errorDetails"],
            json({{"retryIndex", 1}, {"retryBackoffIntervalSeconds", 6}}));
}

TEST(TestStateTest, ExhaustedRetrierFallsThroughToCatch) {
  TestStateRequest req = request(kRetryCatch, {{"in", 1}});
  req.mock = TestStateMock{std::nullopt, "Busy", "locked"};
  req.retrier_retry_count = 2;
  TestStateResponse r = run(req);
  EXPECT_EQ(r.status, TestStateStatus::kCaughtError);
  EXPECT_EQ(r.next_state, "Handle");
  EXPECT_EQ(r.error, "Busy");
  EXPECT_EQ(r.output, json::parse(R"({"in": 1, "err": {"Error": "Busy", "Cause": "locked"}})"));
  EXPECT_EQ((*r.inspection_data)["errorDetails"], json({{"retryIndex", 1}, {"catchIndex", 1}}));
}

TEST(TestStateTest, UnhandledErrorFails) {
  TestStateRequest req =
      request(R"({"Type": "Task", "Resource": "arn:aws:states:::game:x", "End": true})");
  req.mock = TestStateMock{std::nullopt, "Boom", "bang"};
  TestStateResponse r = run(req);
  EXPECT_EQ(r.to_json()["status"], "FAILED");
  EXPECT_EQ(r.error, "Boom");
  EXPECT_FALSE((*r.inspection_data).contains("errorDetails"));
}

TEST(TestStateTest, ChoiceReportsTheChosenNextState) {
  TestStateResponse r = run(request(
      R"({"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}],
          "Default": "Small"})",
      {{"n", 9}}));
  EXPECT_EQ(r.next_state, "Big");
  EXPECT_EQ(*r.inspection_data, json::parse(R"({"input": {"n": 9}, "afterInputPath": {"n": 9}})"));
}

TEST(TestStateTest, AStateCanTransitionToItself) {
  TestStateResponse r = run(request(R"({"Type": "Pass", "Next": "StateName"})", {{"n", 1}}));
  EXPECT_EQ(r.status, TestStateStatus::kSucceeded);
  EXPECT_EQ(r.next_state, "StateName");
}

TEST(TestStateTest, NamedStateOfAMachineInheritsItsQueryLanguage) {
  TestStateRequest req = request(R"({
    "QueryLanguage": "JSONata", "StartAt": "Loop",
    "States": {"Loop": {"Type": "Map", "Items": "{% $states.input.xs %}", "End": true,
      "ItemProcessor": {"StartAt": "Double", "States": {
        "Double": {"Type": "Pass", "Output": "{% $states.input * $factor %}", "End": true}}}}}})",
                                 3);
  req.state_name = "Double";
  req.variables = {{"factor", 2}};
  TestStateResponse r = run(req);
  EXPECT_EQ(r.status, TestStateStatus::kSucceeded);
  EXPECT_EQ(r.output, 6);
  EXPECT_EQ((*r.inspection_data)["variables"], json({{"factor", 2}}));
}

TEST(TestStateTest, AssignedVariablesAreReported) {
  TestStateResponse r =
      run(request(R"({"Type": "Pass", "Assign": {"seen.$": "$.id"}, "End": true})", {{"id", 4}}));
  EXPECT_EQ((*r.inspection_data)["variables"], json({{"seen", 4}}));
}

TEST(TestStateTest, GivenContextIsUsedAsIs) {
  TestStateRequest req = request(R"({"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": true})");
  req.context = json{{"Execution", {{"Name", "mine"}}}};
  EXPECT_EQ(run(req).output, json({{"c", {{"Execution", {{"Name", "mine"}}}}}}));
}

TEST(TestStateTest, BuiltContextNamesTheStateAndRole) {
  TestStateRequest req = request(R"({"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": true})");
  req.role_arn = "arn:aws:iam::111111111111:role/etl";
  json c = (*run(req).output)["c"];
  EXPECT_EQ(c["State"]["Name"], "StateName");
  EXPECT_EQ(c["Execution"]["RoleArn"], "arn:aws:iam::111111111111:role/etl");
  EXPECT_FALSE(c["State"].contains("RetryCount"));  // only states that can retry have it
}

TEST(TestStateTest, MockedMapChecksTheToleratedFailureCount) {
  const char* map = R"({"Type": "Map", "ItemsPath": "$.xs", "ToleratedFailureCount": 1,
      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
      "End": true})";
  TestStateRequest req = request(map, {{"xs", {1, 2, 3}}});
  req.mock = TestStateMock{json{7, 8, 9}, std::nullopt, std::nullopt};
  req.map_iteration_failure_count = 1;
  TestStateResponse ok = run(req);
  EXPECT_EQ(ok.output, json({7, 8, 9}));
  EXPECT_EQ((*ok.inspection_data)["afterItemsPath"], json({1, 2, 3}));
  EXPECT_EQ((*ok.inspection_data)["toleratedFailureCount"], 1);
  EXPECT_EQ((*ok.inspection_data)["maxConcurrency"], 0);
  req.map_iteration_failure_count = 2;
  TestStateResponse exceeded = run(req);
  EXPECT_EQ(exceeded.status, TestStateStatus::kFailed);
  EXPECT_EQ(exceeded.error, "States.ExceedToleratedFailureThreshold");
}

TEST(TestStateTest, MockedParallelSkipsTheBranches) {
  TestStateRequest req = request(R"({"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Fail", "Error": "Never"}}}]})");
  req.mock = TestStateMock{json{"mocked"}, std::nullopt, std::nullopt};
  EXPECT_EQ(run(req).output, json({"mocked"}));
}

TEST(TestStateTest, UnmockedParallelRunsItsBranches) {
  TestStateResponse r = run(request(R"({"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": true}}},
      {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 2, "End": true}}}]})"));
  EXPECT_EQ(r.output, json({1, 2}));
}

TEST(TestStateTest, RuntimeCausesHaveNoEventPrefix) {
  TestStateResponse r = run(request(R"({"Type": "Pass", "InputPath": "$.missing", "End": true})"));
  EXPECT_EQ(r.status, TestStateStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_THAT(*r.cause, ::testing::StartsWith("Invalid path '$.missing'"));
}

TEST(TestStateTest, BadRequestsAreErrors) {
  TestStateRequest pass = request(R"({"Type": "Pass", "End": true})");
  pass.mock = TestStateMock{json(1), std::nullopt, std::nullopt};
  Result<TestStateResponse> r1 = test_state(pass);
  EXPECT_THAT(r1.status().message(), HasSubstr("a mock applies to Task, Map and Parallel"));

  TestStateRequest machine = request(R"({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})");
  machine.state_name = "B";
  EXPECT_EQ(test_state(machine).status().message(), "no state named 'B' in the state machine");
  machine.state_name.clear();
  EXPECT_THAT(test_state(machine).status().message(), HasSubstr("stateName"));

  TestStateRequest invalid = request(R"({"Type": "Task", "End": true})");
  Result<TestStateResponse> r3 = test_state(invalid);
  EXPECT_EQ(r3.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r3.status().message(), HasSubstr("Resource"));
}

TEST(TestStateTest, RequestFromAwsJson) {
  Result<TestStateRequest> r = TestStateRequest::from_json(json::parse(R"({
    "definition": "{\"Type\": \"Pass\", \"End\": true}",
    "input": "{\"a\": 1}", "variables": "{\"v\": 2}", "inspectionLevel": "TRACE",
    "stateConfiguration": {"retrierRetryCount": 2, "mapItemReaderData": "[1]"}})"));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->definition["Type"], "Pass");
  EXPECT_EQ(r->input, json({{"a", 1}}));
  EXPECT_EQ(r->variables, json({{"v", 2}}));
  EXPECT_EQ(r->inspection_level, InspectionLevel::kTrace);
  EXPECT_EQ(r->retrier_retry_count, 2);
  EXPECT_EQ(r->map_item_reader_data, json({1}));

  EXPECT_EQ(
      TestStateRequest::from_json(json::parse(R"({"definition": {}, "inspectionLevel": "LOUD"})"))
          .status()
          .message(),
      "/inspectionLevel: \"LOUD\" is not INFO, DEBUG or TRACE");
  EXPECT_EQ(TestStateRequest::from_json(json::parse(R"({"input": 1})")).status().message(),
            "/definition: required");
  EXPECT_THAT(TestStateRequest::from_json(json::parse(R"({"definition": {}, "mock": {}})"))
                  .status()
                  .message(),
              HasSubstr("/mock: needs"));
}

}  // namespace
}  // namespace stepwise
