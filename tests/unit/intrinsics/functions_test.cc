// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests for the 18 intrinsic functions (src/intrinsics/functions.cc): normal results (many taken
// from the AWS-recorded conformance corpus, group intrinsic_functions) and failures.
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "intrinsics/intrinsics.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

// Evaluates `call` with `$.fst`, `$.snd` and `$.trd` taken from `args`.
Outcome<json> call_with(std::string_view call, const json& input, Random* random = nullptr) {
  Result<IntrinsicCall> parsed = IntrinsicCall::parse(call);
  EXPECT_TRUE(parsed.ok()) << call << ": " << parsed.status().to_string();
  if (!parsed.ok()) return intrinsic_failure("parse failed");
  IntrinsicEnv env{random};
  return parsed->evaluate(PathRoots{&input, nullptr, nullptr}, env);
}

struct Case {
  std::string call;
  json input;
  json expected;
};

void expect_results(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.call + " with " + c.input.dump());
    Outcome<json> v = call_with(c.call, c.input);
    ASSERT_TRUE(v.ok()) << v.failure().error_name() << ": " << v.failure().cause.value_or("");
    EXPECT_EQ(v.value(), c.expected);
    // Integers must stay integers and floats floats (signedness does not matter).
    EXPECT_EQ(v.value().is_number_float(), c.expected.is_number_float());
  }
}

struct FailureCase {
  std::string call;
  json input;
  std::string cause;
};

void expect_failures(const std::vector<FailureCase>& cases) {
  for (const FailureCase& c : cases) {
    SCOPED_TRACE(c.call + " with " + c.input.dump());
    Outcome<json> v = call_with(c.call, c.input);
    ASSERT_FALSE(v.ok()) << v.value().dump();
    EXPECT_EQ(v.failure().error_name(), "States.IntrinsicFailure");
    EXPECT_EQ(v.failure().cause, c.cause);
  }
}

json pair(json fst, json snd) { return json{{"fst", std::move(fst)}, {"snd", std::move(snd)}}; }

const std::string kFormat1 = "States.Format('Formatting argument {}.', $.fst)";
const std::string kFormat2 =
    "States.Format('Formatting arguments fst={} and snd={}.', $.fst, $.snd)";

TEST(IntrinsicFunctionsTest, FormatRendersValuesAsAwsDoes) {
  expect_results({
      {kFormat1, json{{"fst", ""}}, "Formatting argument ."},
      {kFormat1, json{{"fst", "HelloWorld"}}, "Formatting argument HelloWorld."},
      {kFormat1, json{{"fst", nullptr}}, "Formatting argument null."},
      {kFormat1, json{{"fst", 1}}, "Formatting argument 1."},
      {kFormat1, json{{"fst", 1.1}}, "Formatting argument 1.1."},
      {kFormat1, json{{"fst", true}}, "Formatting argument true."},
      {kFormat2,
       pair(json::parse(R"j({"Arg1": 1, "Arg2": []})j"),
            json::parse(R"j({"Arg1": 1, "Arg2": []})j")),
       "Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}."},
      {kFormat2, pair("{\"Arg1\": 1, \"Arg2\": []}", " "),
       "Formatting arguments fst={\"Arg1\": 1, \"Arg2\": []} and snd= ."},
      {kFormat1, json{{"fst", json::parse(R"j([1, "a", null, {"k": [true]}])j")}},
       "Formatting argument [1, a, null, {k=[true]}]."},
      {"States.Format($.fst, $.snd)", pair("dynamic {}", 5), "dynamic 5"},
  });
}

TEST(IntrinsicFunctionsTest, FormatFailsOnPlaceholderMismatchOrNonStringTemplate) {
  expect_failures({
      {"States.Format('{} {}', 1)", json::object(),
       "States.Format: the template has 2 placeholders but 1 value was given"},
      {"States.Format('{}', 1, 2)", json::object(),
       "States.Format: the template has 1 placeholder but 2 values were given"},
      {"States.Format($.fst)", json{{"fst", 3}},
       "States.Format: argument 1 must be a string, but was number 3"},
  });
}

