// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Unit tests for the JSONata engine: parser errors, evaluator edge cases (sequences, undefined,
// number printing), limits (depth, time, ranges, regex backtracking, parser nesting), host
// functions and bindings, the internal native-function API, and concurrent evaluation.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "jsonata/evaluator.h"
#include "stepwise/jsonata.h"

namespace stepwise::jsonata {
namespace {

using nlohmann::json;

Outcome eval(const std::string& expr, const json* input = nullptr, const Bindings* b = nullptr,
             const EvaluateOptions& o = {}) {
  auto c = Expression::compile(expr);
  if (!c.ok()) return Outcome(c.error());
  return c.expression().evaluate(input, b, o);
}

json value_of(const std::string& expr, const json& input = json()) {
  Outcome o = eval(expr, input.is_null() ? nullptr : &input);
  EXPECT_TRUE(o.is_value()) << expr << ": "
                            << (o.is_error() ? o.error().to_string() : "not a value");
  return o.is_value() ? o.value() : json();
}

std::string error_of(const std::string& expr, const EvaluateOptions& o = {}) {
  Outcome out = eval(expr, nullptr, nullptr, o);
  return out.is_error() ? out.error().code : "no error";
}

TEST(JsonataParser, SyntaxErrorsCarryCodesAndPositions) {
  auto c = Expression::compile("Account.Order[0");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "S0203");
  EXPECT_EQ(Expression::compile("1 +").error().code, "S0207");
  EXPECT_EQ(Expression::compile("'unterminated").error().code, "S0101");
  EXPECT_EQ(Expression::compile("\"\\q\"").error().code, "S0103");
  EXPECT_EQ(Expression::compile("/* open").error().code, "S0106");
  EXPECT_EQ(Expression::compile("a.1").error().code, "S0213");
  EXPECT_EQ(Expression::compile("%").error().code, "S0217");
  EXPECT_EQ(Expression::compile("function($x, y){1}").error().code, "S0208");
  auto bad = Expression::compile("1 ) 2");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "S0201");
  EXPECT_EQ(bad.error().token, ")");
}

TEST(JsonataParser, DeepNestingIsBoundedNotACrash) {
  std::string deep(100000, '(');
  auto c = Expression::compile(deep);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "U1001");
  std::string brackets(50000, '[');
  EXPECT_FALSE(Expression::compile(brackets).ok());
}

TEST(JsonataEvaluator, NumbersPrintLikeJavaScript) {
  EXPECT_EQ(value_of("0.1 + 0.2").get<double>(), 0.30000000000000004);
  EXPECT_EQ(value_of("$string(0.1 + 0.2)"), "0.3");
  EXPECT_EQ(value_of("$string(1e21)"), "1e+21");
  EXPECT_EQ(value_of("$string(123456789012)"), "123456789012");
  EXPECT_EQ(value_of("$string(1/3)"), "0.333333333333333");
  EXPECT_EQ(value_of("$string(0.0000001)"), "1e-7");
  EXPECT_EQ(value_of("5 / 1").dump(), "5");
}

TEST(JsonataEvaluator, SequencesAndSingletons) {
  json in = json::parse(R"({"a":[{"b":1},{"b":[2,3]}],"c":{"b":4}})");
  EXPECT_EQ(value_of("a.b", in), json::parse("[1,2,3]"));
  EXPECT_EQ(value_of("c.b", in), 4);
  EXPECT_EQ(value_of("c.b[]", in), json::parse("[4]"));
  EXPECT_EQ(value_of("a[0].b", in), 1);
  EXPECT_EQ(value_of("a[-1].b", in), json::parse("[2,3]"));
  EXPECT_EQ(value_of("**.b", in), json::parse("[1,2,3,4]"));
  EXPECT_TRUE(eval("nothing.here", &in).is_undefined());
  EXPECT_EQ(value_of("$count(a.b)", in), 3);
}

// Found by jsonata_fuzz (corpus/jsonata/finding_88c058cc0175c2e9): a path starting with an
// array constructor whose filter unwraps one item (`[1, 2, 3][1]`) ran its next step over that
// item as if it were a sequence, and crashed. jsonata-js runs the next step over the value's
// `length` items: none, so the path is undefined.
TEST(JsonataEvaluator, AFilteredArrayConstructorFollowedByAStepIsUndefined) {
  for (const char* expr : {"[1, 2, 3][1].($)", "[{\"a\": 1}][0].a", "[\"abc\"][0].($)",
                           "[true][0].x", "[null, 2][0].($)"}) {
    SCOPED_TRACE(expr);
    Outcome out = eval(expr);
    EXPECT_TRUE(out.is_undefined()) << (out.is_value() ? out.value().dump() : "error");
  }
  // Alone, or with more than one match, the constructor is evaluated as before.
  EXPECT_EQ(value_of("[1, 2, 3][1]"), 2);
  EXPECT_EQ(value_of("[1, 2, 3][$ > 1].($ * 10)"), json::parse("[20, 30]"));
  EXPECT_EQ(value_of("([1, 2, 3][1]).($ * 10)"), 20);
}

