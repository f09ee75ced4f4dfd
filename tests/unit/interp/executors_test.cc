// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The executor adapters (task_executor.h) driven by an Engine: FunctionExecutor,
// ExecutorRouter, FutureExecutor and ThreadPoolExecutor (completions from worker threads).
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "stepwise/engine.h"
#include "support/engine_support.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::compile;

constexpr const char* kTaskMachine = R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})";

ExecutionResult run_with(std::shared_ptr<TaskExecutor> executor, std::string_view definition,
                         json input, std::shared_ptr<Clock> clock = std::make_shared<ManualClock>(),
                         StartOptions start = {}) {
  auto machine = compile(definition);
  if (!machine) return {};
  EngineOptions options;
  options.task_executor = std::move(executor);
  options.clock = std::move(clock);
  Engine engine(std::move(options));
  return *engine.run(machine, std::move(input), std::move(start));
}

std::string outcome(const ExecutionResult& r) {
  if (r.status == ExecutionStatus::kSucceeded) return r.output.dump();
  return r.error.value_or("-") + " / " + r.cause.value_or("-");
}

TEST(FunctionExecutorTest, ReturnsTheFunctionResult) {
  auto e =
      std::make_shared<FunctionExecutor>([](const json& in) { return in["n"].get<int>() * 2; });
  EXPECT_EQ(outcome(run_with(e, kTaskMachine, {{"n", 21}})), "42");
}

TEST(FunctionExecutorTest, AnExceptionBecomesTaskFailedWithWhatAsCause) {
  auto e = std::make_shared<FunctionExecutor>(
      [](const json&) -> json { throw std::runtime_error("kaboom"); });
  EXPECT_EQ(outcome(run_with(e, kTaskMachine, json::object())), "States.TaskFailed / kaboom");
}

TEST(FunctionExecutorTest, ATaskErrorKeepsItsName) {
  auto e = std::make_shared<FunctionExecutor>(
      [](const json&) -> json { throw TaskError("Payment.Declined", "card expired"); });
  EXPECT_EQ(outcome(run_with(e, kTaskMachine, json::object())), "Payment.Declined / card expired");
}

TEST(FunctionExecutorTest, ATaskErrorCanBeCaughtByName) {
  auto e = std::make_shared<FunctionExecutor>(
      [](const json&) -> json { throw TaskError("Payment.Declined", "card expired"); });
  ExecutionResult r = run_with(e, R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Catch": [{"ErrorEquals": ["Payment.Declined"], "Next": "C"}], "End": true},
      "C": {"Type": "Pass", "End": true}}})",
                               json::object());
  EXPECT_EQ(outcome(r), R"({"Cause":"card expired","Error":"Payment.Declined"})");
}

TEST(TaskExecutorTest, AnExceptionFromStartBecomesTaskFailed) {
  struct Throwing : TaskExecutor {
    void start(const TaskRequest&, TaskCompletion) override {
      throw std::logic_error("cannot start");
    }
  };
  EXPECT_EQ(outcome(run_with(std::make_shared<Throwing>(), kTaskMachine, json::object())),
            "States.TaskFailed / cannot start");
}

TEST(TaskExecutorTest, NoExecutorConfiguredFailsTheTask) {
  EXPECT_EQ(outcome(run_with(nullptr, kTaskMachine, json::object())),
            "States.TaskFailed / no task executor is configured");
}

TEST(TaskExecutorTest, RequestCarriesResourceStateAttemptAndContext) {
  struct Capture : TaskExecutor {
    std::vector<std::string> seen;
    void start(const TaskRequest& r, TaskCompletion c) override {
      seen.push_back(std::string(r.resource) + "|" + std::string(r.state_name) + "|" +
                     std::string(r.execution_name) + "|" + std::to_string(r.attempt) + "|" +
                     r.context()["State"]["Name"].dump() + "|" +
                     r.context()["State"]["RetryCount"].dump() + "|" +
                     r.context()["Execution"]["Input"].dump() + "|" +
                     r.context()["Execution"]["Name"].dump());
      if (r.attempt == 0) {
        c.fail("Again", "");
      } else {
        c.succeed(*r.input);
      }
    }
  };
  auto e = std::make_shared<Capture>();
  StartOptions so;
  so.name = "exec-1";
  EXPECT_EQ(outcome(run_with(e, R"({"StartAt": "Do", "States": {
      "Do": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
             "Retry": [{"ErrorEquals": ["Again"], "IntervalSeconds": 1}], "End": true}}})",
                             {{"k", 1}}, std::make_shared<ManualClock>(), so)),
            R"({"k":1})");
  EXPECT_EQ(e->seen,
            (std::vector<std::string>{
                R"(arn:aws:states:::dynamodb:putItem|Do|exec-1|0|"Do"|0|{"k":1}|"exec-1")",
                R"(arn:aws:states:::dynamodb:putItem|Do|exec-1|1|"Do"|1|{"k":1}|"exec-1")"}));
}

