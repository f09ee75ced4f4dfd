// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Variable scopes (ASL-REFERENCE.md section 4): an inner scope (a Parallel branch, a Map
// processor) may not assign a variable that an outer scope assigns, except that a Catcher's
// `Assign` on a Parallel or Map state may share a name with assignments inside that same
// state's branches or processor, as AWS accepts. Both query languages.
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

// `value` as an Assign value: a JSONPath constant, or a JSONata expression.
std::string assign_value(bool jsonata) { return jsonata ? R"("{% 1 %}")" : "1"; }

std::string root(bool jsonata) { return jsonata ? R"("QueryLanguage":"JSONata",)" : ""; }

// A Pass state named `name` that assigns `var` and ends its scope.
std::string assigning_pass(const std::string& var, bool jsonata) {
  return R"({"Type":"Pass","End":true,"Assign":{")" + var + R"(":)" + assign_value(jsonata) + "}}";
}

// A Catcher to `next` that assigns `var`.
std::string catcher(const std::string& var, bool jsonata, const std::string& next = "Done") {
  return R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":")" + next + R"(","Assign":{")" + var +
         R"(":)" + assign_value(jsonata) + "}}]";
}

// A scope (branch or processor) that starts at `inner`, the state `state`, plus `more` states.
std::string scope(const std::string& inner, const std::string& state,
                  const std::string& more = "") {
  return R"({"StartAt":")" + inner + R"(","States":{)" + more + R"(")" + inner + R"(":)" + state +
         "}}";
}

std::string parallel(const std::string& branch_state, const std::string& extra,
                     const std::string& next = "Done", const std::string& inner = "B") {
  return R"({"Type":"Parallel","Next":")" + next + R"(","Branches":[)" +
         scope(inner, branch_state) + "]," + extra + "}";
}

std::string map(const std::string& processor_state, const std::string& extra,
                const std::string& next = "Done") {
  return R"({"Type":"Map","Next":")" + next + R"(","ItemProcessor":)" +
         scope("I", processor_state) + "," + extra + "}";
}

// `start` (default `A`, the state under test) and the `more` states lead to `A`, then `Done`.
std::string machine(const std::string& a, bool jsonata, const std::string& more = "",
                    const std::string& start = "A") {
  return "{" + root(jsonata) + R"("StartAt":")" + start + R"(","States":{)" + more + R"("A":)" + a +
         R"(,"Done":{"Type":"Succeed"}}})";
}

struct Accepted {
  std::string name;
  std::string definition;
};

std::vector<Accepted> accepted() {
  std::vector<Accepted> out;
  for (bool jsonata : {false, true}) {
    std::string ql = jsonata ? "JSONata" : "JSONPath";
    out.push_back(
        {ql + "ParallelCatcherAndBranchAssignTheSameName",
         machine(parallel(assigning_pass("x", jsonata), catcher("x", jsonata)), jsonata)});
    out.push_back({ql + "MapCatcherAndProcessorAssignTheSameName",
                   machine(map(assigning_pass("x", jsonata), catcher("x", jsonata)), jsonata)});
    // Deeper inside the same state: a Parallel nested in the Map's processor.
    out.push_back({ql + "MapCatcherAndANestedBranchAssignTheSameName",
                   machine(map(R"({"Type":"Parallel","End":true,"Branches":[)" +
                                   scope("Deep", assigning_pass("x", jsonata)) + "]}",
                               catcher("x", jsonata)),
                           jsonata)});
    // A Catcher inside the branch assigns in the branch's scope.
    std::string task = R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",)"
                       R"("End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F",)"
                       R"("Assign":{"x":)" +
                       assign_value(jsonata) + "}}]}";
    out.push_back({ql + "ParallelCatcherAndABranchCatcherAssignTheSameName",
                   machine(R"({"Type":"Parallel","Next":"Done","Branches":[)" +
                               scope("B", task, R"("F":{"Type":"Fail"},)") + "]," +
                               catcher("x", jsonata) + "}",
                           jsonata)});
    // Sibling branches and sibling states' scopes are separate.
    out.push_back({ql + "SiblingBranchesAssignTheSameName",
                   machine(R"({"Type":"Parallel","Next":"Done","Branches":[)" +
                               scope("B1", assigning_pass("x", jsonata)) + "," +
                               scope("B2", assigning_pass("x", jsonata)) + "]}",
                           jsonata)});
  }
  out.push_back({"DistributedMapCatcherAndProcessorAssignTheSameName",
                 machine(R"({"Type":"Map","Next":"Done","ItemProcessor":{"ProcessorConfig":)"
                         R"({"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"I",)"
                         R"("States":{"I":)" +
                             assigning_pass("x", false) + "}}," + catcher("x", false) + "}",
                         false)});
  return out;
}

