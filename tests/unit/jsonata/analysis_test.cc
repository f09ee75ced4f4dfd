// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The JSONata static analysis (src/jsonata/analysis.h): free variables, function names, the
// `$states` members an expression uses and top-level `$`/`$$`, read from the syntax tree, so
// that string literals, comments, backtick-quoted names and regexes never count. One table of
// expressions with everything the analysis must find in each, and a soundness check over the
// JSONata reference suite: names the analysis says an expression does not read from outside
// can be bound to anything without changing its result.
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "jsonata/analysis.h"
#include "jsonata/ast.h"
#include "stepwise/jsonata.h"
#include "support/corpus.h"

namespace stepwise::jsonata::internal {
namespace {

using Names = std::vector<std::string>;

struct Case {
  Case(std::string e, Names v = {}, Names m = {}, bool whole = false, bool top = false,
       Names f = {}, Names cm = {}, bool cwhole = false)
      : expression(std::move(e)),
        variables(std::move(v)),
        states_members(std::move(m)),
        states_whole(whole),
        top_level_context(top),
        functions(std::move(f)),
        context_members(std::move(cm)),
        context_whole(cwhole) {}

  std::string expression;
  Names variables;         // free variables
  Names states_members;    // `$states.<m>`
  bool states_whole;       // `$states` otherwise
  bool top_level_context;  // `$` or `$$` outside brackets
  Names functions;         // free function names
  Names context_members;   // `$states.context.<c>`
  bool context_whole;      // `$states.context` otherwise
};

Names sorted(const Analysis::Names& names) { return Names(names.begin(), names.end()); }

Analysis analyze_text(std::string_view text, std::span<const std::string_view> host = {}) {
  std::shared_ptr<const Program> program = parse_program(text);
  return analyze(*program->root, host);
}

std::vector<Case> cases() {
  return {
      // --- Text that only looks like a use ---
      {R"("$states.result")"},
      {R"('$x and $states.errorOutput')"},
      {R"(/* $states.result $y */ 1)"},
      {"`$states.result`"},
      {"$states.input.`$states.result`", {}, {"input"}},
      {R"($states.input.s ~> $match(/\$states\.result/))", {}, {"input"}, false, false, {"match"}},
      {R"($x & "$y" & '$z')", {"x"}},
      {R"({"$states.result": $a})", {"a"}},

      // --- Lambdas ---
      {"function($x){ $x + $y }", {"y"}},
      {"$map($states.input.items, function($v, $i){ $v * $i + $k })",
       {"k"},
       {"input"},
       false,
       false,
       {"map"}},
      {"($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(5))"},
      {"($f := function($s){ $s.result }; $f($states.input))", {}, {"input"}},
      // A later binding is not assumed to precede the call: an over-approximation.
      {"($f := function(){ $g() }; $g := function(){ 1 }; $f())", {"g"}},
      {"$f(1)", {"f"}},

      // --- Bindings and blocks ---
      {"($x := 1; $x + $y)", {"y"}},
      {"($y := $x; $x := 2; $x)", {"x"}},
      {"($x := $x + 1; $x)", {"x"}},
      {"($a := $b := 1; $a + $b)"},
      {"(($x := 1); $x)", {"x"}},
      {"[($x := 1), $x]", {"x"}},
      {"$x := 5"},
      {"($x := 1; ($y := $x; $y + $z))", {"z"}},
      {"($x := 1; function(){ ($x; $w) })", {"w"}},
      // A binding nested inside an item is not assumed to run.
      {"($x > 0 ? ($y := 1) : 0; $y)", {"x", "y"}},
      {"($sum := function($a){ $a }; $sum(1))"},

      // --- Focus, index and stage bindings in paths ---
      {"$states.input.Order@$o.Product[$o.Qty > 1].Price", {}, {"input"}},
      {"$states.input.Order#$i[$i < 2].Price", {}, {"input"}},
      {"$states.input.Order[$i < 2]#$i", {"i"}, {"input"}},
      {"$states.input.Order[Qty > 1]#$i[$i < 2]", {}, {"input"}},
      {"$states.input.Order@$o.Product.$o", {}, {"input"}},
      {"$states.input.Order.$o", {"o"}, {"input"}},
      // A grouping may run without any tuple: its reads of path bindings stay free.
      {"$states.input.Order@$o{ $o.Name: 1 }", {"o"}, {"input"}},

      // --- `$states` member forms ---
      {"$states.result", {}, {"result"}},
      {"$states.result.Payload", {}, {"result"}},
      {"$states.result[0]", {}, {"result"}},
      {"$states.result[]", {}, {"result"}},
      {R"($states."result")", {}, {"result"}},
      {"$states.`errorOutput`", {}, {"errorOutput"}},
      {"$states.results", {}, {"results"}},
      {"$states.input.a + $states.result.b", {}, {"input", "result"}},
      {"$count($states.result)", {}, {"result"}, false, false, {"count"}},
      {R"($states["result"])", {}, {}, true},
      {"$states", {}, {}, true},
      {"$states[0].result", {}, {}, true},
      {"$states.*", {}, {}, true},
      {"$states.($m)", {"m"}, {}, true},
      {R"($lookup($states, "result"))", {}, {}, true, false, {"lookup"}},
      {"$states.context.Execution.Input", {}, {"context"}, false, false, {}, {"Execution"}},
      {"$states.context.State.Name", {}, {"context"}, false, false, {}, {"State"}},
      {"$states.context", {}, {"context"}, false, false, {}, {}, true},
      {"$states.context.*", {}, {"context"}, false, false, {}, {}, true},
      {"$states.context[0].Execution", {}, {"context"}, false, false, {}, {}, true},
      {"function($states){ $states.result }"},
      {"($states := {}; $states.result)"},
      {"$statesX.result", {"statesX"}},

      // --- `$` and `$$` at the top level ---
      {"$", {}, {}, false, true},
      {"$.a", {}, {}, false, true},
      {"$$.a", {}, {}, false, true},
      {"a.$", {}, {}, false, true},
      {"$states.input ? $ : 1", {}, {"input"}, false, true},
      {"$x := $", {}, {}, false, true},
      {"$count($)", {}, {}, false, false, {"count"}},
      {"$states.input.items[$ > 1]", {}, {"input"}},
      {"($)"},
      {R"({"a": $$})"},
      {"[$]"},
      {"function($v){ $ }"},
      {R"("$" & '$$')"},
      {"/* $ */ 1"},
      {"$x", {"x"}},

      // --- Functions are not variables ---
      {"$sum($states.input.a)", {}, {"input"}, false, false, {"sum"}},
      {R"($eval("1"))", {}, {}, false, false, {"eval"}},
      {"$string", {}, {}, false, false, {"string"}},
      {"$partition($states.input, 2)", {"partition"}, {"input"}},
  };
}

TEST(JsonataAnalysisTest, EveryCaseFindsExactlyItsUses) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.expression);
    Analysis a = analyze_text(c.expression);
    EXPECT_EQ(sorted(a.variables), c.variables);
    EXPECT_EQ(sorted(a.functions), c.functions);
    EXPECT_EQ(sorted(a.states_members), c.states_members);
    EXPECT_EQ(a.states_whole, c.states_whole);
    EXPECT_EQ(sorted(a.context_members), c.context_members);
    EXPECT_EQ(a.context_whole, c.context_whole);
    EXPECT_EQ(a.top_level_context, c.top_level_context);
  }
}