// The context object is built only when something reads it, and then holds the execution's
// input as it was at the start, whatever the states did to their own payloads since.
TEST(TaskExecutorTest, ContextReadLateHoldsTheOriginalInput) {
  struct Capture : TaskExecutor {
    std::string seen;
    void start(const TaskRequest& r, TaskCompletion c) override {
      seen =
          r.context()["Execution"]["Input"].dump() + "|" + r.context()["StateMachine"]["Id"].dump();
      c.succeed(*r.input);
    }
  };
  auto e = std::make_shared<Capture>();
  StartOptions so;
  so.state_machine_name = "Telemetry";
  EXPECT_EQ(
      outcome(run_with(e, R"({"StartAt": "Change", "States": {
      "Change": {"Type": "Pass", "Result": {"changed": true}, "Next": "Do"},
      "Do": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}})",
                       {{"k", "caf\u00e9"}, {"n", 1.5}}, std::make_shared<ManualClock>(), so)),
      R"({"changed":true})");
  EXPECT_EQ(e->seen,
            "{\"k\":\"caf\u00e9\",\"n\":1.5}|\"arn:aws:states:us-east-1:111111111111:stateMachine:"
            "Telemetry\"");

  // A request built by hand (as in an executor's own tests) has an empty context, and
  // take_input copies its input.
  TaskRequest manual;
  EXPECT_EQ(manual.context(), json::object());
  json manual_input = {{"k", 1}};
  manual.input = &manual_input;
  EXPECT_EQ(manual.take_input(), json({{"k", 1}}));
  EXPECT_EQ(manual_input, json({{"k", 1}}));
}

// TaskRequest::take_input moves the input out only when the engine will not read it again;
// either way the executor gets the same value and the execution the same output.
TEST(TaskExecutorTest, TakeInputMovesOnlyWhatTheEngineNoLongerNeeds) {
  struct Echo : TaskExecutor {
    std::vector<std::string> seen;  // the taken input, then what `input` points at afterwards
    int fail_first = 0;
    void start(const TaskRequest& r, TaskCompletion c) override {
      json in = r.take_input();
      seen.push_back(in.dump() + "|" + r.input->dump());
      if (r.attempt < fail_first) {
        c.fail("Again", "");
      } else {
        c.succeed(std::move(in));
      }
    }
  };
  struct Case {
    const char* task_fields;
    int fail_first;
    const char* output;
    std::vector<std::string> seen;
  };
  const Case cases[] = {
      // Nothing reads the input afterwards: moved.
      {R"("Next": "Done")", 0, R"({"k":1})", {R"({"k":1}|null)"}},
      {R"("ResultPath": "$", "Next": "Done")", 0, R"({"k":1})", {R"({"k":1}|null)"}},
      // Parameters build the effective input, kept for retries only: moved without Retry.
      {R"("Parameters": {"p.$": "$.k"}, "ResultPath": "$.r", "Next": "Done")",
       0,
       R"({"k":1,"r":{"p":1}})",
       {R"({"p":1}|null)"}},
      // ResultPath merges into the input: copied.
      {R"("ResultPath": "$.r", "Next": "Done")",
       0,
       R"({"k":1,"r":{"k":1}})",
       {R"({"k":1}|{"k":1})"}},
      // A Catch that merges into the input: copied.
      {R"("Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "Done"}],
          "Next": "Done")",
       0,
       R"({"k":1})",
       {R"({"k":1}|{"k":1})"}},
      // A Retry sends the input again: copied on every attempt.
      {R"("Retry": [{"ErrorEquals": ["Again"], "IntervalSeconds": 1}], "Next": "Done")",
       1,
       R"({"k":1})",
       {R"({"k":1}|{"k":1})", R"({"k":1}|{"k":1})"}},
  };
  for (const Case& c : cases) {
    auto echo = std::make_shared<Echo>();
    echo->fail_first = c.fail_first;
    std::string definition = std::string(R"({"StartAt": "Do", "States": {
        "Do": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", )") +
                             c.task_fields + R"(},
        "Done": {"Type": "Pass", "End": true}}})";
    EXPECT_EQ(outcome(run_with(echo, definition, {{"k", 1}})), c.output) << c.task_fields;
    EXPECT_EQ(echo->seen, c.seen) << c.task_fields;
  }
}