TEST(IntrinsicFunctionsTest, StringToJsonParsesJsonText) {
  const std::string call = "States.StringToJson($.fst)";
  expect_results({
      {call, json{{"fst", ""}}, nullptr},
      {call, json{{"fst", "null"}}, nullptr},
      {call, json{{"fst", "1"}}, 1},
      {call, json{{"fst", "1.1"}}, 1.1},
      {call, json{{"fst", "\"HelloWorld\""}}, "HelloWorld"},
      {call, json{{"fst", "[1, 2, \"HelloWorld\"]"}}, json::parse(R"j([1, 2, "HelloWorld"])j")},
      {call, json{{"fst", "{\"Arg1\": 1, \"Arg2\": []}"}},
       json::parse(R"j({"Arg1": 1, "Arg2": []})j")},
      {"States.StringToJson('{\"a\": \"it\\'s\"}')", json::object(),
       json::parse(R"j({"a": "it's"})j")},
  });
}

TEST(IntrinsicFunctionsTest, StringToJsonFailsOnInvalidJsonAndNonStrings) {
  expect_failures({
      {"States.StringToJson($.fst)", json{{"fst", "{bad"}},
       "States.StringToJson: argument 1 is not valid JSON: {bad"},
      {"States.StringToJson($.fst)", json{{"fst", 1}},
       "States.StringToJson: argument 1 must be a string, but was number 1"},
  });
}

TEST(IntrinsicFunctionsTest, JsonToStringWritesCompactJson) {
  const std::string call = "States.JsonToString($.fst)";
  expect_results({
      {call, json{{"fst", 0}}, "0"},
      {call, json{{"fst", true}}, "true"},
      {call, json{{"fst", json::parse(R"j([1, 2, "HelloWorld"])j")}}, "[1,2,\"HelloWorld\"]"},
      {call, json{{"fst", json::parse(R"j({"Arg1": 1, "Arg2": []})j")}},
       "{\"Arg1\":1,\"Arg2\":[]}"},
      {call, json{{"fst", "s"}}, "\"s\""},
  });
}

TEST(IntrinsicFunctionsTest, ArrayCollectsItsArguments) {
  const std::string call = "States.Array($.fst, $.snd)";
  expect_results({
      {call, pair("", ""), json::array({"", ""})},
      {call, pair(1, 1.1), json::array({1, 1.1})},
      {call, pair(json::object(), nullptr), json::parse("[{}, null]")},
      {"States.Array()", json::object(), json::array()},
  });
}

TEST(IntrinsicFunctionsTest, ArrayPartitionChunksTheArray) {
  const std::string call = "States.ArrayPartition($.fst, $.snd)";
  expect_results({
      {call, pair(json::array(), 1), json::array()},
      {call, pair(json::array({0}), 5), json::parse("[[0]]")},
      {call, pair(json::array({0, 1}), 1), json::parse("[[0], [1]]")},
      {call, pair(json::array({0, 1, 2}), 2), json::parse("[[0, 1], [2]]")},
      {call, pair(json::array({0, 1, 2, 3}), 3), json::parse("[[0, 1, 2], [3]]")},
      {call, pair(json::array({0, 1, 2, 3}), 2), json::parse("[[0, 1], [2, 3]]")},
      {call, pair(json::array({0, 1, 2, 3}), 1.6), json::parse("[[0, 1], [2, 3]]")},
  });
  expect_failures({
      {call, pair(json::array({1}), 0),
       "States.ArrayPartition: argument 2 (the chunk size) must be positive, but was 0"},
      {call, pair(json::array({1}), -1),
       "States.ArrayPartition: argument 2 (the chunk size) must be positive, but was -1"},
      {call, pair("abc", 1),
       "States.ArrayPartition: argument 1 must be an array, but was string \"abc\""},
      {call, pair(json::array(), "2"),
       "States.ArrayPartition: argument 2 must be an integer, but was string \"2\""},
  });
}

TEST(IntrinsicFunctionsTest, ArrayContainsComparesDeeply) {
  const std::string call = "States.ArrayContains($.fst, $.snd)";
  expect_results({
      {call, pair(json::array(), nullptr), false},
      {call, pair(json::array(), json::array()), false},
      {call, pair(json::parse("[[1, 2, 3], 2]"), nullptr), false},
      {call, pair(json::parse("[[1, 2, 3], 2]"), json::parse("[1, 2, 3]")), true},
      {call, pair(json::parse(R"j([{"1": 2, "2": []}])j"), json::parse(R"j({"1": 2, "2": []})j")),
       true},
      {call, pair(json::parse("[true, false]"), false), true},
      {call, pair(json::parse("[1, 2]"), 2.0), true},
      {call, pair(json::parse(R"j(["1"])j"), 1), false},
  });
  expect_failures({{call, pair(json::object(), 1),
                    "States.ArrayContains: argument 1 must be an array, but was object {}"}});
}

TEST(IntrinsicFunctionsTest, ArrayRangeStepsUntilTheEnd) {
  const std::string call = "States.ArrayRange($.fst, $.snd, $.trd)";
  auto triple = [](json a, json b, json c) { return json{{"fst", a}, {"snd", b}, {"trd", c}}; };
  expect_results({
      {call, triple(0, 9, 3), json::array({0, 3, 6, 9})},
      {call, triple(0, 10, 3), json::array({0, 3, 6, 9})},
      {call, triple(1, 9, 9), json::array({1})},
      {call, triple(1, 9, 2), json::array({1, 3, 5, 7, 9})},
      {call, triple(5, 1, -2), json::array({5, 3, 1})},
      {call, triple(5, 1, 1), json::array()},
  });
}

TEST(IntrinsicFunctionsTest, ArrayRangeRejectsZeroStepsAndMoreThanAThousandElements) {
  Outcome<json> thousand = call_with("States.ArrayRange(1, 1000, 1)", json::object());
  ASSERT_TRUE(thousand.ok());
  EXPECT_EQ(thousand.value().size(), 1000u);
  expect_failures({
      {"States.ArrayRange(0, 1000, 1)", json::object(),
       "States.ArrayRange: the range would have 1001 elements; at most 1000 are allowed"},
      {"States.ArrayRange(0, 10, 0)", json::object(),
       "States.ArrayRange: argument 3 (the step) must not be 0"},
      {"States.ArrayRange('a', 10, 1)", json::object(),
       "States.ArrayRange: argument 1 must be an integer, but was string \"a\""},
  });
}

TEST(IntrinsicFunctionsTest, ArrayGetItemReturnsTheElement) {
  const std::string call = "States.ArrayGetItem($.fst, $.snd)";
  expect_results({
      {call, pair(json::parse("[1, 2, 3, 4, 5, 6, 7, 8, 9]"), 5), 6},
      {call, pair(json::parse(R"j([{"a": 1}])j"), 0), json::parse(R"j({"a": 1})j")},
      {call, pair(json::parse("[1, 2]"), 1.0), 2},
  });
  expect_failures({
      {call, pair(json::parse("[1, 2]"), 2),
       "States.ArrayGetItem: index 2 is out of bounds for an array of length 2"},
      {call, pair(json::parse("[1, 2]"), -1),
       "States.ArrayGetItem: index -1 is out of bounds for an array of length 2"},
      {call, pair(json::parse("[1, 2]"), 0.5),
       "States.ArrayGetItem: argument 2 must be a non-negative integer, but was number 0.5"},
      {call, pair("x", 0),
       "States.ArrayGetItem: argument 1 must be an array, but was string \"x\""},
  });
}

TEST(IntrinsicFunctionsTest, ArrayLengthCountsElements) {
  const std::string call = "States.ArrayLength($.fst)";
  expect_results({
      {call, json{{"fst", json::array()}}, 0},
      {call, json{{"fst", json::parse(R"j([null, null, true, 1, 1.1, "a", [], {}])j")}}, 8},
  });
  expect_failures({{call, json{{"fst", nullptr}},
                    "States.ArrayLength: argument 1 must be an array, but was null null"}});
}

TEST(IntrinsicFunctionsTest, ArrayUniqueKeepsFirstOccurrences) {
  const std::string call = "States.ArrayUnique($.fst)";
  expect_results({
      {call, json{{"fst", json::parse("[1, 2, 2, 3, 3, 4]")}}, json::parse("[1, 2, 3, 4]")},
      {call,
       json{{"fst", json::parse(R"j([null, null, true, true, false, 1, 1, 1.1, 0, "a", "a", [], [],
                                    [null], [null], {"a": 1, "b": 2}, {"a": 1, "b": 2},
                                    {"a": 1, "b": 1}])j")}},
       json::parse(R"j([null, true, false, 1, 1.1, 0, "a", [], [null], {"a": 1, "b": 2},
                        {"a": 1, "b": 1}])j")},
      {call, json{{"fst", json::parse("[3, 1, 3.0, 1]")}}, json::parse("[3, 1]")},
  });
  expect_failures({{call, json{{"fst", "a"}},
                    "States.ArrayUnique: argument 1 must be an array, but was string \"a\""}});
}

TEST(IntrinsicFunctionsTest, Base64RoundTrips) {
  expect_results({
      {"States.Base64Encode($.fst)", json{{"fst", ""}}, ""},
      {"States.Base64Encode($.fst)", json{{"fst", "Data to encode"}}, "RGF0YSB0byBlbmNvZGU="},
      {"States.Base64Encode('Hello World')", json::object(), "SGVsbG8gV29ybGQ="},
      {"States.Base64Encode('ab')", json::object(), "YWI="},
      {"States.Base64Encode('abc')", json::object(), "YWJj"},
      {"States.Base64Encode('\xc3\xa9')", json::object(), "w6k="},
      {"States.Base64Decode($.fst)", json{{"fst", ""}}, ""},
      {"States.Base64Decode('SGVsbG8gV29ybGQ=')", json::object(), "Hello World"},
      {"States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", json::object(), "Data to encode"},
      {"States.Base64Decode('YWI')", json::object(), "ab"},
      {"States.Base64Decode('w6k=')", json::object(), "\xc3\xa9"},
  });
}

TEST(IntrinsicFunctionsTest, Base64RejectsBadInputAndLongStrings) {
  json long_input{{"fst", std::string(10001, 'a')}};
  json limit_input{{"fst", std::string(10000, 'a')}};
  EXPECT_TRUE(call_with("States.Base64Encode($.fst)", limit_input).ok());
  expect_failures({
      {"States.Base64Encode($.fst)", long_input,
       "States.Base64Encode: the input is longer than 10000 characters"},
      {"States.Base64Decode($.fst)", long_input,
       "States.Base64Decode: the input is longer than 10000 characters"},
      {"States.Base64Decode('a*b=')", json::object(),
       "States.Base64Decode: argument 1 is not valid Base64: a*b="},
      {"States.Base64Decode('a')", json::object(),
       "States.Base64Decode: argument 1 is not valid Base64: a"},
      {"States.Base64Decode('/w==')", json::object(),
       "States.Base64Decode: the decoded bytes are not valid UTF-8"},
      // Well-formed UTF-8 only (Unicode Table 3-7): an overlong NUL (C0 80) and a surrogate
      // (ED A0 80) are refused, not passed on as text that no JSON writer accepts.
      {"States.Base64Decode('wIA=')", json::object(),
       "States.Base64Decode: the decoded bytes are not valid UTF-8"},
      {"States.Base64Decode('7aCA')", json::object(),
       "States.Base64Decode: the decoded bytes are not valid UTF-8"},
      {"States.Base64Encode($.fst)", json{{"fst", 1}},
       "States.Base64Encode: argument 1 must be a string, but was number 1"},
  });
}

TEST(IntrinsicFunctionsTest, HashMatchesKnownVectorsForEveryAlgorithm) {
  const std::string call = "States.Hash($.fst, $.snd)";
  expect_results({
      {call, pair("input data", "MD5"), "812f45842bc6d66ee14572ce20db8e86"},
      {call, pair("input data", "SHA-1"), "aaff4a450a104cd177d28d18d74485e8cae074b7"},
      {call, pair("input data", "SHA-256"),
       "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"},
      {call, pair("input data", "SHA-384"),
       "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374"
       "a15562"},
      {call, pair("input data", "SHA-512"),
       "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc502"
       "83731a533d30d425402d4f91316d871303aac4"},
      {call, pair("abc", "SHA-1"), "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {call, pair("Hash this string", "SHA-256"),
       "1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e"},
      {call, pair(json::parse(R"j({"a": 1})j"), "MD5"), "bb6cb5c68df4652941caf652a366f2d8"},
  });
  expect_failures({
      {call, pair("x", "SHA-3"),
       "States.Hash: argument 2 must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was "
       "'SHA-3'"},
      {call, pair("x", "md5"),
       "States.Hash: argument 2 must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was "
       "'md5'"},
      {call, pair(std::string(10001, 'x'), "MD5"),
       "States.Hash: the input is longer than 10000 characters"},
  });
}

TEST(IntrinsicFunctionsTest, JsonMergeIsShallow) {
  const std::string call = "States.JsonMerge($.fst, $.snd, false)";
  expect_results({
      {call,
       pair(json::parse(R"j({"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3})j"),
            json::parse(R"j({"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4})j")),
       json::parse(R"j({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4})j")},
      {"States.JsonMerge(States.StringToJson('{\"x\": \"false\"}'), $.snd, false)",
       pair(nullptr, json::parse(R"j({"y": 1})j")), json::parse(R"j({"x": "false", "y": 1})j")},
  });
  expect_failures({
      {"States.JsonMerge($.fst, $.snd, true)", pair(json::object(), json::object()),
       "States.JsonMerge: deep merge is not supported; argument 3 must be false"},
      {"States.JsonMerge($.fst, $.snd, false)", pair(json::array(), json::object()),
       "States.JsonMerge: argument 1 must be an object, but was array []"},
      {"States.JsonMerge($.fst, $.snd, false)", pair(json::object(), 1),
       "States.JsonMerge: argument 2 must be an object, but was number 1"},
      {"States.JsonMerge($.fst, $.snd, 'false')", pair(json::object(), json::object()),
       "States.JsonMerge: argument 3 must be a boolean, but was string \"false\""},
  });
}

TEST(IntrinsicFunctionsTest, MathAddRoundsHalfUpLikeJava) {
  const std::string call = "States.MathAdd($.fst, $.snd)";
  expect_results({
      {call, pair(1.49, 1.5), 3},
      {call, pair(-1.5, 0), -1},
      {call, pair(0.5, 0), 1},
      {call, pair(2.5, 0), 3},
      {call, pair(3.5, 0), 4},
      {call, pair(-0.5, 0.5), 1},
      {call, pair(-0.5, 0), 0},
      {call, pair(-2.5, 0), -2},
      {call, pair(1.5, 1.51), 4},
      {call, pair(-3.5, 0), -3},
      {call, pair(-1.5, -1.51), -3},
      {call, pair(1.51, 0), 2},
      {call, pair(-1.49, 0), -1},
      {call, pair(5, 3), 8},
      {call, pair(2147483646, 1), 2147483647},
      {call, pair(-2147483648, 0), -2147483648},
  });
  expect_failures({
      {call, pair(2147483647, 1),
       "States.MathAdd: the sum 2147483648 is outside the 32-bit integer range"},
      {call, pair(2147483648LL, 0),
       "States.MathAdd: argument 1 (2147483648) is outside the 32-bit integer range"},
      {call, pair(0, -2147483649LL),
       "States.MathAdd: argument 2 (-2147483649) is outside the 32-bit integer range"},
      {call, pair("1", 0), "States.MathAdd: argument 1 must be an integer, but was string \"1\""},
  });
}

TEST(IntrinsicFunctionsTest, MathRandomWithASeedIsDeterministicLikeJavaUtilRandom) {
  // Expected values computed with java.util.Random(seed).nextInt(end - start) + start.
  expect_results({
      {"States.MathRandom(0, 10, 42)", json::object(), 0},
      {"States.MathRandom(0, 100, 42)", json::object(), 30},
      {"States.MathRandom(0, 999, 3)", json::object(), 239},
      {"States.MathRandom(10, 74, -7)", json::object(), 27},
      {"States.MathRandom($.fst, $.snd, $.trd)", json{{"fst", 0}, {"snd", 999}, {"trd", 3}}, 239},
  });
}

TEST(IntrinsicFunctionsTest, MathRandomStaysWithinStartInclusiveEndExclusive) {
  Random random(1234);
  std::set<std::int64_t> seen;
  for (int i = 0; i < 500; ++i) {
    Outcome<json> v = call_with("States.MathRandom(12.5, 16.51)", json::object(), &random);
    ASSERT_TRUE(v.ok());
    std::int64_t n = v.value().get<std::int64_t>();
    EXPECT_GE(n, 13);
    EXPECT_LT(n, 17);
    seen.insert(n);
  }
  EXPECT_EQ(seen.size(), 4u);
  Random a(7);
  Random b(7);
  EXPECT_EQ(call_with("States.MathRandom(0, 1000000)", json::object(), &a).value(),
            call_with("States.MathRandom(0, 1000000)", json::object(), &b).value());
  expect_failures({
      {"States.MathRandom(5, 5)", json::object(),
       "States.MathRandom: argument 1 (the start, 5) must be less than argument 2 (the end, 5)"},
      {"States.MathRandom('a', 5)", json::object(),
       "States.MathRandom: argument 1 must be an integer, but was string \"a\""},
      {"States.MathRandom(0, 5, 'seed')", json::object(),
       "States.MathRandom: argument 3 must be an integer, but was string \"seed\""},
      {"States.MathRandom(-2147483649, 0)", json::object(),
       "States.MathRandom: the range [-2147483649, 0) is outside the 32-bit integer range"},
  });
}

TEST(IntrinsicFunctionsTest, StringSplitUsesEachDelimiterCharacterAndDropsEmptyPieces) {
  const std::string call = "States.StringSplit($.fst, $.snd)";
  expect_results({
      {call, pair(" ", ","), json::array({" "})},
      {call, pair(" , ", ","), json::array({" ", " "})},
      {call, pair(", , ,", ","), json::array({" ", " "})},
      {call, pair("1,2,3,4,5", ","), json::array({"1", "2", "3", "4", "5"})},
      {call, pair("a.b+c,d=e", ".+,="), json::array({"a", "b", "c", "d", "e"})},
      {call, pair("", ","), json::array()},
      {call, pair("abc", ""), json::array({"abc"})},
      {call,
       pair("a\xc3\xa9"
            "b",
            "\xc3\xa9"),
       json::array({"a", "b"})},
      {"States.StringSplit('Hello\nWorld', '\n')", json::object(), json::array({"Hello", "World"})},
      {call,
       pair("Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   "
            "\n",
            ","),
       json::array({"Value1", "Value2", "Value3\nValue4", "Value5", "Value6\n", "\ntrue", "1",
                    "'HelloWorld'\nNull", "None", "\n   \n"})},
  });
  expect_failures({
      {call, pair(1, ","), "States.StringSplit: argument 1 must be a string, but was number 1"},
      {call, pair("a", json::array()),
       "States.StringSplit: argument 2 must be a string, but was array []"},
  });
}

TEST(IntrinsicFunctionsTest, UuidIsAVersion4UuidDrawnFromTheRandomSource) {
  const std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  Random random(99);
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    Outcome<json> v = call_with("States.UUID()", json::object(), &random);
    ASSERT_TRUE(v.ok());
    const std::string& s = v.value().get_ref<const std::string&>();
    EXPECT_TRUE(std::regex_match(s, v4)) << s;
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 50u);
  Random a(5);
  Random b(5);
  EXPECT_EQ(call_with("States.UUID()", json::object(), &a).value(),
            call_with("States.UUID()", json::object(), &b).value());
  // Without a random source a fixed-seed one is used.
  EXPECT_EQ(call_with("States.UUID()", json::object()).value(),
            call_with("States.UUID()", json::object()).value());
}

}  // namespace
}  // namespace stepwise::internal
