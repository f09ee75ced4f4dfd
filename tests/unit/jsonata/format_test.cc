// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONata's number and date formatting against the reference implementation (jsonata-js 2.x;
// every expected value below is what it returns): $formatNumber, $formatInteger, $formatBase,
// $string and `&` of numbers, $fromMillis and $toMillis with pictures and time zones, and $now
// and $millis on a fixed instant. The JSONata test suite (../shared/conformance/jsonata) covers
// these functions too; the cases here are ones it does not have: rounding half to even,
// grouping and sub-picture edge cases, ordinals and words, the printing of -0, tiny and huge
// numbers, time-zone offsets and parsing with names and AM/PM.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "stepwise/jsonata.h"

namespace stepwise::jsonata {
namespace {

using nlohmann::json;

// 2023-11-14T22:13:20.123Z, a Tuesday.
constexpr std::int64_t kInstantMillis = 1700000000123;

struct Case {
  const char* expr;
  json expected;                // the result; unused when `error` is set
  const char* error = nullptr;  // the expected error code
};

Outcome evaluate(const std::string& expr) {
  CompileResult compiled = Expression::compile(expr);
  if (!compiled.ok()) return Outcome(compiled.error());
  EvaluateOptions options;
  options.now = std::chrono::system_clock::time_point(std::chrono::milliseconds(kInstantMillis));
  return compiled.expression().evaluate(static_cast<const json*>(nullptr), nullptr, options);
}

void expect_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expr);
    Outcome out = evaluate(c.expr);
    if (c.error != nullptr) {
      ASSERT_TRUE(out.is_error()) << (out.is_value() ? out.value().dump() : "undefined");
      EXPECT_EQ(out.error().code, c.error) << out.error().to_string();
      continue;
    }
    ASSERT_TRUE(out.is_value()) << (out.is_error() ? out.error().to_string() : "undefined");
    EXPECT_EQ(out.value(), c.expected);
  }
}

