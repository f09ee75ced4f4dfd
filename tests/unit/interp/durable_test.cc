// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Durable Standard executions: checkpoints, resume after a (simulated) crash at every commit
// boundary, redrive, fault injection, callbacks by task token, heartbeats and activities.
// The crash tests with a real SIGKILL live in tests/crash/.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "support/engine_support.h"
#include "stepwise/stepwise.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::compile;
using testing_support::event_multiset;
using testing_support::event_types;

// A deterministic executor: the outcome depends only on (state, input, attempt), so a task
// dispatched again after a crash has the same effect. "Flaky*" states fail on attempt 0;
// "Broken*" states fail while `broken` is set. Counts calls per task token.
class DeterministicExecutor final : public TaskExecutor {
 public:
  void start(const TaskRequest& r, TaskCompletion c) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++calls_by_token_[std::string(r.task_token)];
      ++calls_by_state_[std::string(r.state_name)];
    }
    std::string state(r.state_name);
    if (state.rfind("Flaky", 0) == 0 && r.attempt == 0) {
      c.fail("Flaky.Error", "first attempt fails");
      return;
    }
    if (state.rfind("Broken", 0) == 0 && broken) {
      c.fail("Broken.Error", "broken for now");
      return;
    }
    c.succeed(json{{"state", state}, {"in", *r.input}});
  }
  int calls_for(const std::string& state) {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_by_state_[state];
  }
  bool broken = false;

 private:
  std::mutex mu_;
  std::map<std::string, int> calls_by_token_;
  std::map<std::string, int> calls_by_state_;
};

// Never completes its tasks.
class ScriptedNever final : public TaskExecutor {
 public:
  void start(const TaskRequest&, TaskCompletion) override {}
};

const char* kCallback_for_express() {
  return R"json({"StartAt": "Slow", "States": {"Slow": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke", "End": true}}})json";
}

constexpr const char* kPipeline = R"json({
  "StartAt": "Load",
  "States": {
    "Load": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.load",
             "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": 30, "Next": "Fan"},
    "Fan": {"Type": "Parallel", "ResultPath": "$.fan", "Next": "Each",
      "Branches": [
        {"StartAt": "FlakyA", "States": {
          "FlakyA": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Retry": [{"ErrorEquals": ["Flaky.Error"], "IntervalSeconds": 5}], "End": true}}},
        {"StartAt": "Note", "States": {
          "Note": {"Type": "Pass", "Result": {"note": 1}, "Assign": {"seen": 1}, "Next": "B"},
          "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
      ]},
    "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ResultPath": "$.each",
      "ItemProcessor": {"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done"},
        "Done": {"Type": "Pass", "End": true}}},
      "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$.items[0]", "NumericEquals": 1, "Next": "Ok"}], "Default": "Bad"},
    "Bad": {"Type": "Fail", "Error": "Bad"},
    "Ok": {"Type": "Succeed"}
  }
})json";

struct RunOutcome {
  ExecutionResult result;
  std::vector<std::string> events;  // event_multiset of its history
};

RunOutcome run_uninterrupted(std::shared_ptr<const StateMachine> machine, const json& input) {
  auto clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
  EngineOptions o;
  o.clock = clock;
  o.task_executor = std::make_shared<DeterministicExecutor>();
  o.checkpoint_store = make_memory_checkpoint_store();
  Engine engine(o);
  Result<ExecutionId> id = engine.start(machine, input, {.name = "run"});
  EXPECT_TRUE(id.ok());
  Result<ExecutionResult> r = engine.run(*id);
  EXPECT_TRUE(r.ok());
  return {*r, event_multiset(**engine.history(*id))};
}

