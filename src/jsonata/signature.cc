// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Function signatures (`<s-nn?:s>`): parsing, argument validation with context substitution
// and array wrapping, and the T0410/T0411/T0412 errors, matching jsonata-js signature.js. The
// argument pattern is matched with a small backtracking matcher equivalent to the JS regex.
#include <string>

#include "jsonata/ast.h"
#include "jsonata/function.h"

namespace stepwise::jsonata::internal {
namespace {

char symbol_of(const Value& v) {
  switch (v.type()) {
    case Type::kFunction:
      return 'f';
    case Type::kString:
      return 's';
    case Type::kNumber:
      return 'n';
    case Type::kBool:
      return 'b';
    case Type::kNull:
      return 'l';
    case Type::kArray:
      return 'a';
    case Type::kObject:
      return 'o';
    case Type::kUndefined:
      return 'm';
  }
  return 'm';
}

std::size_t closing(std::string_view s, std::size_t start, char open, char close) {
  int depth = 1;
  std::size_t p = start;
  while (p < s.size()) {
    ++p;
    if (p >= s.size()) break;
    if (s[p] == close) {
      if (--depth == 0) break;
    } else if (s[p] == open) {
      ++depth;
    }
  }
  return p;
}

using Params = std::vector<Signature::Param>;

// Matches params[i..n) against s[pos..]; `anchored` requires consuming all of s.
bool match_from(const Params& params, std::size_t n, const std::string& s, std::size_t i,
                std::size_t pos, bool anchored,
                std::vector<std::pair<std::size_t, std::size_t>>& caps, std::size_t& end) {
  if (i == n) {
    if (anchored && pos != s.size()) return false;
    end = pos;
    return true;
  }
  const auto& p = params[i];
  auto accepts = [&](std::size_t k) {
    return k < s.size() && p.symbols.find(s[k]) != std::string::npos;
  };
  std::size_t max = 0;
  if (p.quantifier == '+') {
    while (accepts(pos + max)) ++max;
    for (std::size_t len = max; len >= 1; --len) {
      caps[i] = {pos, len};
      if (match_from(params, n, s, i + 1, pos + len, anchored, caps, end)) return true;
    }
    return false;
  }
  if (accepts(pos)) {
    caps[i] = {pos, 1};
    if (match_from(params, n, s, i + 1, pos + 1, anchored, caps, end)) return true;
  }
  if (p.quantifier == '?') {
    caps[i] = {pos, 0};
    return match_from(params, n, s, i + 1, pos, anchored, caps, end);
  }
  return false;
}

}  // namespace

Signature Signature::parse(std::string_view text, std::size_t offset) {
  Signature sig;
  sig.definition_ = std::string(text);
  Param param;
  Param* prev = nullptr;
  auto next = [&]() {
    sig.params_.push_back(param);
    prev = &sig.params_.back();
    param = Param();
  };
  for (std::size_t pos = 1; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == ':') break;
    switch (c) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
        param.symbols = std::string(1, c) + "m";
        param.type = c;
        next();
        break;
      case 'a':
        param.symbols = "asnblfom";
        param.type = 'a';
        next();
        break;
      case 'f':
        param.symbols = std::string(1, 'f');  // Not = "f": GCC 12 -Wrestrict false positive.
        param.type = 'f';
        next();
        break;
      case 'j':
        param.symbols = "asnblom";
        param.type = 'j';
        next();
        break;
      case 'x':
        param.symbols = "asnblfom";
        param.type = 'x';
        next();
        break;
      case '-':
        if (prev != nullptr) {
          prev->context = true;
          prev->context_symbols = prev->symbols;
          prev->quantifier = '?';
        }
        break;
      case '?':
      case '+':
        if (prev != nullptr) prev->quantifier = c;
        break;
      case '(': {
        std::size_t end = closing(text, pos, '(', ')');
        std::string choice(text.substr(pos + 1, end - pos - 1));
        if (choice.find('<') != std::string::npos) throw_error("S0402", offset + pos, "", choice);
        param.symbols = choice + "m";
        param.type = '(';
        pos = end;
        next();
        break;
      }
      case '<': {
        if (prev != nullptr && (prev->type == 'a' || prev->type == 'f')) {
          std::size_t end = closing(text, pos, '<', '>');
          prev->subtype = std::string(text.substr(pos + 1, end - pos - 1));
          pos = end;
        } else {
          throw_error("S0401", offset + pos, "", prev != nullptr ? std::string(1, prev->type) : "");
        }
        break;
      }
      default:
        break;
    }
  }
  return sig;
}

std::vector<Value> Signature::validate(std::vector<Value>& args, const Value& context) const {
  std::string supplied;
  supplied.reserve(args.size());
  for (const auto& a : args) supplied.push_back(symbol_of(a));
  std::vector<std::pair<std::size_t, std::size_t>> caps(params_.size());
  std::size_t end = 0;
  if (!match_from(params_, params_.size(), supplied, 0, 0, true, caps, end)) {
    std::size_t good_to = 0;
    for (std::size_t k = 1; k <= params_.size(); ++k) {
      std::vector<std::pair<std::size_t, std::size_t>> pc(params_.size());
      std::size_t e = 0;
      if (!match_from(params_, k, supplied, 0, 0, false, pc, e)) {
        throw_value_error("T0410", good_to < args.size() ? describe(args[good_to]) : "",
                          std::to_string(good_to + 1));
      }
      good_to = e;
    }
    throw_value_error("T0410", good_to < args.size() ? describe(args[good_to]) : "",
                      std::to_string(good_to + 1));
  }
  std::vector<Value> out;
  out.reserve(params_.size());
  std::size_t arg_index = 0;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Param& p = params_[i];
    auto [start, len] = caps[i];
    if (len == 0) {
      if (p.context) {
        char ct = symbol_of(context);
        if (p.context_symbols.find(ct) != std::string::npos) {
          out.push_back(context);
        } else {
          throw_value_error("T0411", describe(context), std::to_string(arg_index + 1));
        }
      } else {
        out.push_back(arg_index < args.size() ? args[arg_index] : Value());
        ++arg_index;
      }
      continue;
    }
    for (std::size_t k = 0; k < len; ++k) {
      char single = supplied[start + k];
      Value arg = arg_index < args.size() ? args[arg_index] : Value();
      if (p.type == 'a') {
        if (single == 'm') {
          arg = Value();
        } else {
          bool ok = true;
          if (!p.subtype.empty()) {
            if (single != 'a' && std::string(1, single) != p.subtype) {
              ok = false;
            } else if (single == 'a' && !arg.arr().items.empty()) {
              char item_type = symbol_of(arg.arr().items[0]);
              if (item_type != p.subtype[0]) {
                ok = false;
              } else {
                for (const auto& v : arg.arr().items) {
                  if (symbol_of(v) != item_type) ok = false;
                }
              }
            }
          }
          if (!ok) throw_value_error("T0412", describe(arg), std::to_string(arg_index + 1));
          if (single != 'a') {
            Value wrapped = make_array();
            wrapped.arr().items.push_back(arg);
            arg = wrapped;
          }
        }
      }
      out.push_back(std::move(arg));
      ++arg_index;
    }
  }
  return out;
}

}  // namespace stepwise::jsonata::internal
