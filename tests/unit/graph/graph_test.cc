// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests of the graph writers (stepwise/graph.h): DOT and Mermaid for nested Parallel, Map,
// Choice, Catch and Retry; escaping of odd state names; Choice rule labels; collapsing; and,
// when Graphviz is installed, `dot` accepting the drawing of every conformance definition.
#include "stepwise/graph.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "graph/graph_model.h"
#include "support/corpus.h"
#include "support/engine_support.h"
#include "stepwise/parser.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::compile;

constexpr const char* kNested = R"({
  "StartAt": "Check",
  "States": {
    "Check": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.x", "NumericEquals": 3, "Next": "Fan out"}],
      "Default": "Give up"
    },
    "Fan out": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "Each", "States": {"Each": {
          "Type": "Map",
          "ItemProcessor": {"StartAt": "Work", "States": {"Work": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 2}],
            "End": true}}},
          "End": true}}},
        {"StartAt": "Other", "States": {"Other": {"Type": "Pass", "End": true}}}
      ],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Give up"}],
      "Next": "Done"
    },
    "Give up": {"Type": "Fail", "Error": "Nope"},
    "Done": {"Type": "Succeed"}
  }
})";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(GraphTest, DotDrawsClustersChoiceCatchRetryAndMarkers) {
  auto machine = compile(kNested);
  ASSERT_NE(machine, nullptr);
  std::string dot = to_dot(*machine);
  SCOPED_TRACE(dot);
  EXPECT_TRUE(dot.rfind("digraph \"stepwise\" {", 0) == 0);
  EXPECT_TRUE(contains(dot, "label=\"Fan out (Parallel)\""));
  EXPECT_TRUE(contains(dot, "label=\"Branch 1\""));
  EXPECT_TRUE(contains(dot, "label=\"Branch 2\""));
  EXPECT_TRUE(contains(dot, "label=\"Each (Map)\""));
  EXPECT_TRUE(contains(dot, "label=\"$.x == 3\""));
  EXPECT_TRUE(contains(dot, "label=\"Default\", style=bold"));
  EXPECT_TRUE(contains(dot, "label=\"States.ALL\", style=dashed"));
  EXPECT_TRUE(contains(dot, "retry States.Timeout x2"));
  EXPECT_TRUE(contains(dot, "Task: lambda:invoke"));
  EXPECT_TRUE(contains(dot, "\"start\" -> "));
  EXPECT_TRUE(contains(dot, " -> \"end\";"));
  // An edge leaving the Parallel starts at its cluster's border.
  EXPECT_TRUE(contains(dot, "ltail=\"cluster_"));
}

TEST(GraphTest, MermaidDrawsSubgraphsChoiceCatchRetryAndMarkers) {
  auto machine = compile(kNested);
  ASSERT_NE(machine, nullptr);
  std::string m = to_mermaid(*machine);
  SCOPED_TRACE(m);
  EXPECT_TRUE(m.rfind("flowchart TD\n", 0) == 0);
  EXPECT_TRUE(contains(m, "[\"Fan out (Parallel)\"]"));
  EXPECT_TRUE(contains(m, "[\"Branch 2\"]"));
  EXPECT_TRUE(contains(m, "[\"Each (Map)\"]"));
  EXPECT_TRUE(contains(m, "-->|\"$.x == 3\"|"));
  EXPECT_TRUE(contains(m, "==>|\"Default\"|"));
  EXPECT_TRUE(contains(m, "-.->|\"States.ALL\"|"));
  EXPECT_TRUE(contains(m, "retry States.Timeout x2"));
  EXPECT_TRUE(contains(m, "mstart --> "));
  EXPECT_TRUE(contains(m, " --> mend"));
  // Every subgraph is closed.
  std::size_t opened = 0, closed = 0;
  for (std::size_t p = 0; (p = m.find("subgraph ", p)) != std::string::npos; ++p) ++opened;
  for (std::size_t p = 0; (p = m.find(" end\n", p)) != std::string::npos; ++p) ++closed;
  EXPECT_EQ(opened, 4u);  // the Parallel, its two branches, the Map
  EXPECT_EQ(closed, 4u);
}

TEST(GraphTest, OddStateNamesAreEscapedAndIdsAreGenerated) {
  json def = {{"StartAt", "say \"hi\" \\ <b>|x|</b> #1 & ünï 日本"},
              {"States",
               {{"say \"hi\" \\ <b>|x|</b> #1 & ünï 日本", {{"Type", "Pass"}, {"Next", "end"}}},
                {"end", {{"Type", "Succeed"}}}}}};
  auto machine = compile(def.dump());
  ASSERT_NE(machine, nullptr);
  std::string dot = to_dot(*machine);
  EXPECT_TRUE(contains(dot, "label=\"say \\\"hi\\\" \\\\ <b>|x|</b> #1 & ünï 日本\\nPass\""))
      << dot;
  std::string m = to_mermaid(*machine);
  EXPECT_TRUE(contains(
      m,
      "(\"say #quot;hi#quot; \\ #lt;b#gt;#124;x#124;#lt;/b#gt; #35;1 #amp; ünï 日本<br/>Pass\")"))
      << m;
  // A state named "end" (a Mermaid keyword) is only a label; its id is generated.
  EXPECT_TRUE(contains(m, "s0(\"end<br/>Succeed\")")) << m;
}