TEST(JsonataFormatTest, FormatNumberRoundsHalfToEvenAndPads) {
  expect_cases({
      {R"j($formatNumber(1234.5678, "#,##0.00"))j", "1,234.57"},
      {R"j($formatNumber(0.5, "#,##0.00"))j", "0.50"},
      {R"j($formatNumber(-0.5, "0.0"))j", "-0.5"},
      {R"j($formatNumber(2.5, "0"))j", "2"},
      {R"j($formatNumber(3.5, "0"))j", "4"},
      {R"j($formatNumber(-2.5, "0"))j", "-2"},
      {R"j($formatNumber(0.125, "0.00"))j", "0.12"},
      {R"j($formatNumber(0.135, "0.00"))j", "0.14"},
      {R"j($formatNumber(99.999, "0.00"))j", "100.00"},
      {R"j($formatNumber(7, "000"))j", "007"},
      {R"j($formatNumber(123.456, "0000.0000"))j", "0123.4560"},
      {R"j($formatNumber(1e-7, "0.000000000"))j", "0.000000100"},
      {R"j($formatNumber(0, "#"))j", "0"},
      {R"j($formatNumber(0, "0.###"))j", "0"},
      {R"j($formatNumber(1234.5678, "#,###.0##"))j", "1,234.568"},
  });
}

TEST(JsonataFormatTest, FormatNumberGroupsRegularlyOrWhereThePictureSays) {
  expect_cases({
      {R"j($formatNumber(1234567.891, "#,##0.###"))j", "1,234,567.891"},
      {R"j($formatNumber(1234567.891, "#,##,##0.###"))j", "12,34,567.891"},
      {R"j($formatNumber(12345.6789, "0,000.00,0"))j", "12,345.67,9"},
      // The separators may be changed; a space is passive unless it is declared.
      {R"j($formatNumber(1234.5, "#.##0,00",)j"
       R"j( {"decimal-separator": ",", "grouping-separator": "."}))j",
       "1.234,50"},
      {R"j($formatNumber(1234, "#,##0", {"grouping-separator": " "}))j", nullptr, "D3086"},
  });
}

TEST(JsonataFormatTest, FormatNumberSubPicturesPercentAndAffixes) {
  expect_cases({
      {R"j($formatNumber(-1234.5, "#,##0.0;(#,##0.0)"))j", "(1,234.5)"},
      {R"j($formatNumber(1234.5, "#,##0.0;(#,##0.0)"))j", "1,234.5"},
      {R"j($formatNumber(5, "0.0;0.0-"))j", "5.0"},
      {R"j($formatNumber(-5, "0.0;0.0-"))j", "5.0-"},
      {R"j($formatNumber(-42, "0", {"minus-sign": "−"}))j", "−42"},
      {R"j($formatNumber(42, "$#0.00 USD"))j", "$42.00 USD"},
      {R"j($formatNumber(0.256, "#0.0%"))j", "25.6%"},
      {R"j($formatNumber(0.0256, "#0.0‰"))j", "25.6‰"},
      // Only the first character of a property counts: "pc" declares "p", so "%" is passive.
      {R"j($formatNumber(0.5, "#%", {"percent": "pc"}))j", "0%"},
      // A zero digit other than "0" makes "0" a passive character.
      {R"j($formatNumber(1234.5, "#,##0.00", {"zero-digit": "٠"}))j", nullptr, "D3086"},
  });
}

TEST(JsonataFormatTest, FormatNumberExponents) {
  expect_cases({
      {R"j($formatNumber(123456789, "0.00e0"))j", "1.23e8"},
      {R"j($formatNumber(0.000123, "0.0e00"))j", "1.2e-04"},
      {R"j($formatNumber(-0.0001234, "0.00e0"))j", "-1.23e-4"},
  });
}

TEST(JsonataFormatTest, FormatIntegerDecimalPictures) {
  expect_cases({
      {R"j($formatInteger(0, "0"))j", "0"},
      {R"j($formatInteger(-12, "000"))j", "-012"},
      {R"j($formatInteger(1234567, "#,##0"))j", "1,234,567"},
      {R"j($formatInteger(1234567, "# ##0"))j", "1 234 567"},
      {R"j($formatInteger(12345, "0000"))j", "12345"},
      {R"j($formatInteger(5, "01"))j", "05"},
      {R"j($formatInteger(1234, "#0"))j", "1234"},
      {R"j($formatInteger(12.5, "0"))j", "12"},
      {R"j($formatInteger(13.5, "0"))j", "13"},
      {R"j($formatInteger(-12.5, "0"))j", "-13"},
      {R"j($formatInteger(1234, "٠"))j", "١٢٣٤"},
      {R"j($formatInteger(1234, "٠٠٠٠٠"))j", "٠١٢٣٤"},
  });
}

TEST(JsonataFormatTest, FormatIntegerOrdinalsRomanLettersAndWords) {
  expect_cases({
      {R"j($formatInteger(1, "0;o"))j", "1st"},
      {R"j($formatInteger(2, "0;o"))j", "2nd"},
      {R"j($formatInteger(3, "0;o"))j", "3rd"},
      {R"j($formatInteger(11, "0;o"))j", "11th"},
      {R"j($formatInteger(12, "0;o"))j", "12th"},
      {R"j($formatInteger(13, "0;o"))j", "13th"},
      {R"j($formatInteger(21, "0;o"))j", "21st"},
      {R"j($formatInteger(22, "0;o"))j", "22nd"},
      {R"j($formatInteger(101, "0;o"))j", "101st"},
      {R"j($formatInteger(111, "0;o"))j", "111th"},
      {R"j($formatInteger(3999, "I"))j", "MMMCMXCIX"},
      {R"j($formatInteger(1994, "I"))j", "MCMXCIV"},
      {R"j($formatInteger(4, "i"))j", "iv"},
      {R"j($formatInteger(52, "A"))j", "AZ"},
      {R"j($formatInteger(702, "A"))j", "ZZ"},
      {R"j($formatInteger(703, "a"))j", "aaa"},
      {R"j($formatInteger(0, "a"))j", ""},
      {R"j($formatInteger(0, "w"))j", "zero"},
      {R"j($formatInteger(21, "w"))j", "twenty-one"},
      {R"j($formatInteger(101, "w"))j", "one hundred and one"},
      {R"j($formatInteger(-5, "w"))j", "-five"},
      {R"j($formatInteger(1e3, "W"))j", "ONE THOUSAND"},
      {R"j($formatInteger(1, "w;o"))j", "first"},
      {R"j($formatInteger(2, "w;o"))j", "second"},
      {R"j($formatInteger(3, "w;o"))j", "third"},
      {R"j($formatInteger(11, "w;o"))j", "eleventh"},
      {R"j($formatInteger(21, "Ww;o"))j", "Twenty-First"},
  });
}

TEST(JsonataFormatTest, FormatBaseRoundsHalfToEvenAndKeepsTheSign) {
  expect_cases({
      {"$formatBase(255, 16)", "ff"},
      {"$formatBase(-255, 16)", "-ff"},
      {"$formatBase(0, 2)", "0"},
      {"$formatBase(35, 36)", "z"},
      {"$formatBase(10, 8)", "12"},
      {"$formatBase(7, 7)", "10"},
      {"$formatBase(1e15, 36)", "9ugxnorjls"},
      {"$formatBase(2.5)", "2"},
      {"$formatBase(3.5, 2)", "100"},
      {"$formatBase(-0.4)", "0"},
  });
}

// Found by jsonata_fuzz (tests/fuzz/corpus/jsonata/finding_3bd12ea93248): an undefined picture
// passes the signatures (any argument may be undefined, as in jsonata-js), and the functions
// then read it as a string. jsonata-js fails there with an uncoded JavaScript TypeError; these
// report T0410 for the picture argument, as for a picture of the wrong type (`$formatNumber(1,
// 2)`), with the same message (its function name is left blank, like every T0410 message here).
TEST(JsonataFormatTest, AnUndefinedPictureIsAnArgumentError) {
  struct PictureCase {
    const char* expr;
    const char* message;
  };
  for (const PictureCase& c : std::vector<PictureCase>{
           {"$formatNumber(12324.5, $nothing)",
            "T0410 at 13 (token \"formatNumber\"): Argument 2 of function  does not match "
            "function signature"},
           {"[1, 2].($formatNumber(12324.5, name))",
            "T0410 at 21 (token \"formatNumber\"): Argument 2 of function  does not match "
            "function signature"},
           {"$formatNumber(12324.5, 2)",
            "T0410 at 13 (token \"formatNumber\"): Argument 2 of function  does not match "
            "function signature"},
           {"$formatInteger(12, $nothing)",
            "T0410 at 14 (token \"formatInteger\"): Argument 2 of function  does not match "
            "function signature"},
           {"$parseInteger('12', $nothing)",
            "T0410 at 13 (token \"parseInteger\"): Argument 2 of function  does not match "
            "function signature"},
       }) {
    SCOPED_TRACE(c.expr);
    Outcome out = evaluate(c.expr);
    ASSERT_TRUE(out.is_error()) << (out.is_value() ? out.value().dump() : "undefined");
    EXPECT_EQ(out.error().code, "T0410");
    EXPECT_EQ(out.error().to_string(), c.message);
  }
  // An undefined number still gives undefined, whatever the picture.
  EXPECT_TRUE(evaluate("$formatNumber($nothing, $nothing)").is_undefined());
}

TEST(JsonataFormatTest, StringOfNumbersUsesFifteenSignificantDigits) {
  expect_cases({
      {"$string(0.1 + 0.2)", "0.3"},
      {"$string(0.1 * 3)", "0.3"},
      {"$string(1/3)", "0.333333333333333"},
      {"$string(22/7)", "3.14285714285714"},
      {"$string(1.0000000000000002)", "1"},
      {"$string(3.14159265358979)", "3.14159265358979"},
      {"$string(4.35)", "4.35"},
      {"$string(12345.678)", "12345.678"},
      {"$string(-42.5)", "-42.5"},
      {"$string(100)", "100"},
      {"$string(123456789012345678)", "123456789012345680"},
      {"$string(9007199254740993)", "9007199254740992"},
      {"$string(1e16)", "10000000000000000"},
      {"$string(1e20 + 1)", "100000000000000000000"},
  });
}

TEST(JsonataFormatTest, StringOfNumbersUsesJavaScriptExponentFormsAndPrintsMinusZeroAsZero) {
  expect_cases({
      {"$string(1e21)", "1e+21"},
      {"$string(-1e21)", "-1e+21"},
      {"$string(1e100)", "1e+100"},
      {"$string(1.5e300)", "1.5e+300"},
      {"$string(1.7976931348623157e308)", "1.7976931348623157e+308"},
      {"$string(1e-7)", "1e-7"},
      {"$string(2e-7)", "2e-7"},
      {"$string(123e-20)", "1.23e-18"},
      {"$string(5e-324)", "5e-324"},
      {"$string(0.000001)", "0.000001"},
      {"$string(-0)", "0"},
      {"$string(0 * -1)", "0"},
      {"$string([0.1 + 0.2, 1e21, -0])", "[0.3,1e+21,0]"},
      {R"j($string({"n": 1e-7}))j", R"({"n":1e-7})"},
      {R"j(0.1 + 0.2 & "")j", "0.3"},
      {R"j(1e21 & "")j", "1e+21"},
      {R"j(-0 & "")j", "0"},
  });
}

TEST(JsonataFormatTest, FromMillisDefaultsToIsoUtc) {
  expect_cases({
      {"$fromMillis(0)", "1970-01-01T00:00:00.000Z"},
      {"$fromMillis(-1)", "1969-12-31T23:59:59.999Z"},
      {"$fromMillis(1e12)", "2001-09-09T01:46:40.000Z"},
      {"$fromMillis(253402300799999)", "9999-12-31T23:59:59.999Z"},
      {"$fromMillis(-62135596800000)", "0001-01-01T00:00:00.000Z"},
      {R"j($fromMillis(1700000000123, undefined, "+0200"))j", "2023-11-15T00:13:20.123+02:00"},
  });
}

TEST(JsonataFormatTest, FromMillisPictures) {
  expect_cases({
      {R"j($fromMillis(1700000000123, "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]"))j",
       "2023-11-14T22:13:20.123"},
      {R"j($fromMillis(1700000000123, "[Y]-[M]-[D] [H]:[m]:[s]"))j", "2023-11-14 22:13:20"},
      {R"j($fromMillis(1700000000123, "[FNn], [D1o] [MNn] [Y]"))j", "Tuesday, 14th November 2023"},
      {R"j($fromMillis(1700000000123, "[FN,*-3] [MN,*-3]"))j", "TUE NOV"},
      {R"j($fromMillis(1700000000123, "[h]:[m01] [P]"))j", "10:13 pm"},
      {R"j($fromMillis(1700000000123, "[h]:[m01] [PN]"))j", "10:13 PM"},
      {R"j($fromMillis(1700000000123, "[D01]/[M01]/[Y01]"))j", "14/11/23"},
      {R"j($fromMillis(1700000000123, "[Y,2]"))j", "23"},
      {R"j($fromMillis(1700000000123, "[d]"))j", "318"},
      {R"j($fromMillis(1700000000123, "[W01]"))j", "46"},
      {R"j($fromMillis(1700000000123, "[F1]"))j", "2"},
      {R"j($fromMillis(1700000000123, "[f1]"))j", "123"},
      {R"j($fromMillis(1700000000123, "[f01]"))j", "123"},
      {R"j($fromMillis(1700000000123, "[E]"))j", "ISO"},
      {R"j($fromMillis(1700000000123, "[C]"))j", "ISO"},
      {R"j($fromMillis(1700000000123, "[MI]"))j", "XI"},
      {R"j($fromMillis(1700000000123, "[Dw]"))j", "fourteen"},
      {R"j($fromMillis(1700000000123, "[m]:[s]"))j", "13:20"},
      {R"j($fromMillis(1700000000123, "[H#1]"))j", "22"},
      {R"j($fromMillis(1700000000000, "[Q]"))j", nullptr, "D3132"},
  });
}

TEST(JsonataFormatTest, FromMillisTimeZones) {
  expect_cases({
      {R"j($fromMillis(1700000000123, "[H01]:[m01]", "+0530"))j", "03:43"},
      {R"j($fromMillis(1700000000123, "[H01]:[m01] [Z]", "-0800"))j", "14:13 -08:00"},
      {R"j($fromMillis(1700000000123, "[H01]:[m01] [z]", "+0000"))j", "22:13 GMT+00:00"},
      {R"j($fromMillis(1700000000123, "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z01:01t]", "+0000"))j",
       "2023-11-14T22:13:20Z"},
      {R"j($fromMillis(1700000000123, "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z01:01t]", "-0130"))j",
       "2023-11-14T19:43:20-02:30"},
      {R"j($fromMillis(1700000000123, "[H]", "+1400"))j", "12"},
      {R"j($fromMillis(1700000000123, "[Y0001]-[M01]-[D01]", "-1200"))j", "2023-11-14"},
  });
}

TEST(JsonataFormatTest, ToMillisReadsIsoTimestamps) {
  expect_cases({
      {R"j($toMillis("2023-11-14T22:13:20.123Z"))j", 1700000000123},
      {R"j($toMillis("2023-11-14T22:13:20Z"))j", 1700000000000},
      {R"j($toMillis("2023-11-14T22:13:20+01:00"))j", 1699996400000},
      {R"j($toMillis("2023-11-14T22:13:20.5-05:30"))j", 1700019800500},
      {R"j($toMillis("2023-11-14T22:13:20.123456Z"))j", 1700000000123},
      {R"j($toMillis("2023-11-14"))j", 1699920000000},
      {R"j($toMillis("2023-11"))j", 1698796800000},
      {R"j($toMillis("1969-12-31T23:59:59.999Z"))j", -1},
      {R"j($toMillis("not a date"))j", nullptr, "D3110"},
  });
}

TEST(JsonataFormatTest, ToMillisWithPictures) {
  expect_cases({
      {R"j($toMillis("14/11/2023", "[D01]/[M01]/[Y0001]"))j", 1699920000000},
      {R"j($toMillis("2023-11-14 10:13 pm", "[Y]-[M]-[D] [h]:[m] [P]"))j", 1699999980000},
      {R"j($toMillis("2023-11-14 12:00 am", "[Y]-[M]-[D] [h]:[m] [P]"))j", 1699920000000},
      {R"j($toMillis("2023-11-14 22:13 +0530", "[Y]-[M]-[D] [H]:[m] [Z0001]"))j", 1699980180000},
      {R"j($toMillis("2023-11-14 22:13 -05:00", "[Y]-[M]-[D] [H]:[m] [Z]"))j", 1700017980000},
      {R"j($toMillis("14 November 2023", "[D] [MNn] [Y]"))j", 1699920000000},
      {R"j($toMillis("Tue 14 Nov 2023", "[FNn,3-3] [D] [MNn,3-3] [Y]"))j", 1699920000000},
      {R"j($toMillis("2023-318", "[Y]-[d]"))j", 1699920000000},
  });
}

TEST(JsonataFormatTest, NowAndMillisReportTheEvaluationInstant) {
  expect_cases({
      {"$now()", "2023-11-14T22:13:20.123Z"},
      {"$millis()", kInstantMillis},
      {R"j($now("[Y0001]-[M01]-[D01]"))j", "2023-11-14"},
      {R"j($now("[H01]:[m01]", "+0530"))j", "03:43"},
      {R"j($now("[FNn] [h]:[m01] [P] [z]", "-0800"))j", "Tuesday 2:13 pm GMT-08:00"},
      {"$now() = $fromMillis($millis())", true},
      {"[$now(), $now()] ~> $distinct() ~> $count()", 1},
  });
}

}  // namespace
}  // namespace stepwise::jsonata
