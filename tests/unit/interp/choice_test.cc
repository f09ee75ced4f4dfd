// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Choice rules (ASL-REFERENCE.md section 7): `string_matches` directly, and every operator
// family through a small machine whose Choice picks "yes" or falls to the Default "no".
#include "interp/choice.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "support/engine_support.h"
#include "stepwise/engine.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::compile;

TEST(StringMatchesTest, Table) {
  struct Case {
    const char* text;
    const char* pattern;
    bool matches;
  };
  const Case cases[] = {
      {"log.txt", "*.txt", true},
      {"log.txt", "*.log", false},
      {"log.txt", "log.*", true},
      {"log.txt", "l*t", true},
      {"log.txt", "l*x", false},
      {"log.txt", "*", true},
      {"", "*", true},
      {"", "**", true},
      {"", "", true},
      {"a", "", false},
      {"", "a", false},
      {"abc", "abc", true},
      {"abc", "ab", false},
      {"abc", "abcd", false},
      {"abc", "a*b*c", true},
      {"aXbYc", "a*b*c", true},
      {"abcabc", "*abc", true},
      {"abcabd", "*abc", false},
      {"mississippi", "*sip*", true},
      {"mississippi", "m*iss*ppi", true},
      {"a*b", "a\\*b", true},  // \* is a literal star
      {"aXb", "a\\*b", false},
      {"a*", "*\\*", true},
      {"a", "*\\*", false},
      {"a\\b", "a\\\\b", true},  // \\ is a literal backslash
      {"a\\\\b", "a\\\\b", false},
      {"ab", "a\\\\b", false},
      {"x\\", "x\\\\", true},
      {"Hello", "hello", false},  // case-sensitive
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "text '" << c.text << "' pattern '" << c.pattern << "'");
    EXPECT_EQ(internal::string_matches(c.text, c.pattern), c.matches);
  }
}

// Runs a Choice with `rule` (an object holding the rule's fields, without Next) on `input`.
// Returns "yes", "no" (the Default), or "<error>: <cause>".
std::string choose(const json& rule, const json& input) {
  json r = rule;
  r["Next"] = "Yes";
  json def = {{"StartAt", "C"},
              {"States",
               {{"C", {{"Type", "Choice"}, {"Choices", json::array({r})}, {"Default", "No"}}},
                {"Yes", {{"Type", "Pass"}, {"Result", "yes"}, {"End", true}}},
                {"No", {{"Type", "Pass"}, {"Result", "no"}, {"End", true}}}}}};
  auto machine = compile(def.dump());
  if (!machine) return "<does not compile>";
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  Engine engine(std::move(options));
  ExecutionResult result = *engine.run(machine, input);
  if (result.status == ExecutionStatus::kSucceeded) return result.output.get<std::string>();
  return result.error.value_or("?") + ": " + result.cause.value_or("");
}

struct RuleCase {
  json rule;
  json input;
  std::string expected;
};

void run_cases(const std::vector<RuleCase>& cases) {
  for (const RuleCase& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.rule.dump() << " on " << c.input.dump());
    EXPECT_EQ(choose(c.rule, c.input), c.expected);
  }
}

