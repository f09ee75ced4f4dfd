// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONata field values (src/expr/jsonata_value.h): which workflow variables and `$states`
// members an expression gets bound comes from its syntax tree (jsonata/analysis.h). Names that
// only appear in strings or comments are not looked up, names bound inside the expression do
// not read the workflow's, a variable still shadows a function of the same name, and `$eval` is
// refused when the expression uses it, not when a string mentions it.
#include "expr/jsonata_value.h"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace stepwise::internal {
namespace {

using nlohmann::json;

// Workflow variables that remember every name looked up.
class RecordingScope : public VariableScope {
 public:
  explicit RecordingScope(json values) : values_(std::move(values)) {}
  const json* find(std::string_view name) const override {
    looked_up_.emplace(name);
    auto it = values_.find(std::string(name));
    return it == values_.end() ? nullptr : &*it;
  }
  std::set<std::string> looked_up() const { return looked_up_; }

 private:
  json values_;
  mutable std::set<std::string> looked_up_;
};

JsonataValue compile_ok(const std::string& expression) {
  std::vector<Diagnostic> diagnostics;
  JsonataValue v = JsonataValue::compile(json(expression), "/Output", diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << expression << ": " << diagnostics[0].message;
  return v;
}

json evaluate_ok(const JsonataValue& v, const JsonataEnv& env) {
  Outcome<json> out = v.evaluate(env, "Output");
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.failure().cause.value_or(""));
  return out.ok() ? out.value() : json();
}

TEST(JsonataValueTest, OnlyNamesTheExpressionReadsAreLookedUp) {
  RecordingScope scope(json{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}});
  JsonataEnv env;
  env.variables = &scope;
  JsonataValue v = compile_ok("{% $a + $sum([$b]) & '$c' /* $d */ %}");
  EXPECT_EQ(evaluate_ok(v, env), json("3$c"));
  EXPECT_EQ(scope.looked_up(), (std::set<std::string>{"a", "b", "sum"}));
}

TEST(JsonataValueTest, NamesBoundInsideTheExpressionDoNotReadTheWorkflowVariables) {
  RecordingScope scope(json{{"x", 100}, {"y", 100}, {"z", 10}});
  JsonataEnv env;
  env.variables = &scope;
  JsonataValue v = compile_ok("{% ($x := 1; function($y){ $x + $y + $z }(2)) %}");
  EXPECT_EQ(evaluate_ok(v, env), json(13));
  EXPECT_EQ(scope.looked_up(), (std::set<std::string>{"z"}));
}

TEST(JsonataValueTest, AVariableShadowsAFunctionOfTheSameName) {
  RecordingScope scope(json{{"sum", 5}});
  JsonataEnv env;
  env.variables = &scope;
  EXPECT_EQ(evaluate_ok(compile_ok("{% $sum %}"), env), json(5));
}

TEST(JsonataValueTest, StatesMembersAreBoundAsTheExpressionUsesThem) {
  json input = {{"a", 1}};
  json result = {{"r", 2}};
  json context = {{"Execution", {{"Input", {{"k", "in"}}}}}, {"State", {{"Name", "S"}}}};
  JsonataEnv env;
  env.input = &input;
  env.result = &result;
  env.context = &context;
  EXPECT_EQ(evaluate_ok(compile_ok("{% $states.input.a + $states.result.r %}"), env), json(3));
  EXPECT_EQ(evaluate_ok(compile_ok("{% $lookup($states, 'input').a %}"), env), json(1));
  EXPECT_EQ(evaluate_ok(compile_ok("{% $states.context.State.Name %}"), env), json("S"));
  EXPECT_EQ(evaluate_ok(compile_ok("{% $states.context.Execution.Input.k %}"), env), json("in"));
  EXPECT_EQ(evaluate_ok(compile_ok("{% $keys($states.context) %}"), env),
            json({"Execution", "State"}));
  EXPECT_EQ(evaluate_ok(compile_ok("{% '$states.input' %}"), env), json("$states.input"));
}

TEST(JsonataValueTest, EvalIsRefusedWhenUsedNotWhenMentioned) {
  const char* kMessage = "The JSONata function $eval is not supported; use $parse";
  for (const char* text : {"{% $eval('1') %}", "{% $map(['1'], $eval) %}", "{% $eval ('1') %}"}) {
    SCOPED_TRACE(text);
    std::vector<Diagnostic> diagnostics;
    JsonataValue::compile(json(text), "/Output", diagnostics);
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics[0].pointer, "/Output");
    EXPECT_EQ(diagnostics[0].code, DiagnosticCode::kSchemaValidationFailed);
    EXPECT_EQ(diagnostics[0].message, kMessage);
  }
  for (const char* text : {"{% '$eval(1)' %}", "{% /* $eval( */ 1 %}",
                           "{% ($eval := function($s){ $s }; $eval('1')) %}"}) {
    SCOPED_TRACE(text);
    std::vector<Diagnostic> diagnostics;
    JsonataValue::compile(json(text), "/Output", diagnostics);
    EXPECT_TRUE(diagnostics.empty());
  }
}

}  // namespace
}  // namespace stepwise::internal