TEST(DurableTest, UninterruptedRunCommitsItsHistory) {
  auto machine = compile(kPipeline);
  ASSERT_TRUE(machine);
  auto clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
  auto store = make_memory_checkpoint_store();
  EngineOptions o;
  o.clock = clock;
  o.task_executor = std::make_shared<DeterministicExecutor>();
  o.checkpoint_store = store;
  Engine engine(o);
  json input = {{"items", {1, 2, 3, 4, 5}}};
  Result<ExecutionId> started = engine.start(machine, input, {.name = "first"});
  ASSERT_TRUE(started.ok());
  ExecutionResult r = *engine.run(*started);
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json();
  Result<StoredExecution> stored = store->load("first");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->summary.status, "SUCCEEDED");
  EXPECT_EQ(stored->summary.fingerprint, machine->fingerprint());
  EXPECT_GT(stored->summary.stop_time, 0);
  auto id = engine.find("first");
  ASSERT_TRUE(id);
  const auto& history = **engine.history(*id);
  ASSERT_EQ(stored->history.size(), history.size());
  for (std::size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(json::parse(stored->history[i]), history[i].to_json()) << i;
  }
  // Finished branches, iterations and Map items leave no records behind.
  for (const CheckpointRecord& rec : stored->records) {
    EXPECT_TRUE(rec.key == "exec" || rec.key == "run" || rec.key == "f:0" || rec.key == "d:0")
        << "left behind: " << rec.key;
  }
  // A name is unique in the store.
  Result<ExecutionId> again = engine.start(machine, input, {.name = "first"});
  EXPECT_FALSE(again.ok());
}

// Stops an engine after `cut` transitions (as a crash would, between commits), then resumes
// in a fresh engine: the result and the history are those of an uninterrupted run.
TEST(DurableTest, ResumeAfterACrashAtEveryStepBoundary) {
  auto machine = compile(kPipeline);
  ASSERT_TRUE(machine);
  json input = {{"items", {1, 2, 3, 4, 5}}};
  RunOutcome expected = run_uninterrupted(machine, input);
  ASSERT_EQ(expected.result.status, ExecutionStatus::kSucceeded);
  for (std::size_t cut = 0; cut < 40; ++cut) {
    SCOPED_TRACE("cut after " + std::to_string(cut) + " transitions");
    auto clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
    auto store = make_memory_checkpoint_store();
    auto executor = std::make_shared<DeterministicExecutor>();
    EngineOptions o;
    o.clock = clock;
    o.task_executor = executor;
    o.checkpoint_store = store;
    {
      Engine first(o);
      Result<ExecutionId> id = first.start(machine, input, {.name = "run"});
      ASSERT_TRUE(id.ok());
      std::size_t done = 0;
      while (done < cut) {
        StepReport rep = first.step({.max_transitions = 1});
        done += rep.transitions;
        if (rep.running == 0) break;
        if (!rep.runnable && rep.next_deadline) clock->set(*rep.next_deadline);
      }
    }  // the "crash": the engine is gone; only the store remains
    Engine second(o);
    Result<ExecutionId> id = second.resume("run");
    ASSERT_TRUE(id.ok()) << id.status().to_string();
    Result<ExecutionResult> r = second.run(*id);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->to_json(), expected.result.to_json());
    EXPECT_EQ(event_multiset(**second.history(*id)), expected.events);
  }
}

TEST(DurableTest, ResumeRefusesAnotherDefinition) {
  auto machine = compile(kPipeline);
  auto other = compile(R"json({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})json");
  auto store = make_memory_checkpoint_store();
  EngineOptions o;
  o.clock = std::make_shared<ManualClock>(0);
  o.task_executor = std::make_shared<DeterministicExecutor>();
  o.checkpoint_store = store;
  {
    Engine e(o);
    ASSERT_TRUE(e.start(machine, {{"items", {1}}}, {.name = "x"}).ok());
  }
  Engine e(o);
  Result<ExecutionId> r = e.resume("x", other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(e.resume("nope").status().code(), StatusCode::kNotFound);
  // The stored definition is used when none is given.
  Result<ExecutionId> id = e.resume("x");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(e.run(*id)->status, ExecutionStatus::kSucceeded);
}

// A store that fails its Nth commit.
class FailingStore final : public CheckpointStore {
 public:
  FailingStore(std::shared_ptr<CheckpointStore> inner, int fail_at)
      : inner_(std::move(inner)), fail_at_(fail_at) {}
  Status commit(const CheckpointBatch& b) override {
    if (++commits_ == fail_at_) return unavailable_error("disk full");
    return inner_->commit(b);
  }
  Result<StoredExecution> load(std::string_view n) override { return inner_->load(n); }
  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& f) override {
    return inner_->list(f);
  }
  Status remove(std::string_view n) override { return inner_->remove(n); }

 private:
  std::shared_ptr<CheckpointStore> inner_;
  int fail_at_;
  int commits_ = 0;
};

