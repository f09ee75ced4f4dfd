// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests for JSONPath-mode payload templates (src/path/payload_template.cc): `.$` keys at any
// depth and inside arrays, constants, diagnostics and the AWS failure cause.
#include "expr/payload_template.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace stepwise::internal {
namespace {

using nlohmann::json;

class MapScope : public VariableScope {
 public:
  explicit MapScope(std::map<std::string, json, std::less<>> vars) : vars_(std::move(vars)) {}
  const json* find(std::string_view name) const override {
    auto it = vars_.find(name);
    return it == vars_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, json, std::less<>> vars_;
};

constexpr std::string_view kPointer = "/States/S/Parameters";

PayloadTemplate compile_ok(const json& tmpl) {
  std::vector<Diagnostic> diagnostics;
  PayloadTemplate t = PayloadTemplate::compile(tmpl, kPointer, diagnostics);
  for (const Diagnostic& d : diagnostics) ADD_FAILURE() << d.to_string();
  return t;
}

TEST(PayloadTemplateTest, ConstantTemplatesAreCopied) {
  json tmpl = json::parse(R"j({"a": 1, "b": [1, {"c": "$.not-evaluated-without-suffix"}]})j");
  std::vector<Diagnostic> diagnostics;
  PayloadTemplate t = PayloadTemplate::compile(tmpl, kPointer, diagnostics);
  EXPECT_TRUE(t.is_constant());
  EXPECT_EQ(t.source(), tmpl);
  json input = json::object();
  IntrinsicEnv env;
  Outcome<json> v = t.evaluate(PathRoots{&input, nullptr, nullptr}, env);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value(), tmpl);
}

TEST(PayloadTemplateTest, DollarKeysAreEvaluatedAtAnyDepthAndInsideArrays) {
  json tmpl = json::parse(R"j({
    "top.$": "$.a",
    "literal": "x",
    "nested": {"deep": {"value.$": "$.b[1]", "keep": 3}},
    "list": [1, {"in_array.$": "$.a"}, [{"twice.$": "$$.Execution.Id"}]],
    "context.$": "$$.State.Name",
    "variable.$": "$counter",
    "call.$": "States.Format('{}-{}', $.a, $counter)",
    "all.$": "$",
    "many.$": "$.b[*]"
  })j");
  PayloadTemplate t = compile_ok(tmpl);
  EXPECT_FALSE(t.is_constant());
  json input = json::parse(R"j({"a": "A", "b": [10, 20]})j");
  json context = json::parse(R"j({"Execution": {"Id": "arn:e"}, "State": {"Name": "S"}})j");
  MapScope vars({{"counter", 7}});
  IntrinsicEnv env;
  Outcome<json> v = t.evaluate(PathRoots{&input, &context, &vars}, env);
  ASSERT_TRUE(v.ok()) << v.failure().cause.value_or("");
  EXPECT_EQ(v.value(), json::parse(R"j({
    "top": "A",
    "literal": "x",
    "nested": {"deep": {"value": 20, "keep": 3}},
    "list": [1, {"in_array": "A"}, [{"twice": "arn:e"}]],
    "context": "S",
    "variable": 7,
    "call": "A-7",
    "all": {"a": "A", "b": [10, 20]},
    "many": [10, 20]
  })j"));
}

TEST(PayloadTemplateTest, NonObjectTemplatesWork) {
  PayloadTemplate t = compile_ok(json::parse(R"j([{"x.$": "$.v"}, "$.v"])j"));
  json input = json::parse(R"j({"v": 1})j");
  IntrinsicEnv env;
  Outcome<json> v = t.evaluate(PathRoots{&input, nullptr, nullptr}, env);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value(), json::parse(R"j([{"x": 1}, "$.v"])j"));
}

TEST(PayloadTemplateTest, MissingPathFailsWithTheAwsCause) {
  struct Case {
    json tmpl;
    std::string cause;
  };
  const std::vector<Case> cases = {
      {json::parse(R"j({"value.$": "$.no_such_jsonpath"})j"),
       "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found "
       "in the input '{\"int-literal\":0}'"},
      {json::parse(R"j({"deep": [{"value.$": "$.a.b.c"}]})j"),
       "The JSONPath '$.a.b.c' specified for the field 'value.$' could not be found in the input "
       "'{\"int-literal\":0}'"},
      {json::parse(R"j({"value.$": "$$.Execution.Input.no_such_jsonpath"})j"),
       "The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' "
       "could not be found in the input '{\"int-literal\":0}'"},
      {json::parse(R"j({"value.$": "$undefined"})j"),
       "The JSONPath '$undefined' specified for the field 'value.$' could not be found in the "
       "input '{\"int-literal\":0}'"},
  };
  json input = json::parse(R"j({"int-literal": 0})j");
  json context = json::parse(R"j({"Execution": {"Input": {"int-literal": 0}}})j");
  MapScope vars({});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.tmpl.dump());
    PayloadTemplate t = compile_ok(c.tmpl);
    IntrinsicEnv env;
    Outcome<json> v = t.evaluate(PathRoots{&input, &context, &vars}, env);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.failure().error_name(), "States.Runtime");
    EXPECT_EQ(v.failure().cause, c.cause);
  }
}

