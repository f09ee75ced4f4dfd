// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The public JSONata API (include/stepwise/jsonata.h): compile, evaluate, bindings and host
// functions. Internal exceptions stop here and become `jsonata::Error` values.
#include <cmath>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "jsonata/ast.h"
#include "jsonata/evaluator.h"
#include "jsonata/value.h"
#include "stepwise/jsonata.h"

namespace stepwise::jsonata {

using internal::JsonataError;
using internal::Value;

std::string Error::to_string() const {
  std::string out = code + " at " + std::to_string(position);
  if (!token.empty()) out += " (token \"" + token + "\")";
  out += ": " + message;
  return out;
}

namespace {

Error to_error(const JsonataError& e) { return Error{e.code, e.position, e.token, e.message}; }

bool contains_non_finite(const Value& v) {
  if (v.is_number()) return !std::isfinite(v.num());
  if (v.is_array()) {
    for (const auto& i : v.arr().items) {
      if (contains_non_finite(i)) return true;
    }
  }
  if (v.is_object()) {
    for (const auto& e : v.obj().entries) {
      if (contains_non_finite(e.second)) return true;
    }
  }
  return false;
}

// Converting and writing values recurse once per nesting level, so inputs and results nested
// deeper than this fail (U1001) instead of overflowing the stack; checked without recursion.
// The same bound as the engine's payload depth (`EngineOptions::max_payload_depth`).
constexpr std::size_t kMaxValueDepth = 1000;

template <typename Json>
bool json_nests_deeper(const Json& root, std::size_t limit) {
  std::vector<std::pair<const Json*, std::size_t>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    if (depth > limit) return true;
    for (const auto& child : *v) stack.emplace_back(&child, depth + 1);
  }
  return false;
}

bool value_nests_deeper(const Value& root, std::size_t limit) {
  std::vector<std::pair<const Value*, std::size_t>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [v, depth] = stack.back();
    stack.pop_back();
    if (!v->is_array() && !v->is_object()) continue;
    if (depth > limit) return true;
    if (v->is_array()) {
      for (const auto& i : v->arr().items) stack.emplace_back(&i, depth + 1);
    } else {
      for (const auto& e : v->obj().entries) stack.emplace_back(&e.second, depth + 1);
    }
  }
  return false;
}

Error too_deep(std::string_view what) {
  return Error{"U1001", 0, "",
               std::string(what) + " is nested deeper than the maximum of " +
                   std::to_string(kMaxValueDepth) + " levels"};
}

Outcome evaluate_value(const internal::Program& program, const Value& input,
                       const Bindings* bindings, const EvaluateOptions& options) {
  try {
    internal::EvalContext ctx(options, bindings != nullptr ? &bindings->impl() : nullptr);
    internal::Evaluator ev(ctx);
    Value result = ev.run(program, input);
    if (result.is_undefined()) return Outcome::undefined();
    if (result.is_function()) return Outcome::function();
    if (value_nests_deeper(result, kMaxValueDepth)) return Outcome(too_deep("The result"));
    if (contains_non_finite(result)) {
      return Outcome(Error{"D1001", 0, "", "Number out of range"});
    }
    return Outcome(internal::to_json(result));
  } catch (const JsonataError& e) {
    return Outcome(to_error(e));
  } catch (const std::bad_alloc&) {
    return Outcome(Error{"D1003", 0, "", "Out of memory during evaluation"});
  }
}

Value host_call(const HostFunction& fn, std::vector<Value>& args) {
  std::vector<std::optional<nlohmann::json>> jargs;
  jargs.reserve(args.size());
  for (const auto& a : args) {
    if (a.is_undefined() || a.is_function()) {
      jargs.emplace_back(std::nullopt);
    } else {
      jargs.emplace_back(internal::to_json(a));
    }
  }
  Outcome out = fn(std::span<const std::optional<nlohmann::json>>(jargs));
  if (out.is_error()) {
    JsonataError e(out.error().code, out.error().position, out.error().token, out.error().message);
    e.has_position = false;
    e.has_token = out.error().token.empty() ? false : true;
    throw e;
  }
  if (out.is_value()) return internal::from_json(out.value());
  return Value();
}

}  // namespace

