// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Evaluation limits of the public JSONata API: runaway expressions end with the jsonata-js
// test harness's U1001 errors, deterministically (steps are counted, not timed).
#include <string>

#include <gtest/gtest.h>

#include "stepwise/jsonata.h"

namespace stepwise::jsonata {
namespace {

constexpr const char* kStackOverflow =
    "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting "
    "as tail-recursive.";
constexpr const char* kTimeout = "Expression evaluation timeout: Check for infinite loop";

Outcome eval(const std::string& text, const EvaluateOptions& options = {}) {
  CompileResult compiled = Expression::compile(text);
  EXPECT_TRUE(compiled.ok()) << text;
  return compiled.expression().evaluate(static_cast<const nlohmann::json*>(nullptr), nullptr,
                                        options);
}

TEST(JsonataLimitsTest, InfiniteTailRecursionHitsTheStepLimit) {
  Outcome out = eval("($f := function($x){ $f($x+1) }; $f(0))");
  ASSERT_TRUE(out.is_error());
  EXPECT_EQ(out.error().code, "U1001");
  EXPECT_EQ(out.error().message, kTimeout);
}

TEST(JsonataLimitsTest, DeepRecursionHitsTheDepthLimit) {
  Outcome out = eval("($f := function($n){ $n = 0 ? 0 : 1 + $f($n-1) }; $f(100000))");
  ASSERT_TRUE(out.is_error());
  EXPECT_EQ(out.error().code, "U1001");
  EXPECT_EQ(out.error().message, kStackOverflow);
}

// A larger depth would let recursion overflow an 8 MiB stack in an ASan build.
TEST(JsonataLimitsTest, TheDepthLimitCannotBeRaisedPastTheDefault) {
  EvaluateOptions options;
  options.max_depth = 1000000;
  Outcome out = eval("($f := function($n){ $n = 0 ? 0 : 1 + $f($n-1) }; $f(100000))", options);
  ASSERT_TRUE(out.is_error());
  EXPECT_EQ(out.error().message, kStackOverflow);
  options.max_depth = 30;
  EXPECT_TRUE(
      eval("($f := function($n){ $n = 0 ? 0 : 1 + $f($n-1) }; $f(20))", options).is_error());
  EXPECT_EQ(eval("($f := function($n){ $n = 0 ? 0 : 1 + $f($n-1) }; $f(20))").value(), 20);
}

TEST(JsonataLimitsTest, TheStepLimitIsCountedSoItFailsAtTheSamePointEveryTime) {
  EvaluateOptions options;
  options.max_steps = 5000;
  EXPECT_TRUE(eval("$sum([1..100])", options).is_value());
  Outcome big = eval("$map([1..100000], function($v){ $v * 2 })", options);
  ASSERT_TRUE(big.is_error());
  EXPECT_EQ(big.error().message, kTimeout);
  // The default allows ordinary work.
  EXPECT_EQ(eval("$sum($map([1..10000], function($v){ $v * 2 }))").value(), 100010000);
}

// Found by payload_fuzz and jsonata_fuzz (corpus/payload/finding_95472372251279eb,
// corpus/jsonata/finding_5ad3dc2759757938): a range makes its items in one step, so 8 million
// items, or 11.7 million from a few hundred ranges, fit a budget of 20,000 steps and took
// seconds and hundreds of MB. A range is charged one step per two items, before it makes them.
TEST(JsonataLimitsTest, RangesAreChargedToTheStepBudgetBeforeTheyAreMade) {
  EvaluateOptions options;
  options.max_steps = 20000;
  for (const char* text : {"[1..8007044]", "[1..342].[1..34234].($)", "[1..40002]"}) {
    SCOPED_TRACE(text);
    Outcome out = eval(text, options);
    ASSERT_TRUE(out.is_error());
    EXPECT_EQ(out.error().code, "U1001");
    EXPECT_EQ(out.error().message, kTimeout);
  }
  EXPECT_EQ(eval("$count([1..39000])", options).value(), 39000);
  // The reference suite's largest range fits the default budget; a larger one is D2014 first.
  EXPECT_EQ(eval("[1..10000000] ~> $count()").value(), 10000000);
  Outcome too_big = eval("[1..10000001] ~> $count()");
  ASSERT_TRUE(too_big.is_error());
  EXPECT_EQ(too_big.error().code, "D2014");
}

TEST(JsonataLimitsTest, TheTimeLimitReportsTheTimeoutText) {
  EvaluateOptions options;
  options.time_limit = std::chrono::milliseconds(1);
  options.max_steps = ~0ULL;
  Outcome out = eval("($f := function($x){ $f($x+1) }; $f(0))", options);
  ASSERT_TRUE(out.is_error());
  EXPECT_EQ(out.error().message, kTimeout);
}

// Converting and writing values recurse per level: inputs and results nested deeper than
// 1,000 levels fail instead of overflowing the stack.
TEST(JsonataLimitsTest, InputsAndResultsNestedTooDeeplyFail) {
  nlohmann::json deep = nlohmann::json::parse(std::string(100000, '[') + std::string(100000, ']'));
  Outcome in = Expression::compile("$count($)").expression().evaluate(&deep);
  ASSERT_TRUE(in.is_error());
  EXPECT_EQ(in.error().to_string(),
            "U1001 at 0: The input is nested deeper than the maximum of 1000 levels");
  Outcome out = eval("$reduce([1..5000], function($a, $v){ [[$a]] }, [])");
  ASSERT_TRUE(out.is_error());
  EXPECT_EQ(out.error().to_string(),
            "U1001 at 0: The result is nested deeper than the maximum of 1000 levels");
}

}  // namespace
}  // namespace stepwise::jsonata
