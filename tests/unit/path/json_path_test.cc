// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests for the JSONPath compiler and evaluator (src/path/json_path.cc): every syntax form,
// Jayway's normalized form and error texts, variables and the context root, and ResultPath
// assignment.
#include "path/json_path.h"

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

JsonPath compile(std::string_view text) {
  Result<JsonPath> p = JsonPath::parse(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status().to_string();
  return p.ok() ? std::move(p).value() : JsonPath();
}

const json kStore = json::parse(R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
       "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord",
       "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "nums": [0, 1, 2, 3, 4, 5],
  "odd key": {"a.b": 7},
  "flag": true
})");

struct EvalCase {
  std::string path;
  json expected;
};

void run_cases(const std::vector<EvalCase>& cases, const json& doc) {
  for (const EvalCase& c : cases) {
    SCOPED_TRACE(c.path);
    JsonPath p = compile(c.path);
    Outcome<json> v = p.evaluate(PathRoots{&doc, nullptr, nullptr});
    ASSERT_TRUE(v.ok()) << v.failure().cause.value_or("");
    EXPECT_EQ(v.value(), c.expected);
  }
}

TEST(JsonPathTest, DefinitePathsYieldTheNodeItself) {
  run_cases(
      {
          {"$", kStore},
          {"$.flag", true},
          {"$.store.bicycle.color", "red"},
          {"$['store']['bicycle']['color']", "red"},
          {"$[\"store\"][\"bicycle\"]", json::parse(R"({"color":"red","price":19.95})")},
          {"$.store.book[0].title", "Sayings"},
          {"$.store.book[-1].title", "The Lord"},
          {"$.nums[5]", 5},
          {"$['odd key']['a.b']", 7},
          {"$.['odd key']", json::parse(R"({"a.b":7})")},
      },
      kStore);
}

TEST(JsonPathTest, BackslashesInQuotedNamesAreKeptVerbatim) {
  // scenarios/base_scenarios__escape_sequence_parsing__ESCAPE_SEQUENCES_JSONPATH: AWS looks up
  // the key `Test\""Name"` for the path `$['Test\""Name"']`.
  json doc = json::parse(R"j({"Test\\\"\"Name\"": "Value\"\\", "it\\'s": 1})j");
  run_cases({{"$['Test\\\"\"Name\"']", "Value\"\\"}, {"$['it\\'s']", 1}}, doc);
}

TEST(JsonPathTest, IndefinitePathsCollectMatchesIntoAnArray) {
  run_cases(
      {
          {"$.nums[*]", json::array({0, 1, 2, 3, 4, 5})},
          {"$.nums.*", json::array({0, 1, 2, 3, 4, 5})},
          {"$.store.bicycle.*", json::array({"red", 19.95})},
          {"$.store.book[*].author",
           json::array({"Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"})},
          {"$.nums[0,2]", json::array({0, 2})},
          {"$.nums[1:3]", json::array({1, 2})},
          {"$.nums[:2]", json::array({0, 1})},
          {"$.nums[-2:]", json::array({4, 5})},
          {"$.nums[4:]", json::array({4, 5})},
          {"$.nums[::2]", json::array({0, 2, 4})},
          {"$.nums[1:10]", json::array({1, 2, 3, 4, 5})},
          {"$.nums[10:]", json::array()},
          {"$.missing[*]", json::array()},
          {"$.missing[1:]", json::array()},
          {"$.store.book[*].isbn", json::array({"0-553-21311-3", "0-395-19395-8"})},
      },
      kStore);
}

TEST(JsonPathTest, DeepScanCollectsEveryMatch) {
  run_cases(
      {
          {"$..author",
           json::array({"Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"})},
          // Object members are visited in nlohmann's (sorted) key order: bicycle before book.
          {"$.store..price", json::array({19.95, 8.95, 12.99, 8.99, 22.99})},
          {"$..book[2].title", json::array({"Moby Dick"})},
          {"$..['color']", json::array({"red"})},
          {"$..nothing", json::array()},
      },
      kStore);
  json doc = json::parse(R"({"a": {"b": 1, "c": [2]}})");
  run_cases({{"$..*", json::parse(R"([{"b":1,"c":[2]}, 1, [2], 2])")}}, doc);
}

