// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Hostile and malformed input: every case ends in a diagnostic with an exact code and pointer,
// within bounded time and memory, and never crashes (ParseOptions limits; STYLE.md section 4).
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stepwise/parser.h"

namespace stepwise {
namespace {

using Clock = std::chrono::steady_clock;

std::string all_messages(const ParseResult& result) {
  std::string s;
  for (Diagnostic d : result.diagnostics()) s += "  " + d.to_string() + "\n";
  return s;
}

// Asserts that `result` failed with exactly one diagnostic, and returns it.
Diagnostic only_diagnostic(const ParseResult& result) {
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics().size(), 1u) << all_messages(result);
  return result.diagnostics().empty() ? Diagnostic{} : result.diagnostics().front();
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A chain of `n` Pass states S0 -> S1 -> ... -> S<n-1> (End).
std::string chain_of_pass_states(std::size_t n) {
  std::string text = R"({"StartAt":"S0","States":{)";
  text.reserve(n * 40);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) text += ',';
    text += "\"S" + std::to_string(i) + "\":{\"Type\":\"Pass\",";
    text += i + 1 < n ? "\"Next\":\"S" + std::to_string(i + 1) + "\"}" : "\"End\":true}";
  }
  text += "}}";
  return text;
}

TEST(HostileInputTest, MalformedJsonReportsLineAndColumn) {
  ParseResult result = parse_state_machine("{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}");
  Diagnostic d = only_diagnostic(result);
  EXPECT_EQ(d.code, DiagnosticCode::kInvalidJsonDescription);
  EXPECT_EQ(d.pointer, "");
  EXPECT_EQ(d.message,
            "Invalid JSON at line 3, column 14: syntax error while parsing object key - "
            "unexpected ','; expected string literal");
}

TEST(HostileInputTest, TruncatedJsonReportsEndOfInput) {
  ParseResult result = parse_state_machine("{\"StartAt\": \"A\",\n\"States\": {");
  Diagnostic d = only_diagnostic(result);
  EXPECT_EQ(d.code, DiagnosticCode::kInvalidJsonDescription);
  EXPECT_EQ(d.pointer, "");
  EXPECT_EQ(d.message,
            "Invalid JSON at line 2, column 12: syntax error while parsing object key - "
            "unexpected end of input; expected string literal");
}

TEST(HostileInputTest, TrailingTextIsInvalidJson) {
  ParseResult result =
      parse_state_machine(R"({"StartAt":"A","States":{"A":{"Type":"Succeed"}}} x)");
  Diagnostic d = only_diagnostic(result);
  EXPECT_EQ(d.code, DiagnosticCode::kInvalidJsonDescription);
  EXPECT_EQ(d.pointer, "");
  EXPECT_EQ(d.message,
            "Invalid JSON at line 1, column 51: syntax error while parsing value - invalid "
            "literal; last read: '\"Succeed\"}}} x'; expected end of input");
}

TEST(HostileInputTest, NumberOutOfRangeIsInvalidJson) {
  ParseResult result =
      parse_state_machine("{\"StartAt\":\"A\",\n\"TimeoutSeconds\":1e999,\"States\":{}}");
  Diagnostic d = only_diagnostic(result);
  EXPECT_EQ(d.code, DiagnosticCode::kInvalidJsonDescription);
  EXPECT_EQ(d.pointer, "");
  EXPECT_EQ(d.message, "Invalid JSON at line 2, column 18: number overflow parsing '1e999'");
}

TEST(HostileInputTest, HugeIntegerIsOutOfRange) {
  ParseResult result = parse_state_machine(
      R"({"StartAt":"A","TimeoutSeconds":18446744073709551615,"States":{"A":{"Type":"Succeed"}}})");
  Diagnostic d = only_diagnostic(result);
  EXPECT_EQ(d.code, DiagnosticCode::kSchemaValidationFailed);
  EXPECT_EQ(d.pointer, "/TimeoutSeconds");
}

TEST(HostileInputTest, EmptyTextIsNotAnObject) {
  for (const char* text : {"", "   \n\t "}) {
    SCOPED_TRACE(std::string("text: '") + text + "'");
    Diagnostic d = only_diagnostic(parse_state_machine(text));
    EXPECT_EQ(d.code, DiagnosticCode::kSchemaValidationFailed);
    EXPECT_EQ(d.pointer, "");
    EXPECT_EQ(d.message, "Definition must be a valid JSON object");
  }
}