// Engine::send_task_* reaches a task whose executor's `start` is still running: an executor
// may hand its token to another thread that answers before `start` returns.
TEST(TaskExecutorTest, TokenSentFromAnotherThreadInsideStartCompletesTheTask) {
  struct Handoff : TaskExecutor {
    Engine* engine = nullptr;
    std::vector<std::string> tokens;
    std::vector<StatusCode> codes;
    void start(const TaskRequest& r, TaskCompletion) override {
      std::string token(r.task_token);
      tokens.push_back(token);
      std::thread worker([&] {
        codes.push_back(engine->send_task_heartbeat(token).code());
        codes.push_back(engine->send_task_success(token, {{"by", "worker"}}).code());
        // Answered already: ignored, but the task is still known until `start` returns.
        codes.push_back(engine->send_task_failure(token, "Late", "").code());
      });
      worker.join();
    }
  };
  auto e = std::make_shared<Handoff>();
  auto machine = compile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Next": "B"},
      "B": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})");
  ASSERT_TRUE(machine);
  EngineOptions options;
  options.task_executor = e;
  options.clock = std::make_shared<ManualClock>();
  Engine engine(std::move(options));
  e->engine = &engine;
  EXPECT_EQ(outcome(*engine.run(machine, json::object())), R"({"by":"worker"})");
  EXPECT_EQ(e->codes, std::vector<StatusCode>(6, StatusCode::kOk));
  ASSERT_EQ(e->tokens.size(), 2u);
  EXPECT_NE(e->tokens[0], e->tokens[1]);
  EXPECT_EQ(engine.send_task_success(e->tokens[0], json()).code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.send_task_success(e->tokens[1], json()).code(), StatusCode::kNotFound);
}

// A task completed inside `start` is not registered by token afterwards; one still running
// when `start` returns is, until it completes.
TEST(TaskExecutorTest, TokenOfATaskStillRunningAfterStartIsKnownUntilItCompletes) {
  struct Mixed : TaskExecutor {
    std::vector<std::string> tokens;
    void start(const TaskRequest& r, TaskCompletion c) override {
      tokens.emplace_back(r.task_token);
      if (r.state_name == "Sync") c.succeed(*r.input);
    }
  };
  auto e = std::make_shared<Mixed>();
  auto machine = compile(R"({"StartAt": "Sync", "States": {
      "Sync": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Next": "Async"},
      "Async": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})");
  ASSERT_TRUE(machine);
  EngineOptions options;
  options.task_executor = e;
  options.clock = std::make_shared<ManualClock>();
  Engine engine(std::move(options));
  Result<ExecutionId> id = engine.start(machine, {{"k", 1}});
  ASSERT_TRUE(id.ok());
  engine.step();
  ASSERT_EQ(e->tokens.size(), 2u);
  EXPECT_EQ(engine.send_task_heartbeat(e->tokens[0]).code(), StatusCode::kNotFound);
  EXPECT_EQ(engine.send_task_heartbeat(e->tokens[1]).code(), StatusCode::kOk);
  std::thread worker([&] { EXPECT_TRUE(engine.send_task_success(e->tokens[1], "async").ok()); });
  worker.join();
  EXPECT_EQ(outcome(*engine.run(*id)), R"("async")");
  EXPECT_EQ(engine.send_task_success(e->tokens[1], json()).code(), StatusCode::kNotFound);
}

