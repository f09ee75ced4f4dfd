// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Invalid definitions: each case is a definition text and the exact list of error diagnostics
// (RFC 6901 pointer and code) the loader must report for it, no more and no fewer
// (ASL-REFERENCE.md sections 1, 2, 9 and 14). A second table asserts message texts verbatim.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "stepwise/parser.h"

namespace stepwise {
namespace {

using C = DiagnosticCode;
constexpr C kSchema = C::kSchemaValidationFailed;
constexpr C kTarget = C::kMissingTransitionTarget;
constexpr C kNoEnd = C::kMissingEndState;

struct Expected {
  std::string pointer;
  DiagnosticCode code;
};

enum class Mode { kStandard, kExpress, kShallowNesting };

struct Case {
  std::string name;
  std::string definition;
  std::vector<Expected> expected;
  Mode mode = Mode::kStandard;
};

// A machine whose only state is `A` (JSONPath unless `root_extra` says otherwise).
std::string one(const std::string& state, const std::string& root_extra = "") {
  return R"({"StartAt":"A",)" + root_extra + R"("States":{"A":)" + state + "}}";
}

// A machine whose start state `A` is followed by the Succeed state `Done`.
std::string then_done(const std::string& state, const std::string& root_extra = "") {
  return R"({"StartAt":"A",)" + root_extra + R"("States":{"A":)" + state +
         R"(,"Done":{"Type":"Succeed"}}})";
}

// A Map state named `M` whose processor holds `Inner` (a Pass state ending), plus `fields`.
std::string map_state(const std::string& fields, const std::string& transition = R"("End":true)") {
  return R"({"Type":"Map",)" + transition +
         R"(,"ItemProcessor":{"StartAt":"Inner","States":{"Inner":)"
         R"({"Type":"Pass","End":true}}})" +
         (fields.empty() ? "" : "," + fields) + "}";
}

// A Map state with a DISTRIBUTED processor plus `fields`.
std::string distributed_map(const std::string& fields) {
  return R"({"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED",)"
         R"("ExecutionType":"STANDARD"},"StartAt":"Inner","States":{"Inner":)"
         R"({"Type":"Pass","End":true}}})" +
         (fields.empty() ? "" : "," + fields) + "}";
}

std::string task(const std::string& fields) {
  return R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true)" +
         (fields.empty() ? "" : "," + fields) + "}";
}

std::string choice(const std::string& choices, const std::string& extra = "") {
  return R"({"Type":"Choice","Choices":)" + choices + (extra.empty() ? "" : "," + extra) + "}";
}

ParseOptions options_for(Mode mode) {
  ParseOptions options;
  if (mode == Mode::kExpress) options.express = true;
  if (mode == Mode::kShallowNesting) options.max_state_nesting = 1;
  return options;
}

std::vector<std::string> describe(const std::vector<Expected>& expected) {
  std::vector<std::string> out;
  for (const Expected& e : expected) {
    out.push_back(e.pointer + " " + std::string(diagnostic_code_name(e.code)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> describe_errors(const ParseResult& result) {
  std::vector<std::string> out;
  for (const Diagnostic& d : result.diagnostics()) {
    if (d.is_error()) out.push_back(d.pointer + " " + std::string(diagnostic_code_name(d.code)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string all_messages(const ParseResult& result) {
  std::string s;
  for (const Diagnostic& d : result.diagnostics()) s += "  " + d.to_string() + "\n";
  return s;
}

const std::string kLong81(81, 'n');

std::vector<Case> invalid_cases() {
  return {
      // --- Root fields (section 1) ---
      {"RootMissingStatesAndStartAt", "{}", {{"", kSchema}}},
      {"RootMissingStartAt", R"({"States":{"A":{"Type":"Succeed"}}})", {{"", kSchema}}},
      {"RootMissingStates", R"({"StartAt":"A"})", {{"", kSchema}}},
      {"RootUnknownField", one(R"({"Type":"Succeed"})", R"("Foo":1,)"), {{"/Foo", kSchema}}},
      {"RootVersionNotOneDotZero",
       one(R"({"Type":"Succeed"})", R"("Version":"2.0",)"),
       {{"/Version", kSchema}}},
      {"RootVersionNotString",
       one(R"({"Type":"Succeed"})", R"("Version":1,)"),
       {{"/Version", kSchema}}},
      {"RootTimeoutSecondsNegative",
       one(R"({"Type":"Succeed"})", R"("TimeoutSeconds":-1,)"),
       {{"/TimeoutSeconds", kSchema}}},
      {"RootTimeoutSecondsTooLarge",
       one(R"({"Type":"Succeed"})", R"("TimeoutSeconds":100000000,)"),
       {{"/TimeoutSeconds", kSchema}}},
      {"RootTimeoutSecondsNotInteger",
       one(R"({"Type":"Succeed"})", R"("TimeoutSeconds":1.5,)"),
       {{"/TimeoutSeconds", kSchema}}},
      {"RootQueryLanguageUnknown",
       one(R"({"Type":"Succeed"})", R"("QueryLanguage":"XPath",)"),
       {{"/QueryLanguage", kSchema}}},
      {"RootCommentNotString",
       one(R"({"Type":"Succeed"})", R"("Comment":7,)"),
       {{"/Comment", kSchema}}},
      {"RootStartAtNotString",
       R"({"StartAt":1,"States":{"A":{"Type":"Succeed"}}})",
       {{"/StartAt", kSchema}}},
      {"RootStatesNotObject", R"({"StartAt":"A","States":[]})", {{"/States", kSchema}}},
      {"RootStatesEmpty", R"({"StartAt":"A","States":{}})", {{"/States", kSchema}}},
      {"RootStartAtDangling",
       R"({"StartAt":"B","States":{"A":{"Type":"Succeed"}}})",
       {{"/StartAt", kTarget}}},

      // --- Common state fields (section 2.0) ---
      {"StateNotObject", one("1"), {{"/States/A", kSchema}}},
      {"StateMissingType", one(R"({"End":true})"), {{"/States/A", kSchema}}},
      {"StateTypeUnknown", one(R"({"Type":"Lambda","End":true})"), {{"/States/A/Type", kSchema}}},
      {"StateTypeNotString", one(R"({"Type":3})"), {{"/States/A/Type", kSchema}}},
      {"StateQueryLanguageUnknown",
       one(R"({"Type":"Succeed","QueryLanguage":"jsonata"})"),
       {{"/States/A/QueryLanguage", kSchema}}},
      {"StateCommentNotString",
       one(R"({"Type":"Succeed","Comment":false})"),
       {{"/States/A/Comment", kSchema}}},
      {"NextAndEndBoth",
       then_done(R"({"Type":"Pass","Next":"Done","End":true})"),
       {{"/States/A", kSchema}}},
      {"NeitherNextNorEnd", one(R"({"Type":"Pass"})"), {{"/States/A", kSchema}}},
      {"EndFalse", one(R"({"Type":"Pass","End":false})"), {{"/States/A/End", kSchema}}},
      {"EndNotBoolean", one(R"({"Type":"Pass","End":"true"})"), {{"/States/A/End", kSchema}}},
      {"NextNotString", one(R"({"Type":"Pass","Next":1})"), {{"/States/A/Next", kSchema}}},

      // --- Fields not allowed for the state type (section 2.1) ---
      {"PassWithResource",
       one(R"({"Type":"Pass","End":true,"Resource":"arn:aws:lambda:x"})"),
       {{"/States/A/Resource", kSchema}}},
      {"PassWithRetryAndCatch",
       one(R"({"Type":"Pass","End":true,"Retry":[],"Catch":[]})"),
       {{"/States/A/Retry", kSchema}, {"/States/A/Catch", kSchema}}},
      {"WaitWithCatch",
       then_done(
           R"({"Type":"Wait","Seconds":1,"Next":"Done","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"}]})"),
       {{"/States/A/Catch", kSchema}}},
      {"ChoiceWithNextAndEnd",
       then_done(choice(R"([{"Variable":"$.x","IsNull":true,"Next":"Done"}])",
                        R"("Next":"Done","End":true)")),
       {{"/States/A/Next", kSchema}, {"/States/A/End", kSchema}}},
      {"ChoiceWithRetry",
       then_done(choice(R"([{"Variable":"$.x","IsNull":true,"Next":"Done"}])",
                        R"("Retry":[{"ErrorEquals":["States.ALL"]}])")),
       {{"/States/A/Retry", kSchema}}},
      {"SucceedWithEndAndAssign",
       one(R"({"Type":"Succeed","End":true,"Assign":{"x":1}})"),
       {{"/States/A/End", kSchema}, {"/States/A/Assign", kSchema}}},
      {"FailWithNextAndInputPath",
       then_done(R"({"Type":"Fail","Next":"Done","InputPath":"$"})"),
       {{"/States/A/Next", kSchema}, {"/States/A/InputPath", kSchema}, {"/States/Done", kTarget}}},
      {"ParallelWithTimeoutSeconds",
       one(R"({"Type":"Parallel","End":true,"TimeoutSeconds":5,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}]})"),
       {{"/States/A/TimeoutSeconds", kSchema}}},
      {"MapWithTimeoutSeconds",
       one(map_state(R"("TimeoutSeconds":5)")),
       {{"/States/A/TimeoutSeconds", kSchema}}},
      {"TaskWithUnknownField", one(task(R"("Foo":{"Bar":1})")), {{"/States/A/Foo", kSchema}}},

      // --- Query-language field sets (sections 1 and 2.1) ---
      {"JsonataPassWithJsonPathFields",
       one(R"({"Type":"Pass","QueryLanguage":"JSONata","End":true,"InputPath":"$","OutputPath":"$","ResultPath":"$.r","Parameters":{},"Result":1})"),
       {{"/States/A/InputPath", kSchema},
        {"/States/A/OutputPath", kSchema},
        {"/States/A/ResultPath", kSchema},
        {"/States/A/Parameters", kSchema},
        {"/States/A/Result", kSchema}}},
      {"JsonataTaskWithResultSelectorAndTimeoutPath",
       one(task(R"("ResultSelector":{},"TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$.h")"),
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/ResultSelector", kSchema},
        {"/States/A/TimeoutSecondsPath", kSchema},
        {"/States/A/HeartbeatSecondsPath", kSchema}}},
      {"JsonataMapWithItemsPathAndMaxConcurrencyPath",
       one(map_state(
               R"("ItemsPath":"$.items","MaxConcurrencyPath":"$.m","ToleratedFailureCountPath":"$.c")"),
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/ItemsPath", kSchema},
        {"/States/A/MaxConcurrencyPath", kSchema},
        {"/States/A/ToleratedFailureCountPath", kSchema}}},
      {"JsonataWaitWithSecondsPath",
       one(R"({"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true})",
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/SecondsPath", kSchema}}},
      {"JsonataFailWithErrorPath",
       one(R"({"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"})",
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/ErrorPath", kSchema}, {"/States/A/CausePath", kSchema}}},
      {"JsonPathTaskWithArgumentsAndOutput",
       one(task(R"("Arguments":{},"Output":{})")),
       {{"/States/A/Arguments", kSchema}, {"/States/A/Output", kSchema}}},
      {"JsonPathMapWithItems", one(map_state(R"("Items":[1,2])")), {{"/States/A/Items", kSchema}}},
      {"JsonPathSucceedWithOutput",
       one(R"({"Type":"Succeed","Output":"{% $states.input %}"})"),
       {{"/States/A/Output", kSchema}}},
      {"JsonPathStateUnderJsonataMachine",
       one(R"({"Type":"Pass","QueryLanguage":"JSONPath","End":true})",
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A", kSchema}}},
      {"NestedJsonPathStateUnderJsonataMachine",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}]})",
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Branches/0/States/B", kSchema}}},
      {"JsonPathChoiceRuleWithCondition",
       then_done(choice(R"([{"Condition":true,"Next":"Done"}])")),
       {{"/States/A/Choices/0/Condition", kSchema}, {"/States/A/Choices/0", kSchema}}},
      {"JsonataChoiceRuleWithVariable",
       then_done(choice(R"([{"Condition":true,"Variable":"$.x","Next":"Done"}])"),
                 R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Choices/0/Variable", kSchema}}},
      {"JsonPathCatcherWithOutput",
       then_done(task(R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done","Output":{}}])")),
       {{"/States/A/Catch/0/Output", kSchema}}},
      {"JsonataCatcherWithResultPath",
       then_done(
           task(R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done","ResultPath":"$.e"}])"),
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Catch/0/ResultPath", kSchema}}},

      // --- Transitions, reachability, terminal states (section 14.2) ---
      {"DanglingNext",
       R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"},"B":{"Type":"Succeed"}}})",
       {{"/States/A/Next", kTarget}, {"/States/B", kTarget}}},
      {"DanglingDefault",
       then_done(
           choice(R"([{"Variable":"$.x","IsNull":true,"Next":"Done"}])", R"("Default":"Nowhere")")),
       {{"/States/A/Default", kTarget}}},
      {"DanglingChoiceNext",
       then_done(choice(
           R"([{"Variable":"$.x","IsNull":true,"Next":"Done"},{"Variable":"$.y","IsNull":true,"Next":"Nowhere"}])")),
       {{"/States/A/Choices/1/Next", kTarget}}},
      {"DanglingCatchNext",
       then_done(task(R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Nowhere"}])")),
       {{"/States/A/Catch/0/Next", kTarget}, {"/States/Done", kTarget}}},
      {"UnreachableState",
       R"({"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}})",
       {{"/States/B", kTarget}, {"/States/C", kTarget}}},
      {"NoTerminalState",
       R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}})",
       {{"", kNoEnd}}},
      {"NoTerminalStateInBranch",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"B"}}}]})"),
       {{"/States/A/Branches/0", kNoEnd}}},
      {"TransitionOutOfBranch",
       then_done(
           R"({"Type":"Parallel","Next":"Done","Branches":[{"StartAt":"B","States":{"B":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"Next":"Done"}],"Default":"B2"},"B2":{"Type":"Succeed"}}}]})"),
       {{"/States/A/Branches/0/States/B/Choices/0/Next", kTarget}}},
      {"TransitionIntoBranch",
       R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}]}}})",
       {{"/States/A/Next", kTarget}, {"/States/P", kTarget}}},
      {"TransitionOutOfMapProcessor",
       then_done(
           R"({"Type":"Map","Next":"Done","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Next":"A"}}}})"),
       {{"/States/A/ItemProcessor/States/I/Next", kTarget}, {"/States/A/ItemProcessor", kNoEnd}}},
      {"CatchInMapProcessorTargetsOuterState",
       then_done(
           R"({"Type":"Map","Next":"Done","ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"}]}}}})"),
       {{"/States/A/ItemProcessor/States/T/Catch/0/Next", kTarget}}},
      {"BranchStartAtDangling",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"X","States":{"B":{"Type":"Succeed"}}}]})"),
       {{"/States/A/Branches/0/StartAt", kTarget}}},

      // --- State names (section 2.0) ---
      {"DuplicateNameInBranch",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}]})"),
       {{"/States/A/Branches/0/States/A", C::kDuplicateStateName}}},
      {"DuplicateNameAcrossBranches",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}}},{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}]})"),
       {{"/States/A/Branches/1/States/B", C::kDuplicateStateName}}},
      {"DuplicateNameInMapProcessor",
       then_done(
           R"({"Type":"Map","Next":"Done","ItemProcessor":{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}})"),
       {{"/States/A/ItemProcessor/States/Done", C::kDuplicateStateName}}},
      {"StateNameTooLong",
       R"({"StartAt":")" + kLong81 + R"(","States":{")" + kLong81 + R"(":{"Type":"Succeed"}}})",
       {{"/States/" + kLong81, C::kInvalidStateName}}},
      {"StateNameEmpty",
       R"({"StartAt":"","States":{"":{"Type":"Succeed"}}})",
       {{"/States/", C::kInvalidStateName}}},

      // --- Retry (section 9.1) ---
      {"RetryAllNotAlone",
       one(task(R"("Retry":[{"ErrorEquals":["States.ALL","X"]}])")),
       {{"/States/A/Retry/0/ErrorEquals", kSchema}}},
      {"RetryAllNotLast",
       one(task(R"("Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}])")),
       {{"/States/A/Retry/0/ErrorEquals", kSchema}}},
      {"RetryMissingErrorEquals",
       one(task(R"("Retry":[{"MaxAttempts":1}])")),
       {{"/States/A/Retry/0", kSchema}}},
      {"RetryEmptyErrorEquals",
       one(task(R"("Retry":[{"ErrorEquals":[]}])")),
       {{"/States/A/Retry/0/ErrorEquals", kSchema}}},
      {"RetryErrorNameNotString",
       one(task(R"("Retry":[{"ErrorEquals":["X",5]}])")),
       {{"/States/A/Retry/0/ErrorEquals/1", kSchema}}},
      {"RetryIntervalSecondsOutOfRange",
       one(task(
           R"("Retry":[{"ErrorEquals":["X"],"IntervalSeconds":-1},{"ErrorEquals":["Y"],"IntervalSeconds":100000000}])")),
       {{"/States/A/Retry/0/IntervalSeconds", kSchema},
        {"/States/A/Retry/1/IntervalSeconds", kSchema}}},
      {"RetryMaxAttemptsOutOfRange",
       one(task(
           R"("Retry":[{"ErrorEquals":["X"],"MaxAttempts":-1},{"ErrorEquals":["Y"],"MaxAttempts":100000000}])")),
       {{"/States/A/Retry/0/MaxAttempts", kSchema}, {"/States/A/Retry/1/MaxAttempts", kSchema}}},
      {"RetryBackoffRateBelowOne",
       one(task(
           R"("Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5},{"ErrorEquals":["Y"],"BackoffRate":"2"}])")),
       {{"/States/A/Retry/0/BackoffRate", kSchema}, {"/States/A/Retry/1/BackoffRate", kSchema}}},
      {"RetryMaxDelaySecondsOutOfRange",
       one(task(
           R"("Retry":[{"ErrorEquals":["X"],"MaxDelaySeconds":0},{"ErrorEquals":["Y"],"MaxDelaySeconds":31622401}])")),
       {{"/States/A/Retry/0/MaxDelaySeconds", kSchema},
        {"/States/A/Retry/1/MaxDelaySeconds", kSchema}}},
      {"RetryJitterStrategyUnknown",
       one(task(R"("Retry":[{"ErrorEquals":["X"],"JitterStrategy":"HALF"}])")),
       {{"/States/A/Retry/0/JitterStrategy", kSchema}}},
      {"RetryUnknownField",
       one(task(R"("Retry":[{"ErrorEquals":["X"],"Next":"A"}])")),
       {{"/States/A/Retry/0/Next", kSchema}}},
      {"RetryNotArray",
       one(task(R"("Retry":{"ErrorEquals":["X"]})")),
       {{"/States/A/Retry", kSchema}}},
      {"RetrierNotObject",
       one(task(R"("Retry":["States.ALL"])")),
       {{"/States/A/Retry/0", kSchema}}},

      // --- Catch (section 9.2) ---
      {"CatchAllNotAlone",
       then_done(task(R"("Catch":[{"ErrorEquals":["X","States.ALL"],"Next":"Done"}])")),
       {{"/States/A/Catch/0/ErrorEquals", kSchema}}},
      {"CatchAllNotLast",
       then_done(task(
           R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"},{"ErrorEquals":["X"],"Next":"Done"}])")),
       {{"/States/A/Catch/0/ErrorEquals", kSchema}}},
      {"CatchMissingNext",
       one(task(R"("Catch":[{"ErrorEquals":["X"]}])")),
       {{"/States/A/Catch/0", kSchema}}},
      {"CatchMissingErrorEquals",
       then_done(task(R"("Catch":[{"Next":"Done"}])")),
       {{"/States/A/Catch/0", kSchema}}},
      {"CatchResultPathNotString",
       then_done(task(R"("Catch":[{"ErrorEquals":["X"],"Next":"Done","ResultPath":5}])")),
       {{"/States/A/Catch/0/ResultPath", kSchema}}},

      // --- Choice (section 7) ---
      {"ChoiceEmptyChoices",
       then_done(choice("[]", R"("Default":"Done")")),
       {{"/States/A/Choices", kSchema}}},
      {"ChoiceMissingChoices",
       then_done(R"({"Type":"Choice","Default":"Done"})"),
       {{"/States/A", kSchema}}},
      {"ChoiceRuleMissingNext",
       then_done(choice(R"([{"Variable":"$.x","IsNull":true}])", R"("Default":"Done")")),
       {{"/States/A/Choices/0", kSchema}}},
      {"ChoiceNestedRuleWithNext",
       then_done(
           choice(R"([{"And":[{"Variable":"$.x","IsNull":true,"Next":"Done"}],"Next":"Done"}])")),
       {{"/States/A/Choices/0/And/0/Next", kSchema}}},
      {"ChoiceRuleTwoOperators",
       then_done(choice(R"([{"Variable":"$.x","IsNull":true,"IsString":true,"Next":"Done"}])")),
       {{"/States/A/Choices/0", kSchema}}},
      {"ChoiceRuleNoOperator",
       then_done(choice(R"([{"Variable":"$.x","Next":"Done"}])")),
       {{"/States/A/Choices/0", kSchema}}},
      {"ChoiceRuleMissingVariable",
       then_done(choice(R"([{"StringEquals":"a","Next":"Done"}])")),
       {{"/States/A/Choices/0", kSchema}}},
      {"ChoiceOperandTypes",
       then_done(choice(
           R"([{"Variable":"$.x","StringEquals":1,"Next":"Done"},{"Variable":"$.x","NumericEquals":"1","Next":"Done"},{"Variable":"$.x","BooleanEquals":"true","Next":"Done"},{"Variable":"$.x","IsNull":1,"Next":"Done"},{"Variable":"$.x","TimestampEquals":5,"Next":"Done"}])")),
       {{"/States/A/Choices/0/StringEquals", kSchema},
        {"/States/A/Choices/1/NumericEquals", kSchema},
        {"/States/A/Choices/2/BooleanEquals", kSchema},
        {"/States/A/Choices/3/IsNull", kSchema},
        {"/States/A/Choices/4/TimestampEquals", kSchema}}},
      {"ChoiceBadTimestamp",
       then_done(choice(
           R"([{"Variable":"$.x","TimestampLessThan":"2024-13-01T00:00:00Z","Next":"Done"},{"Variable":"$.x","TimestampEquals":"yesterday","Next":"Done"}])")),
       {{"/States/A/Choices/0/TimestampLessThan", kSchema},
        {"/States/A/Choices/1/TimestampEquals", kSchema}}},
      {"ChoiceAndEmpty",
       then_done(choice(R"([{"And":[],"Next":"Done"}])")),
       {{"/States/A/Choices/0/And", kSchema}}},
      {"ChoiceOrNotArray",
       then_done(choice(R"([{"Or":{"Variable":"$.x","IsNull":true},"Next":"Done"}])")),
       {{"/States/A/Choices/0/Or", kSchema}}},
      {"ChoiceNotNotObject",
       then_done(choice(R"([{"Not":[{"Variable":"$.x","IsNull":true}],"Next":"Done"}])")),
       {{"/States/A/Choices/0/Not", kSchema}}},
      {"ChoiceVariableWithAnd",
       then_done(choice(
           R"([{"Variable":"$.x","And":[{"Variable":"$.x","IsNull":true}],"Next":"Done"}])")),
       {{"/States/A/Choices/0/Variable", kSchema}}},
      {"ChoiceRuleNotObject",
       then_done(choice(R"(["Done"])", R"("Default":"Done")")),
       {{"/States/A/Choices/0", kSchema}}},
      {"ChoiceDeepNestedProblem",
       then_done(choice(
           R"([{"Not":{"Or":[{"Variable":"$.x","IsNull":true},{"Variable":"$.x","NumericGreaterThan":true}]},"Next":"Done"}])")),
       {{"/States/A/Choices/0/Not/Or/1/NumericGreaterThan", kSchema}}},
      {"JsonataChoiceMissingCondition",
       then_done(choice(R"([{"Next":"Done"}])"), R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Choices/0", kSchema}}},
      {"JsonataChoiceConditionNotBooleanOrExpression",
       then_done(choice(R"([{"Condition":"true","Next":"Done"}])"),
                 R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Choices/0/Condition", kSchema}}},

      // --- Wait (section 8) ---
      {"WaitNoTimeField", one(R"({"Type":"Wait","End":true})"), {{"/States/A", kSchema}}},
      {"WaitTwoTimeFields",
       one(R"({"Type":"Wait","End":true,"Seconds":5,"Timestamp":"2024-01-01T00:00:00Z"})"),
       {{"/States/A", kSchema}}},
      {"WaitSecondsAndSecondsPath",
       one(R"({"Type":"Wait","End":true,"Seconds":5,"SecondsPath":"$.s"})"),
       {{"/States/A", kSchema}}},
      {"WaitBadTimestamp",
       one(R"({"Type":"Wait","End":true,"Timestamp":"2024-02-30T00:00:00Z"})"),
       {{"/States/A/Timestamp", kSchema}}},
      {"WaitTimestampNotString",
       one(R"({"Type":"Wait","End":true,"Timestamp":1700000000})"),
       {{"/States/A/Timestamp", kSchema}}},
      {"WaitSecondsNegative",
       one(R"({"Type":"Wait","End":true,"Seconds":-5})"),
       {{"/States/A/Seconds", kSchema}}},
      {"WaitSecondsNotInteger",
       one(R"({"Type":"Wait","End":true,"Seconds":"5"})"),
       {{"/States/A/Seconds", kSchema}}},
      {"WaitSecondsPathNotPath",
       one(R"({"Type":"Wait","End":true,"SecondsPath":"seconds"})"),
       {{"/States/A/SecondsPath", kSchema}}},

      // --- Task (section 10) ---
      {"TaskMissingResource", one(R"({"Type":"Task","End":true})"), {{"/States/A", kSchema}}},
      {"TaskResourceNotUri",
       one(R"({"Type":"Task","End":true,"Resource":"my-function"})"),
       {{"/States/A/Resource", C::kInvalidResource}}},
      {"TaskResourceEmpty",
       one(R"({"Type":"Task","End":true,"Resource":""})"),
       {{"/States/A/Resource", C::kInvalidResource}}},
      {"TaskServiceResourceWithoutAction",
       one(R"({"Type":"Task","End":true,"Resource":"arn:aws:states:::lambda"})"),
       {{"/States/A/Resource", C::kInvalidResource}}},
      {"TaskResourceNotString",
       one(R"({"Type":"Task","End":true,"Resource":{"arn":"x"}})"),
       {{"/States/A/Resource", kSchema}}},
      {"TaskResourceIsJsonata",
       one(R"({"Type":"Task","End":true,"Resource":"{% 'arn:aws:lambda:x' %}"})",
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Resource", kSchema}}},
      {"TaskTimeoutSecondsOutOfRange",
       one(task(R"("TimeoutSeconds":0)")),
       {{"/States/A/TimeoutSeconds", kSchema}}},
      {"TaskTimeoutSecondsTooLarge",
       one(task(R"("TimeoutSeconds":100000000)")),
       {{"/States/A/TimeoutSeconds", kSchema}}},
      {"TaskHeartbeatSecondsNotInteger",
       one(task(R"("HeartbeatSeconds":2.5)")),
       {{"/States/A/HeartbeatSeconds", kSchema}}},
      {"TaskTimeoutBothForms",
       one(task(R"("TimeoutSeconds":10,"TimeoutSecondsPath":"$.t")")),
       {{"/States/A", kSchema}}},
      {"TaskHeartbeatBothForms",
       one(task(R"("HeartbeatSeconds":10,"HeartbeatSecondsPath":"$.h")")),
       {{"/States/A", kSchema}}},
      {"TaskHeartbeatNotBelowTimeout",
       one(task(R"("TimeoutSeconds":10,"HeartbeatSeconds":10)")),
       {{"/States/A/HeartbeatSeconds", kSchema}}},
      {"TaskCredentialsWithoutRoleArn",
       one(task(R"("Credentials":{"Role":"x"})")),
       {{"/States/A/Credentials", kSchema}}},
      {"TaskCredentialsNotObject",
       one(task(R"("Credentials":"arn:aws:iam::1:role/r")")),
       {{"/States/A/Credentials", kSchema}}},
      {"TaskResultPathToContext",
       one(task(R"("ResultPath":"$$.Execution")")),
       {{"/States/A/ResultPath", kSchema}}},
      {"TaskResultPathToVariable",
       one(task(R"("ResultPath":"$x")")),
       {{"/States/A/ResultPath", kSchema}}},
      {"TaskInputPathNotString", one(task(R"("InputPath":5)")), {{"/States/A/InputPath", kSchema}}},

      // --- Fail (section 2.7) ---
      {"FailErrorAndErrorPath",
       one(R"({"Type":"Fail","Error":"E","ErrorPath":"$.e"})"),
       {{"/States/A", kSchema}}},
      {"FailCauseAndCausePath",
       one(R"({"Type":"Fail","Cause":"C","CausePath":"$.c"})"),
       {{"/States/A", kSchema}}},
      {"FailErrorNotString", one(R"({"Type":"Fail","Error":42})"), {{"/States/A/Error", kSchema}}},
      {"FailErrorPathNeitherPathNorCall",
       one(R"({"Type":"Fail","ErrorPath":"error"})"),
       {{"/States/A/ErrorPath", kSchema}}},
      {"FailCausePathNotStatesIntrinsic",
       one(R"j({"Type":"Fail","CausePath":"Foo.Format('x')"})j"),
       {{"/States/A/CausePath", kSchema}}},

      // --- Parallel (section 12) ---
      {"ParallelEmptyBranches",
       one(R"({"Type":"Parallel","End":true,"Branches":[]})"),
       {{"/States/A/Branches", kSchema}}},
      {"ParallelMissingBranches",
       one(R"({"Type":"Parallel","End":true})"),
       {{"/States/A", kSchema}}},
      {"ParallelBranchMissingStartAt",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"States":{"B":{"Type":"Succeed"}}}]})"),
       {{"/States/A/Branches/0", kSchema}}},
      {"ParallelBranchMissingStates",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"B"}]})"),
       {{"/States/A/Branches/0", kSchema}}},
      {"ParallelBranchNotObject",
       one(R"({"Type":"Parallel","End":true,"Branches":[1]})"),
       {{"/States/A/Branches/0", kSchema}}},
      {"ParallelBranchUnknownField",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}},"ProcessorConfig":{}}]})"),
       {{"/States/A/Branches/0/ProcessorConfig", kSchema}}},
      {"ParallelBranchStateProblem",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Wait","End":true}}}]})"),
       {{"/States/A/Branches/0/States/B", kSchema}}},
      {"NestingTooDeep",
       one(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"C","States":{"C":{"Type":"Succeed"}}}]}}}]})"),
       {{"/States/A/Branches/0/States/B", C::kTooDeeplyNested}},
       Mode::kShallowNesting},

      // --- Map (section 11) ---
      {"MapMissingItemProcessor", one(R"({"Type":"Map","End":true})"), {{"/States/A", kSchema}}},
      {"MapItemProcessorAndIterator",
       one(map_state(R"("Iterator":{"StartAt":"J","States":{"J":{"Type":"Succeed"}}})")),
       {{"/States/A", kSchema}}},
      {"MapIteratorUnknownField",
       one(R"({"Type":"Map","End":true,"Iterator":{"StartAt":"J","States":{"J":{"Type":"Succeed"}},"Foo":1}})"),
       {{"/States/A/Iterator/Foo", kSchema}}},
      {"MapDistributedWithoutExecutionType",
       one(R"({"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}}})"),
       {{"/States/A/ItemProcessor/ProcessorConfig", kSchema}}},
      {"MapModeUnknown",
       one(R"({"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"PARALLEL"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}}})"),
       {{"/States/A/ItemProcessor/ProcessorConfig/Mode", kSchema}}},
      {"MapExecutionTypeUnknown",
       one(R"({"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"FAST"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}}})"),
       {{"/States/A/ItemProcessor/ProcessorConfig/ExecutionType", kSchema}}},
      {"MapProcessorConfigUnknownField",
       one(R"({"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE","Workers":4},"StartAt":"I","States":{"I":{"Type":"Succeed"}}}})"),
       {{"/States/A/ItemProcessor/ProcessorConfig/Workers", kSchema}}},
      {"MapItemReaderMissingResource",
       one(distributed_map(
           R"("ItemReader":{"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}})")),
       {{"/States/A/ItemReader", kSchema}}},
      {"MapItemReaderBadInputType",
       one(distributed_map(
           R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"XML"}})")),
       {{"/States/A/ItemReader/ReaderConfig/InputType", kSchema}}},
      {"MapItemReaderUnknownFields",
       one(distributed_map(
           R"("ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Arguments":{},"ReaderConfig":{"Limit":5}})")),
       {{"/States/A/ItemReader/Arguments", kSchema},
        {"/States/A/ItemReader/ReaderConfig/Limit", kSchema}}},
      {"MapItemReaderCsvHeadersMissing", one(distributed_map(R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN"}})")), {{"/States/A/ItemReader/ReaderConfig", kSchema}}},
      {"MapItemReaderMaxItemsOutOfRange",
       one(distributed_map(
           R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":0}})")),
       {{"/States/A/ItemReader/ReaderConfig/MaxItems", kSchema}}},
      {"MapItemReaderUnsupportedResource",
       one(distributed_map(
           R"("ItemReader":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{}})")),
       {{"/States/A/ItemReader/Resource", kSchema}}},
      {"MapItemReaderCsvHeaderLocationNotString",
       one(distributed_map(
           R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":1}})")),
       {{"/States/A/ItemReader/ReaderConfig/CSVHeaderLocation", kSchema}}},
      {"MapResultWriterResourceWithoutParameters",
       one(distributed_map(R"("ResultWriter":{"Resource":"arn:aws:states:::s3:putObject"})")),
       {{"/States/A/ResultWriter", kSchema}}},
      {"MapResultWriterParametersWithoutResource",
       one(distributed_map(R"("ResultWriter":{"Parameters":{"Bucket":"b"}})")),
       {{"/States/A/ResultWriter", kSchema}}},
      {"MapResultWriterResourceNotS3PutObject",
       one(distributed_map(
           R"("ResultWriter":{"Resource":"arn:aws-cn:states:::sqs:putObject","Parameters":{}})")),
       {{"/States/A/ResultWriter/Resource", kSchema}}},
      {"MapItemBatcherWithoutLimit",
       one(distributed_map(R"("ItemBatcher":{"BatchInput":{}})")),
       {{"/States/A/ItemBatcher", kSchema}}},
      {"MapItemBatcherMaxItemsPerBatchZero",
       one(distributed_map(R"("ItemBatcher":{"MaxItemsPerBatch":0})")),
       {{"/States/A/ItemBatcher/MaxItemsPerBatch", kSchema}}},
      {"MapItemBatcherMaxInputBytesTooLarge",
       one(distributed_map(R"("ItemBatcher":{"MaxInputBytesPerBatch":262145})")),
       {{"/States/A/ItemBatcher/MaxInputBytesPerBatch", kSchema}}},
      {"MapResultWriterEmpty",
       one(distributed_map(R"("ResultWriter":{})")),
       {{"/States/A/ResultWriter", kSchema}}},
      {"MapResultWriterBadResource",
       one(distributed_map(
           R"("ResultWriter":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{}})")),
       {{"/States/A/ResultWriter/Resource", kSchema}}},
      {"MapResultWriterConfigProblems",
       one(distributed_map(R"("ResultWriter":{"WriterConfig":{"Transformation":"ZIP"}})")),
       {{"/States/A/ResultWriter/WriterConfig", kSchema},
        {"/States/A/ResultWriter/WriterConfig/Transformation", kSchema}}},
      {"MapLabelWithSpace",
       one(distributed_map(R"("Label":"my label")")),
       {{"/States/A/Label", C::kInvalidLabelName}}},
      {"MapLabelTooLong",
       one(distributed_map(R"("Label":"L2345678901234567890123456789012345678901")")),
       {{"/States/A/Label", C::kInvalidLabelName}}},
      {"MapLabelEmpty",
       one(distributed_map(R"("Label":"")")),
       {{"/States/A/Label", C::kInvalidLabelName}}},
      {"MapLabelDuplicate",
       R"({"StartAt":"A","States":{"A":)" + distributed_map(R"("Label":"same")") +
           R"(,"B":{"Type":"Map","End":true,"Label":"same","ItemProcessor":{"StartAt":"I2",)"
           R"("States":{"I2":{"Type":"Succeed"}}}}}})",
       {{"/States/B/Label", C::kDuplicateLabelName}, {"/States/B", kTarget}}},
      {"MapMaxConcurrencyNegative",
       one(map_state(R"("MaxConcurrency":-1)")),
       {{"/States/A/MaxConcurrency", kSchema}}},
      {"MapMaxConcurrencyBothForms",
       one(map_state(R"("MaxConcurrency":2,"MaxConcurrencyPath":"$.m")")),
       {{"/States/A", kSchema}}},
      {"MapToleratedFailurePercentageOver100",
       one(distributed_map(R"("ToleratedFailurePercentage":101)")),
       {{"/States/A/ToleratedFailurePercentage", kSchema}}},
      {"MapItemSelectorAndParameters",
       one(map_state(R"("ItemSelector":{},"Parameters":{})")),
       {{"/States/A", kSchema}}},
      {"MapItemsPathToVariable",
       one(map_state(R"("ItemsPath":"$.items[*]")")),
       {{"/States/A/ItemsPath", kSchema}}},
      {"JsonataMapItemsNotArrayOrExpression",
       one(map_state(R"("Items":5)"), R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Items", kSchema}}},

      // --- Assign and variables (section 4) ---
      {"AssignVariableNamedStates",
       one(R"({"Type":"Pass","End":true,"Assign":{"states":1}})"),
       {{"/States/A/Assign/states", kSchema}}},
      {"AssignVariableNamedStatesWithDollar",
       one(R"({"Type":"Pass","End":true,"Assign":{"states.$":"$.x"}})"),
       {{"/States/A/Assign/states.$", kSchema}}},
      {"AssignInvalidNames",
       one(R"({"Type":"Pass","End":true,"Assign":{"1abc":1,"a-b":2,"":3,"ok_name":4}})"),
       {{"/States/A/Assign/1abc", kSchema},
        {"/States/A/Assign/a-b", kSchema},
        {"/States/A/Assign/", kSchema}}},
      {"AssignNameTooLong",
       one(R"({"Type":"Pass","End":true,"Assign":{")" + kLong81 + R"(":1}})"),
       {{"/States/A/Assign/" + kLong81, kSchema}}},
      {"AssignNotObject",
       one(R"({"Type":"Pass","End":true,"Assign":[1]})"),
       {{"/States/A/Assign", kSchema}}},
      {"AssignInnerScopeAssignsOuterVariable",
       then_done(
           R"({"Type":"Map","Next":"Done","Assign":{"total":0},"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true,"Assign":{"total":1}}}}})"),
       {{"/States/A/ItemProcessor/States/I/Assign/total", kSchema}}},
      {"AssignInnerCatchAssignsOuterVariable",
       then_done(
           R"({"Type":"Parallel","Next":"Done","Assign":{"x":0},"Branches":[{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F","Assign":{"x":1}}]},"F":{"Type":"Fail"}}}]})"),
       {{"/States/A/Branches/0/States/T/Catch/0/Assign/x", kSchema}}},
      {"AssignInChoiceRuleNamedStates",
       then_done(
           choice(R"([{"Variable":"$.x","IsNull":true,"Next":"Done","Assign":{"states":1}}])")),
       {{"/States/A/Choices/0/Assign/states", kSchema}}},

      // --- JSONata delimiters (section 5) ---
      {"JsonataUnclosedExpression",
       one(R"({"Type":"Pass","End":true,"Output":"{% $states.input"})",
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Output", kSchema}}},
      {"JsonataUnclosedExpressionNested",
       one(task(R"("Arguments":{"a":["ok","{% 1 + 1"]})"), R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Arguments/a/1", kSchema}}},
      {"JsonataUnopenedExpression",
       one(R"({"Type":"Pass","End":true,"Output":{"x":"$x {% %}"}})",
           R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Output/x", kSchema}}},
      {"JsonataEmptyExpression",
       one(R"({"Type":"Pass","End":true,"Output":"{%   %}"})", R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Output", kSchema}}},
      {"JsonataAssignUnclosed",
       one(R"({"Type":"Pass","End":true,"Assign":{"v":"{% 1"}})", R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/Assign/v", kSchema}}},
      {"JsonataTimeoutSecondsUnclosedIsNotInteger",
       one(task(R"("TimeoutSeconds":"{% 5")"), R"("QueryLanguage":"JSONata",)"),
       {{"/States/A/TimeoutSeconds", kSchema}}},

      // --- Express state machines (section 16) ---
      {"ExpressRejectsSync",
       one(R"({"Type":"Task","End":true,"Resource":"arn:aws:states:::ecs:runTask.sync"})"),
       {{"/States/A/Resource", kSchema}},
       Mode::kExpress},
      {"ExpressRejectsSync2",
       one(R"({"Type":"Task","End":true,"Resource":"arn:aws:states:::states:startExecution.sync:2"})"),
       {{"/States/A/Resource", kSchema}},
       Mode::kExpress},
      {"ExpressRejectsWaitForTaskToken",
       one(R"({"Type":"Task","End":true,"Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken"})"),
       {{"/States/A/Resource", kSchema}},
       Mode::kExpress},
      {"ExpressRejectsActivity",
       one(R"({"Type":"Task","End":true,"Resource":"arn:aws:states:us-east-1:123456789012:activity:work"})"),
       {{"/States/A/Resource", kSchema}},
       Mode::kExpress},
      {"ExpressRejectsDistributedMap",
       one(distributed_map("")),
       {{"/States/A", kSchema}},
       Mode::kExpress},

      // --- Many problems at once: all are reported ---
      {"ManyProblemsAllReported",
       R"({"StartAt":"A","Bogus":true,"States":{)"
       R"("A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","Next":"B",)"
       R"("Retry":[{"ErrorEquals":["States.ALL"],"BackoffRate":0}],"TimeoutSeconds":0},)"
       R"("B":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":"x","Next":"Gone"}],"Default":"C"},)"
       R"("C":{"Type":"Wait","Next":"D"},)"
       R"("D":{"Type":"Lambda"},)"
       R"("E":{"Type":"Succeed","Assign":{}},)"
       R"("F":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}}}})",
       {{"/Bogus", kSchema},
        {"/States/A/Retry/0/BackoffRate", kSchema},
        {"/States/A/TimeoutSeconds", kSchema},
        {"/States/B/Choices/0/NumericEquals", kSchema},
        {"/States/B/Choices/0/Next", kTarget},
        {"/States/C", kSchema},
        {"/States/D/Type", kSchema},
        {"/States/E/Assign", kSchema},
        {"/States/E", kTarget},
        {"/States/F", kTarget},
        {"/States/F/ItemProcessor/States/A", C::kDuplicateStateName}}},
  };
}

TEST(InvalidDefinitionsTest, EveryCaseReportsExactlyTheExpectedDiagnostics) {
  std::vector<Case> cases = invalid_cases();
  EXPECT_GE(cases.size(), 90u);
  std::vector<std::string> names;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    names.push_back(c.name);
    ParseResult result = parse_state_machine(c.definition, options_for(c.mode));
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(describe_errors(result), describe(c.expected))
        << "definition: " << c.definition << "\ndiagnostics:\n"
        << all_messages(result);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << "duplicate case name";
}

// Each case without its problem would load: the express cases load in STANDARD mode, and the
// shallow-nesting case loads with the default limit. This keeps those cases honest.
TEST(InvalidDefinitionsTest, ModeCasesLoadUnderDefaultOptions) {
  for (const Case& c : invalid_cases()) {
    if (c.mode == Mode::kStandard) continue;
    SCOPED_TRACE(c.name);
    ParseResult result = parse_state_machine(c.definition);
    EXPECT_TRUE(result.ok()) << all_messages(result);
  }
}

struct MessageCase {
  std::string name;
  std::string definition;
  std::string pointer;
  DiagnosticCode code;
  std::string message;
};

// Message texts are part of the contract (STYLE.md section 10); where AWS's text is known
// (ASL-REFERENCE.md section 14.2) it is used verbatim.
std::vector<MessageCase> message_cases() {
  return {
      {"RequiredRootFields", "{}", "", kSchema, "These fields are required: [States, StartAt]"},
      {"RequiredStartAt", R"({"States":{"A":{"Type":"Succeed"}}})", "", kSchema,
       "These fields are required: [StartAt]"},
      {"UnknownRootField", one(R"({"Type":"Succeed"})", R"("Foo":1,)"), "/Foo", kSchema,
       "Field 'Foo' is not supported"},
      {"BadType", one(R"({"Type":"Lambda","End":true})"), "/States/A/Type", kSchema,
       "The field 'Type' should have one of these values: "
       "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]"},
      {"UnsupportedField", one(map_state(R"("TimeoutSeconds":5)")), "/States/A/TimeoutSeconds",
       kSchema, "Field 'TimeoutSeconds' is not supported"},
      {"JsonPathUnderJsonata",
       one(R"({"Type":"Pass","QueryLanguage":"JSONPath","End":true})",
           R"("QueryLanguage":"JSONata",)"),
       "/States/A", kSchema,
       "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"},
      {"JsonPathFieldInJsonata",
       one(R"({"Type":"Pass","QueryLanguage":"JSONata","End":true,"InputPath":"$"})"),
       "/States/A/InputPath", kSchema,
       "The field 'InputPath' is not supported in a JSONata state; it requires QueryLanguage "
       "JSONPath"},
      {"DanglingNext",
       R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"},"B":{"Type":"Succeed"}}})",
       "/States/A/Next", kTarget, "Missing 'Next' target: Nowhere"},
      {"DanglingStartAt", R"({"StartAt":"B","States":{"A":{"Type":"Succeed"}}})", "/StartAt",
       kTarget, "Missing 'Next' target: B"},
      {"Unreachable", R"({"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}})",
       "/States/B", kTarget, "State \"B\" is not reachable."},
      {"NoTerminal",
       R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}})",
       "", kNoEnd, "Workflow has no terminal state"},
      {"EmptyBranches", one(R"({"Type":"Parallel","End":true,"Branches":[]})"),
       "/States/A/Branches", kSchema, "Value cannot be empty"},
      {"RetryAllNotLast",
       one(task(R"("Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}])")),
       "/States/A/Retry/0/ErrorEquals", kSchema,
       "The error name 'States.ALL' must appear only in the last retrier"},
      {"BackoffRate", one(task(R"("Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}])")),
       "/States/A/Retry/0/BackoffRate", kSchema,
       "The field 'BackoffRate' must be between 1 and 1000000000, but was 0.5"},
      {"TwoOperators",
       then_done(choice(R"([{"Variable":"$.x","IsNull":true,"IsString":true,"Next":"Done"}])")),
       "/States/A/Choices/0", kSchema, "Each Choice Rule can only have one comparison operator"},
      {"BadTimestamp",
       then_done(choice(R"([{"Variable":"$.x","TimestampEquals":"yesterday","Next":"Done"}])")),
       "/States/A/Choices/0/TimestampEquals", kSchema, "String does not match RFC3339 timestamp"},
      {"BothForms", one(task(R"("TimeoutSeconds":10,"TimeoutSecondsPath":"$.t")")), "/States/A",
       kSchema, "You cannot set both TimeoutSeconds and TimeoutSecondsPath at the same time."},
      {"MissingResource", one(R"({"Type":"Task","End":true})"), "/States/A", kSchema,
       "The field 'Resource' is required but was missing"},
      {"UnknownServiceResource",
       one(R"({"Type":"Task","End":true,"Resource":"arn:aws:states:::lambda"})"),
       "/States/A/Resource", C::kInvalidResource,
       "The resource provided arn:aws:states:::lambda is not recognized. The value is not a "
       "valid resource ARN, or the resource is not available in this region."},
      {"ReservedVariable", one(R"({"Type":"Pass","End":true,"Assign":{"states":1}})"),
       "/States/A/Assign/states", kSchema,
       "The variable name 'states' is reserved and cannot be assigned"},
      {"DuplicateLabel",
       R"({"StartAt":"A","States":{"A":)" + map_state(R"("Label":"L")", R"("Next":"B")") +
           R"(,"B":)" + map_state(R"("Label":"L")") + "}}",
       "/States/B/Label", C::kDuplicateLabelName,
       "The label 'L' is already used by the Map state at /States/A"},
      {"ExpressSync",
       one(R"({"Type":"Task","End":true,"Resource":"arn:aws:states:::ecs:runTask.sync"})"),
       "/States/A/Resource", kSchema,
       "Express state machine does not support '.sync' service integration"},
      {"UnclosedJsonata",
       one(R"({"Type":"Pass","End":true,"Output":"{% 1"})", R"("QueryLanguage":"JSONata",)"),
       "/States/A/Output", kSchema, "The JSONata expression '{% 1' must end with '%}'"},
  };
}

TEST(InvalidDefinitionsTest, MessagesAreVerbatim) {
  for (const MessageCase& c : message_cases()) {
    SCOPED_TRACE(c.name);
    ParseOptions options;
    options.express = c.name.rfind("Express", 0) == 0;
    ParseResult result = parse_state_machine(c.definition, options);
    ASSERT_FALSE(result.ok());
    bool found = false;
    for (const Diagnostic& d : result.diagnostics()) {
      if (d.pointer == c.pointer && d.code == c.code) {
        EXPECT_EQ(d.message, c.message);
        found = true;
      }
    }
    EXPECT_TRUE(found) << "no " << diagnostic_code_name(c.code) << " at '" << c.pointer
                       << "'; got:\n"
                       << all_messages(result);
  }
}

// A `.$` value that is neither a path nor an intrinsic call, and an intrinsic that does not
// start with `States.`, are refused in payload templates. Detailed JSONPath and intrinsic
// syntax errors are covered by the path and intrinsic compilers' own tests.
TEST(InvalidDefinitionsTest, PayloadTemplateValueMustBePathOrIntrinsic) {
  const char* definitions[] = {
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Parameters":{"x.$":"not a path"}}}})",
      R"j({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Parameters":{"x.$":"Math.Add(1, 2)"}}}})j",
  };
  for (const char* text : definitions) {
    SCOPED_TRACE(text);
    ParseResult result = parse_state_machine(text);
    ASSERT_FALSE(result.ok());
    ASSERT_EQ(result.diagnostics().size(), 1u) << all_messages(result);
    const Diagnostic& d = result.diagnostics()[0];
    EXPECT_EQ(d.code, kSchema);
    EXPECT_EQ(d.pointer.rfind("/States/A/Parameters", 0), 0u) << d.pointer;
  }
}

}  // namespace
}  // namespace stepwise