TEST(JsonPathTest, FiltersSelectMatchingElements) {
  run_cases(
      {
          {"$.store.book[?(@.price < 10)].title", json::array({"Sayings", "Moby Dick"})},
          {"$.store.book[?(@.price >= 12.99)].title", json::array({"Sword", "The Lord"})},
          {"$.store.book[?(@.price > 12.99)].title", json::array({"The Lord"})},
          {"$.store.book[?(@.price <= 8.95)].title", json::array({"Sayings"})},
          {"$.store.book[?(@.isbn)].title", json::array({"Moby Dick", "The Lord"})},
          {"$.store.book[?(!@.isbn)].title", json::array({"Sayings", "Sword"})},
          {"$.store.book[?(@.category == 'reference')].title", json::array({"Sayings"})},
          {"$.store.book[?(@.category != \"fiction\")].title", json::array({"Sayings"})},
          {"$.store.book[?(@.category == 'fiction' && @.price < 20)].title",
           json::array({"Sword", "Moby Dick"})},
          {"$.store.book[?(@.price < 9 || @.price > 20)].title",
           json::array({"Sayings", "Moby Dick", "The Lord"})},
          {"$.store.book[?(!(@.price < 9 || @.price > 20))].title", json::array({"Sword"})},
          {"$.store.book[?(@.price < $.store.bicycle.price)].title",
           json::array({"Sayings", "Sword", "Moby Dick"})},
          {"$.nums[?(@ > 3)]", json::array({4, 5})},
          {"$..book[?(@.author == 'Nigel Rees')].price", json::array({8.95})},
          {"$..[?(@.color)].price", json::array({19.95})},
      },
      kStore);
  json doc = json::parse(R"({"xs": [{"v": true}, {"v": false}, {"v": null}, {"w": 1}]})");
  run_cases(
      {
          {"$.xs[?(@.v == true)]", json::parse(R"([{"v": true}])")},
          {"$.xs[?(@.v == null)]", json::parse(R"([{"v": null}])")},
          {"$.xs[?(@.v != false)]", json::parse(R"([{"v": true}, {"v": null}, {"w": 1}])")},
      },
      doc);
}

TEST(JsonPathTest, CorpusFilterOnStatusMatchesAws) {
  // base/base__state_pass_regex_json_path_base in the conformance corpus.
  json doc =
      json::parse(R"({"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]})");
  run_cases({{"$.users[?(@.status == 0)]", json::parse(R"([{"year": 1997, "status": 0}])")}}, doc);
}

TEST(JsonPathTest, LeafMultiplePropertiesMergeIntoAnObject) {
  json doc = json::parse(R"({"o": {"a": 1, "b": 2, "c": 3}, "l": [{"a": 1}, {"a": 2, "b": 3}]})");
  run_cases(
      {
          {"$.o['a','b']", json::parse(R"({"a": 1, "b": 2})")},
          {"$.o['a','zz']", json::parse(R"({"a": 1})")},
          {"$.l[*]['a','b']", json::parse(R"([{"a": 1}, {"a": 2, "b": 3}])")},
      },
      doc);
}

TEST(JsonPathTest, ClassifiesRootsAndDefiniteness) {
  struct Case {
    std::string text;
    JsonPath::Root root;
    std::string variable;
    bool root_only;
    bool definite;
  };
  const std::vector<Case> cases = {
      {"$", JsonPath::Root::kInput, "", true, true},
      {"$$", JsonPath::Root::kContext, "", true, true},
      {"$counter", JsonPath::Root::kVariable, "counter", true, true},
      {"$counter.x[0]", JsonPath::Root::kVariable, "counter", false, true},
      {"$$.Execution.Id", JsonPath::Root::kContext, "", false, true},
      {"$.a.b[3]", JsonPath::Root::kInput, "", false, true},
      {"$.a[*]", JsonPath::Root::kInput, "", false, false},
      {"$..a", JsonPath::Root::kInput, "", false, false},
      {"$.a[0,1]", JsonPath::Root::kInput, "", false, false},
      {"$.a[1:2]", JsonPath::Root::kInput, "", false, false},
      {"$.a[?(@.x)]", JsonPath::Root::kInput, "", false, false},
      {"$_x1", JsonPath::Root::kVariable, "_x1", true, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    JsonPath p = compile(c.text);
    EXPECT_EQ(p.root(), c.root);
    EXPECT_EQ(p.variable_name(), c.variable);
    EXPECT_EQ(p.is_root_only(), c.root_only);
    EXPECT_EQ(p.is_definite(), c.definite);
    EXPECT_EQ(p.text(), c.text);
  }
}

TEST(JsonPathTest, NormalizedFormMatchesJayway) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"$", "$"},
      {"$.a.b", "$['a']['b']"},
      {"$['a'][0]", "$['a'][0]"},
      {"$.a[-1]", "$['a'][-1]"},
      {"$.a[*]", "$['a'][*]"},
      {"$.a.*", "$['a'][*]"},
      {"$..x", "$..['x']"},
      {"$.a[0,1]", "$['a'][0,1]"},
      {"$['a','b']", "$['a','b']"},
      {"$.a[1:3]", "$['a'][1:3]"},
      {"$.a[-2:]", "$['a'][-2:]"},
      {"$.a[:2]", "$['a'][:2]"},
      {"$.a[::2]", "$['a'][::2]"},
      {"$.a[?(@.x > 1)]", "$['a'][?(@.x > 1)]"},
      {"$$.Execution.Id", "$$['Execution']['Id']"},
      {"$v.x", "$v['x']"},
  };
  for (const auto& [text, normalized] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(compile(text).normalized(), normalized);
  }
}

