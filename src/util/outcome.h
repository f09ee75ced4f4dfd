// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `Outcome<T>`: the result of a run-time evaluation, a value or a workflow `Failure`
// (an ASL error name and cause). Used by paths, payload templates, intrinsic functions and the
// interpreter. Causes produced below the interpreter omit AWS's prefix
// "An error occurred while executing the state 'S' (entered at the event id #n). "; the
// interpreter adds it, since only it knows the state and the event id.
#ifndef STEPWISE_SRC_UTIL_OUTCOME_H_
#define STEPWISE_SRC_UTIL_OUTCOME_H_

#include <string>
#include <utility>
#include <variant>

#include "stepwise/errors.h"

namespace stepwise::internal {

template <typename T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Outcome(Failure failure) : v_(std::move(failure)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Failure& failure() const { return std::get<1>(v_); }
  Failure&& take_failure() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Failure> v_;
};

inline Failure runtime_failure(std::string cause) {
  return Failure(std::string(errors::kRuntime), std::move(cause));
}
inline Failure intrinsic_failure(std::string cause) {
  return Failure(std::string(errors::kIntrinsicFailure), std::move(cause));
}

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_OUTCOME_H_
