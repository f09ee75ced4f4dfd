// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The engine over the PostgreSQL store: an execution checkpointed by one engine and connection
// is resumed by another and ends as an uninterrupted run does; a server that goes away
// mid-run suspends the execution without calling the executor for an uncommitted dispatch,
// and `resume` continues once it is back. (Engines joining a fleet are not built yet:
// docs/fleet.md.)
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "stepwise/checkpoint.h"
#include "stepwise/clock.h"
#include "stepwise/engine.h"
#include "stepwise/task_executor.h"
#include "support/engine_support.h"
#include "support/status_matchers.h"
#include "unit/checkpoint/postgres_test_util.h"

namespace stepwise {
namespace {

using nlohmann::json;
using ::stepwise::testing_support::compile;
using ::stepwise::testing_support::IsOk;
using ::testing::HasSubstr;

const auto* const kPostgres =
    ::testing::AddGlobalTestEnvironment(new testing_support::PostgresEnvironment);

// Pass, a five-second Wait, a Task, then a Map of Pass states.
constexpr const char* kMachine = R"({"StartAt": "Prepare", "States": {
    "Prepare": {"Type": "Pass", "Result": [1, 2, 3], "ResultPath": "$.items", "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Work"},
    "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "ResultPath": "$.work", "Next": "Each"},
    "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.each", "End": true,
             "ItemProcessor": {"StartAt": "Double", "States": {
               "Double": {"Type": "Pass", "Parameters": {"v.$": "$"}, "End": true}}}}}})";

class PostgresEngineTest : public checkpoint_test::PostgresStoreFixture {
 protected:
  EngineOptions engine_options(std::shared_ptr<CheckpointStore> store) {
    EngineOptions options;
    options.checkpoint_store = std::move(store);
    options.clock = clock_;
    options.task_executor = std::make_shared<FunctionExecutor>([this](const json& in) -> json {
      ++task_calls_;
      return json{{"seen", in["items"]}};
    });
    return options;
  }

  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  std::atomic<int> task_calls_{0};
};

TEST_F(PostgresEngineTest, AnExecutionResumedByAnotherEngineEndsAsAnUninterruptedOne) {
  auto machine = compile(kMachine);
  // The reference: one engine, the in-memory store, no interruption.
  Engine reference(engine_options(make_memory_checkpoint_store()));
  StartOptions so;
  so.name = "job";
  Result<ExecutionId> reference_id = reference.start(machine, json::object(), so);
  ASSERT_THAT(reference_id, IsOk());
  Result<ExecutionResult> expected = reference.run(*reference_id);
  ASSERT_THAT(expected, IsOk());
  ASSERT_EQ(expected->status, ExecutionStatus::kSucceeded);
  Result<const History*> expected_history = reference.history(*reference_id);
  ASSERT_THAT(expected_history, IsOk());
  task_calls_ = 0;
  {
    Engine first(engine_options(open()));
    ASSERT_THAT(first.start(machine, json::object(), so), IsOk());
    first.step();  // waiting in Pause, checkpointed; then this "process" dies
  }
  Engine second(engine_options(open()));  // another connection
  Result<ExecutionId> id = second.resume("job", machine);
  ASSERT_THAT(id, IsOk());
  Result<ExecutionResult> r = second.run(*id);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r->output, expected->output);
  EXPECT_EQ(task_calls_, 1);
  Result<StoredExecution> stored = open()->load("job");
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->summary.status, "SUCCEEDED");
  ASSERT_EQ(stored->history.size(), (*expected_history)->size());
  for (std::size_t i = 0; i < stored->history.size(); ++i) {
    EXPECT_EQ(json::parse(stored->history[i])["id"], i + 1);  // consecutive, no duplicate
  }
}

TEST_F(PostgresEngineTest, AServerThatGoesAwaySuspendsTheExecutionUntilResumed) {
  auto machine = compile(kMachine);
  auto store = open();
  StartOptions so;
  so.name = "job";
  ExecutionId id;
  {
    Engine engine(engine_options(store));
    Result<ExecutionId> started = engine.start(machine, json::object(), so);
    ASSERT_THAT(started, IsOk());
    id = *started;
    engine.step();  // waiting in Pause
    ASSERT_THAT(server_->stop(), IsOk());
    clock_->advance(5'000'000'000);
    engine.run_all();  // the Wait ends; the Task's dispatch cannot be committed
    Result<ExecutionResult> r = engine.result(id);
    ASSERT_THAT(r, IsOk());
    EXPECT_EQ(r->status, ExecutionStatus::kSuspended);
    EXPECT_EQ(r->error, "Stepwise.CheckpointFailed");
    EXPECT_THAT(r->cause.value_or(""), HasSubstr("UNAVAILABLE: PostgreSQL checkpoint store"));
    EXPECT_EQ(task_calls_, 0);  // never called for an uncommitted dispatch
  }
  ASSERT_THAT(server_->restart(), IsOk());
  Engine engine(engine_options(store));  // the same store object reconnects
  Result<ExecutionId> resumed = engine.resume("job", machine);
  ASSERT_THAT(resumed, IsOk());
  Result<ExecutionResult> r = engine.run(*resumed);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(task_calls_, 1);
  EXPECT_EQ(r->output["work"], (json{{"seen", {1, 2, 3}}}));
}

TEST_F(PostgresEngineTest, ARecordDamagedInTheDatabaseIsDataLossOnResume) {
  auto machine = compile(kMachine);
  StartOptions so;
  so.name = "job";
  {
    Engine engine(engine_options(open()));
    ASSERT_THAT(engine.start(machine, json::object(), so), IsOk());
    engine.step();  // waiting in Pause
  }
  admin("UPDATE {s}.stepwise_records SET value = 'not json' WHERE key = 'run'");
  Engine engine(engine_options(open()));
  EXPECT_THAT(engine.resume("job", machine),
              testing_support::StatusIs(StatusCode::kDataLoss,
                                        HasSubstr("a record of execution 'job' is not JSON")));
}

}  // namespace
}  // namespace stepwise
