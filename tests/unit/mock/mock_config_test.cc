// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Mock configuration files (ASL-REFERENCE.md section 18): every malformed shape is an error
// naming its JSON pointer, and the executor counts invocations per state per execution (Map
// iterations, Parallel branches and retries included), as Step Functions Local does.
#include "stepwise/mock_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "stepwise/stepwise.h"
#include "support/engine_support.h"

namespace stepwise {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json valid_config() {
  return json::parse(R"({
    "StateMachines": {
      "Orders": {
        "TestCases": {
          "HappyPath": {"Charge": "ChargeOk", "Ship": "ShipOk"},
          "RetryPath": {"Charge": "ChargeFlaky", "Ship": "ShipOk"},
          "HybridPath": {"Charge": "ChargeOk"}
        }
      }
    },
    "MockedResponses": {
      "ChargeOk": {"0": {"Return": {"charged": true}}},
      "ChargeFlaky": {
        "0": {"Throw": {"Error": "Payments.Unavailable", "Cause": "try later"}},
        "1-2": {"Throw": {"Error": "Payments.Timeout", "Cause": "slow"}},
        "3": {"Return": {"charged": true, "attempt": 3}}
      },
      "ShipOk": {"0-99": {"Return": {"shipped": true}}}
    }
  })");
}

TEST(MockConfigTest, ParsesTheDocumentedFormat) {
  Result<MockConfig> c = MockConfig::parse(valid_config());
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->state_machines(), std::vector<std::string>{"Orders"});
  EXPECT_EQ(c->test_cases("Orders"),
            (std::vector<std::string>{"HappyPath", "HybridPath", "RetryPath"}));
  const auto* flaky = c->response("ChargeFlaky");
  ASSERT_NE(flaky, nullptr);
  ASSERT_EQ(flaky->size(), 3u);
  EXPECT_EQ((*flaky)[1].first, 1);
  EXPECT_EQ((*flaky)[1].last, 2);
  EXPECT_TRUE((*flaky)[1].is_throw);
  EXPECT_EQ((*flaky)[2].value, json({{"charged", true}, {"attempt", 3}}));
}