TEST(HostileInputTest, JsonNullIsMissingDescription) {
  Diagnostic d = only_diagnostic(parse_state_machine("null"));
  EXPECT_EQ(d.code, DiagnosticCode::kMissingDescription);
  EXPECT_EQ(d.pointer, "");
  EXPECT_EQ(d.message, "The definition is null");

  Diagnostic d2 = only_diagnostic(parse_state_machine(nlohmann::json(nullptr)));
  EXPECT_EQ(d2.code, DiagnosticCode::kMissingDescription);
}

TEST(HostileInputTest, NonObjectRootIsRejected) {
  for (const char* text : {"[]", "[{\"StartAt\":\"A\"}]", "\"StartAt\"", "42", "true"}) {
    SCOPED_TRACE(text);
    Diagnostic d = only_diagnostic(parse_state_machine(text));
    EXPECT_EQ(d.code, DiagnosticCode::kSchemaValidationFailed);
    EXPECT_EQ(d.pointer, "");
    EXPECT_EQ(d.message, "Definition must be a valid JSON object");
  }
}

TEST(HostileInputTest, NestingOneHundredThousandDeepIsTooDeeplyNested) {
  constexpr std::size_t kDepth = 100000;
  // Balanced arrays, unbalanced objects, and deep nesting inside an otherwise valid state.
  std::string arrays = std::string(kDepth, '[') + std::string(kDepth, ']');
  std::string objects;
  for (std::size_t i = 0; i < kDepth; ++i) objects += "{\"a\":";
  std::string in_state =
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Result":)" + arrays + "}}}";
  for (const std::string* text : {&arrays, &objects, &in_state}) {
    auto start = Clock::now();
    Diagnostic d = only_diagnostic(parse_state_machine(*text));
    EXPECT_EQ(d.code, DiagnosticCode::kTooDeeplyNested);
    EXPECT_EQ(d.pointer, "");
    EXPECT_LT(seconds_since(start), 2.0);
  }
  Diagnostic d = only_diagnostic(parse_state_machine(arrays));
  EXPECT_EQ(d.message,
            "The definition nests objects and arrays more than 512 deep (at line 1, "
            "column 513)");
}

TEST(HostileInputTest, DeeplyNestedJsonValueIsTooDeeplyNested) {
  // The nlohmann::json overload checks depth without recursion too.
  nlohmann::json doc = nlohmann::json::array();
  nlohmann::json* inner = &doc;
  for (int i = 0; i < 100000; ++i) {
    inner->push_back(nlohmann::json::array());
    inner = &inner->back();
  }
  Diagnostic d = only_diagnostic(parse_state_machine(doc));
  EXPECT_EQ(d.code, DiagnosticCode::kTooDeeplyNested);
  EXPECT_EQ(d.pointer, "");
}

TEST(HostileInputTest, BracketsInsideStringsDoNotCountAsNesting) {
  std::string text = R"({"Comment":")" + std::string(5000, '[') + std::string(5000, '{') +
                     R"(","StartAt":"A","States":{"A":{"Type":"Succeed"}}})";
  ParseResult result = parse_state_machine(text);
  EXPECT_TRUE(result.ok()) << all_messages(result);
}

TEST(HostileInputTest, JsonDepthLimitIsAnOption) {
  std::string text =
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Result":[[[1]]]}}})";
  ParseOptions options;
  options.max_json_depth = 5;
  EXPECT_TRUE(parse_state_machine(text).ok());
  Diagnostic d = only_diagnostic(parse_state_machine(text, options));
  EXPECT_EQ(d.code, DiagnosticCode::kTooDeeplyNested);
  EXPECT_EQ(d.pointer, "");
}

TEST(HostileInputTest, DeeplyNestedStatesAreTooDeeplyNested) {
  // 60 Parallel states, each the only state of the previous one's branch (limit 50).
  std::string text;
  for (int i = 0; i < 60; ++i) {
    text += R"({"StartAt":"P)" + std::to_string(i) + R"(","States":{"P)" + std::to_string(i) +
            R"(":{"Type":"Parallel","End":true,"Branches":[)";
  }
  text += R"({"StartAt":"Leaf","States":{"Leaf":{"Type":"Succeed"}}})";
  for (int i = 0; i < 60; ++i) text += "]}}}";
  ParseResult result = parse_state_machine(text);
  Diagnostic d = only_diagnostic(result);
  EXPECT_EQ(d.code, DiagnosticCode::kTooDeeplyNested);
  std::string pointer;
  // P50 is inside 50 enclosing branches; its own branches would be the 51st level.
  for (int i = 0; i <= 50; ++i) {
    pointer += "/States/P" + std::to_string(i) + (i < 50 ? "/Branches/0" : "");
  }
  EXPECT_EQ(d.pointer, pointer);
  EXPECT_EQ(d.message, "States are nested more than 50 levels deep");
}