TEST(PayloadTemplateTest, IntrinsicFailuresPassThrough) {
  PayloadTemplate t = compile_ok(json::parse(R"j({"n.$": "States.ArrayLength($.s)"})j"));
  json input = json::parse(R"j({"s": "text"})j");
  IntrinsicEnv env;
  Outcome<json> v = t.evaluate(PathRoots{&input, nullptr, nullptr}, env);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.failure().error_name(), "States.IntrinsicFailure");
  EXPECT_EQ(v.failure().cause,
            "States.ArrayLength: argument 1 must be an array, but was string \"text\"");
}

TEST(PayloadTemplateTest, InvalidDollarValuesAreDiagnosed) {
  struct Case {
    json tmpl;
    std::string pointer;
    std::string message;
  };
  const std::vector<Case> cases = {
      {json::parse(R"j({"parsed.$": "not a path"})j"), "/States/S/Parameters",
       "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic "
       "function call"},
      {json::parse(R"j({"p.$": "$.a["})j"), "/States/S/Parameters",
       "The value for the field 'p.$' must be a valid JSONPath or a valid intrinsic function "
       "call"},
      {json::parse(R"j({"p.$": "States.Nope()"})j"), "/States/S/Parameters",
       "The value for the field 'p.$' must be a valid JSONPath or a valid intrinsic function "
       "call"},
      {json::parse(R"j({"p.$": 5})j"), "/States/S/Parameters",
       "The value for the field 'p.$' must be a valid JSONPath or a valid intrinsic function "
       "call"},
      {json::parse(R"j({"o": {"a/b": [{"q.$": true}]}})j"), "/States/S/Parameters/o/a~1b/0",
       "The value for the field 'q.$' must be a valid JSONPath or a valid intrinsic function "
       "call"},
      {json::parse(R"j({"a": 1, "a.$": "$.x"})j"), "/States/S/Parameters",
       "The field 'a' is defined more than once (as 'a' and 'a.$')"},
      {json::parse(R"j({"n": {"k": 1, "k.$": "$.x"}})j"), "/States/S/Parameters/n",
       "The field 'k' is defined more than once (as 'k' and 'k.$')"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.tmpl.dump());
    std::vector<Diagnostic> diagnostics;
    PayloadTemplate t = PayloadTemplate::compile(c.tmpl, kPointer, diagnostics);
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics[0].code, DiagnosticCode::kSchemaValidationFailed);
    EXPECT_EQ(diagnostics[0].severity, Severity::kError);
    EXPECT_EQ(diagnostics[0].pointer, c.pointer);
    EXPECT_EQ(diagnostics[0].message, c.message);
    EXPECT_EQ(t.source(), c.tmpl);
  }
}

TEST(PayloadTemplateTest, EveryProblemIsReported) {
  std::vector<Diagnostic> diagnostics;
  (void)PayloadTemplate::compile(json::parse(R"j({"a.$": "bad", "b.$": "also bad", "c.$": 1})j"),
                                 kPointer, diagnostics);
  EXPECT_EQ(diagnostics.size(), 3u);
}

TEST(PayloadTemplateTest, PathLikeValuesWithoutDollarKeysWarn) {
  struct Case {
    json tmpl;
    std::vector<std::string> pointers;
  };
  const std::vector<Case> cases = {
      {json::parse(R"j({"not-evaluated": "$customerName"})j"),
       {"/States/S/Parameters/not-evaluated"}},
      {json::parse(R"j({"x": {"y": "$.a"}, "z.$": "$.b"})j"), {"/States/S/Parameters/x/y"}},
      {json::parse(R"j({"f": "States.Format('{}', $.a)"})j"), {"/States/S/Parameters/f"}},
      {json::parse(R"j({"l": [{"p": "$$.Execution.Id"}]})j"), {"/States/S/Parameters/l/0/p"}},
      {json::parse(R"j({"price": "$5.00", "text": "hello", "n": 1})j"), {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.tmpl.dump());
    std::vector<Diagnostic> diagnostics;
    (void)PayloadTemplate::compile(c.tmpl, kPointer, diagnostics);
    std::vector<std::string> pointers;
    for (const Diagnostic& d : diagnostics) {
      EXPECT_EQ(d.code, DiagnosticCode::kNoDollar);
      EXPECT_EQ(d.severity, Severity::kWarning);
      pointers.push_back(d.pointer);
    }
    EXPECT_EQ(pointers, c.pointers);
  }
}

TEST(PayloadTemplateTest, NoDollarWarningNamesTheField) {
  std::vector<Diagnostic> diagnostics;
  (void)PayloadTemplate::compile(json::parse(R"j({"k": "$.a"})j"), kPointer, diagnostics);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message,
            "The value of the field 'k' looks like a JSONPath or an intrinsic function call, but "
            "the field name does not end with '.$'");
}

TEST(PayloadTemplateTest, DefaultTemplateIsAnEmptyConstant) {
  PayloadTemplate t;
  EXPECT_TRUE(t.is_constant());
  json input = json::object();
  IntrinsicEnv env;
  Outcome<json> v = t.evaluate(PathRoots{&input, nullptr, nullptr}, env);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v.value().is_null());
}

}  // namespace
}  // namespace stepwise::internal