TEST(DurableTest, AFailedCommitSuspendsAndNothingCommittedIsLost) {
  auto machine = compile(kPipeline);
  json input = {{"items", {1, 2, 3}}};
  RunOutcome expected = run_uninterrupted(machine, input);
  for (int fail_at = 2; fail_at < 12; ++fail_at) {
    SCOPED_TRACE("commit " + std::to_string(fail_at) + " fails");
    auto inner = make_memory_checkpoint_store();
    EngineOptions o;
    auto clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
    o.clock = clock;
    o.task_executor = std::make_shared<DeterministicExecutor>();
    o.checkpoint_store = std::make_shared<FailingStore>(inner, fail_at);
    {
      Engine e(o);
      Result<ExecutionId> id = e.start(machine, input, {.name = "run"});
      ASSERT_TRUE(id.ok());
      Result<ExecutionResult> r = e.run(*id);
      ASSERT_TRUE(r.ok());
      if (r->status == ExecutionStatus::kSucceeded) break;  // fewer commits than fail_at
      EXPECT_EQ(r->status, ExecutionStatus::kSuspended);
      EXPECT_EQ(r->error, "Stepwise.CheckpointFailed");
      EXPECT_NE(r->cause->find("disk full"), std::string::npos);
      EXPECT_EQ(inner->load("run")->summary.status, "RUNNING");
    }
    o.checkpoint_store = inner;
    Engine e(o);
    Result<ExecutionId> id = e.resume("run");
    ASSERT_TRUE(id.ok());
    Result<ExecutionResult> r = e.run(*id);
    EXPECT_EQ(r->to_json(), expected.result.to_json());
    EXPECT_EQ(event_multiset(**e.history(*id)), expected.events);
  }
}

