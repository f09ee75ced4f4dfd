// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Retry and Catch decisions as pure functions (ASL-REFERENCE.md section 9), mostly as tables
// of (rules, errors) -> decisions.
#include "policy/retry.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "stepwise/errors.h"

namespace stepwise::internal {
namespace {

RetryRule make_retrier(std::vector<std::string> errors, std::int64_t interval,
                       std::int64_t attempts, double backoff) {
  RetryRule r;
  r.error_equals = std::move(errors);
  r.interval_seconds = interval;
  r.max_attempts = attempts;
  r.backoff_rate = backoff;
  return r;
}

CatchRule make_catcher(std::vector<std::string> errors) {
  CatchRule c;
  c.error_equals = std::move(errors);
  return c;
}

// Runs `decide_retry` until it says no, collecting the delays.
std::vector<double> delays_until_exhausted(const std::vector<RetryRule>& retriers,
                                           std::string_view error, Random& random) {
  std::vector<std::int64_t> counters(retriers.size(), 0);
  std::vector<double> delays;
  for (int guard = 0; guard < 1000; ++guard) {
    RetryDecision d = decide_retry(retriers, error, counters, random);
    if (!d.retry) break;
    delays.push_back(d.delay_seconds);
  }
  return delays;
}

TEST(RetryPolicyTest, DelayIsIntervalTimesBackoffToTheAttemptMinusOne) {
  struct Case {
    std::int64_t interval;
    std::int64_t attempts;
    double backoff;
    std::vector<double> expected;
  };
  const Case cases[] = {
      {3, 3, 2.0, {3, 6, 12}},     {1, 3, 2.0, {1, 2, 4}}, {2, 4, 1.0, {2, 2, 2, 2}},
      {1, 3, 1.5, {1, 1.5, 2.25}}, {5, 1, 3.0, {5}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "interval " << c.interval << " attempts " << c.attempts
                                      << " backoff " << c.backoff);
    Random random(1);
    std::vector<RetryRule> retriers{make_retrier({"E"}, c.interval, c.attempts, c.backoff)};
    std::vector<double> delays = delays_until_exhausted(retriers, "E", random);
    ASSERT_EQ(delays.size(), c.expected.size());
    for (std::size_t i = 0; i < delays.size(); ++i) EXPECT_DOUBLE_EQ(delays[i], c.expected[i]);
  }
}

TEST(RetryPolicyTest, DefaultsAreOneSecondThreeAttemptsRateTwo) {
  RetryRule r;
  r.error_equals = {"E"};
  Random random(1);
  EXPECT_EQ(delays_until_exhausted({r}, "E", random), (std::vector<double>{1, 2, 4}));
}

TEST(RetryPolicyTest, DelayIsCappedByMaxDelaySeconds) {
  RetryRule r = make_retrier({"E"}, 2, 6, 3.0);
  r.max_delay_seconds = 20;
  Random random(1);
  EXPECT_EQ(delays_until_exhausted({r}, "E", random), (std::vector<double>{2, 6, 18, 20, 20, 20}));
}

TEST(RetryPolicyTest, CasesThatDoNotRetryLeaveTheCountersAlone) {
  struct Case {
    const char* name;
    std::vector<RetryRule> retriers;
    std::string_view error;
  };
  const Case cases[] = {
      {"MaxAttempts 0", {make_retrier({"E"}, 1, 0, 2.0)}, "E"},
      {"no retriers", {}, "E"},
      {"no retrier matches", {make_retrier({"A", "B"}, 1, 3, 2.0)}, "C"},
      {"States.Runtime is terminal", {make_retrier({"States.ALL"}, 1, 3, 2.0)}, errors::kRuntime},
      {"States.DataLimitExceeded is terminal",
       {make_retrier({"States.ALL"}, 1, 3, 2.0)},
       errors::kDataLimitExceeded},
      {"States.TaskFailed does not match States.Timeout",
       {make_retrier({"States.TaskFailed"}, 1, 3, 2.0)},
       errors::kTimeout},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::int64_t> counters(c.retriers.size(), 0);
    Random random(1);
    EXPECT_FALSE(decide_retry(c.retriers, c.error, counters, random).retry);
    EXPECT_EQ(counters, std::vector<std::int64_t>(c.retriers.size(), 0));
  }
}

TEST(RetryPolicyTest, AMatchAfterAMissCountsOnlyTheMatch) {
  std::vector<RetryRule> retriers{make_retrier({"A", "B"}, 1, 3, 2.0)};
  std::vector<std::int64_t> counters{0};
  Random random(1);
  EXPECT_FALSE(decide_retry(retriers, "C", counters, random).retry);
  EXPECT_TRUE(decide_retry(retriers, "B", counters, random).retry);
  EXPECT_EQ(counters[0], 1);
}

TEST(RetryPolicyTest, FirstMatchingRetrierWinsAndDoesNotFallThroughWhenExhausted) {
  // The second retrier also matches "E" (via States.ALL) but is never used for it.
  std::vector<RetryRule> retriers{make_retrier({"E"}, 1, 2, 2.0),
                                  make_retrier({"States.ALL"}, 10, 5, 1.0)};
  std::vector<std::int64_t> counters{0, 0};
  Random random(1);
  RetryDecision d1 = decide_retry(retriers, "E", counters, random);
  EXPECT_TRUE(d1.retry);
  EXPECT_DOUBLE_EQ(d1.delay_seconds, 1);
  RetryDecision d2 = decide_retry(retriers, "E", counters, random);
  EXPECT_TRUE(d2.retry);
  EXPECT_DOUBLE_EQ(d2.delay_seconds, 2);
  RetryDecision d3 = decide_retry(retriers, "E", counters, random);
  EXPECT_FALSE(d3.retry);
  EXPECT_EQ(counters, (std::vector<std::int64_t>{2, 0}));
}

TEST(RetryPolicyTest, EachRetrierKeepsItsOwnCounter) {
  std::vector<RetryRule> retriers{make_retrier({"A"}, 1, 2, 2.0), make_retrier({"B"}, 5, 3, 2.0)};
  std::vector<std::int64_t> counters{0, 0};
  Random random(1);
  struct Step {
    const char* error;
    bool retry;
    double delay;
  };
  const Step steps[] = {
      {"A", true, 1},  {"B", true, 5},  {"A", true, 2},  {"B", true, 10},
      {"A", false, 0}, {"B", true, 20}, {"B", false, 0},
  };
  int i = 0;
  for (const Step& s : steps) {
    SCOPED_TRACE(::testing::Message() << "step " << i++ << " error " << s.error);
    RetryDecision d = decide_retry(retriers, s.error, counters, random);
    EXPECT_EQ(d.retry, s.retry);
    if (s.retry) {
      EXPECT_DOUBLE_EQ(d.delay_seconds, s.delay);
    }
  }
  EXPECT_EQ(counters, (std::vector<std::int64_t>{2, 3}));
}

TEST(RetryPolicyTest, FullJitterIsDeterministicForASeedAndWithinTheDelay) {
  RetryRule r = make_retrier({"E"}, 4, 8, 2.0);
  r.max_delay_seconds = 100;
  r.jitter_full = true;
  RetryRule plain = r;
  plain.jitter_full = false;
  Random unjittered_random(1);
  std::vector<double> caps = delays_until_exhausted({plain}, "E", unjittered_random);
  ASSERT_EQ(caps, (std::vector<double>{4, 8, 16, 32, 64, 100, 100, 100}));

  Random a(42), b(42), c(43);
  std::vector<double> first = delays_until_exhausted({r}, "E", a);
  std::vector<double> second = delays_until_exhausted({r}, "E", b);
  std::vector<double> other = delays_until_exhausted({r}, "E", c);
  ASSERT_EQ(first.size(), caps.size());
  EXPECT_EQ(first, second);
  EXPECT_NE(first, other);
  for (std::size_t i = 0; i < first.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "retry " << i + 1);
    EXPECT_GE(first[i], 0.0);
    EXPECT_LE(first[i], caps[i]);
  }
  // The draw is the seeded source's next double, scaled by the capped delay.
  Random expected_source(42);
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_DOUBLE_EQ(first[i], expected_source.next_double() * caps[i]);
  }
}

