// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The built-in function library: string, numeric, aggregation, boolean, array, object,
// higher-order, regex-based and URL/base64 functions, plus `$eval`, `$error` and `$assert`.
// Number/date formatting functions live in format.cc and datetime.cc. One immutable table maps
// each name to its signature and implementation.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "jsonata/evaluator.h"
#include "jsonata/format.h"
#include "jsonata/regex.h"
#include "util/utf8.h"

namespace stepwise::jsonata::internal {

namespace utf8 = stepwise::internal::utf8;

namespace {

Value str_value(std::string s) { return Value::string(std::move(s)); }
Value num(double d) { return Value::number(d); }
Value arg(std::vector<Value>& a, std::size_t i) { return i < a.size() ? a[i] : Value(); }

bool js_truthy(const Value& v) {
  switch (v.type()) {
    case Type::kUndefined:
    case Type::kNull:
      return false;
    case Type::kBool:
      return v.as_bool();
    case Type::kNumber:
      return v.num() != 0 && !std::isnan(v.num());
    case Type::kString:
      return !v.str().empty();
    default:
      return true;
  }
}

// ---- Strings ----

Value fn_string(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  bool pretty = arg(a, 1).is_bool() && arg(a, 1).as_bool();
  return str_value(to_js_string(v, pretty));
}

Value fn_substring(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  if (s.is_undefined()) return s;
  auto chars = utf8::split_code_points(s.str());
  double len = static_cast<double>(chars.size());
  double start = arg(a, 1).num();
  if (std::isnan(start)) start = 0;
  start = std::trunc(start);
  if (len + start < 0) start = 0;
  auto slice = [&](double b, double e) {
    if (b < 0) b = std::max(0.0, len + b);
    if (e < 0) e = std::max(0.0, len + e);
    b = std::min(b, len);
    e = std::min(e, len);
    std::string out;
    for (double i = b; i < e; ++i) out += chars[static_cast<std::size_t>(i)];
    return out;
  };
  Value l = arg(a, 2);
  if (l.is_defined()) {
    double length = std::trunc(l.num());
    if (length <= 0) return str_value("");
    double end = start >= 0 ? start + length : len + start + length;
    return str_value(slice(start, end));
  }
  return str_value(slice(start, len));
}

Value fn_substring_before(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  if (s.is_undefined()) return s;
  Value c = arg(a, 1);
  std::size_t pos = s.str().find(c.is_string() ? c.str() : std::string());
  if (pos == std::string::npos) return s;
  return str_value(s.str().substr(0, pos));
}

Value fn_substring_after(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  if (s.is_undefined()) return s;
  std::string c = arg(a, 1).is_string() ? arg(a, 1).str() : std::string();
  std::size_t pos = s.str().find(c);
  if (pos == std::string::npos) return s;
  return str_value(s.str().substr(pos + c.size()));
}

std::string change_case(const std::string& s, bool upper) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(upper ? std::toupper(c) : std::tolower(c)));
    } else if (c == 0xC3 && i + 1 < s.size()) {
      auto d = static_cast<unsigned char>(s[i + 1]);
      // Latin-1 letters U+00C0..U+00DE <-> U+00E0..U+00FE (except multiplication/division).
      if (upper && d >= 0xA0 && d <= 0xBE && d != 0xB7) d = static_cast<unsigned char>(d - 0x20);
      if (!upper && d >= 0x80 && d <= 0x9E && d != 0x97) d = static_cast<unsigned char>(d + 0x20);
      out.push_back(static_cast<char>(c));
      out.push_back(static_cast<char>(d));
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

Value fn_lowercase(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  return s.is_undefined() ? s : str_value(change_case(s.str(), false));
}

Value fn_uppercase(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  return s.is_undefined() ? s : str_value(change_case(s.str(), true));
}

Value fn_length(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  return s.is_undefined() ? s : num(static_cast<double>(utf8::count_code_points(s.str())));
}

Value fn_trim(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  if (s.is_undefined()) return s;
  std::string out;
  bool in_ws = false;
  for (char c : s.str()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!in_ws) out.push_back(' ');
      in_ws = true;
    } else {
      out.push_back(c);
      in_ws = false;
    }
  }
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return str_value(out);
}

Value fn_pad(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  if (s.is_undefined()) return s;
  double width = std::trunc(arg(a, 1).num());
  std::string ch = arg(a, 2).is_string() && !arg(a, 2).str().empty() ? arg(a, 2).str() : " ";
  double pad_len = std::fabs(width) - static_cast<double>(utf8::count_code_points(s.str()));
  if (pad_len <= 0) return s;
  auto chars = utf8::split_code_points(ch);
  std::string padding;
  for (std::size_t i = 0; i < static_cast<std::size_t>(pad_len); ++i)
    padding += chars[i % chars.size()];
  return str_value(width > 0 ? s.str() + padding : padding + s.str());
}

// ---- Matching (regex or custom matcher functions) ----

