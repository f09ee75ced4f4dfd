// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Engine's public API on a ManualClock: stepping, deadlines, many executions per engine,
// names, stop, release and take, engine lifetime, results as JSON, seeded randomness.
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
using testing_support::ScriptedExecutor;
using Strings = std::vector<std::string>;
using engine_test::EngineTest;
using engine_test::expect_succeeded;
using engine_test::kSecond;
using engine_test::kWork;

// ---------------------------------------------------------------------------------------------
// Stepping and engine lifetime.

TEST_F(EngineTest, StepWithOneTransitionAdvancesOneStateAtATime) {
  auto machine = compile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Pass", "Next": "C"},
      "C": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json{{"x", 1}});
  ASSERT_TRUE(id.ok());
  StepBudget one;
  one.max_transitions = 1;
  const char* names[] = {"A", "B", "C"};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(names[i]);
    StepReport report = engine.step(one);
    EXPECT_EQ(report.transitions, 1u);
    const History& h = **engine.history(*id);
    // The last state entered is names[i].
    std::string last_entered;
    for (const HistoryEvent& e : h) {
      if (e.type == "PassStateEntered") last_entered = e.details.value("name", "");
    }
    EXPECT_EQ(last_entered, names[i]);
    if (i < 2) {
      EXPECT_TRUE(report.runnable);
      EXPECT_EQ(report.running, 1u);
      EXPECT_EQ(*engine.status(*id), ExecutionStatus::kRunning);
    }
  }
  StepReport last = engine.step(one);
  EXPECT_FALSE(last.runnable);
  EXPECT_EQ(last.running, 0u);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kSucceeded);
}

TEST_F(EngineTest, StepReportsTheNextDeadlineOfABlockedExecution) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 30, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  StepReport report = engine.step();
  EXPECT_FALSE(report.runnable);
  EXPECT_EQ(report.running, 1u);
  EXPECT_EQ(report.next_deadline, start_ + 30 * kSecond);
  clock_->advance(29 * kSecond);
  engine.step();
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kRunning);
  clock_->advance(1 * kSecond);
  report = engine.step();
  EXPECT_EQ(report.running, 0u);
  EXPECT_EQ(report.next_deadline, std::nullopt);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kSucceeded);
}

TEST_F(EngineTest, ManyExecutionsPerEngine) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "SecondsPath": "$.s", "Next": "P"},
      "P": {"Type": "Pass", "Parameters": {"r.$": "$.s"}, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  std::vector<ExecutionId> ids;
  for (int i = 0; i < 20; ++i) {
    Result<ExecutionId> id = engine.start(machine, json{{"s", 20 - i}});
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  engine.run_all();
  for (int i = 0; i < 20; ++i) {
    Result<ExecutionResult> r = engine.result(ids[i]);
    ASSERT_TRUE(r.ok());
    expect_succeeded(*r, {{"r", 20 - i}});
  }
  EXPECT_EQ(elapsed(), 20 * kSecond);
}

// An input that is not valid JSON text (a string with invalid UTF-8, which only a C++ host can
// build) is refused by start, as AWS's StartExecution refuses it, whether or not history is
// kept; the engine stays usable.
TEST_F(EngineTest, StartRefusesAnInputThatIsNotValidJsonText) {
  auto machine = compile(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  json bad = {{"name", std::string("caf\xc3")}};
  for (bool history : {true, false}) {
    StartOptions so;
    so.record_history = history;
    Result<ExecutionId> id = engine.start(machine, bad, so);
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(id.status().message().find("the execution input cannot be written as JSON"),
              std::string::npos)
        << id.status().message();
  }
  ExecutionResult r = *engine.run(machine, {{"name", "caf\xc3\xa9"}});
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.output, (json{{"name", "caf\xc3\xa9"}}));
}

TEST_F(EngineTest, ExecutionNamesMustBeUniqueWhileRunning) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 1, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  StartOptions so;
  so.name = "job";
  ASSERT_TRUE(engine.start(machine, json::object(), so).ok());
  Result<ExecutionId> dup = engine.start(machine, json::object(), so);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dup.status().message(), "an execution named 'job' is already running");
  EXPECT_EQ(engine.start(nullptr, json::object()).status().code(), StatusCode::kInvalidArgument);
}

