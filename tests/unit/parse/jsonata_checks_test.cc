// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONata static checks at load time (ASL-REFERENCE.md section 5): `$states.result` only in the
// Output and Assign of a Task, Map or Parallel, `$states.errorOutput` only in a Catcher's Output
// and Assign, no `$` or `$$` at an expression's top level. The uses come from the expression's
// syntax tree, so the same text inside a string, a comment, a backtick-quoted name or a regex
// is not a use. Messages are asserted verbatim.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "stepwise/parser.h"

namespace stepwise {
namespace {

std::string all_messages(const ParseResult& result) {
  std::string s;
  for (const Diagnostic& d : result.diagnostics()) s += "  " + d.to_string() + "\n";
  return s;
}

// A JSONata machine whose only state is `A`.
std::string one(const std::string& state) {
  return R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":)" + state + "}}";
}

// A JSONata Pass state with `Output` set to the JSON string `output` (already quoted).
std::string pass_output(const std::string& output) {
  return one(R"({"Type":"Pass","End":true,"Output":)" + output + "}");
}

// A JSONata Task state with `fields`.
std::string task(const std::string& fields) {
  return one(R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,)" +
             fields + "}");
}

// A JSONata Task state whose one Catcher (to the Fail state `F`) has `fields`.
std::string task_catching(const std::string& fields) {
  return R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"F":{"Type":"Fail"},)"
         R"("A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,)"
         R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"F",)" +
         fields + "}]}}}";
}

constexpr char kResultMessage[] =
    "cannot use $states.result: it is available only in the Output and Assign of a Task, Map or "
    "Parallel state";
constexpr char kErrorOutputMessage[] =
    "cannot use $states.errorOutput: it is available only in a Catcher's Output and Assign";
constexpr char kTopLevelMessage[] =
    "cannot use '$' or '$$' at its top level: no input document is bound; use $states.input";

TEST(JsonataChecksTest, TextThatOnlyMentionsARestrictedNameIsNotAUse) {
  const std::vector<std::string> definitions = {
      pass_output(R"("{% '$states.result' %}")"),
      pass_output(R"("{% \"$states.errorOutput\" & $states.input.x %}")"),
      pass_output(R"("{% /* $states.result */ $states.input %}")"),
      pass_output(R"("{% $states.input.`$states.result` %}")"),
      pass_output(R"("{% $states.input.s ~> $match(/\\$states\\.result/) %}")"),
      pass_output(R"("{% $states.input.results %}")"),
      pass_output(R"("{% '$' & \"$$\" %}")"),
      pass_output(R"("{% /* $ */ $states.input %}")"),
      pass_output(R"("{% $states.input.`$` %}")"),
      pass_output(R"("{% $count($states.input.items[$ > 1]) %}")"),
      pass_output(R"("{% $map($states.input, function($v){ $.a }) %}")"),
      // `$states` bound inside the expression is not the reserved variable.
      pass_output(R"("{% function($states){ $states.result }($states.input) %}")"),
      task(R"("Arguments":{"note":"{% 'see $states.result' %}"})"),
      task_catching(R"("Output":"{% '$states.result' %}")"),
  };
  for (const std::string& d : definitions) {
    SCOPED_TRACE(d);
    ParseResult result = parse_state_machine(d);
    EXPECT_TRUE(result.ok()) << all_messages(result);
    EXPECT_TRUE(result.diagnostics().empty()) << all_messages(result);
  }
}

TEST(JsonataChecksTest, AllowedUsesLoad) {
  const std::vector<std::string> definitions = {
      task(R"("Output":"{% $states.result.Payload %}","Assign":{"r":"{% $states.result %}"})"),
      one(R"({"Type":"Parallel","End":true,"Output":"{% $states.result[0] %}",)"
          R"("Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}]})"),
      task_catching(R"("Output":"{% $states.errorOutput %}",)"
                    R"("Assign":{"e":"{% $states.errorOutput.Error %}"})"),
  };
  for (const std::string& d : definitions) {
    SCOPED_TRACE(d);
    ParseResult result = parse_state_machine(d);
    EXPECT_TRUE(result.ok()) << all_messages(result);
  }
}

struct Rejected {
  std::string name;
  std::string definition;
  std::string pointer;
  std::string message;
};