struct MatchInfo {
  std::size_t start = 0;  // Byte offsets.
  std::size_t end = 0;
  std::string match;
  std::vector<Value> groups;
  Value object;  // The match object (for function replacers).
};

// Calls `cb` for successive matches of `matcher` in `str`, up to `limit` (negative: no limit).
template <typename Callback>
void for_each_match(Evaluator& ev, const Value& matcher, const std::string& str, double limit,
                    Callback cb) {
  if (!matcher.is_function()) return;
  const FunctionNode& f = matcher.fn();
  double count = 0;
  if (f.kind == FunctionNode::Kind::kRegex) {
    Regex::Match m;
    std::size_t offset = 0;
    bool first = true;
    while (limit < 0 || count < limit) {
      if (!first && offset >= str.size()) break;
      if (!f.regex->exec(str, offset, m)) break;
      if (!first && m.start == m.end) throw_value_error("D1004", f.regex->pattern());
      first = false;
      MatchInfo info;
      info.start = m.start;
      info.end = m.end;
      info.match = str.substr(m.start, m.end - m.start);
      for (const auto& g : m.groups) {
        info.groups.push_back(g.first == std::string::npos
                                  ? Value()
                                  : str_value(str.substr(g.first, g.second - g.first)));
      }
      cb(info, [&]() { return make_regex_match(f.regex, str, m, true); });
      offset = m.end;
      ++count;
    }
    return;
  }
  std::vector<Value> args{str_value(str)};
  Value res = ev.apply(matcher, args, Value(), ev.root());
  while (res.is_defined() && (limit < 0 || count < limit)) {
    if (!res.is_object()) throw_value_error("T1010");
    const ObjectNode& o = res.obj();
    const Value* start = o.get("start");
    const Value* end = o.get("end");
    const Value* groups = o.get("groups");
    const Value* next = o.get("next");
    if (!((start && start->is_number()) || (end && end->is_number()) ||
          (groups && groups->is_array()) || (next && next->is_function()))) {
      throw_value_error("T1010");
    }
    MatchInfo info;
    info.start = start && start->is_number()
                     ? utf8::code_point_offset(str, static_cast<std::size_t>(start->num()))
                     : 0;
    info.end = end && end->is_number()
                   ? utf8::code_point_offset(str, static_cast<std::size_t>(end->num()))
                   : info.start;
    const Value* mv = o.get("match");
    info.match = mv && mv->is_string() ? mv->str() : std::string();
    if (groups && groups->is_array()) info.groups = groups->arr().items;
    Value keep = res;
    cb(info, [&]() { return keep; });
    ++count;
    if (!(next && next->is_function())) break;
    std::vector<Value> none;
    res = ev.apply(*next, none, Value(), ev.root());
  }
}

double limit_arg(const Value& v) { return v.is_undefined() ? -1 : v.num(); }

Value fn_match(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  if (s.is_undefined()) return s;
  Value lim = arg(a, 2);
  if (lim.is_defined() && lim.num() < 0) throw_value_error("D3040", describe(lim));
  Value result = make_sequence();
  double limit = limit_arg(lim);
  if (limit == 0) return result;
  for_each_match(ev, arg(a, 1), s.str(), limit, [&](MatchInfo& m, auto) {
    Value o = make_object();
    o.obj().set("match", str_value(m.match));
    o.obj().set("index", num(static_cast<double>(utf8::count_code_points(
                             std::string_view(s.str()).substr(0, m.start)))));
    o.obj().set("groups", make_array(m.groups));
    result.arr().items.push_back(o);
  });
  return result;
}

Value fn_contains(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  if (s.is_undefined()) return s;
  Value token = arg(a, 1);
  if (token.is_undefined()) return token;
  if (token.is_string()) return Value::boolean(s.str().find(token.str()) != std::string::npos);
  bool found = false;
  for_each_match(ev, token, s.str(), 1, [&](MatchInfo&, auto) { found = true; });
  return Value::boolean(found);
}

std::string expand_replacement(const std::string& repl, const MatchInfo& m) {
  std::string out;
  std::size_t position = 0;
  std::size_t index = repl.find('$');
  while (index != std::string::npos && position < repl.size()) {
    out += repl.substr(position, index - position);
    position = index + 1;
    char d = position < repl.size() ? repl[position] : '\0';
    if (d == '$') {
      out.push_back('$');
      ++position;
    } else if (d == '0') {
      out += m.match;
      ++position;
    } else {
      std::size_t ngroups = m.groups.size();
      std::size_t max_digits =
          ngroups == 0
              ? 1
              : static_cast<std::size_t>(std::floor(std::log10(static_cast<double>(ngroups)))) + 1;
      auto parse = [&](std::size_t digits) -> long {
        std::string sub = repl.substr(position, digits);
        if (sub.empty() || !std::isdigit(static_cast<unsigned char>(sub[0]))) return -1;
        return std::strtol(sub.c_str(), nullptr, 10);
      };
      long idx = parse(max_digits);
      if (max_digits > 1 && idx > static_cast<long>(ngroups)) idx = parse(max_digits - 1);
      if (idx >= 0) {
        if (ngroups > 0 && idx >= 1 && static_cast<std::size_t>(idx) <= ngroups) {
          const Value& g = m.groups[static_cast<std::size_t>(idx - 1)];
          if (g.is_string()) out += g.str();
        }
        position += std::to_string(idx).size();
      } else {
        out.push_back('$');
      }
    }
    index = repl.find('$', position);
  }
  if (position < repl.size()) out += repl.substr(position);
  return out;
}