TEST(HostileInputTest, DeeplyNestedChoiceRulesAreTooDeeplyNested) {
  std::string rule = R"({"Variable":"$.x","IsNull":true})";
  for (int i = 0; i < 150; ++i) rule = R"({"Not":)" + rule + "}";
  std::string text = R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[)" +
                     rule.substr(0, rule.size() - 1) + R"(,"Next":"D"}]},"D":{"Type":"Succeed"}}})";
  ParseResult result = parse_state_machine(text);
  Diagnostic d = only_diagnostic(result);
  EXPECT_EQ(d.code, DiagnosticCode::kTooDeeplyNested);
  std::string pointer = "/States/C/Choices/0";
  for (int i = 0; i < 101; ++i) pointer += "/Not";
  EXPECT_EQ(d.pointer, pointer);
}

TEST(HostileInputTest, HundredMegabyteTextIsTooLargeAndRejectedFast) {
  std::string text = R"({"StartAt":"A","Comment":")";
  text.append(100u * 1024 * 1024, 'x');
  text += R"(","States":{"A":{"Type":"Succeed"}}})";
  auto start = Clock::now();
  ParseResult result = parse_state_machine(text);
  double elapsed = seconds_since(start);
  Diagnostic d = only_diagnostic(result);
  EXPECT_EQ(d.code, DiagnosticCode::kDefinitionTooLarge);
  EXPECT_EQ(d.pointer, "");
  EXPECT_EQ(d.message, "The definition is " + std::to_string(text.size()) +
                           " bytes, more than the limit of 1048576 bytes");
  EXPECT_LT(elapsed, 0.5);  // the size is checked before anything reads the text
}

TEST(HostileInputTest, TwoHundredThousandStatesLoadWhenTheLimitsAllow) {
  constexpr std::size_t kStates = 200000;
  std::string text = chain_of_pass_states(kStates);
  ParseOptions options;
  options.max_definition_bytes = text.size();
  options.max_states = kStates;
  auto start = Clock::now();
  ParseResult result = parse_state_machine(text, options);
  ASSERT_TRUE(result.ok()) << all_messages(result);
  EXPECT_EQ(result.machine()->state_count(), kStates);
  // Generous for a loaded debug build; a quadratic walk would take hours.
  EXPECT_LT(seconds_since(start), 60.0);
}

TEST(HostileInputTest, TwoHundredThousandStatesAreTooManyUnderTheDefaultLimit) {
  constexpr std::size_t kStates = 200000;
  std::string text = chain_of_pass_states(kStates);
  ParseOptions options;
  options.max_definition_bytes = text.size();
  ParseResult result = parse_state_machine(text, options);
  Diagnostic d = only_diagnostic(result);
  EXPECT_EQ(d.code, DiagnosticCode::kTooManyStates);
  EXPECT_EQ(d.pointer, "/States");
  EXPECT_EQ(d.message, "The definition has more than 100000 states");
}

TEST(HostileInputTest, TooManyStatesCountsNestedStates) {
  std::string text = R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[)"
                     R"({"StartAt":"A","States":{"A":{"Type":"Succeed"}}},)"
                     R"({"StartAt":"B","States":{"B":{"Type":"Succeed"}}}]}}})";
  ParseOptions options;
  options.max_states = 2;
  Diagnostic d = only_diagnostic(parse_state_machine(text, options));
  EXPECT_EQ(d.code, DiagnosticCode::kTooManyStates);
  EXPECT_EQ(d.pointer, "/States/P/Branches/1/States");

  // Reported once, though more states follow in other scopes.
  text = R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Q","Branches":[)"
         R"({"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}]},)"
         R"("Q":{"Type":"Pass","Next":"R"},"R":{"Type":"Succeed"}}})";
  d = only_diagnostic(parse_state_machine(text, options));
  EXPECT_EQ(d.code, DiagnosticCode::kTooManyStates);
  EXPECT_EQ(d.pointer, "/States/P/Branches/0/States");
}

TEST(HostileInputTest, InvalidUtf8InsideStringIsInvalidJson) {
  std::string text =
      "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Comment\":\"caf\xC3\x28\","
      "\"End\":true}}}";
  Diagnostic d = only_diagnostic(parse_state_machine(text));
  EXPECT_EQ(d.code, DiagnosticCode::kInvalidJsonDescription);
  EXPECT_EQ(d.pointer, "");
  EXPECT_EQ(d.message.rfind("Invalid JSON at line 1, column ", 0), 0u) << d.message;
  EXPECT_NE(d.message.find("UTF-8"), std::string::npos) << d.message;
}