// An executor may keep its `TaskCompletion`s: a stale one keeps its token and cannot answer a
// later task.
TEST(TaskExecutorTest, KeptCompletionKeepsItsTokenAndCannotAnswerALaterTask) {
  struct Keeper : TaskExecutor {
    std::vector<TaskCompletion> kept;
    std::vector<std::string> tokens;
    void start(const TaskRequest& r, TaskCompletion c) override {
      tokens.emplace_back(r.task_token);
      c.succeed(json(static_cast<int>(tokens.size())));
      for (const TaskCompletion& old : kept) old.fail("Stale", "an earlier task's completion");
      kept.push_back(c);
    }
  };
  auto e = std::make_shared<Keeper>();
  auto machine = compile(R"({"StartAt": "A", "States": {
      "A": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Next": "B"},
      "B": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Next": "C"},
      "C": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})");
  ASSERT_TRUE(machine);
  EngineOptions options;
  options.task_executor = e;
  options.clock = std::make_shared<ManualClock>();
  Engine engine(std::move(options));
  EXPECT_EQ(outcome(*engine.run(machine, json::object())), "3");
  ASSERT_EQ(e->kept.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(e->kept[i].task_token(), e->tokens[i]);
}

// The host may stop the execution from inside `start`: the task is cancelled, its token is
// forgotten, and a late completion changes nothing.
TEST(TaskExecutorTest, StopFromInsideStartCancelsTheTask) {
  struct Stopper : TaskExecutor {
    Engine* engine = nullptr;
    ExecutionId id = 0;
    std::string token;
    std::vector<std::string> cancelled;
    std::optional<TaskCompletion> kept;
    void start(const TaskRequest& r, TaskCompletion c) override {
      token = r.task_token;
      kept = c;
      EXPECT_TRUE(engine->stop(id, "Host.Stopped", "from inside start").ok());
    }
    void cancel(std::string_view t) override { cancelled.emplace_back(t); }
  };
  auto e = std::make_shared<Stopper>();
  auto machine = compile(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}})");
  ASSERT_TRUE(machine);
  EngineOptions options;
  options.task_executor = e;
  options.clock = std::make_shared<ManualClock>();
  Engine engine(std::move(options));
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  e->engine = &engine;
  e->id = *id;
  engine.step();
  EXPECT_EQ(engine.status(*id).value(), ExecutionStatus::kAborted);
  EXPECT_EQ(e->cancelled, std::vector<std::string>{e->token});
  EXPECT_EQ(engine.send_task_success(e->token, json()).code(), StatusCode::kNotFound);
  ASSERT_TRUE(e->kept.has_value());
  e->kept->succeed(json("late"));
  StepReport report = engine.step();
  EXPECT_EQ(report.running, 0u);
  EXPECT_EQ(engine.status(*id).value(), ExecutionStatus::kAborted);
}

std::shared_ptr<TaskExecutor> constant(std::string value) {
  return std::make_shared<FunctionExecutor>([value](const json&) { return json(value); });
}

std::string run_resource(const std::shared_ptr<TaskExecutor>& e, const std::string& resource) {
  json def = {{"StartAt", "T"},
              {"States", {{"T", {{"Type", "Task"}, {"Resource", resource}, {"End", true}}}}}};
  return outcome(run_with(e, def.dump(), json::object()));
}

TEST(ExecutorRouterTest, RoutesByExactThenLongestPrefixThenFallback) {
  auto router = std::make_shared<ExecutorRouter>();
  router->route("arn:aws:states:::sqs:sendMessage", constant("exact"))
      .route_prefix("arn:aws:states:::", constant("short prefix"))
      .route_prefix("arn:aws:states:::sqs:", constant("long prefix"))
      .fallback(constant("fallback"));
  struct Case {
    const char* resource;
    const char* expected;
  };
  const Case cases[] = {
      {"arn:aws:states:::sqs:sendMessage", "\"exact\""},
      {"arn:aws:states:::sqs:sendMessage.waitForTaskToken", "\"long prefix\""},
      {"arn:aws:states:::dynamodb:putItem", "\"short prefix\""},
      {"arn:aws:lambda:us-east-1:111111111111:function:f", "\"fallback\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.resource);
    EXPECT_EQ(run_resource(router, c.resource), c.expected);
  }
}

TEST(ExecutorRouterTest, ResourceWithoutRouteFailsNamingIt) {
  auto router = std::make_shared<ExecutorRouter>();
  router->route("arn:aws:states:::sqs:sendMessage", constant("exact"));
  EXPECT_EQ(run_resource(router, "arn:aws:states:::dynamodb:putItem"),
            "States.TaskFailed / no executor is routed for resource "
            "'arn:aws:states:::dynamodb:putItem'");
}

TEST(ExecutorRouterTest, CancelReachesTheRoutedExecutor) {
  auto scripted = std::make_shared<testing_support::ScriptedExecutor>();
  scripted->script("arn:aws:states:::dynamodb:putItem",
                   {testing_support::ScriptedExecutor::never()});
  auto router = std::make_shared<ExecutorRouter>();
  router->route_prefix("arn:aws:states:::dynamodb:", scripted);
  EXPECT_EQ(outcome(run_with(router, R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "TimeoutSeconds": 2,
            "End": true}}})",
                             json::object())),
            "States.Timeout / -");
  ASSERT_EQ(scripted->calls().size(), 1u);
  EXPECT_EQ(scripted->cancelled(), std::vector<std::string>{scripted->calls()[0].task_token});
}