Value fn_replace(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  if (s.is_undefined()) return s;
  Value pattern = arg(a, 1);
  Value repl = arg(a, 2);
  Value lim = arg(a, 3);
  if (pattern.is_string() && pattern.str().empty()) throw_value_error("D3010");
  if (lim.is_defined() && lim.num() < 0) throw_value_error("D3011");
  double limit = limit_arg(lim);
  if (limit == 0) return s;
  const std::string& str = s.str();
  std::string result;
  std::size_t position = 0;
  if (pattern.is_string()) {
    const std::string& p = pattern.str();
    std::string r = repl.is_string() ? repl.str() : std::string();
    double count = 0;
    std::size_t index = str.find(p);
    while (index != std::string::npos && (limit < 0 || count < limit)) {
      result += str.substr(position, index - position);
      result += r;
      position = index + p.size();
      ++count;
      index = str.find(p, position);
    }
    result += str.substr(position);
    return str_value(result);
  }
  for_each_match(ev, pattern, str, limit, [&](MatchInfo& m, auto make_obj) {
    result += str.substr(position, m.start > position ? m.start - position : 0);
    if (repl.is_string()) {
      result += expand_replacement(repl.str(), m);
    } else {
      std::vector<Value> args{make_obj()};
      Value r = ev.apply(repl, args, Value(), ev.root());
      if (!r.is_string()) throw_value_error("D3012", describe(r));
      result += r.str();
    }
    position = m.end;
  });
  if (position < str.size()) result += str.substr(position);
  return str_value(result);
}

Value fn_split(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value s = arg(a, 0);
  if (s.is_undefined()) return s;
  Value sep = arg(a, 1);
  Value lim = arg(a, 2);
  if (lim.is_defined() && lim.num() < 0) throw_value_error("D3020", describe(lim));
  Value result = make_array();
  auto& out = result.arr().items;
  double limit = limit_arg(lim);
  if (limit > 0) limit = std::floor(limit);
  if (limit == 0) return result;
  const std::string& str = s.str();
  if (sep.is_string()) {
    const std::string& p = sep.str();
    auto full = [&](std::size_t n) { return limit >= 0 && static_cast<double>(n) >= limit; };
    if (p.empty()) {
      for (auto c : utf8::split_code_points(str)) {
        if (full(out.size())) break;
        out.push_back(str_value(std::string(c)));
      }
      return result;
    }
    std::size_t pos = 0;
    for (;;) {
      if (full(out.size())) break;
      std::size_t idx = str.find(p, pos);
      if (idx == std::string::npos) {
        out.push_back(str_value(str.substr(pos)));
        break;
      }
      out.push_back(str_value(str.substr(pos, idx - pos)));
      pos = idx + p.size();
    }
    return result;
  }
  std::size_t start = 0;
  double count = 0;
  for_each_match(ev, sep, str, limit, [&](MatchInfo& m, auto) {
    out.push_back(str_value(str.substr(start, m.start > start ? m.start - start : 0)));
    start = m.end;
    ++count;
  });
  if (limit < 0 || count < limit)
    out.push_back(str_value(start <= str.size() ? str.substr(start) : ""));
  return result;
}

Value fn_join(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value arr = arg(a, 0);
  if (arr.is_undefined()) return arr;
  std::string sep = arg(a, 1).is_string() ? arg(a, 1).str() : std::string();
  std::string out;
  bool first = true;
  for (const auto& v : arr.arr().items) {
    if (!first) out += sep;
    first = false;
    out += v.str();
  }
  return str_value(out);
}

// ---- Numbers ----

Value fn_number(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  if (v.is_number()) return v;
  if (v.is_bool()) return num(v.as_bool() ? 1 : 0);
  if (v.is_string()) {
    const std::string& s = v.str();
    std::size_t i = 0;
    if (i < s.size() && s[i] == '-') ++i;
    std::size_t digits = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    bool ok = i > digits;
    if (ok && i < s.size() && s[i] == '.') {
      std::size_t f = ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      ok = i > f;
    }
    if (ok && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      std::size_t e = i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      ok = i > e;
    }
    if (ok && i == s.size()) {
      double d = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(d)) return num(d);
    }
    if (s.size() > 2 && s[0] == '0') {
      int base = 0;
      char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
      if (p == 'x') base = 16;
      if (p == 'o') base = 8;
      if (p == 'b') base = 2;
      if (base != 0) {
        char* end = nullptr;
        double d = static_cast<double>(std::strtoull(s.c_str() + 2, &end, base));
        if (end != nullptr && *end == '\0') return num(d);
      }
    }
  }
  throw_value_error("D3030", describe(v));
}

