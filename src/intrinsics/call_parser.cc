// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The intrinsic call parser and evaluator (ASL-REFERENCE.md section 6). A call text is parsed
// once into a tree of arguments: literals (kept as json), paths (compiled `JsonPath`s) and
// nested calls, each call bound to its `IntrinsicSpec` from the function table. Arity and the
// nesting limit are checked at parse time. Evaluation hands each implementation pointers to its
// arguments, so literals and definite paths are never copied.
#include <charconv>
#include <cstdlib>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "intrinsics/function_table.h"
#include "intrinsics/intrinsics.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

constexpr int kMaxNesting = 10;
constexpr std::string_view kFormatName = "States.Format";

struct CallNode;

struct Arg {
  enum class Kind : std::uint8_t { kLiteral, kPath, kCall };
  Kind kind = Kind::kLiteral;
  json literal;
  JsonPath path;
  std::unique_ptr<CallNode> call;
};

struct CallNode {
  const IntrinsicSpec* spec = nullptr;
  std::vector<Arg> args;
};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string arity_text(const IntrinsicSpec& spec) {
  if (spec.max_args == IntrinsicSpec::kVariadic) {
    return fmt::format("at least {}", plural(static_cast<std::size_t>(spec.min_args), "argument"));
  }
  if (spec.max_args == 0) return "no arguments";
  if (spec.min_args == spec.max_args) {
    return plural(static_cast<std::size_t>(spec.min_args), "argument");
  }
  return fmt::format("{} or {} arguments", spec.min_args, spec.max_args);
}

class CallParser {
 public:
  explicit CallParser(std::string_view text) : s_(text) {}