Bindings::Bindings() : impl_(std::make_unique<internal::BindingsImpl>()) {}
Bindings::~Bindings() = default;
Bindings::Bindings(Bindings&&) noexcept = default;
Bindings& Bindings::operator=(Bindings&&) noexcept = default;

Bindings& Bindings::set(std::string_view name, const nlohmann::json& value) {
  impl_->set_value(name, internal::from_json(value));
  return *this;
}

Bindings& Bindings::set_ordered(std::string_view name, const nlohmann::ordered_json& value) {
  impl_->set_value(name, internal::from_json(value));
  return *this;
}

Bindings& Bindings::set_function(std::string_view name, HostFunction function,
                                 std::string_view signature) {
  auto call = [fn = std::move(function)](internal::Evaluator&, std::vector<Value>& args,
                                         const Value&) { return host_call(fn, args); };
  try {
    impl_->set_native(name, call, signature);
  } catch (const JsonataError&) {
    // A malformed signature: register without validation but fail on call.
    std::string sig(signature);
    impl_->set_native(
        name,
        [sig](internal::Evaluator&, std::vector<Value>&, const Value&) -> Value {
          internal::throw_error("S0401", 0, sig);
        },
        "");
  }
  return *this;
}

CompileResult::CompileResult(Expression expression) : v_(std::move(expression)) {}
CompileResult::CompileResult(Error error) : v_(std::move(error)) {}
bool CompileResult::ok() const { return v_.index() == 0; }
const Expression& CompileResult::expression() const& { return std::get<0>(v_); }
Expression&& CompileResult::expression() && { return std::get<0>(std::move(v_)); }
const Error& CompileResult::error() const { return std::get<1>(v_); }

CompileResult Expression::compile(std::string_view text) {
  try {
    return CompileResult(Expression(internal::parse_program(text)));
  } catch (const JsonataError& e) {
    return CompileResult(to_error(e));
  } catch (const std::bad_alloc&) {
    return CompileResult(Error{"D1003", 0, "", "Out of memory during compilation"});
  }
}

namespace {

template <typename Json>
Outcome evaluate_json(const internal::Program& program, const Json* input, const Bindings* bindings,
                      const EvaluateOptions& options) {
  Value in;
  if (input != nullptr) {
    if (json_nests_deeper(*input, kMaxValueDepth)) return Outcome(too_deep("The input"));
    in = internal::from_json(*input);
  }
  return evaluate_value(program, in, bindings, options);
}

}  // namespace

Outcome Expression::evaluate(const nlohmann::json* input, const Bindings* bindings,
                             const EvaluateOptions& options) const {
  return evaluate_json(*program_, input, bindings, options);
}

Outcome Expression::evaluate(const nlohmann::ordered_json* input, const Bindings* bindings,
                             const EvaluateOptions& options) const {
  return evaluate_json(*program_, input, bindings, options);
}

Outcome Expression::evaluate(const Input& input, const Bindings* bindings,
                             const EvaluateOptions& options) const {
  if (input.is_undefined()) return evaluate_value(*program_, Value(), bindings, options);
  return evaluate_value(*program_, input.impl()->value, bindings, options);
}

Input::Input() = default;
Input::Input(const nlohmann::json& value)
    : impl_(std::make_shared<const internal::InputImpl>(internal::from_json(value))) {}
Input::Input(const nlohmann::ordered_json& value)
    : impl_(std::make_shared<const internal::InputImpl>(internal::from_json(value))) {}

const std::string& Expression::source() const { return program_->source; }

}  // namespace stepwise::jsonata