Value fn_floor(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  return v.is_undefined() ? v : num(std::floor(v.num()));
}
Value fn_ceil(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  return v.is_undefined() ? v : num(std::ceil(v.num()));
}
Value fn_abs(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  return v.is_undefined() ? v : num(std::fabs(v.num()));
}
Value fn_sqrt(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  if (v.num() < 0) throw_value_error("D3060", describe(v));
  return num(std::sqrt(v.num()));
}
Value fn_power(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value b = arg(a, 0);
  if (b.is_undefined()) return b;
  double r = std::pow(b.num(), arg(a, 1).num());
  if (!std::isfinite(r)) throw_value_error("D3061", describe(b), describe(arg(a, 1)));
  return num(r);
}

Value fn_round(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  int precision = arg(a, 1).is_number() ? static_cast<int>(arg(a, 1).num()) : 0;
  return num(round_half_even(v.num(), precision));
}

Value fn_random(Evaluator& ev, std::vector<Value>&, const Value&, Frame*) {
  std::uniform_real_distribution<double> dist(0.0, 1.0);
  return num(dist(ev.ctx().rng()));
}

// ---- Aggregation ----

Value fn_sum(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  double total = 0;
  for (const auto& i : v.arr().items) total += i.num();
  return num(total);
}
Value fn_count(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return num(0);
  return num(static_cast<double>(v.arr().items.size()));
}
Value fn_max(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined() || v.arr().items.empty()) return Value();
  double m = -INFINITY;
  for (const auto& i : v.arr().items) m = std::max(m, i.num());
  return num(m);
}
Value fn_min(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined() || v.arr().items.empty()) return Value();
  double m = INFINITY;
  for (const auto& i : v.arr().items) m = std::min(m, i.num());
  return num(m);
}
Value fn_average(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined() || v.arr().items.empty()) return Value();
  double total = 0;
  for (const auto& i : v.arr().items) total += i.num();
  return num(total / static_cast<double>(v.arr().items.size()));
}

// ---- Boolean ----

Value fn_boolean(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  auto b = to_boolean(arg(a, 0));
  return b ? Value::boolean(*b) : Value();
}
Value fn_not(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  auto b = to_boolean(arg(a, 0));
  return b ? Value::boolean(!*b) : Value();
}
Value fn_exists(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  return Value::boolean(arg(a, 0).is_defined());
}

// ---- Arrays ----

Value fn_append(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  return append_values(arg(a, 0), arg(a, 1));
}

Value fn_reverse(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  if (v.arr().items.size() <= 1) return v;
  std::vector<Value> items(v.arr().items.rbegin(), v.arr().items.rend());
  return make_array(std::move(items));
}

Value fn_shuffle(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  if (v.arr().items.size() <= 1) return v;
  std::vector<Value> items = v.arr().items;
  std::shuffle(items.begin(), items.end(), ev.ctx().rng());
  return make_array(std::move(items));
}

Value fn_distinct(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  if (!v.is_array() || v.arr().items.size() <= 1) return v;
  Value result = make_array(v.arr().sequence);
  auto& out = result.arr().items;
  for (const auto& item : v.arr().items) {
    bool found = false;
    for (const auto& r : out) {
      if (deep_equal(item, r)) {
        found = true;
        break;
      }
    }
    if (!found) out.push_back(item);
  }
  return result;
}

Value fn_sort(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  const auto& items = v.arr().items;
  if (items.size() <= 1) return v;
  Value cmp = arg(a, 1);
  std::function<bool(const Value&, const Value&)> greater;
  if (cmp.is_undefined()) {
    bool all_num = true;
    bool all_str = true;
    for (const auto& i : items) {
      all_num = all_num && i.is_number();
      all_str = all_str && i.is_string();
    }
    if (!all_num && !all_str) throw_value_error("D3070");
    greater = [all_num](const Value& x, const Value& y) {
      return all_num ? x.num() > y.num() : x.str() > y.str();
    };
  } else {
    greater = [&](const Value& x, const Value& y) {
      std::vector<Value> args{x, y};
      return js_truthy(ev.apply(cmp, args, Value(), ev.root()));
    };
  }
  // Stable merge sort; the comparator says whether the left item goes after the right one.
  std::vector<Value> work = items;
  std::vector<Value> buf(work.size());
  for (std::size_t width = 1; width < work.size(); width *= 2) {
    for (std::size_t lo = 0; lo < work.size(); lo += 2 * width) {
      std::size_t mid = std::min(lo + width, work.size());
      std::size_t hi = std::min(lo + 2 * width, work.size());
      std::size_t i = lo;
      std::size_t j = mid;
      std::size_t k = lo;
      while (i < mid && j < hi) {
        if (greater(work[i], work[j])) {
          buf[k++] = work[j++];
        } else {
          buf[k++] = work[i++];
        }
      }
      while (i < mid) buf[k++] = work[i++];
      while (j < hi) buf[k++] = work[j++];
    }
    std::swap(work, buf);
  }
  return make_array(std::move(work));
}