TEST(DurableTest, RedriveRerunsOnlyWhatDidNotSucceed) {
  auto machine = compile(R"json({
    "StartAt": "Fan",
    "States": {
      "Fan": {"Type": "Parallel", "Next": "Each", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
        {"StartAt": "BrokenB", "States": {"BrokenB": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
      ]},
      "Each": {"Type": "Map", "ItemsPath": "$[0].in.items",
        "ItemProcessor": {"StartAt": "Item", "States": {
          "Item": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
        "Next": "Count"},
      "Count": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($)", "redrives.$": "$$.Execution.RedriveCount"}, "End": true}
    }
  })json");
  ASSERT_TRUE(machine);
  auto executor = std::make_shared<DeterministicExecutor>();
  executor->broken = true;
  EngineOptions o;
  o.clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
  o.task_executor = executor;
  o.checkpoint_store = make_memory_checkpoint_store();
  Engine e(o);
  ExecutionResult first = *e.run(machine, {{"items", {1, 2, 3}}}, {.name = "r"});
  ASSERT_EQ(first.status, ExecutionStatus::kFailed);
  EXPECT_EQ(first.error, "Broken.Error");
  EXPECT_EQ(executor->calls_for("A"), 1);
  EXPECT_EQ(executor->calls_for("BrokenB"), 1);

  executor->broken = false;
  Result<ExecutionId> id = e.redrive("r");
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  Result<ExecutionResult> r = e.run(*id);
  ASSERT_EQ(r->status, ExecutionStatus::kSucceeded) << r->to_json();
  EXPECT_EQ(executor->calls_for("A"), 1) << "the succeeded branch is not run again";
  EXPECT_EQ(executor->calls_for("BrokenB"), 2);
  EXPECT_EQ(executor->calls_for("Item"), 3);
  EXPECT_EQ(r->output, (json{{"n", 3}, {"redrives", 1}}));
  auto types = event_types(**e.history(*id));
  EXPECT_EQ(std::count(types.begin(), types.end(), "ExecutionRedriven"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "ExecutionFailed"), 1);
  EXPECT_EQ(types.back(), "ExecutionSucceeded");
  // Ids stay consecutive across the redrive.
  const auto& h = **e.history(*id);
  for (std::size_t i = 0; i < h.size(); ++i) EXPECT_EQ(h[i].id, static_cast<std::int64_t>(i + 1));

  // A succeeded execution cannot be redriven.
  EXPECT_EQ(e.redrive("r").status().code(), StatusCode::kFailedPrecondition);
}

TEST(DurableTest, RedriveAMapRerunsOnlyTheFailedIterations) {
  auto machine = compile(R"json({
    "StartAt": "Each",
    "States": {
      "Each": {"Type": "Map", "MaxConcurrency": 1,
        "ItemProcessor": {"StartAt": "Route", "States": {
          "Route": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "BrokenItem"}], "Default": "Item"},
          "BrokenItem": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true},
          "Item": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
        "End": true}
    }
  })json");
  ASSERT_TRUE(machine);
  auto executor = std::make_shared<DeterministicExecutor>();
  executor->broken = true;
  EngineOptions o;
  o.clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
  o.task_executor = executor;
  o.checkpoint_store = make_memory_checkpoint_store();
  Engine e(o);
  ExecutionResult first = *e.run(machine, json{0, 1, 2, 3, 4}, {.name = "m"});
  ASSERT_EQ(first.status, ExecutionStatus::kFailed);
  EXPECT_EQ(executor->calls_for("Item"), 2);  // items 0 and 1; 3 and 4 never started
  executor->broken = false;
  Result<ExecutionId> id = e.redrive("m");
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  Result<ExecutionResult> r = e.run(*id);
  ASSERT_EQ(r->status, ExecutionStatus::kSucceeded) << r->to_json();
  EXPECT_EQ(executor->calls_for("Item"), 4);
  EXPECT_EQ(executor->calls_for("BrokenItem"), 2);
  ASSERT_EQ(r->output.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(r->output[i]["in"], i);
}