TEST(JsonataAnalysisTest, HostFunctionNamesAreFunctionsNotVariables) {
  constexpr std::string_view kHost[] = {"partition", "uuid"};
  Analysis a = analyze_text("$partition($states.input, 2) & $uuid() & $other", kHost);
  EXPECT_EQ(sorted(a.functions), (Names{"partition", "uuid"}));
  EXPECT_EQ(sorted(a.variables), (Names{"other"}));
}

TEST(JsonataAnalysisTest, StatesMemberQueriesCoverTheWholeObject) {
  Analysis named = analyze_text("$states.result.x");
  EXPECT_TRUE(named.reads_states());
  EXPECT_TRUE(named.may_use_states_member("result"));
  EXPECT_FALSE(named.may_use_states_member("input"));

  Analysis whole = analyze_text("$keys($states)");
  EXPECT_TRUE(whole.reads_states());
  EXPECT_TRUE(whole.may_use_states_member("input"));

  Analysis none = analyze_text("'$states.result'");
  EXPECT_FALSE(none.reads_states());
  EXPECT_FALSE(none.may_use_states_member("result"));
}

TEST(JsonataAnalysisTest, EvalMarksThatCodeFromAStringMayReadAnyName) {
  EXPECT_TRUE(analyze_text("$eval('$x + 1')").evaluates_code);
  EXPECT_FALSE(analyze_text("'$eval'").evaluates_code);
  EXPECT_FALSE(analyze_text("($eval := function($s){ $s }; $eval('1'))").evaluates_code);
  constexpr std::string_view kHost[] = {"eval"};
  EXPECT_FALSE(analyze_text("$eval('1')", kHost).evaluates_code);
}

