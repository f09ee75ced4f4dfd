// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The payload limit checks: depth of built values and of text, the combined depth-and-size
// walk, the depth-limited parsers and the cause texts.
#include "util/json_limits.h"

#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"
#include "util/json_size.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;
using ::testing::Eq;
using testing_support::IsOk;
using testing_support::StatusIs;

std::string nested_text(std::size_t depth, bool objects = false) {
  std::string text;
  for (std::size_t i = 0; i < depth; ++i) text += objects ? "{\"a\":" : "[";
  text += "1";
  for (std::size_t i = 0; i < depth; ++i) text += objects ? "}" : "]";
  return text;
}

// Built by parsing, which is iterative: the only way to hold such a value safely.
json nested(std::size_t depth, bool objects = false) {
  return json::parse(nested_text(depth, objects));
}

TEST(JsonLimitsTest, DepthCountsArraysAndObjectsNotScalars) {
  EXPECT_FALSE(json_depth_exceeds(json(1), 0));
  EXPECT_FALSE(json_depth_exceeds(json("x"), 1));
  EXPECT_FALSE(json_depth_exceeds(json::array(), 1));
  EXPECT_FALSE(json_depth_exceeds(json::array(), 0));  // 0 means no limit
  EXPECT_FALSE(json_depth_exceeds(json::parse(R"({"a":1})"), 1));
  EXPECT_TRUE(json_depth_exceeds(json::parse(R"([[1]])"), 1));
  EXPECT_FALSE(json_depth_exceeds(json::parse(R"([[1]])"), 2));
  EXPECT_TRUE(json_depth_exceeds(json::parse(R"({"a":[{"b":{}}]})"), 3));
  EXPECT_FALSE(json_depth_exceeds(json::parse(R"({"a":[{"b":{}}]})"), 4));
}

TEST(JsonLimitsTest, ZeroMeansNoLimit) {
  EXPECT_FALSE(json_depth_exceeds(nested(50), 0));
  EXPECT_FALSE(text_depth_exceeds(nested_text(50), 0).has_value());
  EXPECT_EQ(check_payload(nested(50), {0, 0}), PayloadCheck::kOk);
}

TEST(JsonLimitsTest, HundredThousandLevelsAreFoundWithoutRecursion) {
  json deep = nested(100000);
  EXPECT_TRUE(json_depth_exceeds(deep, kDefaultMaxPayloadDepth));
  EXPECT_EQ(check_payload(deep, {256 * 1024, kDefaultMaxPayloadDepth}), PayloadCheck::kTooDeep);
  json deep_objects = nested(100000, /*objects=*/true);
  EXPECT_TRUE(json_depth_exceeds(deep_objects, kDefaultMaxPayloadDepth));
}

TEST(JsonLimitsTest, DepthAtTheLimitPasses) {
  EXPECT_FALSE(json_depth_exceeds(nested(1000), 1000));
  EXPECT_TRUE(json_depth_exceeds(nested(1001), 1000));
  EXPECT_FALSE(text_depth_exceeds(nested_text(1000), 1000).has_value());
  EXPECT_EQ(text_depth_exceeds(nested_text(1001), 1000), std::optional<std::size_t>(1000));
}

TEST(JsonLimitsTest, TextDepthIgnoresBracketsInStrings) {
  EXPECT_FALSE(text_depth_exceeds(R"(["[[[[", "\"[[[["])", 1).has_value());
  EXPECT_EQ(text_depth_exceeds(R"({"a":"{{","b":[[]]})", 2), std::optional<std::size_t>(15));
}

TEST(JsonLimitsTest, CheckPayloadEstimatesSizeAsJsonSizeExceeds) {
  json wide = json::array();
  for (int i = 0; i < 100; ++i) wide.push_back({{"k", i}, {"s", "abc"}, {"f", 1.5}});
  for (std::size_t limit : {10UL, 500UL, 2000UL, 4000UL, 100000UL}) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(check_payload(wide, {limit, 1000}) == PayloadCheck::kTooLarge,
              json_size_exceeds(wide, limit));
  }
  EXPECT_EQ(check_payload(json("abcd"), {5, 1000}), PayloadCheck::kTooLarge);
  EXPECT_EQ(check_payload(json("abc"), {5, 1000}), PayloadCheck::kOk);
}

TEST(JsonLimitsTest, ParseLimitedReportsDepthAndSyntaxErrors) {
  Result<json> ok = parse_json_limited(R"({"a":[1,2]})", 10);
  ASSERT_THAT(ok.status(), IsOk());
  EXPECT_EQ(ok.value(), json::parse(R"({"a":[1,2]})"));
  EXPECT_THAT(parse_json_limited(nested_text(100000), 1000).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("JSON nested deeper than 1000 levels at byte 1000")));
  EXPECT_THAT(parse_json_limited("[1,", 1000).status(),
              StatusIs(StatusCode::kInvalidArgument,
                       Eq("[json.exception.parse_error.101] parse error at line 1, column 4: "
                          "syntax error while parsing value - unexpected end of input; expected "
                          "'[', '{', or a literal")));
}

TEST(JsonLimitsTest, ParseCheckedThrowsLengthErrorForDepth) {
  EXPECT_EQ(parse_json_checked("[[1]]", 2), json::parse("[[1]]"));
  try {
    (void)parse_json_checked("[[1]]", 1);
    FAIL() << "no exception";
  } catch (const std::length_error& e) {
    EXPECT_STREQ(e.what(), "JSON nested deeper than 1 levels at byte 1");
  }
  EXPECT_THROW((void)parse_json_checked("[", 5), json::parse_error);
  EXPECT_EQ(record_depth_limit(1000), 1064U);
  EXPECT_EQ(record_depth_limit(0), 0U);
}

TEST(JsonLimitsTest, CauseTexts) {
  EXPECT_EQ(depth_limit_cause("The task result", 1000),
            "The task result is nested deeper than the maximum of 1000 levels.");
  EXPECT_EQ(result_limit_cause(nested(3), {1000, 2}, "Load"),
            std::optional<std::string>("The state/task 'Load' returned a result with a nesting "
                                       "depth exceeding the maximum of 2 levels."));
  EXPECT_EQ(result_limit_cause(json(std::string(100, 'x')), {50, 2}, "Load"),
            std::optional<std::string>("The state/task 'Load' returned a result with a size "
                                       "exceeding the maximum number of bytes service limit."));
  EXPECT_EQ(result_limit_cause(nested(2), {1000, 2}, "Load"), std::nullopt);
}

}  // namespace
}  // namespace stepwise::internal