TEST(MockConfigTest, EveryMalformedShapeIsReportedWithItsPointer) {
  struct Case {
    const char* doc;
    const char* message;
  };
  const Case cases[] = {
      {R"([])", "/: the mock configuration must be an object, not an array"},
      {R"({"MockedResponses": {}})", "/StateMachines: \"StateMachines\" is required"},
      {R"({"StateMachines": {}})", "/MockedResponses: \"MockedResponses\" is required"},
      {R"({"StateMachines": [], "MockedResponses": {}})",
       "/StateMachines: \"StateMachines\" must be an object, not an array"},
      {R"({"StateMachines": {}, "MockedResponses": {}, "Extra": 1})",
       "/Extra: unknown field (expected \"StateMachines\" and \"MockedResponses\")"},
      {R"({"StateMachines": {"M": 3}, "MockedResponses": {}})",
       "/StateMachines/M: a state machine must be an object, not a number"},
      {R"({"StateMachines": {"M": {}}, "MockedResponses": {}})",
       "/StateMachines/M: \"TestCases\" is required"},
      {R"({"StateMachines": {"M": {"TestCases": {}, "Other": 1}}, "MockedResponses": {}})",
       "/StateMachines/M/Other: unknown field (expected \"TestCases\")"},
      {R"({"StateMachines": {"M": {"TestCases": {"T": []}}}, "MockedResponses": {}})",
       "/StateMachines/M/TestCases/T: a test case must be an object, not an array"},
      {R"({"StateMachines": {"M": {"TestCases": {"T": {"S": 1}}}}, "MockedResponses": {}})",
       "/StateMachines/M/TestCases/T/S: a mocked state names a mocked response (a string), not "
       "a number"},
      {R"({"StateMachines": {"M": {"TestCases": {"T": {"S": "Nope"}}}}, "MockedResponses": {}})",
       "/StateMachines/M/TestCases/T/S: no mocked response named \"Nope\" in /MockedResponses"},
      {R"({"StateMachines": {"M": {"TestCases": {"T": {"a/b": "Nope"}}}}, "MockedResponses": {}})",
       "/StateMachines/M/TestCases/T/a~1b: no mocked response named \"Nope\""},
      {R"({"StateMachines": {}, "MockedResponses": {"R": []}})",
       "/MockedResponses/R: a mocked response must be an object, not an array"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"x": {"Return": 1}}}})",
       "/MockedResponses/R/x: an invocation key must be a number (\"0\") or an inclusive range"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"-1": {"Return": 1}}}})",
       "/MockedResponses/R/-1: an invocation key must be a number"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"01": {"Return": 1}}}})",
       "/MockedResponses/R/01: an invocation key must be a number"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"1-2-3": {"Return": 1}}}})",
       "/MockedResponses/R/1-2-3: an invocation key must be a number"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"3-1": {"Return": 1}}}})",
       "/MockedResponses/R/3-1: the range ends (1) before it starts (3)"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0": 5}}})",
       "/MockedResponses/R/0: an invocation's response must be an object, not a number"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {}}}})",
       "/MockedResponses/R/0: a response needs \"Return\" or \"Throw\""},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {}}}}})",
       "/MockedResponses/R/0: a response has either \"Return\" or \"Throw\", not both"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1, "Wait": 2}}}})",
       "/MockedResponses/R/0/Wait: unknown field (expected \"Return\" or \"Throw\")"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": "boom"}}}})",
       "/MockedResponses/R/0/Throw: \"Throw\" must be an object, not a string"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Error": "E"}}}}})",
       "/MockedResponses/R/0/Throw: \"Cause\" is required"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Cause": "C"}}}}})",
       "/MockedResponses/R/0/Throw: \"Error\" is required"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Error": 1, "Cause": "C"}}}}})",
       "/MockedResponses/R/0/Throw/Error: \"Error\" must be a string, not a number"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {"Error": "E", "Cause": "C", "X": 1}}}}})",
       "/MockedResponses/R/0/Throw/X: unknown field (expected \"Error\" and \"Cause\")"},
      {R"({"StateMachines": {}, "MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}})",
       "/MockedResponses/R: invocation 2 has more than one response"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.doc);
    Result<MockConfig> r = MockConfig::parse(json::parse(c.doc));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.message));
  }
}

TEST(MockConfigTest, ReportsEveryProblemNotJustTheFirst) {
  Result<MockConfig> r = MockConfig::parse(json::parse(R"({
    "StateMachines": {"M": {"TestCases": {"T": {"A": "Missing"}}}},
    "MockedResponses": {"R": {"0": {}}, "Q": {"x": {"Return": 1}}}
  })"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("/MockedResponses/R/0:"));
  EXPECT_THAT(r.status().message(), HasSubstr("/MockedResponses/Q/x:"));
  EXPECT_THAT(r.status().message(), HasSubstr("/StateMachines/M/TestCases/T/A:"));
}

TEST(MockConfigTest, BadJsonTextNamesTheByteOffset) {
  Result<MockConfig> r = MockConfig::parse_text(R"({"StateMachines": {,})");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("not valid JSON (byte 20)"));
}

