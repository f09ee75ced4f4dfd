// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Choice rule evaluation.
#include "interp/choice.h"

#include <fmt/format.h>

#include "util/timestamp.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

template <typename T>
int three_way(T x, T y) {
  return x < y ? -1 : (x > y ? 1 : 0);
}

int compare_numbers(const json& a, const json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    // Positive integers may be stored unsigned (above INT64_MAX too); never convert one to
    // int64 blindly, or 2^64-1 compares equal to -1.
    bool au = a.is_number_unsigned(), bu = b.is_number_unsigned();
    if (au && bu) return three_way(a.get<std::uint64_t>(), b.get<std::uint64_t>());
    if (!au && !bu) return three_way(a.get<std::int64_t>(), b.get<std::int64_t>());
    if (au) {
      auto y = b.get<std::int64_t>();
      return y < 0 ? 1 : three_way(a.get<std::uint64_t>(), static_cast<std::uint64_t>(y));
    }
    auto x = a.get<std::int64_t>();
    return x < 0 ? -1 : three_way(static_cast<std::uint64_t>(x), b.get<std::uint64_t>());
  }
  double x = a.get<double>(), y = b.get<double>();
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool ordered(int cmp, ChoiceOp op) {
  switch (op) {
    case ChoiceOp::kStringEquals:
    case ChoiceOp::kNumericEquals:
    case ChoiceOp::kTimestampEquals:
      return cmp == 0;
    case ChoiceOp::kStringLessThan:
    case ChoiceOp::kNumericLessThan:
    case ChoiceOp::kTimestampLessThan:
      return cmp < 0;
    case ChoiceOp::kStringGreaterThan:
    case ChoiceOp::kNumericGreaterThan:
    case ChoiceOp::kTimestampGreaterThan:
      return cmp > 0;
    case ChoiceOp::kStringLessThanEquals:
    case ChoiceOp::kNumericLessThanEquals:
    case ChoiceOp::kTimestampLessThanEquals:
      return cmp <= 0;
    case ChoiceOp::kStringGreaterThanEquals:
    case ChoiceOp::kNumericGreaterThanEquals:
    case ChoiceOp::kTimestampGreaterThanEquals:
      return cmp >= 0;
    default:
      return false;
  }
}

bool is_string_op(ChoiceOp op) {
  return op >= ChoiceOp::kStringEquals && op <= ChoiceOp::kStringGreaterThanEquals;
}
bool is_numeric_op(ChoiceOp op) {
  return op >= ChoiceOp::kNumericEquals && op <= ChoiceOp::kNumericGreaterThanEquals;
}
bool is_timestamp_op(ChoiceOp op) {
  return op >= ChoiceOp::kTimestampEquals && op <= ChoiceOp::kTimestampGreaterThanEquals;
}

// Java String.compareTo: UTF-16 code units. UTF-8 byte order equals code point order, which
// differs from UTF-16 order only between supplementary characters and U+E000..U+FFFF.
int compare_strings(const std::string& a, const std::string& b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

bool string_matches(std::string_view text, std::string_view pattern) {
  // Iterative wildcard match with backtracking to the last star.
  std::size_t t = 0, p = 0, star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      char pc = pattern[p];
      if (pc == '*') {
        star_p = p++;
        star_t = t;
        continue;
      }
      bool escaped = false;
      if (pc == '\\' && p + 1 < pattern.size()) {
        pc = pattern[p + 1];
        escaped = true;
      }
      if (pc == text[t]) {
        p += escaped ? 2 : 1;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Outcome<bool> evaluate_choice_rule(const ChoiceRule& rule, const json& input, ContextRef context,
                                   const VariableScope* variables) {
  switch (rule.op) {
    case ChoiceOp::kAnd:
      for (const ChoiceRule& c : rule.children) {
        Outcome<bool> r = evaluate_choice_rule(c, input, context, variables);
        if (!r.ok() || !r.value()) return r;
      }
      return true;
    case ChoiceOp::kOr:
      for (const ChoiceRule& c : rule.children) {
        Outcome<bool> r = evaluate_choice_rule(c, input, context, variables);
        if (!r.ok() || r.value()) return r;
      }
      return false;
    case ChoiceOp::kNot: {
      if (rule.children.empty()) return false;
      Outcome<bool> r = evaluate_choice_rule(rule.children[0], input, context, variables);
      if (!r.ok()) return r;
      return !r.value();
    }
    default:
      break;
  }
  PathRoots roots{&input, context, variables};
  Outcome<json> var = rule.variable.evaluate(roots);
  if (rule.op == ChoiceOp::kIsPresent) {
    bool present = var.ok() && !(rule.variable.is_definite() == false && var.value().empty());
    return present == rule.operand.get<bool>();
  }
  if (!var.ok()) {
    return runtime_failure(fmt::format("Invalid path '{}' : {}", rule.variable.text(),
                                       var.failure().cause.value_or("")));
  }
  const json& v = var.value();
  bool expect = rule.operand.is_boolean() ? rule.operand.get<bool>() : true;
  switch (rule.op) {
    case ChoiceOp::kIsNull:
      return v.is_null() == expect;
    case ChoiceOp::kIsNumeric:
      return v.is_number() == expect;
    case ChoiceOp::kIsString:
      return v.is_string() == expect;
    case ChoiceOp::kIsBoolean:
      return v.is_boolean() == expect;
    case ChoiceOp::kIsTimestamp:
      return (v.is_string() && parse_rfc3339(v.get<std::string>()).has_value()) == expect;
    default:
      break;
  }
  json operand_holder;
  const json* operand = &rule.operand;
  if (rule.operand_is_path) {
    Outcome<json> o = rule.operand_path.evaluate(roots);
    if (!o.ok()) {
      return runtime_failure(fmt::format("Invalid path '{}' : {}", rule.operand_path.text(),
                                         o.failure().cause.value_or("")));
    }
    operand_holder = std::move(o).value();
    operand = &operand_holder;
  }
  if (rule.op == ChoiceOp::kStringMatches) {
    return v.is_string() && operand->is_string() &&
           string_matches(v.get_ref<const std::string&>(), operand->get_ref<const std::string&>());
  }
  if (rule.op == ChoiceOp::kBooleanEquals) {
    return v.is_boolean() && operand->is_boolean() && v.get<bool>() == operand->get<bool>();
  }
  if (is_string_op(rule.op)) {
    if (!v.is_string() || !operand->is_string()) return false;
    return ordered(
        compare_strings(v.get_ref<const std::string&>(), operand->get_ref<const std::string&>()),
        rule.op);
  }
  if (is_numeric_op(rule.op)) {
    if (!v.is_number() || !operand->is_number()) return false;
    return ordered(compare_numbers(v, *operand), rule.op);
  }
  if (is_timestamp_op(rule.op)) {
    if (!v.is_string() || !operand->is_string()) return false;
    auto a = parse_rfc3339(v.get_ref<const std::string&>());
    auto b = rule.operand_is_path ? parse_rfc3339(operand->get_ref<const std::string&>())
                                  : std::optional<std::int64_t>(rule.timestamp_nanos);
    if (!a || !b) return false;
    return ordered(*a < *b ? -1 : (*a > *b ? 1 : 0), rule.op);
  }
  return false;
}

}  // namespace stepwise::internal
