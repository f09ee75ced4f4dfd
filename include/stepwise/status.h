// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `Status` and `Result<T>`: the host- and infrastructure-error channel of the API, the third
// of its three error channels. Definition errors are `Diagnostic`s (diagnostic.h) and workflow
// errors are `Failure` values (errors.h); neither uses `Status`.
#ifndef STEPWISE_STATUS_H_
#define STEPWISE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "stepwise/export.h"

namespace stepwise {

// Canonical status codes. Values are persisted in checkpoints; do not renumber.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,
  kNotFound = 2,
  kFailedPrecondition = 3,
  kUnavailable = 4,
  kDataLoss = 5,
  kInternal = 6,
  kAlreadyExists = 7,
  kResourceExhausted = 8,
};

// Returns the canonical name of `code`, e.g. "INVALID_ARGUMENT".
STEPWISE_EXPORT std::string_view status_code_name(StatusCode code);

// The outcome of an operation that can fail for host or infrastructure reasons.
//
// A default-constructed `Status` is OK. Immutable after construction; safe to use from any
// number of threads.
//
//   Status s = store.commit(batch);
//   if (!s.ok()) log(s.to_string());  // "UNAVAILABLE: database is locked"
class [[nodiscard]] STEPWISE_EXPORT Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return {}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "OK" or "<CODE_NAME>: <message>".
  std::string to_string() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalid_argument_error(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status not_found_error(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status failed_precondition_error(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status internal_error(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status unavailable_error(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status data_loss_error(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }

// A value of type `T`, or a non-OK `Status` saying why there is none. C++20 has no
// `std::expected`; this is the small subset the library needs.
//
// Not thread-safe: use from one thread at a time (like any value type).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result constructed from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The error; OK when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace stepwise

// Returns early from the enclosing function when `expr` yields a non-OK `Status`.
#define STEPWISE_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::stepwise::Status stepwise_status_ = (expr);        \
    if (!stepwise_status_.ok()) return stepwise_status_; \
  } while (false)

#endif  // STEPWISE_STATUS_H_