TEST(MockConfigTest, LoadPrefixesProblemsWithThePath) {
  auto path = std::filesystem::temp_directory_path() / "stepwise_mock_config_test_bad.json";
  std::ofstream(path) << R"({"StateMachines": {}})";
  Result<MockConfig> r = MockConfig::load(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            path.string() + ":/MockedResponses: \"MockedResponses\" is required");
  std::filesystem::remove(path);
  Result<MockConfig> missing = MockConfig::load(path);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(MockConfigTest, UnknownStateMachineOrTestCaseIsAnErrorWithItsLocation) {
  Result<MockConfig> c = MockConfig::parse(valid_config());
  ASSERT_TRUE(c.ok());
  auto no_machine = c->executor("Shipping", "HappyPath", nullptr);
  ASSERT_FALSE(no_machine.ok());
  EXPECT_EQ(no_machine.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_machine.status().message(),
            "/StateMachines/Shipping: no state machine named \"Shipping\" in the mock "
            "configuration (it has: Orders)");
  auto no_case = c->executor("Orders", "SadPath", nullptr);
  ASSERT_FALSE(no_case.ok());
  EXPECT_EQ(no_case.status().message(),
            "/StateMachines/Orders/TestCases/SadPath: no test case named \"SadPath\" for state "
            "machine \"Orders\" (it has: HappyPath, HybridPath, RetryPath)");
}

// --- Running executions against mocks ---

class MockRunTest : public ::testing::Test {
 protected:
  ExecutionResult run(const char* definition, const char* test_case, json input = json::object(),
                      std::shared_ptr<TaskExecutor> fallback = nullptr) {
    Result<MockConfig> c = MockConfig::parse(config_);
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    auto exec = c->executor("M", test_case, std::move(fallback));
    EXPECT_TRUE(exec.ok()) << exec.status().to_string();
    executor_ = std::static_pointer_cast<MockTaskExecutor>(*exec);
    EngineOptions options;
    options.clock = std::make_shared<ManualClock>();
    options.task_executor = executor_;
    engine_ = std::make_unique<Engine>(std::move(options));
    auto machine = testing_support::compile(definition);
    StartOptions so;
    so.name = "run";
    Result<ExecutionId> id = engine_->start(machine, std::move(input), so);
    EXPECT_TRUE(id.ok());
    id_ = *id;
    return *engine_->run(*id);
  }

  json config_;
  std::shared_ptr<MockTaskExecutor> executor_;
  std::unique_ptr<Engine> engine_;
  ExecutionId id_ = 0;
};

TEST_F(MockRunTest, RetriesCountAsInvocations) {
  config_ = json::parse(R"({
    "StateMachines": {"M": {"TestCases": {"T": {"Charge": "Flaky"}}}},
    "MockedResponses": {"Flaky": {
      "0": {"Throw": {"Error": "E1", "Cause": "c1"}},
      "1-2": {"Throw": {"Error": "E2", "Cause": "c2"}},
      "3": {"Return": {"ok": true}}}}
  })");
  ExecutionResult r = run(R"({"StartAt": "Charge", "States": {"Charge": {
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 5, "IntervalSeconds": 1}],
      "End": true}}})",
                          "T");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json();
  EXPECT_EQ(r.output, json({{"ok", true}}));
  EXPECT_EQ(executor_->invocations("run", "Charge"), 4);
}

TEST_F(MockRunTest, MissingInvocationFailsTheExecutionWithStatesRuntime) {
  config_ = json::parse(R"({
    "StateMachines": {"M": {"TestCases": {"T": {"Charge": "Flaky"}}}},
    "MockedResponses": {"Flaky": {"0-1": {"Throw": {"Error": "E1", "Cause": "c1"}}}}
  })");
  ExecutionResult r = run(R"({"StartAt": "Charge", "States": {"Charge": {
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
      "End": true}, "Caught": {"Type": "Succeed"}}})",
                          "T");
  // States.Runtime is neither retried nor caught.
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause,
            "No mocked response for invocation 2 of state 'Charge' in test case 'T': "
            "its mocked response defines invocations 0-1");
}

TEST_F(MockRunTest, EmptyResponseIsAcceptedAndFailsWhenInvoked) {
  // Step Functions Local accepts a mocked response without invocations and fails the state
  // that uses it at run time.
  config_ = json::parse(R"({
    "StateMachines": {"M": {"TestCases": {"T": {"Charge": "Nothing"}}}},
    "MockedResponses": {"Nothing": {}}
  })");
  ExecutionResult r = run(R"({"StartAt": "Charge", "States": {"Charge": {
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}})",
                          "T");
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause,
            "No mocked response for invocation 0 of state 'Charge' in test case 'T': "
            "its mocked response defines no invocation");
}

TEST_F(MockRunTest, CountsPerStateAcrossMapIterations) {
  config_ = json::parse(R"({
    "StateMachines": {"M": {"TestCases": {"T": {"Score": "Scores"}}}},
    "MockedResponses": {"Scores": {
      "0": {"Return": 10}, "1": {"Return": 20},
      "2": {"Throw": {"Error": "Bad.Item", "Cause": "third"}},
      "3": {"Return": 30}}}
  })");
  ExecutionResult r = run(R"({"StartAt": "Each", "States": {"Each": {
      "Type": "Map", "MaxConcurrency": 1,
      "ItemProcessor": {"StartAt": "Score", "States": {"Score": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Retry": [{"ErrorEquals": ["Bad.Item"], "MaxAttempts": 1, "IntervalSeconds": 1}],
        "End": true}}},
      "End": true}}})",
                          "T", json::array({1, 2, 3}));
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json();
  // The third item's first attempt gets invocation 2 (a throw), its retry invocation 3.
  EXPECT_EQ(r.output, json::array({10, 20, 30}));
  EXPECT_EQ(executor_->invocations("run", "Score"), 4);
}

