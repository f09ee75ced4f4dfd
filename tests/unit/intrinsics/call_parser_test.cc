// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests for the intrinsic call parser (src/intrinsics/call_parser.cc): argument kinds, string
// escapes, nesting, arity and the error messages.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "intrinsics/intrinsics.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

Outcome<json> run(std::string_view text, const json& input = json::object()) {
  Result<IntrinsicCall> call = IntrinsicCall::parse(text);
  EXPECT_TRUE(call.ok()) << text << ": " << call.status().to_string();
  if (!call.ok()) return intrinsic_failure("parse failed");
  IntrinsicEnv env;
  return call->evaluate(PathRoots{&input, nullptr, nullptr}, env);
}

TEST(CallParserTest, LooksLikeCallDetectsTheCallShape) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"States.Format('x')", true}, {"  States.UUID ()", true},
      {"Custom.Fn(1)", true},       {"$.a", false},
      {"States.Format", false},     {"(1)", false},
      {"hello world", false},       {"", false},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(IntrinsicCall::looks_like_call(text), expected);
  }
}

TEST(CallParserTest, ParsesEveryArgumentKind) {
  json input = json::parse(R"j({"a": {"b c": 5}, "l": [1, 2]})j");
  Outcome<json> v =
      run("States.Array('s', 1, -2, 3.5, 1e2, true, false, null, $.a['b c'], $.a.['b c'], "
          "$.l[*], States.Array())",
          input);
  ASSERT_TRUE(v.ok()) << v.failure().cause.value_or("");
  EXPECT_EQ(v.value(),
            json::parse(R"j(["s", 1, -2, 3.5, 100.0, true, false, null, 5, 5, [1, 2], []])j"));
}

TEST(CallParserTest, AcceptsWhitespaceAroundTokens) {
  Outcome<json> v = run("  States.Array ( 1 ,'a' , $.x )  ", json::parse(R"j({"x": 0})j"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value(), json::parse(R"j([1, "a", 0])j"));
}

TEST(CallParserTest, StringLiteralEscapesAreDecoded) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"(States.Array('it\'s'))", "it's"},
      {R"(States.Array('a\\b'))", "a\\b"},
      {R"(States.Array('\{\}'))", "{}"},
      {R"(States.Array('{}'))", "{}"},
      {"States.Array('Hello\nWorld')", "Hello\nWorld"},
      {R"(States.Array('a,b)c'))", "a,b)c"},
      {R"(States.Array(''))", ""},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    Outcome<json> v = run(text);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v.value(), json::array({expected}));
  }
}

TEST(CallParserTest, FormatTemplateEscapesKeepBracesLiteral) {
  json input = json::parse(R"j({"v": "X"})j");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"(States.Format('\{\} {}', $.v))", "{} X"},
      {R"(States.Format('\\{}', $.v))", "\\X"},
      {R"(States.Format('it\'s {}', $.v))", "it's X"},
      {R"(States.Format('{ {} }', $.v))", "{ X }"},
      {R"(States.Format('no placeholders'))", "no placeholders"},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    Outcome<json> v = run(text, input);
    ASSERT_TRUE(v.ok()) << v.failure().cause.value_or("");
    EXPECT_EQ(v.value(), json(expected));
  }
}

TEST(CallParserTest, NestedCallsAreEvaluatedInsideOut) {
  // intrinsic_functions/generic__nested_calls_2 in the conformance corpus.
  json context = json::parse(R"j({"StateMachine": {"Name": "my-machine-name"}})j");
  Result<IntrinsicCall> call = IntrinsicCall::parse(
      "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
      "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))");
  ASSERT_TRUE(call.ok()) << call.status().to_string();
  EXPECT_EQ(call->name(), "States.ArrayGetItem");
  EXPECT_TRUE(call->returns_string());
  json input = json::object();
  IntrinsicEnv env;
  Outcome<json> v = call->evaluate(PathRoots{&input, &context, nullptr}, env);
  ASSERT_TRUE(v.ok()) << v.failure().cause.value_or("");
  EXPECT_EQ(v.value(), json("name"));
}

std::string nest(int depth) {
  std::string s = "1";
  for (int i = 0; i < depth; ++i) s = "States.Array(" + s + ")";
  return s;
}