TEST(JsonataAnalysisTest, DeeplyNestedExpressionsAreWalkedWithoutCrashing) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "($v" + std::to_string(i) + " := 1; ";
  text += "$free";
  for (int i = 0; i < 100; ++i) text += ")";
  Analysis a = analyze_text(text);
  EXPECT_EQ(sorted(a.variables), (Names{"free"}));
}

// Every `$name` in `text`, strings and comments included (an over-approximation of the names an
// expression could read).
std::set<std::string> dollar_names(std::string_view text) {
  std::set<std::string> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$') continue;
    std::size_t j = i + 1;
    while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) ||
                               text[j] == '_' || static_cast<unsigned char>(text[j]) >= 0x80)) {
      ++j;
    }
    if (j > i + 1) out.emplace(text.substr(i + 1, j - i - 1));
    i = j - 1;
  }
  return out;
}

bool same_outcome(const Outcome& a, const Outcome& b) {
  if (a.kind() != b.kind()) return false;
  if (a.is_value()) return a.value() == b.value();
  if (a.is_error()) return a.error().code == b.error().code;
  return true;
}

// Soundness over the reference suite: every `$name` of an expression that the analysis reports
// neither as a variable nor as a function (it is bound inside the expression, or only appears in
// a string or comment) is bound to a decoy value; the result must not change. Cases with a time
// limit or a non-deterministic function are left out.
TEST(JsonataAnalysisTest, NamesNotReportedAsReadDoNotChangeAnyReferenceCase) {
  namespace fs = std::filesystem;
  auto dir = stepwise::testing_support::conformance_dir();
  if (!dir || !fs::is_directory(*dir / "jsonata" / "groups")) {
    GTEST_SKIP() << "../shared/conformance/jsonata is absent";
  }
  using nlohmann::ordered_json;
  const nlohmann::json decoy = {{"decoy", true}};
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(*dir / "jsonata" / "groups")) {
    if (entry.path().extension() != ".json") continue;
    ordered_json doc =
        ordered_json::parse(testing_support::read_file(entry.path()), nullptr, false);
    if (doc.is_discarded()) continue;
    if (!doc.is_array()) doc = ordered_json::array({doc});
    for (const ordered_json& tc : doc) {
      if (!tc.contains("expr") || !tc["expr"].is_string() || tc.contains("timelimit")) continue;
      std::string text = tc["expr"].get<std::string>();
      if (text.find("$random") != std::string::npos || text.find("$now") != std::string::npos ||
          text.find("$millis") != std::string::npos) {
        continue;
      }
      CompileResult compiled = Expression::compile(text);
      if (!compiled.ok()) continue;
      Analysis a = analyze(*compiled.expression().program()->root);
      if (a.evaluates_code) continue;
      std::set<std::string> decoys = dollar_names(text);
      for (const auto& n : a.variables) decoys.erase(n);
      for (const auto& n : a.functions) decoys.erase(n);
      if (a.reads_states()) decoys.erase("states");
      if (decoys.empty()) continue;
      SCOPED_TRACE(entry.path().filename().string() + ": " + text);
      std::optional<ordered_json> input;
      if (tc.contains("data")) {
        input = tc["data"];
      } else if (tc.contains("dataset") && tc["dataset"].is_string()) {
        input = ordered_json::parse(testing_support::read_file(
            *dir / "jsonata" / "datasets" / (tc["dataset"].get<std::string>() + ".json")));
      }
      Bindings plain;
      Bindings decoyed;
      if (tc.contains("bindings") && tc["bindings"].is_object()) {
        for (auto it = tc["bindings"].begin(); it != tc["bindings"].end(); ++it) {
          plain.set_ordered(it.key(), it.value());
          decoyed.set_ordered(it.key(), it.value());
        }
      }
      for (const std::string& n : decoys) decoyed.set(n, decoy);
      EvaluateOptions options;
      if (tc.contains("depth") && tc["depth"].is_number())
        options.max_depth = tc["depth"].get<int>();
      const ordered_json* in = input ? &*input : nullptr;
      Outcome expected = compiled.expression().evaluate(in, &plain, options);
      Outcome got = compiled.expression().evaluate(in, &decoyed, options);
      EXPECT_TRUE(same_outcome(expected, got)) << (got.is_error()   ? got.error().to_string()
                                                   : got.is_value() ? got.value().dump()
                                                                    : "");
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
  RecordProperty("checked", checked);
}

}  // namespace
}  // namespace stepwise::jsonata::internal