Value fn_zip(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value result = make_array();
  std::size_t len = a.empty() ? 0 : SIZE_MAX;
  for (const auto& v : a) len = std::min(len, v.is_array() ? v.arr().items.size() : 0);
  for (std::size_t i = 0; i < len; ++i) {
    Value t = make_array();
    for (const auto& v : a) t.arr().items.push_back(v.arr().items[i]);
    result.arr().items.push_back(t);
  }
  return result;
}

// ---- Objects ----

Value fn_keys(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  Value result = make_sequence();
  auto& out = result.arr().items;
  if (v.is_array()) {
    Value merged = make_object();
    for (const auto& item : v.arr().items) {
      if (item.is_object()) {
        for (const auto& e : item.obj().entries) merged.obj().set(e.first, Value::boolean(true));
      }
    }
    for (const auto& e : merged.obj().entries) out.push_back(str_value(e.first));
  } else if (v.is_object()) {
    for (const auto& e : v.obj().entries) out.push_back(str_value(e.first));
  }
  return result;
}

Value lookup_in(const Value& input, const std::string& key) {
  if (input.is_array()) {
    Value result = make_sequence();
    for (const auto& item : input.arr().items) {
      Value r = lookup_in(item, key);
      if (r.is_undefined()) continue;
      if (r.is_array()) {
        for (const auto& x : r.arr().items) result.arr().items.push_back(x);
      } else {
        result.arr().items.push_back(r);
      }
    }
    return result;
  }
  if (input.is_object()) {
    const Value* v = input.obj().get(key);
    if (v != nullptr) return *v;
  }
  return Value();
}

Value fn_lookup(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value k = arg(a, 1);
  return lookup_in(arg(a, 0), k.is_string() ? k.str() : std::string());
}

Value spread(const Value& v) {
  if (v.is_array()) {
    Value result = make_sequence();
    for (const auto& item : v.arr().items) {
      Value s = spread(item);
      if (s.is_array()) {
        for (const auto& x : s.arr().items) result.arr().items.push_back(x);
      } else if (s.is_defined()) {
        result.arr().items.push_back(s);
      }
    }
    return result;
  }
  if (v.is_object()) {
    Value result = make_sequence();
    for (const auto& e : v.obj().entries) {
      Value o = make_object();
      o.obj().set(e.first, e.second);
      result.arr().items.push_back(o);
    }
    return result;
  }
  return v;
}

Value fn_spread(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  return spread(arg(a, 0));
}

Value fn_merge(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  Value result = make_object();
  for (const auto& item : v.arr().items) {
    if (!item.is_object()) continue;
    for (const auto& e : item.obj().entries) result.obj().set(e.first, e.second);
  }
  return result;
}

Value fn_each(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value obj = arg(a, 0);
  Value fn = arg(a, 1);
  Value result = make_sequence();
  if (!obj.is_object()) return result;
  for (const auto& e : obj.obj().entries) {
    Value r = ev.call_hof(fn, e.second, str_value(e.first), obj, 3);
    if (r.is_defined()) result.arr().items.push_back(r);
  }
  return result;
}

Value fn_sift(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value obj = arg(a, 0);
  Value fn = arg(a, 1);
  if (!obj.is_object()) return Value();
  Value result = make_object();
  for (const auto& e : obj.obj().entries) {
    Value r = ev.call_hof(fn, e.second, str_value(e.first), obj, 3);
    if (to_boolean(r).value_or(false)) result.obj().set(e.first, e.second);
  }
  if (result.obj().size() == 0) return Value();
  return result;
}

Value fn_type(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  switch (v.type()) {
    case Type::kUndefined:
      return Value();
    case Type::kNull:
      return str_value("null");
    case Type::kBool:
      return str_value("boolean");
    case Type::kNumber:
      return str_value("number");
    case Type::kString:
      return str_value("string");
    case Type::kArray:
      return str_value("array");
    case Type::kObject:
      return str_value("object");
    case Type::kFunction:
      return str_value("function");
  }
  return Value();
}

Value fn_clone(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  return deep_clone(arg(a, 0));
}

Value fn_error(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value m = arg(a, 0);
  throw_value_error("D3137", m.is_string() ? m.str() : "$error() function evaluated");
}

Value fn_assert(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value c = arg(a, 0);
  if (!c.is_bool() || !c.as_bool()) {
    Value m = arg(a, 1);
    throw_value_error("D3141", m.is_string() ? m.str() : "$assert() statement failed");
  }
  return Value();
}

// ---- Higher-order ----