TEST(ChoiceRuleTest, StringComparisons) {
  json in = {{"s", "banana"}, {"other", "cherry"}, {"n", 3}};
  run_cases({
      {{{"Variable", "$.s"}, {"StringEquals", "banana"}}, in, "yes"},
      {{{"Variable", "$.s"}, {"StringEquals", "Banana"}}, in, "no"},
      {{{"Variable", "$.s"}, {"StringLessThan", "cherry"}}, in, "yes"},
      {{{"Variable", "$.s"}, {"StringLessThan", "apple"}}, in, "no"},
      {{{"Variable", "$.s"}, {"StringGreaterThan", "apple"}}, in, "yes"},
      {{{"Variable", "$.s"}, {"StringGreaterThan", "banana"}}, in, "no"},
      {{{"Variable", "$.s"}, {"StringLessThanEquals", "banana"}}, in, "yes"},
      {{{"Variable", "$.s"}, {"StringGreaterThanEquals", "banana"}}, in, "yes"},
      {{{"Variable", "$.s"}, {"StringGreaterThanEquals", "bananas"}}, in, "no"},
      {{{"Variable", "$.s"}, {"StringEqualsPath", "$.other"}}, in, "no"},
      {{{"Variable", "$.s"}, {"StringLessThanPath", "$.other"}}, in, "yes"},
      {{{"Variable", "$.s"}, {"StringMatches", "b*na"}}, in, "yes"},
      {{{"Variable", "$.s"}, {"StringMatches", "c*"}}, in, "no"},
      // Type mismatch compares false rather than failing.
      {{{"Variable", "$.n"}, {"StringEquals", "3"}}, in, "no"},
      {{{"Variable", "$.n"}, {"StringMatches", "*"}}, in, "no"},
      {{{"Variable", "$.s"}, {"StringEqualsPath", "$.n"}}, in, "no"},
  });
}

TEST(ChoiceRuleTest, NumericComparisons) {
  json in = {{"i", 10}, {"f", 2.5}, {"other", 10.0}, {"s", "10"}, {"neg", -1}};
  run_cases({
      {{{"Variable", "$.i"}, {"NumericEquals", 10}}, in, "yes"},
      {{{"Variable", "$.i"}, {"NumericEquals", 10.0}}, in, "yes"},
      {{{"Variable", "$.f"}, {"NumericEquals", 2.5}}, in, "yes"},
      {{{"Variable", "$.i"}, {"NumericLessThan", 11}}, in, "yes"},
      {{{"Variable", "$.i"}, {"NumericLessThan", 10}}, in, "no"},
      {{{"Variable", "$.i"}, {"NumericGreaterThan", 9.5}}, in, "yes"},
      {{{"Variable", "$.f"}, {"NumericGreaterThan", 2.5}}, in, "no"},
      {{{"Variable", "$.i"}, {"NumericLessThanEquals", 10}}, in, "yes"},
      {{{"Variable", "$.i"}, {"NumericGreaterThanEquals", 10}}, in, "yes"},
      {{{"Variable", "$.neg"}, {"NumericLessThan", 0}}, in, "yes"},
      {{{"Variable", "$.i"}, {"NumericEqualsPath", "$.other"}}, in, "yes"},
      {{{"Variable", "$.f"}, {"NumericLessThanPath", "$.i"}}, in, "yes"},
      {{{"Variable", "$.i"}, {"NumericGreaterThanEqualsPath", "$.other"}}, in, "yes"},
      // Type mismatch.
      {{{"Variable", "$.s"}, {"NumericEquals", 10}}, in, "no"},
      {{{"Variable", "$.i"}, {"NumericEqualsPath", "$.s"}}, in, "no"},
  });
}

TEST(ChoiceRuleTest, NumericComparisonsAcrossSignedAndUnsignedIntegers) {
  // Positive JSON integers parse as unsigned, negative ones as signed; a value above INT64_MAX
  // must not wrap around when compared with a negative number.
  json in = json::parse(R"({"neg": -1, "huge": 18446744073709551615, "big": 9223372036854775808})");
  run_cases({
      {json::parse(R"({"Variable": "$.neg", "NumericEquals": 18446744073709551615})"), in, "no"},
      {json::parse(R"({"Variable": "$.neg", "NumericLessThan": 18446744073709551615})"), in, "yes"},
      {{{"Variable", "$.huge"}, {"NumericGreaterThanPath", "$.neg"}}, in, "yes"},
      {{{"Variable", "$.huge"}, {"NumericEqualsPath", "$.neg"}}, in, "no"},
      {{{"Variable", "$.big"}, {"NumericGreaterThan", 0}}, in, "yes"},
      {{{"Variable", "$.big"}, {"NumericLessThanPath", "$.huge"}}, in, "yes"},
      {{{"Variable", "$.neg"}, {"NumericLessThan", 0}}, in, "yes"},
  });
}