TEST(DurableTest, ExpressExecutionsAreNotPersistedAndLastFiveMinutes) {
  auto machine = compile(kCallback_for_express());
  auto store = make_memory_checkpoint_store();
  auto clock = std::make_shared<ManualClock>(0);
  EngineOptions o;
  o.clock = clock;
  o.task_executor = std::make_shared<ScriptedNever>();
  o.checkpoint_store = store;
  Engine e(o);
  Result<ExecutionId> id = e.start(machine, json::object(), {.name = "fast", .express = true});
  ASSERT_TRUE(id.ok());
  ExecutionResult r = *e.run(*id);  // held, so that the redrive below finds it
  EXPECT_EQ(r.status, ExecutionStatus::kTimedOut);
  EXPECT_EQ(r.error, "States.Timeout");
  EXPECT_EQ(clock->now(), 300'000'000'000);
  EXPECT_EQ(store->load("fast").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(e.redrive("fast").status().code(), StatusCode::kFailedPrecondition);
}

TEST(DurableTest, RedriveANestedMapInsideAParallelBranch) {
  auto machine = compile(R"json({
    "StartAt": "Fan",
    "States": {
      "Fan": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Prep", "States": {
          "Prep": {"Type": "Pass", "Next": "Each"},
          "Each": {"Type": "Map", "MaxConcurrency": 2,
            "ItemProcessor": {"StartAt": "Route", "States": {
              "Route": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 3, "Next": "BrokenItem"}], "Default": "Item"},
              "BrokenItem": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true},
              "Item": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
            "End": true}}},
        {"StartAt": "Other", "States": {"Other": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
      ]}
    }
  })json");
  ASSERT_TRUE(machine);
  auto executor = std::make_shared<DeterministicExecutor>();
  executor->broken = true;
  EngineOptions o;
  o.clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
  o.task_executor = executor;
  o.checkpoint_store = make_memory_checkpoint_store();
  Engine e(o);
  ExecutionResult first = *e.run(machine, json{0, 1, 2, 3, 4, 5}, {.name = "nested"});
  ASSERT_EQ(first.status, ExecutionStatus::kFailed);
  int items_before = executor->calls_for("Item");
  EXPECT_EQ(executor->calls_for("Other"), 1);
  executor->broken = false;
  Result<ExecutionId> id = e.redrive("nested");
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  Result<ExecutionResult> r = e.run(*id);
  ASSERT_EQ(r->status, ExecutionStatus::kSucceeded) << r->to_json();
  EXPECT_EQ(executor->calls_for("Other"), 1) << "the succeeded branch is not run again";
  EXPECT_EQ(executor->calls_for("BrokenItem"), 2);
  EXPECT_EQ(executor->calls_for("Item"), 5)
      << "items run once in all (" << items_before << " before the redrive)";
  ASSERT_EQ(r->output.size(), 2u);
  ASSERT_EQ(r->output[0].size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(r->output[0][i]["in"], i);
  // The store ends with no frame records left behind but the finished execution's own.
  Result<StoredExecution> stored = o.checkpoint_store->load("nested");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->summary.status, "SUCCEEDED");
  EXPECT_EQ(stored->summary.redrive_count, 1);
  for (const CheckpointRecord& rec : stored->records) {
    EXPECT_TRUE(rec.key == "exec" || rec.key == "run" || rec.key == "f:0" || rec.key == "d:0")
        << "left behind: " << rec.key;
  }
}

constexpr const char* kCallback = R"json({
  "StartAt": "Ask",
  "States": {
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"token.$": "$$.Task.Token"}, "HeartbeatSeconds": 60,
            "TimeoutSeconds": 600,
            "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Lost"}],
            "End": true},
    "Lost": {"Type": "Pass", "Result": "lost", "End": true}
  }
})json";

// Records the token of each callback task and never completes it itself.
class TokenSink final : public TaskExecutor {
 public:
  void start(const TaskRequest& r, TaskCompletion) override {
    std::lock_guard<std::mutex> lock(mu);
    tokens.push_back((*r.input)["token"].get<std::string>());
  }
  std::mutex mu;
  std::vector<std::string> tokens;
};

TEST(CallbackTest, SendTaskSuccessFromAnotherThread) {
  auto machine = compile(kCallback);
  auto sink = std::make_shared<TokenSink>();
  EngineOptions o;
  o.clock = std::make_shared<ManualClock>(0);
  o.task_executor = sink;
  Engine e(o);
  Result<ExecutionId> id = e.start(machine, json::object());
  e.step();
  ASSERT_EQ(sink->tokens.size(), 1u);
  std::string token = sink->tokens[0];
  EXPECT_EQ(e.send_task_heartbeat(token).code(), StatusCode::kOk);
  std::thread t([&] { EXPECT_TRUE(e.send_task_success(token, {{"answer", 42}}).ok()); });
  t.join();
  Result<ExecutionResult> r = e.run(*id);
  EXPECT_EQ(r->status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r->output, (json{{"answer", 42}}));
  EXPECT_EQ(e.send_task_success(token, json()).code(), StatusCode::kNotFound);
  EXPECT_EQ(e.send_task_failure("no-such-token").code(), StatusCode::kNotFound);
}