Value fn_map(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value arr = arg(a, 0);
  Value fn = arg(a, 1);
  if (arr.is_undefined()) return arr;
  Value result = make_sequence();
  const auto& items = arr.arr().items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Value r = ev.call_hof(fn, items[i], num(static_cast<double>(i)), arr, 3);
    if (r.is_defined()) result.arr().items.push_back(r);
  }
  return result;
}

Value fn_filter(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value arr = arg(a, 0);
  Value fn = arg(a, 1);
  if (arr.is_undefined()) return arr;
  Value result = make_sequence();
  const auto& items = arr.arr().items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Value r = ev.call_hof(fn, items[i], num(static_cast<double>(i)), arr, 3);
    if (to_boolean(r).value_or(false)) result.arr().items.push_back(items[i]);
  }
  return result;
}

Value fn_single(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value arr = arg(a, 0);
  Value fn = arg(a, 1);
  if (arr.is_undefined()) return arr;
  bool found = false;
  Value result;
  const auto& items = arr.arr().items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    bool positive = true;
    if (fn.is_defined()) {
      Value r = ev.call_hof(fn, items[i], num(static_cast<double>(i)), arr, 3);
      positive = to_boolean(r).value_or(false);
    }
    if (positive) {
      if (found) throw_value_error("D3138");
      result = items[i];
      found = true;
    }
  }
  if (!found) throw_value_error("D3139");
  return result;
}

Value fn_reduce(Evaluator& ev, std::vector<Value>& a, const Value&, Frame*) {
  Value seq = arg(a, 0);
  Value fn = arg(a, 1);
  Value init = arg(a, 2);
  int arity = function_arity(fn);
  if (arity < 2) throw_value_error("D3050");
  if (seq.is_undefined()) return init;
  const auto& items = seq.arr().items;
  Value result;
  std::size_t index = 0;
  if (init.is_undefined() && !items.empty()) {
    result = items[0];
    index = 1;
  } else {
    result = init;
  }
  for (; index < items.size(); ++index) {
    std::vector<Value> args{result, items[index]};
    if (arity >= 3) args.push_back(num(static_cast<double>(index)));
    if (arity >= 4) args.push_back(seq);
    result = ev.apply(fn, args, Value::null(), ev.root());
  }
  return result;
}

// ---- Encoding ----

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Value fn_base64encode(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  // btoa works on Latin-1 code units; map code points below 256 to single bytes.
  std::string bytes;
  const std::string& s = v.str();
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      bytes.push_back(static_cast<char>(c));
    } else if (utf8::sequence_length(c) == 2 && i + 1 < s.size()) {
      std::uint32_t cp = ((c & 0x1FU) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3FU);
      bytes.push_back(static_cast<char>(cp & 0xFF));
      ++i;
    } else {
      bytes.push_back(static_cast<char>(c));
    }
  }
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kB64[(n >> 18) & 63]);
    out.push_back(kB64[(n >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kB64[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kB64[n & 63] : '=');
  }
  return str_value(out);
}

Value fn_base64decode(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  std::string out;
  std::uint32_t buf = 0;
  int bits = 0;
  for (char c : v.str()) {
    const char* p = std::strchr(kB64, c);
    if (c == '=' || p == nullptr || c == '\0') continue;
    buf = (buf << 6) | static_cast<std::uint32_t>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      // atob gives Latin-1 code units: each byte is the code point of the same value.
      utf8::append(out, static_cast<char32_t>((buf >> bits) & 0xFF));
    }
  }
  return str_value(out);
}

std::string url_encode(const std::string& s, const char* keep) {
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || (c < 0x80 && std::strchr(keep, ch) != nullptr && ch != '\0')) {
      out.push_back(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

bool hex_byte(const std::string& s, std::size_t i, unsigned char& b) {
  // Reads "%XX" starting at s[i].
  if (i + 2 >= s.size() || s[i] != '%' || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
      !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
    return false;
  }
  b = static_cast<unsigned char>(std::strtol(s.substr(i + 1, 2).c_str(), nullptr, 16));
  return true;
}

bool url_decode(const std::string& s, const char* reserved, std::string& out) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    unsigned char byte = 0;
    if (!hex_byte(s, i, byte)) return false;
    if (byte < 0x80) {
      if (reserved != nullptr && byte != 0 &&
          std::strchr(reserved, static_cast<char>(byte)) != nullptr) {
        out += s.substr(i, 3);
      } else {
        out.push_back(static_cast<char>(byte));
      }
      i += 2;
      continue;
    }
    const int extra = static_cast<int>(utf8::sequence_length(byte)) - 1;
    if (extra < 1) return false;
    out.push_back(static_cast<char>(byte));
    i += 3;
    for (int k = 0; k < extra; ++k) {
      unsigned char b = 0;
      if (!hex_byte(s, i, b) || !utf8::is_continuation(b)) return false;
      out.push_back(static_cast<char>(b));
      i += 3;
    }
    --i;
  }
  return true;
}

