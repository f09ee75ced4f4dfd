// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `test_state`: runs one state in isolation, as AWS Step Functions' TestState API does. The
// state is given alone or as a whole machine plus its name; the request supplies its input,
// variables, context object, an optional mock of its work (a result, or an error and cause),
// and an inspection level. The response tells how the state ended (SUCCEEDED, FAILED,
// CAUGHT_ERROR when a Catch handled the error, RETRIABLE when a Retry would retry it), its
// output, error, cause and next state, and at DEBUG/TRACE level the value after each step of
// its input/output processing (`inspectionData`). Part of stepwise::tools (link
// `stepwise::tools`; CMake `find_package(stepwise COMPONENTS tools)`).
#ifndef STEPWISE_TEST_STATE_H_
#define STEPWISE_TEST_STATE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "stepwise/clock.h"
#include "stepwise/export.h"
#include "stepwise/status.h"
#include "stepwise/task_executor.h"

namespace stepwise {

// AWS's inspection levels. INFO returns no inspection data; DEBUG and TRACE return it (TRACE
// adds the raw HTTP request and response of HTTP Tasks, which Stepwise does not call).
enum class InspectionLevel : std::uint8_t { kInfo = 0, kDebug = 1, kTrace = 2 };

// "SUCCEEDED", "FAILED", "CAUGHT_ERROR" or "RETRIABLE".
enum class TestStateStatus : std::uint8_t {
  kSucceeded = 0,
  kFailed = 1,
  kCaughtError = 2,
  kRetriable = 3,
};
STEPWISE_EXPORT std::string_view test_state_status_name(TestStateStatus status);

// The state's work, mocked (AWS's `mock`): a Task's result, or a Map's or Parallel's whole
// result; or an error that the state's Retry and Catch then handle.
struct TestStateMock {
  std::optional<nlohmann::json> result;
  std::optional<std::string> error;  // with `cause`: AWS's `errorOutput`
  std::optional<std::string> cause;
};

struct TestStateRequest {
  // A single state (an object with "Type"), or a whole machine (with "States") together with
  // `state_name`. The state may be nested in a Map's ItemProcessor or a Parallel branch; it
  // inherits the machine's QueryLanguage.
  nlohmann::json definition;
  std::string state_name;
  // The state's input. Default: {}.
  nlohmann::json input = nlohmann::json::object();
  // Variables visible to the state. Default: none.
  nlohmann::json variables = nlohmann::json::object();
  // The context object (`$$`, `$states.context`), used as given. Default: one built as AWS
  // does (an Express execution of a machine, the state named "StateName").
  std::optional<nlohmann::json> context;
  // The execution role (`$$.Execution.RoleArn` of the built context). Default: none (null).
  std::optional<std::string> role_arn;
  std::optional<TestStateMock> mock;
  InspectionLevel inspection_level = InspectionLevel::kInfo;
  // AWS's `stateConfiguration`:
  // Attempts the matching retrier has already made (`$$.State.RetryCount`). Default: 0.
  std::int64_t retrier_retry_count = 0;
  // A state inside a Map or Parallel that raised `mock`'s error; the Map or Parallel fails
  // with it. Default: none.
  std::optional<std::string> error_caused_by_state;
  // Failed Map iterations, checked against ToleratedFailureCount/Percentage. Default: 0.
  std::int64_t map_iteration_failure_count = 0;
  // The items a Map's ItemReader would have read. Default: none.
  std::optional<nlohmann::json> map_item_reader_data;

  // Reads AWS's TestState request JSON: "definition" (object or JSON text), "stateName",
  // "input", "variables", "context" (values or JSON texts), "roleArn", "inspectionLevel",
  // "mock" {"result" | "errorOutput" {"error", "cause"}, "fieldValidationMode"},
  // "stateConfiguration" {"retrierRetryCount", "errorCausedByState",
  // "mapIterationFailureCount", "mapItemReaderData"}. kInvalidArgument names the bad field.
  static Result<TestStateRequest> from_json(const nlohmann::json& request);
};

struct TestStateResponse {
  TestStateStatus status = TestStateStatus::kSucceeded;
  std::optional<nlohmann::json> output;  // SUCCEEDED and CAUGHT_ERROR
  std::optional<std::string> error;      // FAILED, CAUGHT_ERROR, RETRIABLE
  std::optional<std::string> cause;
  std::optional<std::string> next_state;  // the transition taken, when not End
  // DEBUG/TRACE: "input", "afterInputPath", "afterParameters", "afterArguments", "result",
  // "afterResultSelector", "afterResultPath", "afterItemsPath", "maxConcurrency",
  // "toleratedFailureCount", "toleratedFailurePercentage", "variables",
  // "errorDetails" {"retryIndex", "retryBackoffIntervalSeconds", "catchIndex"}.
  std::optional<nlohmann::json> inspection_data;

  // AWS's response shape: {"status", "output", "error", "cause", "nextState",
  // "inspectionData"}, absent members left out.
  nlohmann::json to_json() const;
};

struct TestStateOptions {
  // Does the work of an unmocked Task (and of Tasks inside an unmocked Map or Parallel).
  // Default: none (such Tasks fail with States.TaskFailed).
  std::shared_ptr<TaskExecutor> task_executor;
  // Time source. Default: a `ManualClock` at the current system time, so Wait states and
  // retry backoff inside an unmocked Map or Parallel finish at once.
  std::shared_ptr<Clock> clock;
  // ARN parts of the built context. Default: "aws", "us-east-1", "111111111111".
  std::string partition = "aws";
  std::string region = "us-east-1";
  std::string account = "111111111111";
  std::uint64_t random_seed = 0;
};

// Runs the state. Fails with kInvalidArgument for a definition that does not load (the message
// lists the diagnostics), an unknown `state_name`, a mock on a state that does no work, or a
// mock result that is not JSON. Workflow errors are not failures of this call: they are in
// the response (FAILED, CAUGHT_ERROR, RETRIABLE).
STEPWISE_EXPORT Result<TestStateResponse> test_state(const TestStateRequest& request,
                                                     const TestStateOptions& options = {});

}  // namespace stepwise

#endif  // STEPWISE_TEST_STATE_H_
