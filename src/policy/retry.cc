// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Retry and Catch decisions: error matching and the backoff of one retrier.
#include "policy/retry.h"

#include <algorithm>
#include <cmath>

#include "stepwise/errors.h"

namespace stepwise::internal {

bool is_terminal_error(std::string_view error) {
  return error == errors::kRuntime || error == errors::kDataLimitExceeded;
}

bool error_matches(const std::vector<std::string>& error_equals, std::string_view error) {
  if (is_terminal_error(error)) return false;
  for (const std::string& e : error_equals) {
    if (e == error) return true;
    if (e == errors::kAll) return true;
    if (e == errors::kTaskFailed && error != errors::kTimeout &&
        error != errors::kHeartbeatTimeout) {
      return true;
    }
  }
  return false;
}

RetryDecision next_retry(const RetryRule& rule, std::int64_t& attempts, Random& random) {
  RetryDecision d;
  if (attempts >= rule.max_attempts) return d;
  double delay = static_cast<double>(rule.interval_seconds) *
                 std::pow(rule.backoff_rate, static_cast<double>(attempts));
  if (rule.max_delay_seconds) {
    delay = std::min(delay, static_cast<double>(*rule.max_delay_seconds));
  }
  if (rule.jitter_full) delay = random.next_double() * delay;
  ++attempts;
  d.retry = true;
  d.delay_seconds = delay;
  return d;
}

}  // namespace stepwise::internal