TEST(JsonPathTest, ParseErrorsNameTheProblemAndOffset) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"$.a.)", "unexpected character ')' at offset 4 in '$.a.)'"},
      {"", "empty path"},
      {"a.b", "unexpected character 'a' at offset 0 in 'a.b'"},
      {"$.", "unexpected end of path at offset 2 in '$.'"},
      {"$.a[0", "unterminated bracket at offset 3 in '$.a[0'"},
      {"$['a", "unterminated string at offset 2 in '$['a'"},
      {"$.a b", "unexpected character ' ' at offset 3 in '$.a b'"},
      {"$1", "empty variable name at offset 1 in '$1'"},
      {"$.a[x]", "unexpected character 'x' at offset 4 in '$.a[x]'"},
      {"$.a[::0]", "slice step cannot be zero at offset 6 in '$.a[::0]'"},
      {"$.a[?(@.x ==)]", "unexpected character ')' at offset 12 in '$.a[?(@.x ==)]'"},
      {"$.a[?(@.x == 1]", "unexpected character ']' at offset 14 in '$.a[?(@.x == 1]'"},
      {"$.a[?(1)]", "expected a comparison operator at offset 7 in '$.a[?(1)]'"},
      {"$.a]", "unexpected character ']' at offset 3 in '$.a]'"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    Result<JsonPath> p = JsonPath::parse(text);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(p.status().message(), message);
  }
}

TEST(JsonPathTest, MissingDefiniteResultsFailWithJaywayTexts) {
  json doc = json::parse(R"({"a": {"b": 1}, "arr": [1, 2], "s": "str"})");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"$.NoSuchInputPath", "No results for path: $['NoSuchInputPath']"},
      {"$.a.x", "No results for path: $['a']['x']"},
      {"$.no.such.result.path", "Missing property in path $['no']"},
      {"$.a.x.y", "Missing property in path $['a']['x']"},
      {"$.arr[5]", "No results for path: $['arr'][5]"},
      {"$.arr[5].x", "No results for path: $['arr'][5]['x']"},
      {"$.s.x", "No results for path: $['s']['x']"},
  };
  for (const auto& [text, cause] : cases) {
    SCOPED_TRACE(text);
    Outcome<json> v = compile(text).evaluate(PathRoots{&doc, nullptr, nullptr});
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.failure().error_name(), "States.Runtime");
    EXPECT_EQ(v.failure().cause, cause);
  }
}

TEST(JsonPathTest, FindReturnsAPointerIntoTheDocument) {
  json doc = json::parse(R"({"a": {"b": [10, 20]}})");
  PathRoots roots{&doc, nullptr, nullptr};
  EXPECT_EQ(compile("$.a.b[1]").find(roots), &doc["a"]["b"][1]);
  EXPECT_EQ(compile("$").find(roots), &doc);
  EXPECT_EQ(compile("$.a.c").find(roots), nullptr);
  EXPECT_EQ(compile("$.a.b[2]").find(roots), nullptr);
  EXPECT_EQ(compile("$$.a").find(roots), nullptr);
}

TEST(JsonPathTest, ContextAndVariableRootsResolve) {
  json input = json::parse(R"({"x": 1})");
  json context = json::parse(R"({"Execution": {"Id": "arn:exec"}, "Map": {"Item": {"Index": 2}}})");
  MapScope vars({{"counter", json::parse(R"({"n": [5, 6]})")}, {"name", "bob"}});
  PathRoots roots{&input, &context, &vars};
  const std::vector<EvalCase> cases = {
      {"$$.Execution.Id", "arn:exec"},
      {"$$.Map.Item.Index", 2},
      {"$$", context},
      {"$counter.n[1]", 6},
      {"$counter.n[*]", json::array({5, 6})},
      {"$name", "bob"},
      {"$.x", 1},
  };
  for (const EvalCase& c : cases) {
    SCOPED_TRACE(c.path);
    Outcome<json> v = compile(c.path).evaluate(roots);
    ASSERT_TRUE(v.ok()) << v.failure().cause.value_or("");
    EXPECT_EQ(v.value(), c.expected);
  }
}