TEST(RetryPolicyTest, JitterDoesNotDrawWhenNotRetrying) {
  RetryRule r = make_retrier({"E"}, 4, 1, 2.0);
  r.jitter_full = true;
  std::vector<RetryRule> retriers{r};
  std::vector<std::int64_t> counters{0};
  Random random(7);
  ASSERT_TRUE(decide_retry(retriers, "E", counters, random).retry);
  std::uint64_t state = random.state();
  EXPECT_FALSE(decide_retry(retriers, "E", counters, random).retry);
  EXPECT_FALSE(decide_retry(retriers, "Other", counters, random).retry);
  EXPECT_EQ(random.state(), state);
}

TEST(ErrorMatchesTest, Table) {
  struct Case {
    std::vector<std::string> error_equals;
    std::string error;
    bool matches;
  };
  const Case cases[] = {
      {{"MyError"}, "MyError", true},
      {{"MyError"}, "myerror", false},  // case-sensitive
      {{"MyError"}, "MyError2", false},
      {{"A", "B"}, "B", true},
      {{}, "A", false},
      {{"States.ALL"}, "Anything", true},
      {{"States.ALL"}, "States.Timeout", true},
      {{"States.ALL"}, "States.TaskFailed", true},
      {{"States.ALL"}, "States.Runtime", false},
      {{"States.ALL"}, "States.DataLimitExceeded", false},
      {{"States.TaskFailed"}, "States.TaskFailed", true},
      {{"States.TaskFailed"}, "Lambda.Unknown", true},
      {{"States.TaskFailed"}, "States.Permissions", true},
      {{"States.TaskFailed"}, "States.Timeout", false},
      {{"States.TaskFailed"}, "States.HeartbeatTimeout", false},
      {{"States.ALL"}, "States.HeartbeatTimeout", true},
      {{"States.TaskFailed"}, "States.Runtime", false},
      {{"States.TaskFailed"}, "States.DataLimitExceeded", false},
      {{"States.TaskFailed", "States.Timeout"}, "States.Timeout", true},
      {{"States.Timeout"}, "States.Timeout", true},
      {{"States.Runtime"}, "States.Runtime", false},
      {{"States.DataLimitExceeded"}, "States.DataLimitExceeded", false},
  };
  for (const Case& c : cases) {
    std::string list;
    for (const auto& e : c.error_equals) list += e + ",";
    SCOPED_TRACE(::testing::Message() << "[" << list << "] vs " << c.error);
    EXPECT_EQ(error_matches(c.error_equals, c.error), c.matches);
  }
}

