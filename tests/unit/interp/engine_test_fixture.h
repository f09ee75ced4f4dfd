// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The fixture shared by the Engine tests (engine_*_test.cc): an engine per run on a
// ManualClock with a scripted task executor, keeping the last run's history, and the checks
// of a run's outcome. It lives in a named namespace so that every file's `EngineTest` tests
// share one fixture class, as GoogleTest requires of one test suite.
#ifndef STEPWISE_TESTS_UNIT_INTERP_ENGINE_TEST_FIXTURE_H_
#define STEPWISE_TESTS_UNIT_INTERP_ENGINE_TEST_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "stepwise/engine.h"
#include "support/engine_support.h"

namespace stepwise::engine_test {

inline constexpr std::int64_t kSecond = 1000000000LL;
inline constexpr const char* kWork = "arn:aws:states:::dynamodb:putItem";

// A Task that retries "Flaky" up to three times (after 3, 6 and 12 seconds), then catches
// every error into $.error.
inline constexpr const char* kRetryThenCatch = R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
          "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 3, "BackoffRate": 2,
                     "MaxAttempts": 3}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Caught"}],
          "End": true},
    "Caught": {"Type": "Pass", "End": true}}})";

class EngineTest : public ::testing::Test {
 protected:
  EngineOptions options() {
    EngineOptions o;
    o.clock = clock_;
    o.task_executor = tasks_;
    return o;
  }

  // Runs `definition` on `input` in a fresh engine built from `o`; keeps the history.
  ExecutionResult run(std::string_view definition, nlohmann::json input, EngineOptions o) {
    auto machine = testing_support::compile(definition);
    if (!machine) return {};
    Engine engine(std::move(o));
    Result<ExecutionId> id = engine.start(machine, std::move(input));
    EXPECT_TRUE(id.ok()) << id.status().to_string();
    if (!id.ok()) return {};
    Result<ExecutionResult> r = engine.run(*id);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    Result<const History*> h = engine.history(*id);
    EXPECT_TRUE(h.ok());
    if (h.ok()) history_ = **h;
    return r.ok() ? *r : ExecutionResult{};
  }
  ExecutionResult run(std::string_view definition,
                      nlohmann::json input = nlohmann::json::object()) {
    return run(definition, std::move(input), options());
  }

  std::int64_t elapsed() const { return clock_->now() - start_; }

  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  std::int64_t start_ = clock_->now();
  std::shared_ptr<testing_support::ScriptedExecutor> tasks_ =
      std::make_shared<testing_support::ScriptedExecutor>(clock_);
  History history_;
};

inline void expect_succeeded(const ExecutionResult& r, const nlohmann::json& output) {
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded)
      << r.error.value_or("") << ": " << r.cause.value_or("");
  EXPECT_EQ(r.output, output);
}

inline void expect_failed(const ExecutionResult& r, const std::string& error,
                          const std::optional<std::string>& cause) {
  EXPECT_EQ(r.status, ExecutionStatus::kFailed) << r.to_json().dump();
  EXPECT_EQ(r.error, error);
  EXPECT_EQ(r.cause, cause);
}

}  // namespace stepwise::engine_test

#endif  // STEPWISE_TESTS_UNIT_INTERP_ENGINE_TEST_FIXTURE_H_