TEST(ChoiceRuleTest, BooleanComparisons) {
  json in = {{"t", true}, {"f", false}, {"s", "true"}};
  run_cases({
      {{{"Variable", "$.t"}, {"BooleanEquals", true}}, in, "yes"},
      {{{"Variable", "$.f"}, {"BooleanEquals", true}}, in, "no"},
      {{{"Variable", "$.f"}, {"BooleanEquals", false}}, in, "yes"},
      {{{"Variable", "$.t"}, {"BooleanEqualsPath", "$.t"}}, in, "yes"},
      {{{"Variable", "$.t"}, {"BooleanEqualsPath", "$.f"}}, in, "no"},
      {{{"Variable", "$.s"}, {"BooleanEquals", true}}, in, "no"},
  });
}

TEST(ChoiceRuleTest, TimestampComparisonsHonourOffsets) {
  json in = {{"utc", "2024-03-01T12:00:00Z"},
             {"plus2", "2024-03-01T14:00:00+02:00"},  // the same instant as utc
             {"later", "2024-03-01T12:00:01Z"},
             {"frac", "2024-03-01T12:00:00.500Z"},
             {"bad", "2024-03-01 12:00:00"},
             {"n", 5}};
  run_cases({
      {{{"Variable", "$.utc"}, {"TimestampEquals", "2024-03-01T12:00:00Z"}}, in, "yes"},
      {{{"Variable", "$.plus2"}, {"TimestampEquals", "2024-03-01T12:00:00Z"}}, in, "yes"},
      {{{"Variable", "$.utc"}, {"TimestampEquals", "2024-03-01T07:00:00-05:00"}}, in, "yes"},
      {{{"Variable", "$.utc"}, {"TimestampLessThan", "2024-03-01T12:00:01Z"}}, in, "yes"},
      {{{"Variable", "$.plus2"}, {"TimestampLessThan", "2024-03-01T12:30:00Z"}}, in, "yes"},
      {{{"Variable", "$.plus2"}, {"TimestampGreaterThan", "2024-03-01T12:30:00Z"}}, in, "no"},
      {{{"Variable", "$.frac"}, {"TimestampGreaterThan", "2024-03-01T12:00:00Z"}}, in, "yes"},
      {{{"Variable", "$.utc"}, {"TimestampLessThanEquals", "2024-03-01T12:00:00Z"}}, in, "yes"},
      {{{"Variable", "$.utc"}, {"TimestampGreaterThanEquals", "2024-03-01T12:00:01Z"}}, in, "no"},
      {{{"Variable", "$.utc"}, {"TimestampEqualsPath", "$.plus2"}}, in, "yes"},
      {{{"Variable", "$.utc"}, {"TimestampLessThanPath", "$.later"}}, in, "yes"},
      {{{"Variable", "$.later"}, {"TimestampGreaterThanPath", "$.plus2"}}, in, "yes"},
      // Not a timestamp, or not a string: false.
      {{{"Variable", "$.bad"}, {"TimestampEquals", "2024-03-01T12:00:00Z"}}, in, "no"},
      {{{"Variable", "$.n"}, {"TimestampLessThan", "2024-03-01T12:00:00Z"}}, in, "no"},
      {{{"Variable", "$.utc"}, {"TimestampEqualsPath", "$.bad"}}, in, "no"},
  });
}

