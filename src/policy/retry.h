// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Retry and Catch as pure functions of (rules, error, attempt counters, random draw)
// (ASL-REFERENCE.md section 9), tested without an interpreter.
#ifndef STEPWISE_SRC_POLICY_RETRY_H_
#define STEPWISE_SRC_POLICY_RETRY_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "parse/model.h"
#include "util/random.h"

namespace stepwise::internal {

// True when an `ErrorEquals` list matches `error`: by name, by `States.ALL` (anything but
// States.Runtime and States.DataLimitExceeded), or by `States.TaskFailed` (anything but
// States.Timeout and the two terminal errors).
bool error_matches(const std::vector<std::string>& error_equals, std::string_view error);

// True for errors that no Retry or Catch handles: States.Runtime, States.DataLimitExceeded.
bool is_terminal_error(std::string_view error);

struct RetryDecision {
  bool retry = false;
  double delay_seconds = 0;  // before the next attempt
};

// Applies the first retrier that matches `error`. `counters` holds one attempt counter per
// retrier (same size as `retriers`) and is updated. No fallthrough: when the matching retrier
// is exhausted, the answer is "do not retry".
RetryDecision decide_retry(const std::vector<Retrier>& retriers, std::string_view error,
                           std::vector<std::int64_t>& counters, Random& random);

// Index of the first catcher matching `error`, or -1.
int find_catcher(const std::vector<Catcher>& catchers, std::string_view error);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_POLICY_RETRY_H_