TEST(VariableScopeTest, CatcherAssignOfAParallelOrMapMayShareNamesWithItsInnerScopes) {
  for (const Accepted& c : accepted()) {
    SCOPED_TRACE(c.name + ": " + c.definition);
    ParseResult result = parse_state_machine(c.definition);
    EXPECT_TRUE(result.ok()) << all_messages(result);
    EXPECT_TRUE(result.diagnostics().empty()) << all_messages(result);
  }
}

struct Rejected {
  std::string name;
  std::string definition;
  std::string pointer;
  std::string message;
};

std::vector<Rejected> rejected() {
  std::vector<Rejected> out;
  for (bool jsonata : {false, true}) {
    std::string ql = jsonata ? "JSONata" : "JSONPath";
    // The state's own top-level Assign is an outer-scope assignment, catcher or not.
    out.push_back({ql + "ParallelAssignAndBranchAssign",
                   machine(parallel(assigning_pass("x", jsonata),
                                    R"("Assign":{"x":)" + assign_value(jsonata) + "}"),
                           jsonata),
                   "/States/A/Branches/0/States/B/Assign/x",
                   "The variable 'x' is assigned in an outer scope (/States/A/Assign/x) and "
                   "cannot be assigned in a nested one"});
    out.push_back(
        {ql + "MapAssignAndCatcherAndProcessorAssign",
         machine(map(assigning_pass("x", jsonata),
                     R"("Assign":{"x":)" + assign_value(jsonata) + "}," + catcher("x", jsonata)),
                 jsonata),
         "/States/A/ItemProcessor/States/I/Assign/x",
         "The variable 'x' is assigned in an outer scope (/States/A/Assign/x) and "
         "cannot be assigned in a nested one"});
    // Another state's Catcher: its Assign is an ordinary outer-scope assignment there.
    out.push_back(
        {ql + "OtherParallelCatcherAndBranchAssign",
         machine(parallel(assigning_pass("x", jsonata), R"("Comment":"c")"), jsonata,
                 R"("P":)" +
                     parallel(R"({"Type":"Pass","End":true})", catcher("x", jsonata), "A", "PB") +
                     ",",
                 "P"),
         "/States/A/Branches/0/States/B/Assign/x",
         "The variable 'x' is assigned in an outer scope (/States/P/Catch/0/Assign/x) "
         "and cannot be assigned in a nested one"});
    // Any other outer state's assignment.
    out.push_back({ql + "OuterPassAndProcessorAssign",
                   machine(map(assigning_pass("x", jsonata), catcher("x", jsonata)), jsonata,
                           R"("Before":{"Type":"Pass","Next":"A","Assign":{"x":)" +
                               assign_value(jsonata) + "}},",
                           "Before"),
                   "/States/A/ItemProcessor/States/I/Assign/x",
                   "The variable 'x' is assigned in an outer scope (/States/Before/Assign/x) and "
                   "cannot be assigned in a nested one"});
    // The existing rule: a Catcher inside a branch assigns in the branch's scope.
    out.push_back({ql + "ParallelAssignAndBranchCatcherAssign",
                   machine(R"({"Type":"Parallel","Next":"Done","Branches":[)" +
                               scope("B",
                                     R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:)"
                                     R"(function:f","End":true,)" +
                                         catcher("x", jsonata, "F") + "}",
                                     R"("F":{"Type":"Fail"},)") +
                               R"(],"Assign":{"x":)" + assign_value(jsonata) + "}}",
                           jsonata),
                   "/States/A/Branches/0/States/B/Catch/0/Assign/x",
                   "The variable 'x' is assigned in an outer scope (/States/A/Assign/x) and "
                   "cannot be assigned in a nested one"});
  }
  return out;
}

TEST(VariableScopeTest, InnerScopesStillMayNotAssignOtherOuterVariables) {
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

}  // namespace
}  // namespace stepwise
