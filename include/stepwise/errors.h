// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Workflow errors, the second of the API's three error channels (see status.h): a runtime failure
// is a `Failure` value, an ASL error name plus a cause text. Failures drive Retry and Catch and
// appear in history; they are never C++ exceptions. The predefined ASL error names are the
// constants below.
#ifndef STEPWISE_ERRORS_H_
#define STEPWISE_ERRORS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace stepwise {

// Predefined error names of the Amazon States Language (its "Errors" section).
namespace errors {
inline constexpr std::string_view kAll = "States.ALL";
inline constexpr std::string_view kTaskFailed = "States.TaskFailed";
inline constexpr std::string_view kTimeout = "States.Timeout";
inline constexpr std::string_view kHeartbeatTimeout = "States.HeartbeatTimeout";
inline constexpr std::string_view kPermissions = "States.Permissions";
inline constexpr std::string_view kResultPathMatchFailure = "States.ResultPathMatchFailure";
inline constexpr std::string_view kParameterPathFailure = "States.ParameterPathFailure";
inline constexpr std::string_view kBranchFailed = "States.BranchFailed";
inline constexpr std::string_view kNoChoiceMatched = "States.NoChoiceMatched";
inline constexpr std::string_view kIntrinsicFailure = "States.IntrinsicFailure";
inline constexpr std::string_view kExceedToleratedFailureThreshold =
    "States.ExceedToleratedFailureThreshold";
inline constexpr std::string_view kItemReaderFailed = "States.ItemReaderFailed";
inline constexpr std::string_view kResultWriterFailed = "States.ResultWriterFailed";
inline constexpr std::string_view kQueryEvaluationError = "States.QueryEvaluationError";
inline constexpr std::string_view kDataLimitExceeded = "States.DataLimitExceeded";
inline constexpr std::string_view kRuntime = "States.Runtime";
inline constexpr std::string_view kHttpSocket = "States.Http.Socket";
}  // namespace errors

// A workflow error: an ASL error name and an optional cause. AWS distinguishes an absent
// cause from an empty one (a Fail state without `Cause`), so `cause` is optional; `error`
// is likewise absent for a Fail state without `Error`.
//
// Immutable value type; safe to use from any number of threads.
struct Failure {
  std::optional<std::string> error;
  std::optional<std::string> cause;

  Failure() = default;
  Failure(std::string e, std::string c) : error(std::move(e)), cause(std::move(c)) {}
  Failure(std::optional<std::string> e, std::optional<std::string> c)
      : error(std::move(e)), cause(std::move(c)) {}

  std::string_view error_name() const { return error ? std::string_view(*error) : ""; }
  friend bool operator==(const Failure&, const Failure&) = default;
};

}  // namespace stepwise

#endif  // STEPWISE_ERRORS_H_