TEST(JsonataEvaluator, UndefinedVersusNull) {
  json in = json::parse(R"({"n":null})");
  EXPECT_EQ(value_of("n", in), json());
  EXPECT_TRUE(eval("m", &in).is_undefined());
  EXPECT_EQ(value_of("$exists(n)", in), true);
  EXPECT_EQ(value_of("$exists(m)", in), false);
  EXPECT_EQ(value_of("m ?? 'd'", in), "d");
  EXPECT_EQ(value_of("n ?? 'd'", in), json());
  EXPECT_EQ(value_of("n ?: 'd'", in), "d");
}

// `=` compares arrays and objects by content (jsonata-js isDeepEqual) and `in` by identity
// (JavaScript's ===), as the reference implementation does; $distinct compares by content.
TEST(JsonataEvaluator, EqualsComparesContentAndInComparesIdentity) {
  struct Case {
    const char* expr;
    json expected;
  } cases[] = {
      {"[1,2] = [1,2]", true},
      {R"({"a":1} = {"a":1})", true},
      {"[1,2] in [[1,2]]", false},
      {R"({"a":1} in [{"a":1}])", false},
      {R"(($o := {"a":1}; $o in [$o]))", true},
      {R"(($o := {"a":1}; $o in $o))", true},
      {R"("a" in ["a","b"])", true},
      {"3 in [1,2,3]", true},
      {"null in [null]", true},
      {"true in [1, true]", true},
      {R"(1 in "1")", false},
      {R"($distinct([[1],[1],{"a":1},{"a":1}]))", json::parse(R"([[1],{"a":1}])")},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expr);
    EXPECT_EQ(value_of(c.expr), c.expected);
  }
}

TEST(JsonataEvaluator, BindingsContextAndParent) {
  json in = json::parse(R"({"o":[{"id":"a","p":[{"q":1},{"q":2}]},{"id":"b","p":[{"q":3}]}]})");
  EXPECT_EQ(value_of("o.p.{'id': %.id, 'q': q}", in),
            json::parse(R"([{"id":"a","q":1},{"id":"a","q":2},{"id":"b","q":3}])"));
  EXPECT_EQ(value_of("o#$i.p.($i)", in), json::parse("[0,0,1]"));
  EXPECT_EQ(value_of("o@$x.($x.id)", in), json::parse(R"(["a","b"])"));
  EXPECT_EQ(value_of("o^(>id).id", in), json::parse(R"(["b","a"])"));
  EXPECT_EQ(value_of("o{id: $sum(p.q)}", in), json::parse(R"({"a":3,"b":3})"));
}

TEST(JsonataEvaluator, LambdasClosuresPartialsAndChains) {
  EXPECT_EQ(value_of("($f := function($x){$x * 2}; $f(21))"), 42);
  EXPECT_EQ(value_of("($add := function($a){function($b){$a + $b}}; $add(1)(2))"), 3);
  EXPECT_EQ(value_of("($first3 := $substring(?, 0, 3); $first3('abcdef'))"), "abc");
  EXPECT_EQ(value_of("('hello' ~> $uppercase ~> $substring(0, 2))"), "HE");
  EXPECT_EQ(value_of("($inc := function($x){$x+1}; $twice := $inc ~> $inc; $twice(1))"), 3);
  EXPECT_EQ(value_of("$map([1,2,3], function($v, $i){$v * $i})"), json::parse("[0,2,6]"));
  EXPECT_EQ(value_of("$reduce([1,2,3,4], function($a, $b){$a + $b})"), 10);
  EXPECT_EQ(error_of("($f := function($x)<n:n>{$x}; $f('a'))"), "T0410");
}

TEST(JsonataEvaluator, TailCallsDoNotGrowTheStack) {
  EvaluateOptions o;
  o.max_depth = 200;
  Outcome out = eval(
      "($loop := function($n, $acc){$n = 0 ? $acc : $loop($n - 1, $acc + 1)}; $loop(100000, 0))",
      nullptr, nullptr, o);
  ASSERT_TRUE(out.is_value()) << out.error().to_string();
  EXPECT_EQ(out.value(), 100000);
}