Value fn_encode_url_component(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  return v.is_undefined() ? v : str_value(url_encode(v.str(), "-_.!~*'()"));
}
Value fn_encode_url(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  return v.is_undefined() ? v : str_value(url_encode(v.str(), "-_.!~*'();/?:@&=+$,#"));
}
Value fn_decode_url_component(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  std::string out;
  if (!url_decode(v.str(), nullptr, out))
    throw_error("D3140", 0, "decodeUrlComponent", "\"" + v.str() + "\"");
  return str_value(out);
}
Value fn_decode_url(Evaluator&, std::vector<Value>& a, const Value&, Frame*) {
  Value v = arg(a, 0);
  if (v.is_undefined()) return v;
  std::string out;
  if (!url_decode(v.str(), ";/?:@&=+$,#", out))
    throw_error("D3140", 0, "decodeUrl", "\"" + v.str() + "\"");
  return str_value(out);
}

// ---- Eval ----

Value fn_eval(Evaluator& ev, std::vector<Value>& a, const Value& input, Frame* env) {
  Value expr = arg(a, 0);
  if (expr.is_undefined()) return expr;
  Value in = input;
  Value focus = arg(a, 1);
  if (focus.is_defined()) {
    in = focus;
    if (in.is_array() && !in.arr().sequence) {
      Value w = make_sequence();
      w.arr().items.push_back(focus);
      w.arr().outer_wrapper = true;
      in = w;
    }
  }
  std::shared_ptr<const Program> prog;
  try {
    prog = parse_program(expr.str());
  } catch (const JsonataError& e) {
    throw_value_error("D3120", e.message);
  }
  ev.ctx().eval_programs.push_back(prog);
  try {
    return ev.eval(prog->root, in, env);
  } catch (const JsonataError& e) {
    if (e.code == "U1001") throw;
    throw_value_error("D3121", e.message);
  }
}

struct Builtin {
  const char* name;
  const char* signature;
  NativeImpl impl;
};

const Builtin kBuiltins[] = {
    {"sum", "<a<n>:n>", fn_sum},
    {"count", "<a:n>", fn_count},
    {"max", "<a<n>:n>", fn_max},
    {"min", "<a<n>:n>", fn_min},
    {"average", "<a<n>:n>", fn_average},
    {"string", "<x-b?:s>", fn_string},
    {"substring", "<s-nn?:s>", fn_substring},
    {"substringBefore", "<s-s:s>", fn_substring_before},
    {"substringAfter", "<s-s:s>", fn_substring_after},
    {"lowercase", "<s-:s>", fn_lowercase},
    {"uppercase", "<s-:s>", fn_uppercase},
    {"length", "<s-:n>", fn_length},
    {"trim", "<s-:s>", fn_trim},
    {"pad", "<s-ns?:s>", fn_pad},
    {"match", "<s-f<s:o>n?:a<o>>", fn_match},
    {"contains", "<s-(sf):b>", fn_contains},
    {"replace", "<s-(sf)(sf)n?:s>", fn_replace},
    {"split", "<s-(sf)n?:a<s>>", fn_split},
    {"join", "<a<s>s?:s>", fn_join},
    {"formatNumber", "<n-so?:s>", fn_format_number},
    {"formatBase", "<n-n?:s>", fn_format_base},
    {"formatInteger", "<n-s:s>", fn_format_integer},
    {"parseInteger", "<s-s:n>", fn_parse_integer},
    {"number", "<(nsb)-:n>", fn_number},
    {"floor", "<n-:n>", fn_floor},
    {"ceil", "<n-:n>", fn_ceil},
    {"round", "<n-n?:n>", fn_round},
    {"abs", "<n-:n>", fn_abs},
    {"sqrt", "<n-:n>", fn_sqrt},
    {"power", "<n-n:n>", fn_power},
    {"random", "<:n>", fn_random},
    {"boolean", "<x-:b>", fn_boolean},
    {"not", "<x-:b>", fn_not},
    {"map", "<af>", fn_map},
    {"zip", "<a+>", fn_zip},
    {"filter", "<af>", fn_filter},
    {"single", "<af?>", fn_single},
    {"reduce", "<afj?:j>", fn_reduce},
    {"sift", "<o-f?:o>", fn_sift},
    {"keys", "<x-:a<s>>", fn_keys},
    {"lookup", "<x-s:x>", fn_lookup},
    {"append", "<xx:a>", fn_append},
    {"exists", "<x:b>", fn_exists},
    {"spread", "<x-:a<o>>", fn_spread},
    {"merge", "<a<o>:o>", fn_merge},
    {"reverse", "<a:a>", fn_reverse},
    {"each", "<o-f:a>", fn_each},
    {"error", "<s?:x>", fn_error},
    {"assert", "<bs?:x>", fn_assert},
    {"type", "<x:s>", fn_type},
    {"sort", "<af?:a>", fn_sort},
    {"shuffle", "<a:a>", fn_shuffle},
    {"distinct", "<x:x>", fn_distinct},
    {"base64encode", "<s-:s>", fn_base64encode},
    {"base64decode", "<s-:s>", fn_base64decode},
    {"encodeUrlComponent", "<s-:s>", fn_encode_url_component},
    {"encodeUrl", "<s-:s>", fn_encode_url},
    {"decodeUrlComponent", "<s-:s>", fn_decode_url_component},
    {"decodeUrl", "<s-:s>", fn_decode_url},
    {"eval", "<sx?:x>", fn_eval},
    {"toMillis", "<s-s?:n>", fn_to_millis},
    {"fromMillis", "<n-s?s?:s>", fn_from_millis},
    {"clone", "<(oa)-:o>", fn_clone},
    {"now", "<s?s?:s>", fn_now},
    {"millis", "<:n>", fn_millis},
};