TEST(GraphTest, ChoiceRulesGetShortLabels) {
  struct Case {
    const char* rule;
    const char* label;
  } cases[] = {
      {R"({"Variable":"$.x","NumericEquals":3})", "$.x == 3"},
      {R"({"Variable":"$.s","StringEquals":"a"})", "$.s == \"a\""},
      {R"({"Variable":"$.n","NumericLessThanEqualsPath":"$.m"})", "$.n <= $.m"},
      {R"({"Variable":"$.t","TimestampGreaterThan":"2020-01-01T00:00:00Z"})",
       "$.t > \"2020-01-01T00:00:00Z\""},
      {R"({"Variable":"$.s","StringMatches":"log-*"})", "$.s matches \"log-*\""},
      {R"({"Variable":"$.p","IsPresent":false})", "$.p is not present"},
      {R"({"Variable":"$.b","BooleanEquals":true})", "$.b == true"},
      {R"({"And":[{"Variable":"$.a","IsNull":true},{"Or":[{"Variable":"$.b","NumericGreaterThan":1},
          {"Variable":"$.c","NumericLessThan":0}]}]})",
       "$.a is null and ($.b > 1 or $.c < 0)"},
      {R"({"Not":{"Variable":"$.x","StringEquals":"y"}})", "not ($.x == \"y\")"},
      {R"({"Condition":"{% $states.input.n > 2 %}"})", "$states.input.n > 2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.rule);
    EXPECT_EQ(internal::choice_rule_label(json::parse(c.rule)), c.label);
  }
}

TEST(GraphTest, LargeBodiesCollapseIntoOneNode) {
  json states = json::object();
  for (int i = 0; i < 5; ++i) {
    states["Inner" + std::to_string(i)] = {{"Type", "Pass"}};
    if (i < 4) {
      states["Inner" + std::to_string(i)]["Next"] = "Inner" + std::to_string(i + 1);
    } else {
      states["Inner" + std::to_string(i)]["End"] = true;
    }
  }
  json def = {{"StartAt", "Big"},
              {"States",
               {{"Big",
                 {{"Type", "Map"},
                  {"ItemProcessor", {{"StartAt", "Inner0"}, {"States", states}}},
                  {"End", true}}}}}};
  auto machine = compile(def.dump());
  ASSERT_NE(machine, nullptr);
  GraphOptions options;
  options.collapse_threshold = 4;
  std::string dot = to_dot(*machine, options);
  EXPECT_TRUE(contains(dot, "Map: 5 states (collapsed)")) << dot;
  EXPECT_FALSE(contains(dot, "Inner0")) << dot;
  EXPECT_FALSE(contains(dot, "cluster_")) << dot;
  std::string m = to_mermaid(*machine, options);
  EXPECT_TRUE(contains(m, "[[\"Big<br/>Map: 5 states (collapsed)\"]]")) << m;
  EXPECT_FALSE(contains(m, "Inner0")) << m;
  options.collapse_threshold = 5;
  EXPECT_TRUE(contains(to_dot(*machine, options), "Inner0"));
  options.collapse_threshold = 0;
  EXPECT_TRUE(contains(to_dot(*machine, options), "Inner0"));
}

TEST(GraphTest, LongNamesAreCut) {
  std::string name(70, 'n');
  json def = {{"StartAt", name}, {"States", {{name, {{"Type", "Succeed"}}}}}};
  auto machine = compile(def.dump());
  ASSERT_NE(machine, nullptr);
  std::string dot = to_dot(*machine);
  EXPECT_TRUE(contains(dot, std::string(45, 'n') + "...")) << dot;
  EXPECT_FALSE(contains(dot, std::string(46, 'n'))) << dot;
}

// Graphviz's `dot` must accept the drawing of every conformance definition that loads.
TEST(GraphTest, DotAcceptsEveryConformanceDefinition) {
  if (std::system("command -v dot > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "Graphviz `dot` is not installed (Debian package graphviz)";
  }
  auto corpus = testing_support::conformance_dir();
  if (!corpus) GTEST_SKIP() << "../shared/conformance is absent";
  std::vector<std::filesystem::path> files;
  for (const auto& group : std::filesystem::directory_iterator(*corpus / "asl")) {
    if (!group.is_directory()) continue;
    for (const auto& c : std::filesystem::directory_iterator(group.path())) {
      if (std::filesystem::exists(c.path() / "definition.json")) {
        files.push_back(c.path() / "definition.json");
      }
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  // All graphs go into one file (dot reads any number of graphs), checked in one run; on
  // failure each is checked alone to name the culprit.
  auto dir = std::filesystem::temp_directory_path() /
             ("stepwise_graph_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<std::pair<std::filesystem::path, std::string>> drawings;
  std::ofstream all(dir / "all.dot");
  for (const auto& f : files) {
    ParseResult parsed = parse_state_machine(testing_support::read_file(f));
    if (!parsed.ok()) continue;
    drawings.emplace_back(f, to_dot(*parsed.machine()));
    all << drawings.back().second;
  }
  all.close();
  EXPECT_GT(drawings.size(), 500u);
  auto run_dot = [&](const std::filesystem::path& file) {
    std::string cmd =
        "dot -Tsvg -o /dev/null '" + file.string() + "' 2> '" + (dir / "err.txt").string() + "'";
    int rc = std::system(cmd.c_str());
    return rc == 0 && testing_support::read_file(dir / "err.txt").empty();
  };
  if (!run_dot(dir / "all.dot")) {
    for (const auto& [f, text] : drawings) {
      std::ofstream(dir / "one.dot") << text;
      EXPECT_TRUE(run_dot(dir / "one.dot"))
          << f << ": " << testing_support::read_file(dir / "err.txt");
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stepwise