TEST_F(MockRunTest, CountsPerStateInParallelBranches) {
  config_ = json::parse(R"({
    "StateMachines": {"M": {"TestCases": {"T": {"Left": "L", "Right": "R"}}}},
    "MockedResponses": {"L": {"0": {"Return": "left"}}, "R": {"0": {"Return": "right"}}}
  })");
  ExecutionResult r = run(R"({"StartAt": "Both", "States": {"Both": {
      "Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Left", "States": {"Left": {"Type": "Task", "Resource": "arn:aws:states:::game:x", "End": true}}},
        {"StartAt": "Right", "States": {"Right": {"Type": "Task", "Resource": "arn:aws:states:::game:x", "End": true}}}
      ]}}})",
                          "T");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json();
  EXPECT_EQ(r.output, json::array({"left", "right"}));
}

TEST_F(MockRunTest, UnlistedTasksCallTheFallbackExecutor) {
  config_ = valid_config();
  config_["StateMachines"]["M"] = config_["StateMachines"]["Orders"];
  auto fallback = std::make_shared<testing_support::ScriptedExecutor>();
  fallback->script("arn:aws:states:::shipping:ship",
                   {testing_support::ScriptedExecutor::succeed("real")});
  ExecutionResult r = run(R"({"StartAt": "Charge", "States": {
      "Charge": {"Type": "Task", "Resource": "arn:aws:states:::payments:charge", "ResultPath": "$.c", "Next": "Ship"},
      "Ship": {"Type": "Task", "Resource": "arn:aws:states:::shipping:ship", "ResultPath": "$.s", "End": true}}})",
                          "HybridPath", json::object(), fallback);
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json();
  EXPECT_EQ(r.output, json({{"c", {{"charged", true}}}, {"s", "real"}}));
  ASSERT_EQ(fallback->calls().size(), 1u);
  EXPECT_EQ(fallback->calls()[0].state_name, "Ship");
}

TEST_F(MockRunTest, UnlistedTaskWithoutFallbackFails) {
  config_ = valid_config();
  config_["StateMachines"]["M"] = config_["StateMachines"]["Orders"];
  ExecutionResult r = run(R"({"StartAt": "Ship", "States": {
      "Ship": {"Type": "Task", "Resource": "arn:aws:states:::shipping:ship", "End": true}}})",
                          "HybridPath");
  ASSERT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.TaskFailed");
  EXPECT_EQ(r.cause,
            "the state 'Ship' is not mocked in test case 'HybridPath' and no fallback "
            "executor is configured");
}

TEST_F(MockRunTest, WaitForTaskTokenMocksCompleteWithoutACallback) {
  config_ = json::parse(R"({
    "StateMachines": {"M": {"TestCases": {"T": {"Ask": "Approved"}}}},
    "MockedResponses": {"Approved": {"0": {"Return": {"approved": true}}}}
  })");
  ExecutionResult r = run(R"({"StartAt": "Ask", "States": {"Ask": {
      "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}},
      "HeartbeatSeconds": 60, "End": true}}})",
                          "T");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json();
  EXPECT_EQ(r.output, json({{"approved", true}}));
}

TEST_F(MockRunTest, CountsArePerExecution) {
  config_ = json::parse(R"({
    "StateMachines": {"M": {"TestCases": {"T": {"A": "Once"}}}},
    "MockedResponses": {"Once": {"0": {"Return": 1}}}
  })");
  const char* def =
      R"({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::game:x", "End": true}}})";
  ExecutionResult r = run(def, "T");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  StartOptions so;
  so.name = "second";
  ExecutionResult again = *engine_->run(testing_support::compile(def), json::object(), so);
  EXPECT_EQ(again.status, ExecutionStatus::kSucceeded) << again.to_json();
  EXPECT_EQ(executor_->invocations("second", "A"), 1);
}

}  // namespace
}  // namespace stepwise