TEST(ChoiceRuleTest, TypeTests) {
  json in = {{"null", nullptr},
             {"num", 1.5},
             {"str", "x"},
             {"bool", false},
             {"ts", "2024-01-01T00:00:00Z"},
             {"arr", json::array()}};
  run_cases({
      {{{"Variable", "$.null"}, {"IsNull", true}}, in, "yes"},
      {{{"Variable", "$.num"}, {"IsNull", true}}, in, "no"},
      {{{"Variable", "$.num"}, {"IsNull", false}}, in, "yes"},
      {{{"Variable", "$.num"}, {"IsNumeric", true}}, in, "yes"},
      {{{"Variable", "$.str"}, {"IsNumeric", true}}, in, "no"},
      {{{"Variable", "$.str"}, {"IsString", true}}, in, "yes"},
      {{{"Variable", "$.arr"}, {"IsString", false}}, in, "yes"},
      {{{"Variable", "$.bool"}, {"IsBoolean", true}}, in, "yes"},
      {{{"Variable", "$.null"}, {"IsBoolean", true}}, in, "no"},
      {{{"Variable", "$.ts"}, {"IsTimestamp", true}}, in, "yes"},
      {{{"Variable", "$.str"}, {"IsTimestamp", true}}, in, "no"},
      {{{"Variable", "$.str"}, {"IsTimestamp", false}}, in, "yes"},
      {{{"Variable", "$.num"}, {"IsPresent", true}}, in, "yes"},
      {{{"Variable", "$.null"}, {"IsPresent", true}}, in, "yes"},  // present with a null value
      {{{"Variable", "$.missing"}, {"IsPresent", true}}, in, "no"},
      {{{"Variable", "$.missing"}, {"IsPresent", false}}, in, "yes"},
      {{{"Variable", "$.num.deeper"}, {"IsPresent", false}}, in, "yes"},
  });
}

TEST(ChoiceRuleTest, MissingVariableIsARuntimeError) {
  json in = {{"a", 1}};
  std::string r = choose({{"Variable", "$.missing"}, {"NumericEquals", 1}}, in);
  EXPECT_EQ(r.substr(0, r.find(':')), "States.Runtime") << r;
  EXPECT_NE(r.find("An error occurred while executing the state 'C' (entered at the event id #2)."),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("Invalid path '$.missing'"), std::string::npos) << r;
}

TEST(ChoiceRuleTest, AndOrNotNest) {
  json in = {{"a", 1}, {"b", "x"}, {"c", true}};
  json a1 = {{"Variable", "$.a"}, {"NumericEquals", 1}};
  json a2 = {{"Variable", "$.a"}, {"NumericEquals", 2}};
  json bx = {{"Variable", "$.b"}, {"StringEquals", "x"}};
  json ct = {{"Variable", "$.c"}, {"BooleanEquals", true}};
  json missing = {{"Variable", "$.nope"}, {"IsPresent", true}};
  run_cases({
      {{{"And", {a1, bx}}}, in, "yes"},
      {{{"And", {a1, a2}}}, in, "no"},
      {{{"Or", {a2, bx}}}, in, "yes"},
      {{{"Or", {a2, missing}}}, in, "no"},
      {{{"Not", a2}}, in, "yes"},
      {{{"Not", a1}}, in, "no"},
      {{{"Not", missing}}, in, "yes"},
      {{{"And", {a1, {{"Not", a2}}, {{"Or", {missing, ct}}}}}}, in, "yes"},
      {{{"And", {a1, {{"Not", {{"Or", {a2, bx}}}}}}}}, in, "no"},
      {{{"Or", {{{"And", {a2, bx}}}, {{"And", {ct, {{"Not", missing}}}}}}}}, in, "yes"},
  });
}

TEST(ChoiceRuleTest, AndShortCircuitsBeforeAMissingPath) {
  // The second rule would fail with States.Runtime; And stops at the first false.
  json in = {{"a", 1}};
  EXPECT_EQ(choose({{"And",
                     {{{"Variable", "$.a"}, {"NumericEquals", 2}},
                      {{"Variable", "$.missing"}, {"NumericEquals", 1}}}}},
                   in),
            "no");
  EXPECT_EQ(choose({{"Or",
                     {{{"Variable", "$.a"}, {"NumericEquals", 1}},
                      {{"Variable", "$.missing"}, {"NumericEquals", 1}}}}},
                   in),
            "yes");
}

TEST(ChoiceRuleTest, VariableMayReadTheContextObject) {
  EXPECT_EQ(choose({{"Variable", "$$.State.Name"}, {"StringEquals", "C"}}, json::object()), "yes");
}

}  // namespace
}  // namespace stepwise
