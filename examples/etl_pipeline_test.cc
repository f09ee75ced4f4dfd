// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Testing a workflow before deploying it, with `stepwise::testing`.
//
// A game studio runs its telemetry ETL (examples/telemetry_etl.asl.json) on AWS Step
// Functions: list the day's batches of player events, and for each batch validate it,
// aggregate it three ways in parallel, and load it into the warehouse (retried while the
// warehouse is busy); a poison batch is caught and sent to a dead-letter state. These tests
// pin that behaviour down on every build, in milliseconds, with no AWS account:
//
//   - the happy path, every Task served from a Step Functions Local mock file
//     (examples/telemetry_etl.mocks.json, the same file works with Step Functions Local);
//   - a warehouse load that fails twice and succeeds on the third attempt, with the real
//     backoff checked on virtual time (a hybrid test: the mock file serves everything but the
//     load, which a scripted executor plays);
//   - a poison batch caught and routed to the dead-letter state;
//   - a warehouse that stays down: retries run out and the execution fails;
//   - one state alone, through the TestState API, to check what its Retry would do.
//
// Build and run: `scripts/test` (CTest runs it as example_etl_pipeline_test).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/stepwise.h"
#include "stepwise/test_state.h"
#include "stepwise/testing/testing.h"

namespace {

using nlohmann::json;
using stepwise::ExecutionResult;
using stepwise::testing::EnteredStates;
using stepwise::testing::FailedWith;
using stepwise::testing::HasEvent;
using stepwise::testing::ScriptedExecutor;
using stepwise::testing::StateEnteredTimes;
using stepwise::testing::Succeeded;

const std::string kExamples = STEPWISE_EXAMPLES_DIR;
const json kInput = {{"day", "2026-11-26"}, {"batchCount", 2}};

class TelemetryEtlTest : public stepwise::testing::WorkflowTest {
 protected:
  std::shared_ptr<const stepwise::StateMachine> etl() {
    return load_file(kExamples + "/telemetry_etl.asl.json");
  }
  void use_test_case(const std::string& name) {
    use_mock_config(kExamples + "/telemetry_etl.mocks.json", "telemetry_etl", name);
  }
};

TEST_F(TelemetryEtlTest, HappyPathLoadsEveryBatch) {
  use_test_case("HappyPath");
  ExecutionResult r = run(etl(), kInput);

  ASSERT_THAT(r, Succeeded());
  EXPECT_EQ(r.output["batches"], 2);
  EXPECT_EQ(r.output["results"][0], json({{"batchId", "b"}, {"status", "loaded"}, {"rows", 3}}));
  EXPECT_THAT(history(), StateEnteredTimes("Load", 2));
  EXPECT_THAT(history(), StateEnteredTimes("DeadLetter", 0));
  // Every Task was mocked: the scripted executor saw no call.
  EXPECT_TRUE(tasks().calls().empty());
}

TEST_F(TelemetryEtlTest, BusyWarehouseIsRetriedWithBackoff) {
  use_test_case("FlakyWarehouse");  // mocks everything but Load: Load goes to tasks()
  tasks().script("Load", {ScriptedExecutor::fail("Warehouse.Busy", "locked by a backup"),
                          ScriptedExecutor::fail("Warehouse.Busy", "locked by a backup"),
                          ScriptedExecutor::succeed({{"batchId", "b-0"}, {"rows", 120}}),
                          ScriptedExecutor::succeed({{"batchId", "b-1"}, {"rows", 80}})});
  std::int64_t start = clock().now();
  ExecutionResult r = run(etl(), kInput);

  ASSERT_THAT(r, Succeeded());
  EXPECT_EQ(r.output["results"][0]["status"], "loaded");
  EXPECT_EQ(r.output["results"][1]["status"], "loaded");
  // Four calls: batch 0 and batch 1 fail once each (concurrently), then both succeed.
  EXPECT_EQ(tasks().calls_to("Load").size(), 4u);
  EXPECT_THAT(history(), HasEvent("TaskFailed"));
  // The retry waited IntervalSeconds (2 s) of virtual time, and no real time.
  EXPECT_EQ(clock().now() - start, 2'000'000'000LL);
}

TEST_F(TelemetryEtlTest, PoisonBatchGoesToTheDeadLetterState) {
  use_test_case("PoisonBatch");
  ExecutionResult r = run(etl(), kInput, {.name = "poison-run"});

  ASSERT_THAT(r, Succeeded());
  EXPECT_EQ(r.output["results"][1],
            json({{"batchId", "b-1"},
                  {"status", "dead-letter"},
                  {"reason", "batch b-1 has 3 events with negative playtime"}}));
  EXPECT_THAT(history(), StateEnteredTimes("DeadLetter", 1));
  EXPECT_THAT(history(), StateEnteredTimes("Load", 1));
  // The mock file's invocation counts are per state per execution, across Map iterations.
  EXPECT_EQ(mocks()->invocations("poison-run", "Validate"), 2);
}

TEST_F(TelemetryEtlTest, WarehouseThatStaysDownFailsTheRun) {
  use_test_case("WarehouseDown");
  ExecutionResult r = run(etl(), kInput);

  EXPECT_THAT(r, FailedWith("Warehouse.Busy"));
  EXPECT_THAT(history(), HasEvent("MapIterationFailed"));
}

TEST_F(TelemetryEtlTest, ScriptedRunEntersTheStatesInOrder) {
  // Without a mock file: every Task is scripted.
  tasks()
      .script("ListBatches", {ScriptedExecutor::succeed(json::array({{{"id", "b-0"}}}))})
      .script("Validate", {ScriptedExecutor::succeed({{"valid", true}})})
      .script("CountEvents", {ScriptedExecutor::succeed({{"events", 1}})})
      .script("SumPlaytime", {ScriptedExecutor::succeed({{"playtimeSeconds", 60}})})
      .script("TopPlayer", {ScriptedExecutor::succeed({{"topPlayer", "p"}})})
      .script("Load", {ScriptedExecutor::after(
                          5, ScriptedExecutor::succeed({{"batchId", "b-0"}, {"rows", 1}}))});
  ExecutionResult r = run(etl(), {{"day", "2026-11-26"}, {"batchCount", 1}});

  ASSERT_THAT(r, Succeeded());
  EXPECT_THAT(history(),
              EnteredStates("ListBatches", "ProcessBatches", "Validate", "Aggregate", "CountEvents",
                            "SumPlaytime", "TopPlayer", "Load", "Summarize"));
  EXPECT_EQ(clock().now() - stepwise::ManualClock().now(), 5'000'000'000LL);
}

TEST_F(TelemetryEtlTest, LoadStateAloneIsRetriableWhileAttemptsRemain) {
  // TestState: run the Load state by itself with a mocked error, as AWS's TestState API does.
  stepwise::TestStateRequest req;
  req.definition = json::parse(R"({
    "Type": "Task", "Resource": "arn:aws:states:::warehouse:load",
    "Parameters": {"batchId.$": "$.batch.id", "aggregates.$": "$.aggregates"},
    "Retry": [{"ErrorEquals": ["Warehouse.Busy"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 4}],
    "End": true})");
  req.input = {{"batch", {{"id", "b-0"}}}, {"aggregates", {{"events", 1}}}};
  req.mock = stepwise::TestStateMock{std::nullopt, "Warehouse.Busy", "locked"};
  req.retrier_retry_count = 2;
  req.inspection_level = stepwise::InspectionLevel::kDebug;
  auto res = stepwise::test_state(req);
  ASSERT_TRUE(res.ok()) << res.status().to_string();
  EXPECT_EQ(res->status, stepwise::TestStateStatus::kRetriable);
  // The third retry waits 2 * 2^2 = 8 seconds.
  EXPECT_EQ((*res->inspection_data)["errorDetails"]["retryBackoffIntervalSeconds"], 8);
  EXPECT_EQ((*res->inspection_data)["afterParameters"],
            json({{"batchId", "b-0"}, {"aggregates", {{"events", 1}}}}));
}

}  // namespace