TEST(JsonataLimits, DepthTimeRangeAndRegex) {
  EvaluateOptions o;
  o.max_depth = 100;
  EXPECT_EQ(error_of("($f := function($n){$n + $f($n)}; $f(1))", o), "U1001");
  EXPECT_EQ(error_of("($f := function($n){$n + $f($n)}; $f(1))"), "U1001");  // Default limit.
  EvaluateOptions t;
  t.time_limit = std::chrono::milliseconds(50);
  EXPECT_EQ(error_of("($f := function(){$f()}; $f())", t), "U1001");
  EXPECT_EQ(error_of("[1..10000000000]"), "D2014");
  EXPECT_EQ(error_of("$match('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', /^(a|a)+$/)"), "D1005");
}

TEST(JsonataErrors, RuntimeCodesAndTokens) {
  Outcome o = eval("1 + 'a'");
  ASSERT_TRUE(o.is_error());
  EXPECT_EQ(o.error().code, "T2002");
  EXPECT_EQ(o.error().token, "+");
  EXPECT_EQ(error_of("$error('boom')"), "D3137");
  EXPECT_EQ(error_of("$assert(false, 'no')"), "D3141");
  EXPECT_EQ(error_of("$number('x')"), "D3030");
  EXPECT_EQ(error_of("$undefinedFunction()"), "T1006");
  EXPECT_EQ(error_of("1/0"), "D1001");
}

TEST(JsonataApi, FunctionResultIsReportedAsSuch) {
  EXPECT_TRUE(eval("function($x){$x}").is_function());
  EXPECT_TRUE(eval("$sum").is_function());
}

TEST(JsonataApi, BindingsAndHostFunctions) {
  Bindings b;
  b.set("rate", 0.5).set("obj", json::parse(R"({"k":[1,2]})"));
  b.set_function(
      "twice",
      [](std::span<const std::optional<json>> args) -> Outcome {
        if (!args[0]) return Outcome::undefined();
        return Outcome(json(args[0]->get<double>() * 2));
      },
      "<n:n>");
  b.set_function("fail", [](std::span<const std::optional<json>>) -> Outcome {
    return Outcome(Error{"X0001", 0, "", "host failure"});
  });
  EXPECT_EQ(eval("$twice(21) * $rate", nullptr, &b).value(), 21);
  EXPECT_EQ(eval("$obj.k[1]", nullptr, &b).value(), 2);
  EXPECT_EQ(eval("$twice('x')", nullptr, &b).error().code, "T0410");
  EXPECT_EQ(eval("$fail()", nullptr, &b).error().code, "X0001");
  EXPECT_EQ(eval("$map([1,2], $twice)", nullptr, &b).value(), json::parse("[2,4]"));
}

TEST(JsonataApi, OrderedInputKeepsDocumentOrder) {
  auto c = Expression::compile("$keys($)");
  ASSERT_TRUE(c.ok());
  nlohmann::ordered_json in = nlohmann::ordered_json::parse(R"({"z":1,"a":2,"m":3})");
  EXPECT_EQ(c.expression().evaluate(&in).value(), json::parse(R"(["z","a","m"])"));
}

TEST(JsonataApi, InternalNativeFunctionsAndStatesBinding) {
  Bindings b;
  b.impl().set_native(
      "hash",
      [](internal::Evaluator&, std::vector<internal::Value>& args, const internal::Value&) {
        return internal::Value::string("h:" + args[0].str());
      },
      "<s:s>");
  b.impl().set_value("states", internal::from_json(json::parse(R"({"input":{"x":7}})")));
  EXPECT_EQ(eval("$hash('a') & $string($states.input.x)", nullptr, &b).value(), "h:a7");
}