TEST(FutureExecutorTest, CompletesFromTheFuture) {
  auto e = std::make_shared<FutureExecutor>([](const json& in) {
    std::promise<json> p;
    p.set_value(json{{"got", in}});
    return p.get_future();
  });
  EXPECT_EQ(outcome(run_with(e, kTaskMachine, 7, std::make_shared<SystemClock>())), R"({"got":7})");
}

TEST(FutureExecutorTest, AnExceptionInTheFutureFailsTheTask) {
  auto e = std::make_shared<FutureExecutor>([](const json&) {
    std::promise<json> p;
    p.set_exception(std::make_exception_ptr(TaskError("Remote.Error", "remote failed")));
    return p.get_future();
  });
  EXPECT_EQ(outcome(run_with(e, kTaskMachine, 7, std::make_shared<SystemClock>())),
            "Remote.Error / remote failed");
  auto f = std::make_shared<FutureExecutor>([](const json&) {
    std::promise<json> p;
    p.set_exception(std::make_exception_ptr(std::runtime_error("plain")));
    return p.get_future();
  });
  EXPECT_EQ(outcome(run_with(f, kTaskMachine, 7, std::make_shared<SystemClock>())),
            "States.TaskFailed / plain");
}

TEST(FutureExecutorTest, FutureFromAnAsyncThread) {
  auto e = std::make_shared<FutureExecutor>([](const json& in) {
    int n = in.get<int>();
    return std::async(std::launch::async, [n] { return json(n + 1); });
  });
  EXPECT_EQ(outcome(run_with(e, kTaskMachine, 1, std::make_shared<SystemClock>())), "2");
}

TEST(ThreadPoolExecutorTest, FourWorkersComplete200MapItems) {
  std::mutex mu;
  std::set<std::thread::id> threads;
  auto pool = std::make_shared<ThreadPoolExecutor>(4, [&](const json& in) {
    {
      std::lock_guard<std::mutex> lock(mu);
      threads.insert(std::this_thread::get_id());
    }
    return json(in.get<int>() * 2);
  });
  json items = json::array();
  json expected = json::array();
  for (int i = 0; i < 200; ++i) {
    items.push_back(i);
    expected.push_back(i * 2);
  }
  ExecutionResult r = run_with(pool, R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}}}}})",
                               items, std::make_shared<SystemClock>());
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << outcome(r);
  EXPECT_EQ(r.output, expected);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_GE(threads.size(), 1u);
  EXPECT_LE(threads.size(), 4u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
}

TEST(ThreadPoolExecutorTest, HandlerExceptionsFailTheTask) {
  auto pool = std::make_shared<ThreadPoolExecutor>(2, [](const json& in) -> json {
    if (in.get<int>() == 3) throw TaskError("Item.Bad", "three");
    return in;
  });
  ExecutionResult r = run_with(pool, R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": true}}}}}})",
                               json{1, 2, 3, 4}, std::make_shared<SystemClock>());
  EXPECT_EQ(outcome(r), "Item.Bad / three");
}