TEST(JsonPathTest, UnavailableRootsAndUnassignedVariablesFail) {
  json input = json::object();
  MapScope vars({});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"$missing", "No results for path: $missing"},
      {"$missing.a", "No results for path: $missing['a']"},
      {"$$.Execution", "No results for path: $$['Execution']"},
  };
  for (const auto& [text, cause] : cases) {
    SCOPED_TRACE(text);
    Outcome<json> v = compile(text).evaluate(PathRoots{&input, nullptr, &vars});
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.failure().error_name(), "States.Runtime");
    EXPECT_EQ(v.failure().cause, cause);
  }
  Outcome<json> no_scope = compile("$x").evaluate(PathRoots{&input, nullptr, nullptr});
  EXPECT_FALSE(no_scope.ok());
  Outcome<json> no_input = compile("$.a").evaluate(PathRoots{});
  EXPECT_FALSE(no_input.ok());
}

TEST(JsonPathTest, AssignReplacesTheRoot) {
  json target = json::parse(R"({"a": 1})");
  ASSERT_TRUE(compile("$").assign(target, json("result")).ok());
  EXPECT_EQ(target, json("result"));
}

TEST(JsonPathTest, AssignCreatesMissingIntermediateObjects) {
  struct Case {
    std::string path;
    json before;
    json after;
  };
  const std::vector<Case> cases = {
      {"$.r", json::parse(R"({"a": 1})"), json::parse(R"({"a": 1, "r": "v"})")},
      {"$.a", json::parse(R"({"a": 1})"), json::parse(R"({"a": "v"})")},
      {"$.x.y.z", json::parse(R"({})"), json::parse(R"({"x": {"y": {"z": "v"}}})")},
      {"$.a.b", json::parse(R"({"a": {"c": 2}})"), json::parse(R"({"a": {"c": 2, "b": "v"}})")},
      {"$.l[1]", json::parse(R"({"l": [0, 1]})"), json::parse(R"({"l": [0, "v"]})")},
      {"$.l[-1].k", json::parse(R"({"l": [{}, {}]})"), json::parse(R"({"l": [{}, {"k": "v"}]})")},
      {"$['odd key']", json::parse(R"({})"), json::parse(R"({"odd key": "v"})")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    json target = c.before;
    Outcome<std::monostate> r = compile(c.path).assign(target, json("v"));
    ASSERT_TRUE(r.ok()) << r.failure().cause.value_or("");
    EXPECT_EQ(target, c.after);
  }
}

TEST(JsonPathTest, AssignFailsOnNonObjectIntermediates) {
  struct Case {
    std::string path;
    json before;
    std::string cause;
  };
  const std::vector<Case> cases = {
      {"$.a.b", json::parse(R"({"a": 5})"),
       "Invalid path '$.a.b' : Missing property in path $['a']"},
      {"$.x", json("foo"), "Invalid path '$.x' : Missing property in path $"},
      {"$.a.b.c", json::parse(R"({"a": {"b": [1]}})"),
       "Invalid path '$.a.b.c' : Missing property in path $['a']['b']"},
      {"$.l[3]", json::parse(R"({"l": [0]})"),
       "Invalid path '$.l[3]' : Missing property in path $['l']"},
      {"$.o[0]", json::parse(R"({"o": {}})"),
       "Invalid path '$.o[0]' : Missing property in path $['o']"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    json target = c.before;
    Outcome<std::monostate> r = compile(c.path).assign(target, json("v"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.failure().error_name(), "States.Runtime");
    EXPECT_EQ(r.failure().cause, c.cause);
  }
}

TEST(JsonPathTest, CopiesShareTheCompiledPath) {
  JsonPath a = compile("$.a.b");
  JsonPath b = a;
  JsonPath c;
  c = std::move(b);
  EXPECT_EQ(c.text(), "$.a.b");
  EXPECT_EQ(c.normalized(), "$['a']['b']");
  JsonPath d;
  EXPECT_EQ(d.text(), "$");
  EXPECT_TRUE(d.is_root_only());
}

}  // namespace
}  // namespace stepwise::internal
