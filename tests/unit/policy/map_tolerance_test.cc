// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Map tolerated-failure rule (ASL-REFERENCE.md section 11.6), one table per question:
// which field applies, both set, an unknown or zero total, the percentage's exact comparison,
// and what an unset field means for executions and for TestState.
#include "policy/map_tolerance.h"

#include <cstdint>
#include <optional>

#include <gtest/gtest.h>

namespace stepwise::internal {
namespace {

constexpr std::optional<std::uint64_t> kUnknown = std::nullopt;

struct Case {
  const char* name;
  std::optional<std::int64_t> count;
  std::optional<double> percentage;
  std::uint64_t failed;
  std::optional<std::uint64_t> total;
  bool exceeded;
};

template <std::size_t N>
void check(const Case (&cases)[N], UnsetTolerance unset) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(exceeds_tolerance({c.count, c.percentage}, c.failed, c.total, unset), c.exceeded);
  }
}

TEST(MapToleranceTest, ExecutionsTolerateNothingWhenNeitherFieldIsSet) {
  const Case cases[] = {
      {"no failure", {}, {}, 0, 10, false},
      {"one failure of ten", {}, {}, 1, 10, true},
      {"one failure, total unknown", {}, {}, 1, kUnknown, true},
      {"no failure, no items", {}, {}, 0, 0, false},
  };
  check(cases, UnsetTolerance::kZero);
}

TEST(MapToleranceTest, CountIsExceededByMoreFailuresThanItAllows) {
  const Case cases[] = {
      {"count 0, one failure", 0, {}, 1, 10, true},
      {"count 2, two failures", 2, {}, 2, 10, false},
      {"count 2, three failures", 2, {}, 3, 10, true},
      {"count 2, three failures, total unknown", 2, {}, 3, kUnknown, true},
      {"count 2, two failures, total unknown", 2, {}, 2, kUnknown, false},
      {"count above the total", 50, {}, 10, 10, false},
      // A set count alone: the default percentage of 0 is not applied on top of it.
      {"count 5, one failure of a hundred", 5, {}, 1, 100, false},
  };
  check(cases, UnsetTolerance::kZero);
}

TEST(MapToleranceTest, PercentageComparesTheExactShareWithoutRounding) {
  const Case cases[] = {
      {"50% of 4: two failures", {}, 50.0, 2, 4, false},
      {"50% of 4: three failures", {}, 50.0, 3, 4, true},
      {"1 of 3 over 33", {}, 33.0, 1, 3, true},
      {"1 of 3 not over 33.34", {}, 33.34, 1, 3, false},
      {"fractional percentage", {}, 12.5, 1, 8, false},
      {"just over a fractional percentage", {}, 12.49, 1, 8, true},
      {"100% never fails", {}, 100.0, 10, 10, false},
      {"0% fails at the first failure", {}, 0.0, 1, 1000, true},
      // A set percentage alone: the default count of 0 is not applied on top of it.
      {"10%, one failure of a hundred", {}, 10.0, 1, 100, false},
  };
  check(cases, UnsetTolerance::kZero);
}

TEST(MapToleranceTest, PercentageWaitsForTheTotalUnlessItIsZero) {
  const Case cases[] = {
      {"10%, total unknown, many failures", {}, 10.0, 1000, kUnknown, false},
      {"10%, total known", {}, 10.0, 1000, 2000, true},
      {"0%, total unknown, one failure", {}, 0.0, 1, kUnknown, true},
      {"0%, total unknown, no failure", {}, 0.0, 0, kUnknown, false},
      {"100%, total unknown", {}, 100.0, 5, kUnknown, false},
  };
  check(cases, UnsetTolerance::kZero);
}

TEST(MapToleranceTest, PercentageIsNotCheckedAgainstZeroItems) {
  const Case cases[] = {
      {"50%, no items, inconsistent failures", {}, 50.0, 3, 0, false},
      {"0%, no items, inconsistent failures", {}, 0.0, 3, 0, false},
      {"count 1 still applies", 1, 50.0, 3, 0, true},
  };
  check(cases, UnsetTolerance::kZero);
}

TEST(MapToleranceTest, WithBothSetExceedingEitherIsEnough) {
  const Case cases[] = {
      {"neither exceeded", 3, 50.0, 2, 10, false},
      {"count exceeded only", 1, 50.0, 2, 10, true},
      {"percentage exceeded only", 10, 10.0, 2, 10, true},
      {"both exceeded", 1, 10.0, 5, 10, true},
      {"count exceeded, total unknown", 1, 50.0, 2, kUnknown, true},
      {"count within, percentage pending", 5, 10.0, 2, kUnknown, false},
      // AWS: "If you specify both values, the workflow fails when it exceeds either value"
      // (Developer Guide, tolerated failure threshold), and 0% is exceeded by any failure. The
      // Distributed Map follows this rule too (tests/cases/map/
      // jsonpath_distributed_tolerated_percentage_zero_with_count).
      {"percentage 0 with a count: any failure", 5, 0.0, 1, 10, true},
      {"percentage 0 with a count, total unknown", 5, 0.0, 1, kUnknown, true},
  };
  check(cases, UnsetTolerance::kZero);
}

TEST(MapToleranceTest, TestStateChecksOnlyTheFieldsTheStateSets) {
  const Case cases[] = {
      {"neither set: any number of failures", {}, {}, 2, 3, false},
      {"neither set, no items", {}, {}, 2, 0, false},
      {"count 1, two failures", 1, {}, 2, 3, true},
      {"count 2, two failures", 2, {}, 2, 3, false},
      {"50%, two of three", {}, 50.0, 2, 3, true},
      {"50%, one of three", {}, 50.0, 1, 3, false},
      {"50%, no items", {}, 50.0, 2, 0, false},
      {"both, percentage exceeded", 5, 50.0, 2, 3, true},
      {"no failure", 0, 0.0, 0, 3, false},
  };
  check(cases, UnsetTolerance::kUnlimited);
}

}  // namespace
}  // namespace stepwise::internal