// Generated names ("execution-<id>") are found through the id they encode, not an index; a
// host may still give such a name to another execution, and both rules for duplicates hold.
TEST_F(EngineTest, GeneratedNamesAreFoundAndCollideLikeGivenOnes) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 1, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> first = engine.start(machine, json::object());
  ASSERT_TRUE(first.ok());
  const std::string generated = "execution-" + std::to_string(*first);
  EXPECT_EQ(engine.find(generated), *first);
  for (std::string other :
       {"execution-0" + std::to_string(*first), std::string("execution-"),
        "execution-" + std::to_string(*first + 1), std::string("execution-x")}) {
    EXPECT_FALSE(engine.find(other).has_value()) << other;
  }
  // A given name equal to a running execution's generated name is a duplicate.
  StartOptions so;
  so.name = generated;
  Result<ExecutionId> dup = engine.start(machine, json::object(), so);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "an execution named '" + generated + "' is already running");
  // A given name equal to the next generated name: the execution that would get it by id is
  // started next, and collides with the running one. (Ids are never reused: the refused
  // start above used one.)
  so.name = "execution-" + std::to_string(*first + 3);
  Result<ExecutionId> given = engine.start(machine, json::object(), so);
  ASSERT_TRUE(given.ok());
  EXPECT_EQ(*given, *first + 2);
  EXPECT_EQ(engine.find(so.name), *given);
  Result<ExecutionId> clash = engine.start(machine, json::object());
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().message(), "an execution named '" + so.name + "' is already running");
  // Once both have finished, find() returns the most recently started one with the name.
  engine.run_all();
  EXPECT_EQ(engine.find(generated), *first);
  Result<ExecutionId> again = engine.start(machine, json::object(), so);
  ASSERT_TRUE(again.ok());
  engine.run_all();
  EXPECT_EQ(engine.find(so.name), *again);
}

// A name is free again once its execution has finished; find() prefers the running one, then
// the most recently started among the finished ones the engine still holds.
TEST_F(EngineTest, ANameIsReusableOnceItsExecutionFinished) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  StartOptions so;
  so.name = "job";
  Result<ExecutionId> first = engine.start(machine, json{{"s", 1}}, so);
  ASSERT_TRUE(first.ok());
  engine.run_all();
  Result<ExecutionId> second = engine.start(machine, json{{"s", 1}}, so);
  ASSERT_TRUE(second.ok());
  Result<ExecutionId> third = engine.start(machine, json{{"s", 1}}, so);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(engine.find("job"), *second);
  engine.run_all();
  Result<ExecutionId> fourth = engine.start(machine, json{{"s", 5}}, so);
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(engine.find("job"), *fourth);
  engine.step();
  ASSERT_TRUE(engine.stop(*fourth, "Halt", "").ok());
  EXPECT_EQ(engine.find("job"), *fourth);  // the latest, though it ran least
  ASSERT_TRUE(engine.release(*fourth).ok());
  EXPECT_EQ(engine.find("job"), *second);
  ASSERT_TRUE(engine.release(*second).ok());
  ASSERT_TRUE(engine.release(*first).ok());
  EXPECT_EQ(engine.find("job"), std::nullopt);
  EXPECT_TRUE(engine.start(machine, json{{"s", 1}}, so).ok());
}