TEST(CallbackTest, SendTaskFailureIsCaughtLikeAnyError) {
  auto machine = compile(kCallback);
  auto sink = std::make_shared<TokenSink>();
  EngineOptions o;
  o.clock = std::make_shared<ManualClock>(0);
  o.task_executor = sink;
  Engine e(o);
  Result<ExecutionId> id = e.start(machine, json::object());
  e.step();
  ASSERT_TRUE(e.send_task_failure(sink->tokens.at(0), "Custom.Error", "why").ok());
  Result<ExecutionResult> r = e.run(*id);
  EXPECT_EQ(r->status, ExecutionStatus::kFailed);
  EXPECT_EQ(r->error, "Custom.Error");
  EXPECT_EQ(r->cause, "why");
}

TEST(CallbackTest, HeartbeatExpiryMatchesHeartbeatTimeout) {
  auto machine = compile(kCallback);
  auto clock = std::make_shared<ManualClock>(0);
  EngineOptions o;
  o.clock = clock;
  o.task_executor = std::make_shared<TokenSink>();
  Engine e(o);
  Result<ExecutionId> id = e.start(machine, json::object());
  Result<ExecutionResult> r = e.run(*id);  // virtual time jumps to the heartbeat deadline
  EXPECT_EQ(r->status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r->output, "lost");
  auto types = event_types(**e.history(*id));
  EXPECT_NE(std::find(types.begin(), types.end(), "TaskTimedOut"), types.end());
  for (const HistoryEvent& ev : **e.history(*id)) {
    if (ev.type == "TaskTimedOut") {
      EXPECT_EQ(ev.details["error"], "States.Timeout");
    }
  }
}

TEST(CallbackTest, ACallbackTaskSurvivesARestartWithItsToken) {
  auto machine = compile(kCallback);
  auto store = make_memory_checkpoint_store();
  auto clock = std::make_shared<ManualClock>(0);
  auto sink = std::make_shared<TokenSink>();
  EngineOptions o;
  o.clock = clock;
  o.task_executor = sink;
  o.checkpoint_store = store;
  {
    Engine e(o);
    ASSERT_TRUE(e.start(machine, json::object(), {.name = "cb"}).ok());
    e.step();
  }
  ASSERT_EQ(sink->tokens.size(), 1u);
  Engine e(o);
  Result<ExecutionId> id = e.resume("cb");
  ASSERT_TRUE(id.ok());
  e.step();
  ASSERT_EQ(sink->tokens.size(), 2u);
  EXPECT_EQ(sink->tokens[0], sink->tokens[1]) << "dispatched again with the same token";
  ASSERT_TRUE(e.send_task_success(sink->tokens[0], "done").ok());
  EXPECT_EQ(e.run(*id)->output, "done");
  EXPECT_EQ(store->load("cb")->summary.status, "SUCCEEDED");
}

TEST(ActivityTest, WorkersPollAndAnswerByToken) {
  auto machine = compile(R"json({
    "StartAt": "Work",
    "States": {"Work": {"Type": "Task",
      "Resource": "arn:aws:states:us-east-1:111111111111:activity:render", "End": true}}
  })json");
  ASSERT_TRUE(machine);
  EngineOptions o;
  o.clock = std::make_shared<ManualClock>(0);
  Engine e(o);
  Result<ExecutionId> id = e.start(machine, {{"frame", 7}});
  e.step();
  EXPECT_FALSE(e.get_activity_task("arn:aws:states:us-east-1:111111111111:activity:other"));
  std::optional<ActivityTask> task;
  std::thread worker([&] {
    task = e.get_activity_task("arn:aws:states:us-east-1:111111111111:activity:render", "w1");
    if (task) {
      EXPECT_TRUE(e.send_task_success(task->task_token, {{"rendered", true}}).ok());
    }
  });
  worker.join();
  ASSERT_TRUE(task);
  EXPECT_EQ(task->input, (json{{"frame", 7}}));
  Result<ExecutionResult> r = e.run(*id);
  EXPECT_EQ(r->output, (json{{"rendered", true}}));
  EXPECT_EQ(event_types(**e.history(*id)),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                                      "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                                      "ExecutionSucceeded"}));
}

}  // namespace
}  // namespace stepwise