TEST(HostileInputTest, InvalidUtf8InStateNameIsInvalidJson) {
  std::string text = "{\"StartAt\":\"\xFF\",\"States\":{\"\xFF\":{\"Type\":\"Succeed\"}}}";
  Diagnostic d = only_diagnostic(parse_state_machine(text));
  EXPECT_EQ(d.code, DiagnosticCode::kInvalidJsonDescription);
  EXPECT_EQ(d.pointer, "");
}

TEST(HostileInputTest, StateNamedEmptyStringIsInvalidStateName) {
  Diagnostic d =
      only_diagnostic(parse_state_machine(R"({"StartAt":"","States":{"":{"Type":"Succeed"}}})"));
  EXPECT_EQ(d.code, DiagnosticCode::kInvalidStateName);
  EXPECT_EQ(d.pointer, "/States/");
  EXPECT_EQ(d.message, "State name must not be empty");
}

TEST(HostileInputTest, StateNamesWithPointerCharactersAreEscaped) {
  // RFC 6901: `~` is written `~0` and `/` is written `~1`.
  ParseResult result = parse_state_machine(
      R"({"StartAt":"a/b~c","States":{"a/b~c":{"Type":"Pass","Next":"gone"}}})");
  ASSERT_FALSE(result.ok());
  ASSERT_GE(result.diagnostics().size(), 1u);
  EXPECT_EQ(result.diagnostics()[0].pointer, "/States/a~1b~0c/Next");
  EXPECT_EQ(result.diagnostics()[0].code, DiagnosticCode::kMissingTransitionTarget);
}

TEST(HostileInputTest, EightyCharacterNamesCountCodePointsNotBytes) {
  std::string name;
  for (int i = 0; i < 80; ++i) name += "\xC3\xA9";  // é, two bytes
  std::string text =
      R"({"StartAt":")" + name + R"(","States":{")" + name + R"(":{"Type":"Succeed"}}})";
  EXPECT_TRUE(parse_state_machine(text).ok());
  std::string longer = name + "e";
  text = R"({"StartAt":")" + longer + R"(","States":{")" + longer + R"(":{"Type":"Succeed"}}})";
  Diagnostic d = only_diagnostic(parse_state_machine(text));
  EXPECT_EQ(d.code, DiagnosticCode::kInvalidStateName);
  EXPECT_EQ(d.pointer, "/States/" + longer);
}

TEST(HostileInputTest, DiagnosticsAreTruncatedAtTheLimit) {
  // Ten states, each with one unsupported field.
  std::string text = R"({"StartAt":"S0","States":{)";
  for (int i = 0; i < 10; ++i) {
    if (i > 0) text += ',';
    text += "\"S" + std::to_string(i) + "\":{\"Type\":\"Succeed\",\"Bad\":1}";
  }
  text += "}}";
  ParseResult all = parse_state_machine(text);
  ASSERT_FALSE(all.ok());
  // Ten unsupported fields, and S1..S9 are unreachable.
  EXPECT_EQ(all.diagnostics().size(), 19u) << all_messages(all);

  ParseOptions options;
  options.max_diagnostics = 3;
  ParseResult result = parse_state_machine(text, options);
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics().size(), 4u) << all_messages(result);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(result.diagnostics()[i].pointer, "/States/S" + std::to_string(i) + "/Bad");
    EXPECT_EQ(result.diagnostics()[i].code, DiagnosticCode::kSchemaValidationFailed);
  }
  const Diagnostic& last = result.diagnostics()[3];
  EXPECT_EQ(last.code, DiagnosticCode::kSchemaValidationFailed);
  EXPECT_EQ(last.pointer, "");
  EXPECT_EQ(last.message, "16 more problem(s) not shown");
}

TEST(HostileInputTest, ManyProblemsStayBoundedAndFast) {
  // 20,000 states with an unsupported field each, 19,999 of them unreachable: the result
  // carries only max_diagnostics + 1 of the 39,999 problems.
  std::string text = R"({"StartAt":"S0","States":{)";
  for (int i = 0; i < 20000; ++i) {
    if (i > 0) text += ',';
    text += "\"S" + std::to_string(i) + "\":{\"Type\":\"Succeed\",\"Bad\":1}";
  }
  text += "}}";
  ParseOptions options;
  options.max_definition_bytes = text.size();
  auto start = Clock::now();
  ParseResult result = parse_state_machine(text, options);
  EXPECT_LT(seconds_since(start), 30.0);
  ASSERT_EQ(result.diagnostics().size(), 101u);
  EXPECT_EQ(result.diagnostics().back().message, "39899 more problem(s) not shown");
}

}  // namespace
}  // namespace stepwise