// Machine TimeoutSeconds of many executions: each times out at its own deadline, and step()
// reports the soonest deadline of those still running. Executions that finished, were
// stopped or were released no longer count.
TEST_F(EngineTest, MachineTimeoutsOfManyExecutionsFireAtTheirOwnDeadlines) {
  auto machine = compile(R"({"TimeoutSeconds": 100, "StartAt": "W", "States": {
      "W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  // Execution i starts at i seconds and times out at i + 100 s; even ones wait 1000 s (they
  // time out), odd ones 5 s (they succeed).
  std::vector<ExecutionId> ids;
  for (int i = 0; i < 300; ++i) {
    Result<ExecutionId> id = engine.start(machine, json{{"s", i % 2 == 0 ? 1000 : 5}});
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
    engine.step();
    clock_->advance(kSecond);
  }
  // At 300 s. Two running ones are stopped, one of them released.
  ASSERT_TRUE(engine.stop(ids[250], "", "").ok());
  ASSERT_TRUE(engine.release(ids[250]).ok());
  ASSERT_TRUE(engine.stop(ids[252], "", "").ok());
  StepReport report = engine.step();
  auto expected = [](int i, bool done) {
    if (i == 252) return ExecutionStatus::kAborted;
    if (i % 2 == 1)
      return done || i + 5 <= 300 ? ExecutionStatus::kSucceeded : ExecutionStatus::kRunning;
    return done || i + 100 <= 300 ? ExecutionStatus::kTimedOut : ExecutionStatus::kRunning;
  };
  for (int i = 0; i < 300; ++i) {
    if (i == 250) continue;
    EXPECT_EQ(*engine.status(ids[i]), expected(i, false)) << "execution " << i;
  }
  // Soonest: execution 202's timeout and execution 297's Wait, both at 302 s.
  EXPECT_EQ(report.next_deadline, start_ + 302 * kSecond);
  engine.run_all();
  for (int i = 0; i < 300; ++i) {
    if (i == 250) continue;
    EXPECT_EQ(*engine.status(ids[i]), expected(i, true)) << "execution " << i;
  }
  EXPECT_EQ(elapsed(), 398 * kSecond);  // execution 298 timed out last
  EXPECT_EQ(engine.step().next_deadline, std::nullopt);
}

// Express executions all carry the five-minute cap as a deadline; thousands that finish at
// once leave no deadline behind.
TEST_F(EngineTest, FinishedExpressExecutionsLeaveNoDeadline) {
  auto machine = compile(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  StartOptions so;
  so.express = true;
  for (int i = 0; i < 5000; ++i) {
    Result<ExecutionId> id = engine.start(machine, json{{"i", i}}, so);
    ASSERT_TRUE(id.ok());
    StepReport report = engine.step();
    EXPECT_EQ(report.next_deadline, std::nullopt);
    ASSERT_TRUE(engine.take(*id).ok());
  }
}

TEST_F(EngineTest, TwoEnginesInOneProcessAreIndependent) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 5, "Next": "P"},
      "P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  auto clock2 = std::make_shared<ManualClock>();
  EngineOptions o2;
  o2.clock = clock2;
  Engine e1(options());
  Engine e2(std::move(o2));
  Result<ExecutionId> a = e1.start(machine, json{{"e", 1}});
  Result<ExecutionId> b = e2.start(machine, json{{"e", 2}});
  ASSERT_TRUE(a.ok() && b.ok());
  e1.step();
  e2.step();
  clock_->advance(5 * kSecond);
  e1.step();
  EXPECT_EQ(*e1.status(*a), ExecutionStatus::kSucceeded);
  e2.step();
  EXPECT_EQ(*e2.status(*b), ExecutionStatus::kRunning);
  clock2->advance(5 * kSecond);
  e2.step();
  expect_succeeded(*e2.result(*b), {{"e", 2}});
  expect_succeeded(*e1.result(*a), {{"e", 1}});
}

TEST_F(EngineTest, StopAbortsTheExecutionAndCancelsItsTask) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  auto machine = compile(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  engine.step();
  ASSERT_EQ(tasks_->calls().size(), 1u);
  Status s = engine.stop(*id, "User.Stop", "no longer needed");
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kAborted);
  Result<ExecutionResult> r = engine.result(*id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->error, "User.Stop");
  EXPECT_EQ(r->cause, "no longer needed");
  EXPECT_EQ(tasks_->cancelled(), Strings{tasks_->calls()[0].task_token});
  const History& h = **engine.history(*id);
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h.back().type, "ExecutionAborted");
  // A completion after the stop changes nothing.
  tasks_->pending()[0].succeed(1);
  EXPECT_EQ(engine.step().running, 0u);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kAborted);
}

