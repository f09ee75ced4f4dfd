// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Retry and Catch as pure functions of (rules, error, attempt counters, random draw)
// (ASL-REFERENCE.md section 9), tested without an interpreter. The rules are this file's own
// small types: the definition model's `Retrier` and `Catcher` (parse/model.h) derive from
// them and add what only the parser and serializer need.
#ifndef STEPWISE_SRC_POLICY_RETRY_H_
#define STEPWISE_SRC_POLICY_RETRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "util/random.h"

namespace stepwise::internal {

// The fields of one Retry rule that decide whether and when to retry.
struct RetryRule {
  std::vector<std::string> error_equals;
  std::int64_t interval_seconds = 1;
  std::int64_t max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<std::int64_t> max_delay_seconds;
  bool jitter_full = false;
};

// The field of one Catch rule that decides whether it handles an error.
struct CatchRule {
  std::vector<std::string> error_equals;
};

// True when an `ErrorEquals` list matches `error`: by name, by `States.ALL` (anything but
// States.Runtime and States.DataLimitExceeded), or by `States.TaskFailed` (anything but
// States.Timeout, States.HeartbeatTimeout and the two terminal errors).
bool error_matches(const std::vector<std::string>& error_equals, std::string_view error);

// True for errors that no Retry or Catch handles: States.Runtime, States.DataLimitExceeded.
bool is_terminal_error(std::string_view error);

struct RetryDecision {
  bool retry = false;
  double delay_seconds = 0;  // before the next attempt
};

// The decision of `rule`, which matched, after `attempts` retries by it: no retry when
// `attempts` has reached MaxAttempts; otherwise IntervalSeconds × BackoffRate^attempts,
// capped by MaxDelaySeconds, times a draw from `random` under full jitter (the only case
// that draws), and `attempts` is incremented.
RetryDecision next_retry(const RetryRule& rule, std::int64_t& attempts, Random& random);

// Applies the first retrier that matches `error`. `counters` holds one attempt counter per
// retrier (same size as `retriers`) and is updated. No fallthrough: when the matching retrier
// is exhausted, the answer is "do not retry". `Rule` is `RetryRule` or a type derived from it.
template <typename Rule>
RetryDecision decide_retry(const std::vector<Rule>& retriers, std::string_view error,
                           std::vector<std::int64_t>& counters, Random& random) {
  static_assert(std::is_base_of_v<RetryRule, Rule>);
  for (std::size_t i = 0; i < retriers.size(); ++i) {
    if (error_matches(retriers[i].error_equals, error)) {
      return next_retry(retriers[i], counters[i], random);
    }
  }
  return {};
}

// Index of the first catcher matching `error`, or -1. `Rule` is `CatchRule` or a type derived
// from it.
template <typename Rule>
int find_catcher(const std::vector<Rule>& catchers, std::string_view error) {
  static_assert(std::is_base_of_v<CatchRule, Rule>);
  for (std::size_t i = 0; i < catchers.size(); ++i) {
    if (error_matches(catchers[i].error_equals, error)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_POLICY_RETRY_H_
