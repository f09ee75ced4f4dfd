// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Helpers for interpreter tests: compiling inline definitions, a scripted task executor whose
// outcomes are set per resource, and history summaries.
#ifndef STEPWISE_TESTS_SUPPORT_ENGINE_SUPPORT_H_
#define STEPWISE_TESTS_SUPPORT_ENGINE_SUPPORT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/clock.h"
#include "stepwise/history.h"
#include "stepwise/parser.h"
#include "stepwise/state_machine.h"
#include "stepwise/task_executor.h"

namespace stepwise::testing_support {

// Parses `definition`; on diagnostics, records a test failure listing them and returns null.
std::shared_ptr<const StateMachine> compile(std::string_view definition);

// The `type` of each event, in order.
std::vector<std::string> event_types(const std::vector<HistoryEvent>& events);

// A task executor driven by a script of outcomes per resource. Each attempt on a resource takes
// the next outcome; when the script is exhausted (or absent) the task echoes its input.
// Records every call and cancellation. Tasks scripted `never()` stay pending (their completions
// are kept in `pending()`) until the test completes them.
//
// Thread-safe: all methods may be called concurrently.
class ScriptedExecutor final : public TaskExecutor {
 public:
  struct Step {
    enum class Kind { kSucceed, kFail, kNever, kEcho } kind = Kind::kEcho;
    nlohmann::json output;
    std::string error;
    std::string cause;
  };
  static Step succeed(nlohmann::json output) { return {Step::Kind::kSucceed, std::move(output), "", ""}; }
  static Step fail(std::string error, std::string cause) {
    return {Step::Kind::kFail, nullptr, std::move(error), std::move(cause)};
  }
  static Step never() { return {Step::Kind::kNever, nullptr, "", ""}; }
  static Step echo() { return {Step::Kind::kEcho, nullptr, "", ""}; }

  struct Call {
    std::string resource;
    std::string state_name;
    nlohmann::json input;
    int attempt = 0;
    std::string task_token;
    std::int64_t at = 0;        // clock time of the call (0 without a clock)
    std::int64_t deadline = 0;  // TaskRequest::deadline
  };

  explicit ScriptedExecutor(std::shared_ptr<Clock> clock = nullptr) : clock_(std::move(clock)) {}

  // Appends `steps` to the script of `resource`.
  ScriptedExecutor& script(const std::string& resource, std::vector<Step> steps);
  // Scripts `resource` to fail `n` times with `error`/`cause`, then succeed with `output`.
  ScriptedExecutor& fail_then_succeed(const std::string& resource, int n, const std::string& error,
                                      const std::string& cause, nlohmann::json output);

  void start(const TaskRequest& request, TaskCompletion completion) override;
  void cancel(std::string_view task_token) override;

  std::vector<Call> calls() const;
  std::vector<std::string> cancelled() const;
  std::vector<TaskCompletion> pending() const;

 private:
  std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<Step>, std::less<>> scripts_;  // GUARDED_BY(mu_)
  std::map<std::string, std::size_t, std::less<>> next_;          // GUARDED_BY(mu_)
  std::vector<Call> calls_;                                        // GUARDED_BY(mu_)
  std::vector<std::string> cancelled_;                             // GUARDED_BY(mu_)
  std::vector<TaskCompletion> pending_;                            // GUARDED_BY(mu_)
};

}  // namespace stepwise::testing_support

#endif  // STEPWISE_TESTS_SUPPORT_ENGINE_SUPPORT_H_