TEST(CallParserTest, NestingIsLimitedToTenLevels) {
  Result<IntrinsicCall> ten = IntrinsicCall::parse(nest(10));
  ASSERT_TRUE(ten.ok()) << ten.status().to_string();
  Result<IntrinsicCall> eleven = IntrinsicCall::parse(nest(11));
  ASSERT_FALSE(eleven.ok());
  EXPECT_EQ(eleven.status().message(), "intrinsic functions nest at most 10 deep");
}

TEST(CallParserTest, ParseErrorsAreSpecific) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"States.Foo()", "unknown intrinsic function 'States.Foo'"},
      {"States.Array(States.Bar(1))", "unknown intrinsic function 'States.Bar'"},
      {"States.MathAdd(1, 2, 3)", "States.MathAdd takes 2 arguments but 3 were given"},
      {"States.MathAdd(1)", "States.MathAdd takes 2 arguments but 1 was given"},
      {"States.ArrayLength()", "States.ArrayLength takes 1 argument but 0 were given"},
      {"States.UUID(1)", "States.UUID takes no arguments but 1 was given"},
      {"States.Format()", "States.Format takes at least 1 argument but 0 were given"},
      {"States.MathRandom(1)", "States.MathRandom takes 2 or 3 arguments but 1 was given"},
      {"States.Format('abc, $.x)", "unterminated string at offset 14"},
      {"States.Array(1", "unterminated argument list at offset 12"},
      {"States.Array(1, ", "unexpected end of intrinsic function call at offset 16"},
      {"States.Array(1 2)", "unexpected character '2' at offset 15"},
      {"States.Array(1) x", "unexpected character 'x' at offset 16"},
      {"States.Array(foo)", "unexpected word 'foo' at offset 13"},
      {"States.Array(#)", "unexpected character '#' at offset 13"},
      {"States.Array", "unexpected end of intrinsic function call at offset 12"},
      {"States.Array($.a[)",
       "invalid path '$.a[)' at offset 13: unexpected character ')' at offset 4 in '$.a[)'"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    Result<IntrinsicCall> call = IntrinsicCall::parse(text);
    ASSERT_FALSE(call.ok());
    EXPECT_EQ(call.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(call.status().message(), message);
  }
}

TEST(CallParserTest, ReturnsStringMatchesTheFailPathFunctions) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"States.Format('x')", true},
      {"States.JsonToString($)", true},
      {"States.ArrayGetItem($.a, 0)", true},
      {"States.Base64Encode('a')", true},
      {"States.Base64Decode('YQ==')", true},
      {"States.Hash('a', 'MD5')", true},
      {"States.UUID()", true},
      {"States.Array()", false},
      {"States.MathAdd(1, 2)", false},
      {"States.StringToJson('1')", false},
      {"States.StringSplit('a', ',')", false},
      {"States.JsonMerge($, $, false)", false},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    Result<IntrinsicCall> call = IntrinsicCall::parse(text);
    ASSERT_TRUE(call.ok());
    EXPECT_EQ(call->returns_string(), expected);
    EXPECT_EQ(call->text(), text);
  }
}

TEST(CallParserTest, PathArgumentsThatMatchNothingFailWithStatesRuntime) {
  Outcome<json> v = run("States.Format('{}', $.missing)");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.failure().error_name(), "States.Runtime");
  EXPECT_EQ(v.failure().cause, "Invalid path '$.missing' : No results for path: $['missing']");
}

TEST(CallParserTest, VariablePathArgumentsResolveThroughTheScope) {
  class OneVar : public VariableScope {
   public:
    const json* find(std::string_view name) const override {
      return name == "name" ? &value_ : nullptr;
    }

   private:
    json value_ = "John";
  };
  OneVar vars;
  Result<IntrinsicCall> call = IntrinsicCall::parse("States.Format('Hello {}!', $name)");
  ASSERT_TRUE(call.ok());
  json input = json::object();
  IntrinsicEnv env;
  Outcome<json> v = call->evaluate(PathRoots{&input, nullptr, &vars}, env);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value(), json("Hello John!"));
}

}  // namespace
}  // namespace stepwise::internal