TEST_F(EngineTest, UnknownExecutionIdsAreNotFound) {
  Engine engine(options());
  EXPECT_EQ(engine.status(42).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.result(42).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.history(42).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(engine.run(42).ok());
}

TEST_F(EngineTest, ReleaseForgetsOnlyFinishedExecutions) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 1, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(engine.release(*id).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(engine.run(*id).ok());
  EXPECT_TRUE(engine.release(*id).ok());
  EXPECT_EQ(engine.status(*id).status().code(), StatusCode::kNotFound);
}

TEST_F(EngineTest, TakeReturnsTheResultAndForgetsTheExecution) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
      "P": {"Type": "Pass", "Result": {"big": [1, 2, 3]}, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(engine.take(*id).status().code(), StatusCode::kFailedPrecondition);
  engine.run_all();
  Result<ExecutionResult> r = engine.take(*id);
  ASSERT_TRUE(r.ok());
  expect_succeeded(*r, json{{"big", {1, 2, 3}}});
  EXPECT_EQ(engine.status(*id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.take(*id).status().code(), StatusCode::kNotFound);
}

TEST_F(EngineTest, CompletionAfterEngineDestructionDoesNothing) {
  tasks_->script(kWork, {ScriptedExecutor::never()});
  auto machine = compile(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})");
  ASSERT_TRUE(machine);
  {
    Engine engine(options());
    ASSERT_TRUE(engine.start(machine, json::object()).ok());
    engine.step();
  }
  ASSERT_EQ(tasks_->pending().size(), 1u);
  TaskCompletion c = tasks_->pending()[0];
  c.heartbeat();
  c.succeed({{"too", "late"}});
  c.fail("Too.Late", "engine is gone");
  EXPECT_FALSE(c.task_token().empty());
}

// ---------------------------------------------------------------------------------------------
// Details checked against ASL-REFERENCE.md.

TEST_F(EngineTest, StopDuringAWaitAbortsTheExecution) {
  auto machine = compile(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 60, "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  engine.step();
  ASSERT_TRUE(engine.stop(*id).ok());
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kAborted);
  StepReport report = engine.step();
  EXPECT_EQ(report.running, 0u);
  EXPECT_EQ(report.next_deadline, std::nullopt);
}

TEST_F(EngineTest, ExecutionResultToJson) {
  ExecutionResult ok =
      run(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})", {{"a", 1}});
  EXPECT_EQ(ok.to_json(), json({{"status", "SUCCEEDED"}, {"output", {{"a", 1}}}}));
  ExecutionResult failed = run(R"({"StartAt": "F", "States": {
      "F": {"Type": "Fail", "Error": "E", "Cause": "C"}}})");
  EXPECT_EQ(failed.to_json(), json({{"status", "FAILED"}, {"error", "E"}, {"cause", "C"}}));
}

TEST_F(EngineTest, StepDeadlineStopsAtATransitionBoundary) {
  auto machine = compile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Next": "B"},
      "B": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  Engine engine(options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  StepBudget past;
  past.deadline = clock_->now();  // already reached: nothing may be entered
  StepReport report = engine.step(past);
  EXPECT_EQ(report.transitions, 0u);
  EXPECT_TRUE(report.runnable);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kRunning);
  report = engine.step();
  EXPECT_EQ(report.transitions, 2u);
  EXPECT_EQ(*engine.status(*id), ExecutionStatus::kSucceeded);
}

TEST_F(EngineTest, RandomSeedMakesUuidsReproducible) {
  const char* def = R"js({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Parameters": {"u.$": "States.UUID()"}, "End": true}}})js";
  auto uuid_with_seed = [&](std::uint64_t seed) {
    EngineOptions o = options();
    o.random_seed = seed;
    ExecutionResult r = run(def, json::object(), o);
    EXPECT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json().dump();
    return r.output.value("u", std::string());
  };
  std::string a = uuid_with_seed(11), b = uuid_with_seed(11), c = uuid_with_seed(12);
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

// Engine::run(machine, input) is safe in a loop: it releases each execution, so the engine
// holds nothing afterwards however often it is called.
TEST(EngineRunTest, RunningInALoopHoldsNoExecution) {
  auto machine = compile(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(machine);
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  Engine engine(std::move(options));
  for (int i = 0; i < 10000; ++i) {
    Result<ExecutionResult> r = engine.run(machine, {{"i", i}}, {.name = "same-name"});
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    ASSERT_EQ(r->output, json({{"i", i}}));
    ASSERT_EQ(engine.execution_count(), 0u);
  }
  EXPECT_FALSE(engine.find("same-name"));
}

// Host mistakes come back as a Status, not as a States.Runtime workflow failure.
TEST(EngineRunTest, HostMistakesAreStatusesNotWorkflowFailures) {
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.task_executor = std::make_shared<FunctionExecutor>([](const json&) { return json(); });
  Engine engine(std::move(options));
  Result<ExecutionResult> null_machine = engine.run(nullptr, json::object());
  ASSERT_FALSE(null_machine.ok());
  EXPECT_EQ(null_machine.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(null_machine.status().message(), "the state machine is null");

  auto waits = compile(R"({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10,
                           "End": true}}})");
  ASSERT_TRUE(waits);
  ASSERT_TRUE(engine.start(waits, json::object(), {.name = "busy"}).ok());
  Result<ExecutionResult> duplicate = engine.run(waits, json::object(), {.name = "busy"});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(duplicate.status().message(), "an execution named 'busy' is already running");
  EXPECT_EQ(engine.execution_count(), 1u);
}

}  // namespace
}  // namespace stepwise