  const Status& error() const { return error_; }
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }
  void skip_spaces() {
    while (!at_end() && is_space(s_[pos_])) ++pos_;
  }

  bool fail_at(std::size_t offset, std::string_view what) {
    if (error_.ok()) error_ = invalid_argument_error(fmt::format("{} at offset {}", what, offset));
    return false;
  }
  bool fail_plain(std::string message) {
    if (error_.ok()) error_ = invalid_argument_error(std::move(message));
    return false;
  }
  bool unexpected() {
    if (at_end()) return fail_at(pos_, "unexpected end of intrinsic function call");
    return fail_at(pos_, fmt::format("unexpected character '{}'", s_[pos_]));
  }

  bool parse_top(CallNode& out) {
    skip_spaces();
    if (!parse_call(out, 1)) return false;
    skip_spaces();
    if (!at_end()) return unexpected();
    return true;
  }

 private:
  std::string_view read_name() {
    std::size_t start = pos_;
    while (!at_end() && is_name_char(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  bool parse_call(CallNode& out, int depth) {
    std::string_view name = read_name();
    if (name.empty()) return unexpected();
    if (depth > kMaxNesting) {
      return fail_plain(fmt::format("intrinsic functions nest at most {} deep", kMaxNesting));
    }
    out.spec = find_intrinsic(name);
    if (!out.spec) return fail_plain(fmt::format("unknown intrinsic function '{}'", name));
    skip_spaces();
    if (peek() != '(') return unexpected();
    std::size_t open = pos_++;
    skip_spaces();
    if (peek() == ')') {
      ++pos_;
    } else {
      while (true) {
        Arg arg;
        bool raw_string = out.args.empty() && out.spec->name == kFormatName;
        if (!parse_arg(arg, depth, raw_string)) return false;
        out.args.push_back(std::move(arg));
        skip_spaces();
        if (at_end()) return fail_at(open, "unterminated argument list");
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        if (peek() == ')') {
          ++pos_;
          break;
        }
        return unexpected();
      }
    }
    const std::size_t n = out.args.size();
    const auto min = static_cast<std::size_t>(out.spec->min_args);
    const bool too_many = out.spec->max_args != IntrinsicSpec::kVariadic &&
                          n > static_cast<std::size_t>(out.spec->max_args);
    if (n < min || too_many) {
      return fail_plain(fmt::format("{} takes {} but {} {} given", out.spec->name,
                                    arity_text(*out.spec), n, n == 1 ? "was" : "were"));
    }
    return true;
  }

  // A single-quoted string. With `raw`, escapes are kept (States.Format's template needs to
  // tell `\{` from `{`); otherwise `\x` becomes `x`.
  bool parse_string(std::string& out, bool raw) {
    std::size_t open = pos_++;
    while (true) {
      if (at_end()) return fail_at(open, "unterminated string");
      char c = s_[pos_++];
      if (c == '\\') {
        if (at_end()) return fail_at(open, "unterminated string");
        if (raw) out += '\\';
        out += s_[pos_++];
      } else if (c == '\'') {
        return true;
      } else {
        out += c;
      }
    }
  }

  // The extent of a path argument: up to a `,` or `)` outside brackets and quotes.
  std::size_t path_end() const {
    std::size_t i = pos_;
    int brackets = 0;
    char quote = 0;
    for (; i < s_.size(); ++i) {
      char c = s_[i];
      if (quote) {
        if (c == '\\') {
          ++i;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        if (brackets > 0) quote = c;
        continue;
      }
      if (c == '[') {
        ++brackets;
      } else if (c == ']') {
        --brackets;
      } else if (brackets <= 0 && (c == ',' || c == ')' || is_space(c))) {
        break;
      }
    }
    return i;
  }

  bool parse_number(json& out) {
    std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    bool is_float = false;
    bool digits = false;
    while (!at_end()) {
      char c = s_[pos_];
      if (c >= '0' && c <= '9') {
        digits = true;
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E') {
        is_float = true;
        ++pos_;
      } else if ((c == '+' || c == '-') && (s_[pos_ - 1] == 'e' || s_[pos_ - 1] == 'E')) {
        ++pos_;
      } else {
        break;
      }
    }
    std::string text(s_.substr(start, pos_ - start));
    if (!digits) {
      pos_ = start;
      return fail_at(start, "invalid number");
    }
    if (!is_float) {
      std::int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && ptr == text.data() + text.size()) {
        out = v;
        return true;
      }
    }
    char* end = nullptr;
    double d = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return fail_at(start, "invalid number");
    out = d;
    return true;
  }

  bool parse_arg(Arg& out, int depth, bool raw_string) {
    skip_spaces();
    if (at_end()) return unexpected();
    char c = peek();
    if (c == '\'') {
      std::string s;
      if (!parse_string(s, raw_string)) return false;
      out.kind = Arg::Kind::kLiteral;
      out.literal = std::move(s);
      return true;
    }
    if (c == '$') {
      std::size_t start = pos_;
      std::size_t end = path_end();
      std::string_view text = s_.substr(start, end - start);
      Result<JsonPath> path = JsonPath::parse(text);
      if (!path.ok()) {
        return fail_plain(fmt::format("invalid path '{}' at offset {}: {}", text, start,
                                      path.status().message()));
      }
      pos_ = end;
      out.kind = Arg::Kind::kPath;
      out.path = std::move(path).value();
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      out.kind = Arg::Kind::kLiteral;
      return parse_number(out.literal);
    }
    if (is_name_char(c)) {
      std::size_t start = pos_;
      std::string_view word = read_name();
      std::size_t after = pos_;
      skip_spaces();
      if (peek() == '(') {
        pos_ = start;
        out.kind = Arg::Kind::kCall;
        out.call = std::make_unique<CallNode>();
        return parse_call(*out.call, depth + 1);
      }
      pos_ = after;
      out.kind = Arg::Kind::kLiteral;
      if (word == "true") {
        out.literal = true;
      } else if (word == "false") {
        out.literal = false;
      } else if (word == "null") {
        out.literal = nullptr;
      } else {
        return fail_at(start, fmt::format("unexpected word '{}'", word));
      }
      return true;
    }
    return unexpected();
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  Status error_;
};

Outcome<json> evaluate_call(const CallNode& call, const PathRoots& roots, IntrinsicEnv& env) {
  std::vector<json> owned;
  owned.reserve(call.args.size());
  std::vector<const json*> argv;
  argv.reserve(call.args.size());
  for (const Arg& arg : call.args) {
    switch (arg.kind) {
      case Arg::Kind::kLiteral:
        argv.push_back(&arg.literal);
        break;
      case Arg::Kind::kPath: {
        if (arg.path.is_definite()) {
          if (const json* node = arg.path.find(roots)) {
            argv.push_back(node);
            break;
          }
        }
        Outcome<json> v = arg.path.evaluate(roots);
        if (!v.ok()) {
          return runtime_failure(fmt::format("Invalid path '{}' : {}", arg.path.text(),
                                             v.failure().cause.value_or("")));
        }
        owned.push_back(std::move(v).value());
        argv.push_back(&owned.back());
        break;
      }
      case Arg::Kind::kCall: {
        Outcome<json> v = evaluate_call(*arg.call, roots, env);
        if (!v.ok()) return v;
        owned.push_back(std::move(v).value());
        argv.push_back(&owned.back());
        break;
      }
    }
  }
  return call.spec->fn(std::span<const json* const>(argv.data(), argv.size()), env);
}

}  // namespace

struct IntrinsicCall::Impl {
  std::string name;
  std::string text;
  CallNode root;
};

bool IntrinsicCall::looks_like_call(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  std::size_t start = i;
  while (i < text.size() && is_name_char(text[i])) ++i;
  if (i == start) return false;
  while (i < text.size() && is_space(text[i])) ++i;
  return i < text.size() && text[i] == '(';
}

Result<IntrinsicCall> IntrinsicCall::parse(std::string_view text) {
  auto impl = std::make_shared<Impl>();
  impl->text = std::string(text);
  CallParser parser(text);
  if (!parser.parse_top(impl->root)) return parser.error();
  impl->name = std::string(impl->root.spec->name);
  IntrinsicCall call;
  call.impl_ = std::move(impl);
  return call;
}

IntrinsicCall::IntrinsicCall() : impl_(std::make_shared<const Impl>()) {}
IntrinsicCall::~IntrinsicCall() = default;
IntrinsicCall::IntrinsicCall(const IntrinsicCall&) = default;
IntrinsicCall& IntrinsicCall::operator=(const IntrinsicCall&) = default;
IntrinsicCall::IntrinsicCall(IntrinsicCall&&) noexcept = default;
IntrinsicCall& IntrinsicCall::operator=(IntrinsicCall&&) noexcept = default;

const std::string& IntrinsicCall::name() const { return impl_->name; }
const std::string& IntrinsicCall::text() const { return impl_->text; }
bool IntrinsicCall::returns_string() const {
  return impl_->root.spec != nullptr && impl_->root.spec->returns_string;
}

Outcome<json> IntrinsicCall::evaluate(const PathRoots& roots, IntrinsicEnv& env) const {
  if (!impl_->root.spec) return intrinsic_failure("empty intrinsic function call");
  return evaluate_call(impl_->root, roots, env);
}

}  // namespace stepwise::internal