TEST(JsonataApi, ConcurrentEvaluationOfOneExpression) {
  auto c = Expression::compile(
      "($f := function($n){$n <= 1 ? 1 : $n * $f($n - 1)}; {'sum': $sum(items.(v * $k)), 'f': "
      "$f(10), 'm': "
      "$match(s, /b+/).match})");
  ASSERT_TRUE(c.ok());
  Bindings b;
  b.set("k", 3);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        json in = {{"items", json::array({{{"v", t}}, {{"v", i}}})}, {"s", "abbc"}};
        Outcome o = c.expression().evaluate(&in, &b);
        if (!o.is_value() || o.value()["sum"] != 3 * (t + i) || o.value()["f"] != 3628800 ||
            o.value()["m"] != "bb") {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(JsonataApi, RecursiveClosuresAreReleased) {
  // A lambda stored in the frame it captures forms a cycle; evaluation end must break it
  // (checked by leak sanitizers in the asan preset).
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(value_of("($f := function($n){$n = 0 ? 0 : $f($n - 1)}; $f(10))"), 0);
  }
}

TEST(JsonataApi, PreconvertedInputMatchesJsonInputAndIsNeverModified) {
  const json doc = json::parse(R"({
    "Account": {"Order": [
      {"OrderID": "o1", "Product": [{"Name": "Hat", "Price": 34.45, "Quantity": 2, "Tags": ["a"]},
                                    {"Name": "Cap", "Price": 21.67, "Quantity": 1, "Tags": []}]},
      {"OrderID": "o2", "Product": [{"Name": "Cloak", "Price": 107.99, "Quantity": 1,
                                     "Tags": ["b", "c"]}]}]},
    "nums": [3, 1, 2], "one": [7]})");
  const Input input(doc);
  const Input ordered(nlohmann::ordered_json::parse(doc.dump()));
  const char* exprs[] = {
      "Account.Order.Product.Name",
      "Account.Order.Product[Price > 30].Name[]",
      "$sum(Account.Order.Product.(Price * Quantity))",
      "Account.Order{OrderID: $sum(Product.Price)}",
      "Account.Order.Product^(>Price).Name",
      "$sort(nums)",
      "$append(nums, one)",
      "one[]",
      "nums[$ > 1]",
      "Account.Order.Product.Tags",
      "$ ~> |Account.Order.Product|{'Total': Price * Quantity}, ['Tags']|",
      "$merge([{'a': 1}, Account.Order[0]])",
      "**.Price",
      "$keys(Account.Order[0].Product[0])",
      "$reverse(nums)",
      "$distinct(Account.Order.Product.Tags)",
      "$map(nums, function($v, $i) {$v * $i})",
  };
  for (int round = 0; round < 2; ++round) {  // A second round sees the same, unmodified input.
    for (const char* e : exprs) {
      auto c = Expression::compile(e);
      ASSERT_TRUE(c.ok()) << e;
      Outcome from_json = c.expression().evaluate(&doc);
      Outcome from_input = c.expression().evaluate(input);
      Outcome from_ordered = c.expression().evaluate(ordered);
      ASSERT_TRUE(from_json.is_value()) << e;
      ASSERT_TRUE(from_input.is_value()) << e;
      ASSERT_TRUE(from_ordered.is_value()) << e;
      EXPECT_EQ(from_input.value(), from_json.value()) << e;
      EXPECT_EQ(from_ordered.value(), from_json.value()) << e;
    }
  }
  Outcome whole = Expression::compile("$").expression().evaluate(input);
  ASSERT_TRUE(whole.is_value());
  EXPECT_EQ(whole.value(), doc);
}

TEST(JsonataApi, UndefinedInputAndCopiesOfInput) {
  auto c = Expression::compile("$exists($)");
  ASSERT_TRUE(c.ok());
  Input none;
  EXPECT_TRUE(none.is_undefined());
  Outcome o = c.expression().evaluate(none);
  ASSERT_TRUE(o.is_value());
  EXPECT_EQ(o.value(), false);
  Input copy;
  {
    Input original(json{{"a", json::array({1, 2})}});
    copy = original;
  }
  Outcome a = Expression::compile("$sum(a)").expression().evaluate(copy);
  ASSERT_TRUE(a.is_value());
  EXPECT_EQ(a.value(), 3);
}

TEST(JsonataApi, ConcurrentEvaluationsShareOneInput) {
  const Input input(
      json{{"items", json::array({{{"v", 1}}, {{"v", 2}}, {{"v", 3}}})}, {"s", "abbc"}});
  auto c = Expression::compile(
      "{'sum': $sum(items.v), 'sorted': $sort(items.v, function($a, $b) {$a < $b}), 'm': "
      "$match(s, /b+/).match, 'r': $random() < 1}");
  ASSERT_TRUE(c.ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        Outcome o = c.expression().evaluate(input);
        if (!o.is_value() || o.value()["sum"] != 6 ||
            o.value()["sorted"] != json::array({3, 2, 1}) || o.value()["m"] != "bb" ||
            o.value()["r"] != true) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace stepwise::jsonata