TEST(ThreadPoolExecutorTest, CompletionAfterEngineDestructionDoesNothing) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  auto pool = std::make_shared<ThreadPoolExecutor>(1, [gate](const json& in) {
    gate.wait();
    return in;
  });
  auto machine = compile(kTaskMachine);
  ASSERT_TRUE(machine);
  {
    EngineOptions options;
    options.task_executor = pool;
    options.clock = std::make_shared<ManualClock>();
    Engine engine(std::move(options));
    ASSERT_TRUE(engine.start(machine, json{{"x", 1}}).ok());
    engine.step();
  }
  release.set_value();
  pool.reset();  // joins the worker after it completed into the destroyed engine
}

// Issue 16: under a virtual clock, a task that runs in real time (here on a worker thread) is
// given real seconds: the clock follows the wall clock while it is in flight instead of
// jumping to its TimeoutSeconds.
TEST(RealTimeTaskTest, AVirtualClockDoesNotJumpOverAWorkerThatIsStillRunning) {
  auto pool = std::make_shared<ThreadPoolExecutor>(1, [](const json& in) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return in;
  });
  auto clock = std::make_shared<ManualClock>();
  std::int64_t start = clock->now();
  ExecutionResult r = run_with(pool, R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "TimeoutSeconds": 1,
            "End": true}}})",
                               json{{"x", 1}}, clock);
  EXPECT_EQ(outcome(r), R"({"x":1})");
  EXPECT_GE(clock->now() - start, 300'000'000);
  EXPECT_LT(clock->now() - start, 1'000'000'000);
}

TEST(RealTimeTaskTest, AStuckWorkerTimesOutAfterRealSecondsAndExactlyOnTheVirtualClock) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  auto pool = std::make_shared<ThreadPoolExecutor>(1, [gate](const json& in) {
    gate.wait();
    return in;
  });
  auto clock = std::make_shared<ManualClock>();
  std::int64_t start = clock->now();
  auto real_start = std::chrono::steady_clock::now();
  ExecutionResult r = run_with(pool, R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "TimeoutSeconds": 1,
            "Next": "W"},
      "W": {"Type": "Wait", "Seconds": 60, "End": true}}})",
                               json{{"x", 1}}, clock);
  release.set_value();
  EXPECT_EQ(outcome(r), "States.Timeout / -");
  EXPECT_EQ(clock->now() - start, 1'000'000'000);
  EXPECT_GE(std::chrono::steady_clock::now() - real_start, std::chrono::milliseconds(990));
}

TEST(RealTimeTaskTest, AWaitAfterARealTimeTaskIsInstantAgain) {
  auto pool = std::make_shared<ThreadPoolExecutor>(1, [](const json& in) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return in;
  });
  auto clock = std::make_shared<ManualClock>();
  std::int64_t start = clock->now();
  auto real_start = std::chrono::steady_clock::now();
  ExecutionResult r = run_with(pool, R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Next": "W"},
      "W": {"Type": "Wait", "Seconds": 86400, "End": true}}})",
                               json{{"x", 1}}, clock);
  EXPECT_EQ(outcome(r), R"({"x":1})");
  EXPECT_GE(clock->now() - start, 86400'000'000'000 + 100'000'000);
  EXPECT_LT(std::chrono::steady_clock::now() - real_start, std::chrono::seconds(5));
}

// A task that is not marked real-time (a callback nobody answers) still lets the clock jump
// to its deadline.
TEST(RealTimeTaskTest, AnUnmarkedTaskStillTimesOutAtOnce) {
  std::vector<TaskCompletion> kept;
  class Keeper final : public TaskExecutor {
   public:
    explicit Keeper(std::vector<TaskCompletion>& kept) : kept_(kept) {}
    void start(const TaskRequest&, TaskCompletion done) override { kept_.push_back(done); }

   private:
    std::vector<TaskCompletion>& kept_;
  };
  auto clock = std::make_shared<ManualClock>();
  std::int64_t start = clock->now();
  auto real_start = std::chrono::steady_clock::now();
  ExecutionResult r = run_with(std::make_shared<Keeper>(kept), R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "TimeoutSeconds": 3600, "End": true}}})",
                               json::object(), clock);
  EXPECT_EQ(outcome(r), "States.Timeout / -");
  EXPECT_EQ(clock->now() - start, 3600'000'000'000);
  EXPECT_LT(std::chrono::steady_clock::now() - real_start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace stepwise
