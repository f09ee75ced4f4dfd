// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `ScriptedExecutor`: a task executor for tests whose outcomes are scripted per Task state
// (or per resource), attempt by attempt: return a value, throw an error, echo the input, stay
// pending, or do any of these after N seconds of virtual time. Part of `stepwise::testing`.
#ifndef STEPWISE_TESTING_SCRIPTED_EXECUTOR_H_
#define STEPWISE_TESTING_SCRIPTED_EXECUTOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/clock.h"
#include "stepwise/task_executor.h"

namespace stepwise::testing {

// A task executor driven by scripts. A script is keyed by a Task's state name or by its
// resource (the state name is looked up first); each attempt takes the next step of its
// script, and when the script is exhausted (or absent) the task echoes its input. Every call
// and cancellation is recorded. A step scripted `after(seconds, ...)` completes when the clock
// reaches its due time: `WorkflowTest::run` delivers it (or call `deliver_due` yourself).
// Tasks scripted `never()` stay pending (see `pending()`) until the test completes them.
//
//   auto tasks = std::make_shared<ScriptedExecutor>(clock);
//   tasks->script("LoadWarehouse", {ScriptedExecutor::fail("Warehouse.Busy", "locked"),
//                                   ScriptedExecutor::after(30, ScriptedExecutor::succeed(1))});
//
// Thread-safe: all methods may be called concurrently.
class ScriptedExecutor final : public TaskExecutor {
 public:
  struct Step {
    enum class Kind { kSucceed, kFail, kNever, kEcho } kind = Kind::kEcho;
    nlohmann::json output;
    std::string error;
    std::string cause;
    std::int64_t delay_seconds = 0;  // virtual seconds before the completion
  };
  static Step succeed(nlohmann::json output) {
    return {Step::Kind::kSucceed, std::move(output), "", "", 0};
  }
  static Step fail(std::string error, std::string cause) {
    return {Step::Kind::kFail, nullptr, std::move(error), std::move(cause), 0};
  }
  static Step never() { return {Step::Kind::kNever, nullptr, "", "", 0}; }
  static Step echo() { return {Step::Kind::kEcho, nullptr, "", "", 0}; }
  // `step`, completed `seconds` of clock time after the call. REQUIRES: a clock was given.
  static Step after(std::int64_t seconds, Step step) {
    step.delay_seconds = seconds;
    return step;
  }

  struct Call {
    std::string resource;
    std::string state_name;
    nlohmann::json input;
    int attempt = 0;
    std::string task_token;
    std::int64_t at = 0;        // clock time of the call (0 without a clock)
    std::int64_t deadline = 0;  // TaskRequest::deadline
  };

  explicit ScriptedExecutor(std::shared_ptr<Clock> clock = nullptr);
  ~ScriptedExecutor() override;

  // Appends `steps` to the script of `key` (a state name or a resource).
  ScriptedExecutor& script(const std::string& key, std::vector<Step> steps);
  // Scripts `key` to fail `n` times with `error`/`cause`, then succeed with `output`.
  ScriptedExecutor& fail_then_succeed(const std::string& key, int n, const std::string& error,
                                      const std::string& cause, nlohmann::json output);

  void start(const TaskRequest& request, TaskCompletion completion) override;
  void cancel(std::string_view task_token) override;

  // Every call, in order.
  std::vector<Call> calls() const;
  // The calls of one state (by state name) or resource.
  std::vector<Call> calls_to(std::string_view key) const;
  std::vector<std::string> cancelled() const;
  // Completions of tasks scripted `never()`.
  std::vector<TaskCompletion> pending() const;

  // The earliest due time of a delayed completion, if any.
  std::optional<std::int64_t> next_due() const;
  // Completes the delayed tasks due at or before `now`; returns how many.
  std::size_t deliver_due(std::int64_t now);

 private:
  struct Book;  // scripts, calls and held completions behind a mutex (scripted_executor.cc)
  std::shared_ptr<Clock> clock_;
  std::unique_ptr<Book> book_;
};

}  // namespace stepwise::testing

#endif  // STEPWISE_TESTING_SCRIPTED_EXECUTOR_H_