class BuiltinTable {
 public:
  BuiltinTable() {
    natives_.reserve(std::size(kBuiltins));
    for (const auto& b : kBuiltins) {
      auto nf = std::make_unique<NativeFunction>();
      nf->name = b.name;
      nf->impl = b.impl;
      nf->signature = std::make_shared<Signature>(Signature::parse(b.signature, 0));
      // Arity as JavaScript reports it: declared parameters before the first optional one.
      int arity = 0;
      std::string_view sig(b.signature);
      std::size_t colon = sig.find(':');
      std::string_view params =
          sig.substr(1, (colon == std::string_view::npos ? sig.size() - 1 : colon) - 1);
      int depth = 0;
      for (std::size_t i = 0; i < params.size(); ++i) {
        char c = params[i];
        if (c == '<' || c == '(') ++depth;
        if (c == '>' || c == ')') {
          --depth;
          if (depth == 0 && c == ')') {
            if (i + 1 < params.size() && params[i + 1] == '?') break;
            ++arity;
          }
          continue;
        }
        if (depth > 0) continue;
        if (std::strchr("snbloafjx", c) != nullptr) {
          if (i + 1 < params.size() && params[i + 1] == '?') break;
          ++arity;
        }
      }
      nf->arity = arity;
      auto* f = new FunctionNode(FunctionNode::Kind::kNative);
      f->native = nf.get();
      f->immortal = true;
      values_.emplace(b.name, Value::from_node(Type::kFunction, f));
      natives_.push_back(std::move(nf));
    }
  }
  ~BuiltinTable() {
    for (auto& [k, v] : values_) {
      HeapNode* n = v.node();
      v = Value();
      delete n;
    }
  }
  const Value* find(std::string_view name) const {
    auto it = values_.find(name);
    return it == values_.end() ? nullptr : &it->second;
  }

 private:
  std::vector<std::unique_ptr<NativeFunction>> natives_;
  std::unordered_map<std::string, Value, StringHash, std::equal_to<>> values_;
};

}  // namespace

const Value* builtin_function(std::string_view name) {
  static const BuiltinTable table;  // Immutable after construction.
  return table.find(name);
}

std::string to_js_string(const Value& v, bool pretty) {
  if (v.is_string()) return v.str();
  if (v.is_function()) return "";
  if (v.is_number()) {
    if (!std::isfinite(v.num())) throw_value_error("D3001", js_number_to_string(v.num()));
    return js_number_to_string15(v.num());
  }
  Value x = v;
  if (x.is_array() && x.arr().outer_wrapper && !x.arr().items.empty()) x = Value(v.arr().items[0]);
  // Nested non-finite numbers are an error, as in jsonata-js's replacer.
  std::vector<const Value*> stack{&x};
  while (!stack.empty()) {
    const Value* c = stack.back();
    stack.pop_back();
    if (c->is_number()) is_numeric(*c);
    if (c->is_array()) {
      for (const auto& i : c->arr().items) stack.push_back(&i);
    } else if (c->is_object()) {
      for (const auto& e : c->obj().entries) stack.push_back(&e.second);
    }
  }
  return stringify(x, pretty ? 2 : 0);
}

Value make_regex_match(const std::shared_ptr<const Regex>& re, const std::string& subject,
                       const Regex::Match& m, bool with_next) {
  Value o = make_object();
  ObjectNode& obj = o.obj();
  obj.set("match", Value::string(subject.substr(m.start, m.end - m.start)));
  obj.set("start", Value::number(static_cast<double>(
                       utf8::count_code_points(std::string_view(subject).substr(0, m.start)))));
  obj.set("end", Value::number(static_cast<double>(
                     utf8::count_code_points(std::string_view(subject).substr(0, m.end)))));
  Value groups = make_array();
  for (const auto& g : m.groups) {
    groups.arr().items.push_back(g.first == std::string::npos
                                     ? Value()
                                     : Value::string(subject.substr(g.first, g.second - g.first)));
  }
  obj.set("groups", groups);
  if (with_next) {
    auto* f = new FunctionNode(FunctionNode::Kind::kRegexNext);
    Value fv = make_function(f);
    f->subject = subject;
    f->offset = m.end;
    f->regex = re;
    obj.set("next", fv);
  }
  return o;
}

}  // namespace stepwise::jsonata::internal
