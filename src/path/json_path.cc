// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONPath (Jayway dialect) compiled to a vector of segments. A definite path is evaluated by a
// pointer walk that allocates nothing; other paths collect pointers to their matches and copy
// them into an array at the end. Filters compile to a small expression tree whose operands are
// relative (`@`) or absolute (`$`) segment vectors. Error texts copy Jayway's, which AWS embeds
// in its causes (ASL-REFERENCE.md section 3.3).
#include "path/json_path.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace stepwise::internal {
namespace {

enum class SegmentKind : std::uint8_t {
  kName,      // .a  ['a']
  kIndex,     // [0] [-1]
  kNames,     // ['a','b']
  kIndexes,   // [0,1]
  kWildcard,  // .*  [*]
  kSlice,     // [1:3] [-2:] [::2]
  kFilter,    // [?(...)]
};

struct FilterExpr;

struct Segment {
  SegmentKind kind = SegmentKind::kName;
  bool deep = false;  // preceded by `..`
  std::string name;
  std::int64_t index = 0;
  std::vector<std::string> names;
  std::vector<std::int64_t> indexes;
  std::optional<std::int64_t> slice_start;
  std::optional<std::int64_t> slice_end;
  std::int64_t slice_step = 1;
  std::shared_ptr<const FilterExpr> filter;
  std::string filter_text;  // as written, `?(...)`
};

using Segments = std::vector<Segment>;

bool is_definite_segment(const Segment& s) {
  return !s.deep && (s.kind == SegmentKind::kName || s.kind == SegmentKind::kIndex);
}

bool all_definite(const Segments& segs) {
  return std::all_of(segs.begin(), segs.end(), is_definite_segment);
}

enum class CompareOp : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct FilterOperand {
  enum class Kind : std::uint8_t { kLiteral, kCurrent, kRoot };
  Kind kind = Kind::kLiteral;
  json literal;
  Segments segments;
  bool definite = true;
};

struct FilterExpr {
  enum class Kind : std::uint8_t { kOr, kAnd, kNot, kExists, kCompare };
  Kind kind = Kind::kExists;
  std::unique_ptr<FilterExpr> lhs;
  std::unique_ptr<FilterExpr> rhs;
  FilterOperand a;
  FilterOperand b;
  CompareOp op = CompareOp::kEq;
};

void append_normalized(std::string& out, const Segment& s) {
  if (s.deep) out += "..";
  switch (s.kind) {
    case SegmentKind::kName:
      out += "['";
      out += s.name;
      out += "']";
      break;
    case SegmentKind::kIndex:
      out += fmt::format("[{}]", s.index);
      break;
    case SegmentKind::kNames: {
      out += '[';
      for (std::size_t i = 0; i < s.names.size(); ++i) {
        if (i) out += ',';
        out += '\'';
        out += s.names[i];
        out += '\'';
      }
      out += ']';
      break;
    }
    case SegmentKind::kIndexes:
      out += fmt::format("[{}]", fmt::join(s.indexes, ","));
      break;
    case SegmentKind::kWildcard:
      out += "[*]";
      break;
    case SegmentKind::kSlice:
      out += '[';
      if (s.slice_start) out += std::to_string(*s.slice_start);
      out += ':';
      if (s.slice_end) out += std::to_string(*s.slice_end);
      if (s.slice_step != 1) out += fmt::format(":{}", s.slice_step);
      out += ']';
      break;
    case SegmentKind::kFilter:
      out += '[';
      out += s.filter_text;
      out += ']';
      break;
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Characters that end a dot-notation property name.
bool ends_name(char c) {
  switch (c) {
    case '.':
    case '[':
    case ']':
    case '(':
    case ')':
    case '\'':
    case '"':
    case ',':
    case '=':
    case '<':
    case '>':
    case '!':
    case '&':
    case '|':
    case ' ':
    case '\t':
    case '\n':
    case '\r':
      return true;
    default:
      return false;
  }
}

bool is_variable_start(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

bool is_variable_char(char c) { return is_variable_start(c) || (c >= '0' && c <= '9'); }

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  const Status& error() const { return error_; }
  std::size_t pos() const { return pos_; }
  void set_pos(std::size_t p) { pos_ = p; }
  bool at_end() const { return pos_ >= s_.size(); }
  char peek(std::size_t k = 0) const { return pos_ + k < s_.size() ? s_[pos_ + k] : '\0'; }
  void skip_spaces() {
    while (!at_end() && is_space(s_[pos_])) ++pos_;
  }

  bool fail_at(std::size_t offset, std::string_view what) {
    if (error_.ok()) {
      error_ = invalid_argument_error(fmt::format("{} at offset {} in '{}'", what, offset, s_));
    }
    return false;
  }
  bool fail(std::string_view what) { return fail_at(pos_, what); }
  bool unexpected() {
    if (at_end()) return fail("unexpected end of path");
    return fail(fmt::format("unexpected character '{}'", s_[pos_]));
  }

  // Segments until a character that cannot start one.
  bool parse_segments(Segments& out) {
    while (!at_end()) {
      char c = peek();
      if (c == '.') {
        Segment seg;
        if (peek(1) == '.') {
          seg.deep = true;
          pos_ += 2;
        } else {
          ++pos_;
        }
        if (peek() == '[') {
          if (!parse_bracket(seg)) return false;
        } else if (peek() == '*') {
          ++pos_;
          seg.kind = SegmentKind::kWildcard;
        } else {
          std::size_t start = pos_;
          while (!at_end() && !ends_name(s_[pos_])) ++pos_;
          if (pos_ == start) return unexpected();
          seg.kind = SegmentKind::kName;
          seg.name = std::string(s_.substr(start, pos_ - start));
        }
        out.push_back(std::move(seg));
      } else if (c == '[') {
        Segment seg;
        if (!parse_bracket(seg)) return false;
        out.push_back(std::move(seg));
      } else {
        break;
      }
    }
    return true;
  }

  // A quoted name or string. A backslash stops the next character from ending the string. In
  // bracket names both characters are kept, as AWS does (a key `a\"b` is written `['a\"b']`);
  // filter string literals (`keep_escapes` false) drop the backslash.
  bool parse_quoted(std::string& out, bool keep_escapes) {
    std::size_t open = pos_;
    char q = s_[pos_++];
    out.clear();
    while (true) {
      if (at_end()) return fail_at(open, "unterminated string");
      char c = s_[pos_++];
      if (c == '\\') {
        if (at_end()) return fail_at(open, "unterminated string");
        if (keep_escapes) out += c;
        out += s_[pos_++];
      } else if (c == q) {
        return true;
      } else {
        out += c;
      }
    }
  }

  bool parse_int(std::int64_t& out) {
    std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    while (!at_end() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    auto [ptr, ec] = std::from_chars(s_.data() + start, s_.data() + pos_, out);
    if (ec != std::errc() || ptr != s_.data() + pos_) {
      pos_ = start;
      return fail("invalid array index");
    }
    return true;
  }

  bool expect_close(std::size_t open) {
    skip_spaces();
    if (at_end()) return fail_at(open, "unterminated bracket");
    if (peek() != ']') return unexpected();
    ++pos_;
    return true;
  }

  bool parse_bracket(Segment& seg) {
    std::size_t open = pos_;
    ++pos_;  // '['
    skip_spaces();
    if (at_end()) return fail_at(open, "unterminated bracket");
    char c = peek();
    if (c == '*') {
      ++pos_;
      seg.kind = SegmentKind::kWildcard;
      return expect_close(open);
    }
    if (c == '\'' || c == '"') {
      std::vector<std::string> names;
      while (true) {
        std::string name;
        if (!parse_quoted(name, /*keep_escapes=*/true)) return false;
        names.push_back(std::move(name));
        skip_spaces();
        if (peek() != ',') break;
        ++pos_;
        skip_spaces();
        if (peek() != '\'' && peek() != '"') return unexpected();
      }
      if (names.size() == 1) {
        seg.kind = SegmentKind::kName;
        seg.name = std::move(names[0]);
      } else {
        seg.kind = SegmentKind::kNames;
        seg.names = std::move(names);
      }
      return expect_close(open);
    }
    if (c == '?') {
      std::size_t text_start = pos_;
      ++pos_;
      skip_spaces();
      if (peek() != '(') return unexpected();
      ++pos_;
      std::unique_ptr<FilterExpr> expr;
      if (!parse_or(expr)) return false;
      skip_spaces();
      if (at_end()) return fail_at(open, "unterminated bracket");
      if (peek() != ')') return unexpected();
      ++pos_;
      seg.kind = SegmentKind::kFilter;
      seg.filter = std::move(expr);
      seg.filter_text = std::string(s_.substr(text_start, pos_ - text_start));
      return expect_close(open);
    }
    if (c == '-' || c == ':' || (c >= '0' && c <= '9')) {
      std::optional<std::int64_t> first;
      if (c != ':') {
        std::int64_t v = 0;
        if (!parse_int(v)) return false;
        first = v;
      }
      skip_spaces();
      if (peek() == ':') {
        seg.kind = SegmentKind::kSlice;
        seg.slice_start = first;
        ++pos_;
        skip_spaces();
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) {
          std::int64_t v = 0;
          if (!parse_int(v)) return false;
          seg.slice_end = v;
          skip_spaces();
        }
        if (peek() == ':') {
          ++pos_;
          skip_spaces();
          if (peek() == '-' || (peek() >= '0' && peek() <= '9')) {
            std::size_t at = pos_;
            if (!parse_int(seg.slice_step)) return false;
            if (seg.slice_step == 0) return fail_at(at, "slice step cannot be zero");
          }
        }
        return expect_close(open);
      }
      if (peek() == ',') {
        seg.kind = SegmentKind::kIndexes;
        seg.indexes.push_back(*first);
        while (peek() == ',') {
          ++pos_;
          skip_spaces();
          std::int64_t v = 0;
          if (!parse_int(v)) return false;
          seg.indexes.push_back(v);
          skip_spaces();
        }
        return expect_close(open);
      }
      seg.kind = SegmentKind::kIndex;
      seg.index = *first;
      return expect_close(open);
    }
    return unexpected();
  }

  // Filter grammar: or := and ('||' and)*; and := unary ('&&' unary)*;
  // unary := '!' unary | '(' or ')' | operand [op operand].
  bool parse_or(std::unique_ptr<FilterExpr>& out) {
    if (!parse_and(out)) return false;
    while (true) {
      skip_spaces();
      if (peek() == '|' && peek(1) == '|') {
        pos_ += 2;
        auto node = std::make_unique<FilterExpr>();
        node->kind = FilterExpr::Kind::kOr;
        node->lhs = std::move(out);
        if (!parse_and(node->rhs)) return false;
        out = std::move(node);
      } else {
        return true;
      }
    }
  }

  bool parse_and(std::unique_ptr<FilterExpr>& out) {
    if (!parse_unary(out)) return false;
    while (true) {
      skip_spaces();
      if (peek() == '&' && peek(1) == '&') {
        pos_ += 2;
        auto node = std::make_unique<FilterExpr>();
        node->kind = FilterExpr::Kind::kAnd;
        node->lhs = std::move(out);
        if (!parse_unary(node->rhs)) return false;
        out = std::move(node);
      } else {
        return true;
      }
    }
  }

  bool parse_unary(std::unique_ptr<FilterExpr>& out) {
    skip_spaces();
    if (peek() == '!' && peek(1) != '=') {
      ++pos_;
      auto node = std::make_unique<FilterExpr>();
      node->kind = FilterExpr::Kind::kNot;
      if (!parse_unary(node->lhs)) return false;
      out = std::move(node);
      return true;
    }
    if (peek() == '(') {
      ++pos_;
      if (!parse_or(out)) return false;
      skip_spaces();
      if (peek() != ')') return unexpected();
      ++pos_;
      return true;
    }
    auto node = std::make_unique<FilterExpr>();
    if (!parse_operand(node->a)) return false;
    skip_spaces();
    std::optional<CompareOp> op;
    char c0 = peek();
    char c1 = peek(1);
    if (c0 == '=' && c1 == '=') {
      op = CompareOp::kEq;
    } else if (c0 == '!' && c1 == '=') {
      op = CompareOp::kNe;
    } else if (c0 == '<' && c1 == '=') {
      op = CompareOp::kLe;
    } else if (c0 == '>' && c1 == '=') {
      op = CompareOp::kGe;
    } else if (c0 == '<') {
      op = CompareOp::kLt;
    } else if (c0 == '>') {
      op = CompareOp::kGt;
    }
    if (!op) {
      if (node->a.kind == FilterOperand::Kind::kLiteral) {
        return fail("expected a comparison operator");
      }
      node->kind = FilterExpr::Kind::kExists;
      out = std::move(node);
      return true;
    }
    pos_ += (*op == CompareOp::kLt || *op == CompareOp::kGt) ? 1 : 2;
    node->kind = FilterExpr::Kind::kCompare;
    node->op = *op;
    if (!parse_operand(node->b)) return false;
    out = std::move(node);
    return true;
  }

  bool parse_operand(FilterOperand& out) {
    skip_spaces();
    if (at_end()) return unexpected();
    char c = peek();
    if (c == '@' || c == '$') {
      if (c == '$' && (peek(1) == '$' || is_variable_start(peek(1)))) {
        return fail("only '@' and '$' paths are allowed in filters");
      }
      ++pos_;
      out.kind = c == '@' ? FilterOperand::Kind::kCurrent : FilterOperand::Kind::kRoot;
      if (!parse_segments(out.segments)) return false;
      out.definite = all_definite(out.segments);
      return true;
    }
    out.kind = FilterOperand::Kind::kLiteral;
    if (c == '\'' || c == '"') {
      std::string s;
      if (!parse_quoted(s, /*keep_escapes=*/false)) return false;
      out.literal = std::move(s);
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t start = pos_;
      bool is_float = false;
      if (c == '-') ++pos_;
      while (!at_end()) {
        char d = s_[pos_];
        if (d >= '0' && d <= '9') {
          ++pos_;
        } else if (d == '.' || d == 'e' || d == 'E' ||
                   ((d == '+' || d == '-') && (s_[pos_ - 1] == 'e' || s_[pos_ - 1] == 'E'))) {
          is_float = true;
          ++pos_;
        } else {
          break;
        }
      }
      std::string num(s_.substr(start, pos_ - start));
      if (!is_float) {
        std::int64_t v = 0;
        auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
        if (ec == std::errc() && ptr == num.data() + num.size()) {
          out.literal = v;
          return true;
        }
      }
      char* end = nullptr;
      double d = std::strtod(num.c_str(), &end);
      if (end != num.c_str() + num.size() || num == "-") {
        pos_ = start;
        return fail("invalid number");
      }
      out.literal = d;
      return true;
    }
    for (std::string_view kw : {"true", "false", "null"}) {
      if (s_.substr(pos_, kw.size()) == kw) {
        pos_ += kw.size();
        out.literal = kw == "true" ? json(true) : kw == "false" ? json(false) : json(nullptr);
        return true;
      }
    }
    return unexpected();
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
  Status error_;
};

// ---- Evaluation ------------------------------------------------------------------------------

bool normalize_index(std::int64_t index, std::size_t size, std::size_t& out) {
  std::int64_t n = static_cast<std::int64_t>(size);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return false;
  out = static_cast<std::size_t>(index);
  return true;
}

// Walks a definite segment vector. On failure returns nullptr and sets `fail_at`.
const json* walk_definite(const json* node, const Segments& segs, std::size_t& fail_at) {
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const Segment& s = segs[i];
    if (s.kind == SegmentKind::kName) {
      if (!node->is_object()) {
        fail_at = i;
        return nullptr;
      }
      const auto& members = node->get_ref<const json::object_t&>();
      auto it = members.find(s.name);
      if (it == members.end()) {
        fail_at = i;
        return nullptr;
      }
      node = &it->second;
    } else {
      std::size_t idx = 0;
      if (!node->is_array() || !normalize_index(s.index, node->size(), idx)) {
        fail_at = i;
        return nullptr;
      }
      node = &(*node)[idx];
    }
  }
  return node;
}

void collect(const json& node, const Segments& segs, std::size_t i, const json& doc_root,
             std::vector<const json*>& out);

bool filter_matches(const FilterExpr& e, const json& current, const json& doc_root);

// Calls `fn` for each node that `s` (ignoring `deep`) selects from `node`.
template <typename Fn>
void apply_segment(const json& node, const Segment& s, const json& doc_root, Fn&& fn) {
  switch (s.kind) {
    case SegmentKind::kName:
      if (node.is_object()) {
        auto it = node.find(s.name);
        if (it != node.end()) fn(*it);
      }
      break;
    case SegmentKind::kNames:
      if (node.is_object()) {
        for (const std::string& name : s.names) {
          auto it = node.find(name);
          if (it != node.end()) fn(*it);
        }
      }
      break;
    case SegmentKind::kIndex:
      if (node.is_array()) {
        std::size_t idx = 0;
        if (normalize_index(s.index, node.size(), idx)) fn(node[idx]);
      }
      break;
    case SegmentKind::kIndexes:
      if (node.is_array()) {
        for (std::int64_t index : s.indexes) {
          std::size_t idx = 0;
          if (normalize_index(index, node.size(), idx)) fn(node[idx]);
        }
      }
      break;
    case SegmentKind::kWildcard:
      if (node.is_object() || node.is_array()) {
        for (const json& child : node) fn(child);
      }
      break;
    case SegmentKind::kSlice: {
      if (!node.is_array()) break;
      const std::int64_t n = static_cast<std::int64_t>(node.size());
      const std::int64_t step = s.slice_step;
      auto clamp = [n](std::int64_t v, std::int64_t lo, std::int64_t hi) {
        if (v < 0) v += n;
        return std::clamp(v, lo, hi);
      };
      if (step > 0) {
        std::int64_t start = s.slice_start ? clamp(*s.slice_start, 0, n) : 0;
        std::int64_t end = s.slice_end ? clamp(*s.slice_end, 0, n) : n;
        for (std::int64_t k = start; k < end; k += step) fn(node[static_cast<std::size_t>(k)]);
      } else {
        std::int64_t start = s.slice_start ? clamp(*s.slice_start, -1, n - 1) : n - 1;
        std::int64_t end = s.slice_end ? clamp(*s.slice_end, -1, n - 1) : -1;
        for (std::int64_t k = start; k > end; k += step) fn(node[static_cast<std::size_t>(k)]);
      }
      break;
    }
    case SegmentKind::kFilter:
      if (node.is_array()) {
        for (const json& child : node) {
          if (filter_matches(*s.filter, child, doc_root)) fn(child);
        }
      } else if (node.is_object()) {
        // Jayway applies a filter on an object to the object itself.
        if (filter_matches(*s.filter, node, doc_root)) fn(node);
      }
      break;
  }
}

void deep_scan(const json& node, const Segments& segs, std::size_t i, const json& doc_root,
               std::vector<const json*>& out) {
  const Segment& s = segs[i];
  if (s.kind == SegmentKind::kFilter) {
    // A deep filter tests every object in the tree (Jayway's predicate walk).
    if (node.is_object() && filter_matches(*s.filter, node, doc_root)) {
      collect(node, segs, i + 1, doc_root, out);
    }
  } else {
    apply_segment(node, s, doc_root,
                  [&](const json& m) { collect(m, segs, i + 1, doc_root, out); });
  }
  if (node.is_object() || node.is_array()) {
    for (const json& child : node) deep_scan(child, segs, i, doc_root, out);
  }
}

void collect(const json& node, const Segments& segs, std::size_t i, const json& doc_root,
             std::vector<const json*>& out) {
  if (i == segs.size()) {
    out.push_back(&node);
    return;
  }
  const Segment& s = segs[i];
  if (s.deep) {
    deep_scan(node, segs, i, doc_root, out);
    return;
  }
  if (s.kind == SegmentKind::kName || s.kind == SegmentKind::kIndex) {
    // Fast path: no recursion through the callback.
    const json* next = nullptr;
    if (s.kind == SegmentKind::kName) {
      if (node.is_object()) {
        auto it = node.find(s.name);
        if (it != node.end()) next = &*it;
      }
    } else if (node.is_array()) {
      std::size_t idx = 0;
      if (normalize_index(s.index, node.size(), idx)) next = &node[idx];
    }
    if (next) collect(*next, segs, i + 1, doc_root, out);
    return;
  }
  apply_segment(node, s, doc_root, [&](const json& m) { collect(m, segs, i + 1, doc_root, out); });
}

// The value of a filter operand: a pointer to an existing node, or `scratch` filled in.
const json* operand_value(const FilterOperand& o, const json& current, const json& doc_root,
                          json& scratch) {
  if (o.kind == FilterOperand::Kind::kLiteral) return &o.literal;
  const json& base = o.kind == FilterOperand::Kind::kCurrent ? current : doc_root;
  if (o.definite) {
    std::size_t fail_at = 0;
    return walk_definite(&base, o.segments, fail_at);
  }
  std::vector<const json*> matches;
  collect(base, o.segments, 0, doc_root, matches);
  scratch = json::array();
  for (const json* m : matches) scratch.push_back(*m);
  return &scratch;
}

bool values_equal(const json* a, const json* b) {
  if (!a || !b) return a == b;
  return *a == *b;
}

bool values_ordered(const json* a, const json* b, CompareOp op) {
  if (!a || !b) return false;
  int cmp = 0;
  if (a->is_number() && b->is_number()) {
    if (a->is_number_float() || b->is_number_float()) {
      double x = a->get<double>();
      double y = b->get<double>();
      cmp = x < y ? -1 : (x > y ? 1 : 0);
      if (x != x || y != y) return false;
    } else if (a->is_number_unsigned() || b->is_number_unsigned()) {
      // Mixed signed and unsigned: compare as double is enough for ordering here.
      double x = a->get<double>();
      double y = b->get<double>();
      cmp = x < y ? -1 : (x > y ? 1 : 0);
    } else {
      auto x = a->get<std::int64_t>();
      auto y = b->get<std::int64_t>();
      cmp = x < y ? -1 : (x > y ? 1 : 0);
    }
  } else if (a->is_string() && b->is_string()) {
    cmp = a->get_ref<const std::string&>().compare(b->get_ref<const std::string&>());
    cmp = cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
  } else {
    return false;
  }
  switch (op) {
    case CompareOp::kLt:
      return cmp < 0;
    case CompareOp::kLe:
      return cmp <= 0;
    case CompareOp::kGt:
      return cmp > 0;
    case CompareOp::kGe:
      return cmp >= 0;
    default:
      return false;
  }
}

bool filter_matches(const FilterExpr& e, const json& current, const json& doc_root) {
  switch (e.kind) {
    case FilterExpr::Kind::kOr:
      return filter_matches(*e.lhs, current, doc_root) || filter_matches(*e.rhs, current, doc_root);
    case FilterExpr::Kind::kAnd:
      return filter_matches(*e.lhs, current, doc_root) && filter_matches(*e.rhs, current, doc_root);
    case FilterExpr::Kind::kNot:
      return !filter_matches(*e.lhs, current, doc_root);
    case FilterExpr::Kind::kExists: {
      json scratch;
      const json* v = operand_value(e.a, current, doc_root, scratch);
      if (!v) return false;
      return e.a.definite || !v->empty();
    }
    case FilterExpr::Kind::kCompare: {
      json sa;
      json sb;
      const json* a = operand_value(e.a, current, doc_root, sa);
      const json* b = operand_value(e.b, current, doc_root, sb);
      switch (e.op) {
        case CompareOp::kEq:
          return values_equal(a, b);
        case CompareOp::kNe:
          return !values_equal(a, b);
        default:
          return values_ordered(a, b, e.op);
      }
    }
  }
  return false;
}

}  // namespace

struct JsonPath::Impl {
  Root root = Root::kInput;
  std::string variable_name;
  std::string text = "$";
  Segments segments;
  bool definite = true;
  std::string normalized = "$";
  // normalized.substr(0, prefix_end[i]) is the normalized form through segment i.
  std::vector<std::size_t> prefix_end;
  // When the last segment is a multi-name merge (`['a','b']`): the segments before it.
  Segments upstream;

  const json* resolve_root(const PathRoots& roots) const {
    switch (root) {
      case Root::kInput:
        return roots.input;
      case Root::kContext:
        return roots.context.get();
      case Root::kVariable:
        return roots.variables ? roots.variables->find(variable_name) : nullptr;
    }
    return nullptr;
  }

  // Jayway's text for a definite path that failed at segment `i`.
  std::string failure_text(std::size_t i) const {
    if (segments[i].kind == SegmentKind::kName && i + 1 < segments.size()) {
      return "Missing property in path " + normalized.substr(0, prefix_end[i]);
    }
    return "No results for path: " + normalized;
  }
};

namespace {
std::string root_text(const JsonPath::Root root, const std::string& variable_name) {
  switch (root) {
    case JsonPath::Root::kInput:
      return "$";
    case JsonPath::Root::kContext:
      return "$$";
    case JsonPath::Root::kVariable:
      return "$" + variable_name;
  }
  return "$";
}
}  // namespace

Result<JsonPath> JsonPath::parse(std::string_view text) {
  auto impl = std::make_shared<Impl>();
  impl->text = std::string(text);
  Parser p(text);
  if (p.at_end() || p.peek() != '$') {
    if (p.at_end()) return invalid_argument_error("empty path");
    p.unexpected();
    return p.error();
  }
  p.set_pos(1);
  if (p.peek() == '$') {
    impl->root = Root::kContext;
    p.set_pos(2);
  } else if (!p.at_end() && p.peek() != '.' && p.peek() != '[') {
    std::size_t start = p.pos();
    if (!is_variable_start(p.peek())) {
      p.fail("empty variable name");
      return p.error();
    }
    std::size_t end = start;
    while (end < text.size() && is_variable_char(text[end])) ++end;
    impl->root = Root::kVariable;
    impl->variable_name = std::string(text.substr(start, end - start));
    p.set_pos(end);
  }
  if (!p.parse_segments(impl->segments)) return p.error();
  if (!p.at_end()) {
    p.unexpected();
    return p.error();
  }
  impl->definite = all_definite(impl->segments);
  if (!impl->segments.empty() && impl->segments.back().kind == SegmentKind::kNames &&
      !impl->segments.back().deep) {
    impl->upstream.assign(impl->segments.begin(), impl->segments.end() - 1);
  }
  impl->normalized = root_text(impl->root, impl->variable_name);
  impl->prefix_end.reserve(impl->segments.size());
  for (const Segment& s : impl->segments) {
    append_normalized(impl->normalized, s);
    impl->prefix_end.push_back(impl->normalized.size());
  }
  JsonPath path;
  path.impl_ = std::move(impl);
  return path;
}

JsonPath::JsonPath() : impl_(std::make_shared<const Impl>()) {}
JsonPath::~JsonPath() = default;
JsonPath::JsonPath(const JsonPath&) = default;
JsonPath& JsonPath::operator=(const JsonPath&) = default;
JsonPath::JsonPath(JsonPath&&) noexcept = default;
JsonPath& JsonPath::operator=(JsonPath&&) noexcept = default;

JsonPath::Root JsonPath::root() const { return impl_->root; }
const std::string& JsonPath::variable_name() const { return impl_->variable_name; }
const std::string& JsonPath::text() const { return impl_->text; }
bool JsonPath::is_root_only() const { return impl_->segments.empty(); }
bool JsonPath::is_definite() const { return impl_->definite; }
std::string JsonPath::normalized() const { return impl_->normalized; }

const json* JsonPath::find(const PathRoots& roots) const {
  const Impl& p = *impl_;
  const json* root = p.resolve_root(roots);
  if (!root) return nullptr;
  std::size_t fail_at = 0;
  return walk_definite(root, p.segments, fail_at);
}

Outcome<json> JsonPath::evaluate(const PathRoots& roots) const {
  const Impl& p = *impl_;
  const json* root = p.resolve_root(roots);
  if (!root) return runtime_failure("No results for path: " + p.normalized);
  if (p.definite) {
    std::size_t fail_at = 0;
    const json* node = walk_definite(root, p.segments, fail_at);
    if (!node) return runtime_failure(p.failure_text(fail_at));
    return *node;
  }
  const Segments& segs = p.segments;
  const Segment& last = segs.back();
  const bool merge_leaf = last.kind == SegmentKind::kNames && !last.deep;
  std::vector<const json*> matches;
  if (merge_leaf) {
    // Jayway merges a leaf `['a','b']` into one object per match.
    const Segments& upstream = p.upstream;
    collect(*root, upstream, 0, *root, matches);
    json out = json::array();
    for (const json* m : matches) {
      if (!m->is_object()) continue;
      json merged = json::object();
      for (const std::string& name : last.names) {
        auto it = m->find(name);
        if (it != m->end()) merged[name] = *it;
      }
      out.push_back(std::move(merged));
    }
    if (all_definite(upstream)) {
      if (out.empty()) return runtime_failure("No results for path: " + p.normalized);
      return std::move(out[0]);
    }
    return out;
  }
  collect(*root, segs, 0, *root, matches);
  json out = json::array();
  out.get_ref<json::array_t&>().reserve(matches.size());
  for (const json* m : matches) out.push_back(*m);
  return out;
}

Outcome<std::monostate> JsonPath::assign(json& target, json value) const {
  const Impl& p = *impl_;
  assert(p.root == Root::kInput && p.definite);
  if (p.root != Root::kInput || !p.definite) {
    return runtime_failure(fmt::format("Invalid path '{}' : not a reference path", p.text));
  }
  if (p.segments.empty()) {
    target = std::move(value);
    return std::monostate{};
  }
  auto fail = [&](std::size_t i) {
    std::string prefix =
        i == 0 ? root_text(p.root, p.variable_name) : p.normalized.substr(0, p.prefix_end[i - 1]);
    return runtime_failure(
        fmt::format("Invalid path '{}' : Missing property in path {}", p.text, prefix));
  };
  json* node = &target;
  const std::size_t n = p.segments.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Segment& s = p.segments[i];
    const bool last = i + 1 == n;
    if (s.kind == SegmentKind::kName) {
      if (!node->is_object()) return fail(i);
      auto it = node->find(s.name);
      if (last) {
        if (it == node->end()) {
          node->emplace(s.name, std::move(value));
        } else {
          *it = std::move(value);
        }
        return std::monostate{};
      }
      if (it == node->end()) it = node->emplace(s.name, json::object()).first;
      node = &*it;
    } else {
      std::size_t idx = 0;
      if (!node->is_array() || !normalize_index(s.index, node->size(), idx)) return fail(i);
      if (last) {
        (*node)[idx] = std::move(value);
        return std::monostate{};
      }
      node = &(*node)[idx];
    }
  }
  return std::monostate{};
}

}  // namespace stepwise::internal