TEST(ErrorMatchesTest, TerminalErrors) {
  const std::pair<std::string_view, bool> cases[] = {
      {"States.Runtime", true},  {"States.DataLimitExceeded", true},
      {"States.Timeout", false}, {"States.TaskFailed", false},
      {"States.ALL", false},     {"MyError", false},
  };
  for (const auto& [error, terminal] : cases) {
    EXPECT_EQ(is_terminal_error(error), terminal) << error;
  }
}

TEST(FindCatcherTest, FirstMatchingCatcherWins) {
  std::vector<CatchRule> catchers{make_catcher({"A"}), make_catcher({"States.TaskFailed"}),
                                  make_catcher({"States.ALL"})};
  struct Case {
    const char* error;
    int index;
  };
  const Case cases[] = {
      {"A", 0},
      {"B", 1},
      {"States.TaskFailed", 1},
      {"States.Timeout", 2},
      {"States.Runtime", -1},
      {"States.DataLimitExceeded", -1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.error);
    EXPECT_EQ(find_catcher(catchers, c.error), c.index);
  }
}

TEST(FindCatcherTest, NoCatcherMatches) {
  std::vector<CatchRule> catchers{make_catcher({"A"})};
  EXPECT_EQ(find_catcher(catchers, "B"), -1);
  EXPECT_EQ(find_catcher(std::vector<CatchRule>{}, "A"), -1);
}

}  // namespace
}  // namespace stepwise::internal
