// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Retry and Catch decisions.
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

RetryDecision decide_retry(const std::vector<Retrier>& retriers, std::string_view error,
                           std::vector<std::int64_t>& counters, Random& random) {
  RetryDecision d;
  for (std::size_t i = 0; i < retriers.size(); ++i) {
    const Retrier& r = retriers[i];
    if (!error_matches(r.error_equals, error)) continue;
    if (counters[i] >= r.max_attempts) return d;
    double delay = static_cast<double>(r.interval_seconds) *
                   std::pow(r.backoff_rate, static_cast<double>(counters[i]));
    if (r.max_delay_seconds) delay = std::min(delay, static_cast<double>(*r.max_delay_seconds));
    if (r.jitter_full) delay = random.next_double() * delay;
    ++counters[i];
    d.retry = true;
    d.delay_seconds = delay;
    return d;
  }
  return d;
}

int find_catcher(const std::vector<Catcher>& catchers, std::string_view error) {
  for (std::size_t i = 0; i < catchers.size(); ++i) {
    if (error_matches(catchers[i].error_equals, error)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace stepwise::internal