std::vector<Rejected> rejected() {
  return {
      {"ResultInPassOutput", pass_output(R"("{% $states.result %}")"), "/States/A/Output",
       std::string("The JSONata expression '$states.result ' ") + kResultMessage},
      {"ResultInTaskArguments", task(R"("Arguments":{"p":"{%$states.result.Payload%}"})"),
       "/States/A/Arguments/p",
       std::string("The JSONata expression '$states.result.Payload' ") + kResultMessage},
      {"ResultWithPredicate", task(R"("Arguments":"{% $states.result[0] %}")"),
       "/States/A/Arguments",
       std::string("The JSONata expression '$states.result[0] ' ") + kResultMessage},
      {"ResultAsQuotedStep", pass_output(R"("{% $states.\"result\" %}")"), "/States/A/Output",
       std::string("The JSONata expression '$states.\"result\" ' ") + kResultMessage},
      {"ResultAsBacktickStep", pass_output(R"("{% $states.`result` %}")"), "/States/A/Output",
       std::string("The JSONata expression '$states.`result` ' ") + kResultMessage},
      {"ResultWithSpaces", pass_output(R"("{% $states . result %}")"), "/States/A/Output",
       std::string("The JSONata expression '$states . result ' ") + kResultMessage},
      {"ResultInsideALambda", pass_output(R"("{% $map([1], function($v){ $states.result }) %}")"),
       "/States/A/Output",
       std::string("The JSONata expression '$map([1], function($v){ $states.result }) ' ") +
           kResultMessage},
      {"ResultInCatcherOutput", task_catching(R"("Output":"{% $states.result %}")"),
       "/States/A/Catch/0/Output",
       std::string("The JSONata expression '$states.result ' ") + kResultMessage},
      {"ErrorOutputInTaskAssign", task(R"("Assign":{"e":"{% $states.errorOutput %}"})"),
       "/States/A/Assign/e",
       std::string("The JSONata expression '$states.errorOutput ' ") + kErrorOutputMessage},
      {"ErrorOutputInPassOutput",
       pass_output(R"("{% $states.input.x & $states.errorOutput.Error %}")"), "/States/A/Output",
       std::string("The JSONata expression '$states.input.x & $states.errorOutput.Error ' ") +
           kErrorOutputMessage},
      {"TopLevelDollar", pass_output(R"("{% $.a %}")"), "/States/A/Output",
       std::string("The JSONata expression '$.a ' ") + kTopLevelMessage},
      {"TopLevelDoubleDollar", pass_output(R"("{% $$ %}")"), "/States/A/Output",
       std::string("The JSONata expression '$$ ' ") + kTopLevelMessage},
      {"TopLevelDollarInCondition", pass_output(R"("{% $states.input.ok ? $ : 0 %}")"),
       "/States/A/Output",
       std::string("The JSONata expression '$states.input.ok ? $ : 0 ' ") + kTopLevelMessage},
      {"TopLevelDollarAsAStep", pass_output(R"("{% $states.input.$ %}")"), "/States/A/Output",
       std::string("The JSONata expression '$states.input.$ ' ") + kTopLevelMessage},
  };
}

TEST(JsonataChecksTest, RestrictedUsesAreReportedVerbatim) {
  for (const Rejected& c : rejected()) {
    SCOPED_TRACE(c.name + ": " + c.definition);
    ParseResult result = parse_state_machine(c.definition);
    ASSERT_FALSE(result.ok());
    ASSERT_EQ(result.diagnostics().size(), 1u) << all_messages(result);
    const Diagnostic& d = result.diagnostics()[0];
    EXPECT_EQ(d.pointer, c.pointer);
    EXPECT_EQ(d.code, DiagnosticCode::kSchemaValidationFailed);
    EXPECT_EQ(d.message, c.message);
  }
}

TEST(JsonataChecksTest, EveryRestrictionOfOneExpressionIsReported) {
  ParseResult result =
      parse_state_machine(pass_output(R"("{% $ & $states.result & $states.errorOutput %}")"));
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics().size(), 3u) << all_messages(result);
  std::string expr = "The JSONata expression '$ & $states.result & $states.errorOutput ' ";
  EXPECT_EQ(result.diagnostics()[0].message, expr + kResultMessage);
  EXPECT_EQ(result.diagnostics()[1].message, expr + kErrorOutputMessage);
  EXPECT_EQ(result.diagnostics()[2].message, expr + kTopLevelMessage);
}

TEST(JsonataChecksTest, AnExpressionThatDoesNotParseReportsOnlyTheSyntaxError) {
  ParseResult result = parse_state_machine(pass_output(R"("{% $states.result + %}")"));
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics().size(), 1u) << all_messages(result);
  EXPECT_EQ(result.diagnostics()[0].pointer, "/States/A/Output");
  EXPECT_EQ(result.diagnostics()[0].message.rfind("The JSONata expression '$states.result +' is "
                                                  "not valid: S0207",
                                                  0),
            0u)
      << result.diagnostics()[0].message;
}

}  // namespace
}  // namespace stepwise
