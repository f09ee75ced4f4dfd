// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A native JSONata 2.x engine (behaviour of jsonata-js 2.0.6), usable on its own: compile an
// expression once into an immutable `Expression`, then evaluate it any number of times, from any
// number of threads, against JSON input with variable bindings and host functions. Evaluation
// yields a JSON value, "undefined", a function (which a JSON host cannot use), or an `Error`
// carrying the reference implementation's code ("T2001", "D3001", "S0201", ...), the character
// position and the offending token. Hostile expressions end in an error, never a crash or hang:
// evaluation depth and steps are bounded by `EvaluateOptions`, parser nesting is bounded,
// huge ranges fail with D2014 and regular expressions have a backtracking limit.
//
//   auto compiled = jsonata::Expression::compile("$sum(Order.(Price * Quantity))");
//   if (!compiled.ok()) return compiled.error().to_string();  // "S0202 at 12 ..."
//   jsonata::Outcome out = compiled.expression().evaluate(&input);
//   if (out.is_error()) ...; else if (out.is_value()) use(out.value());
#ifndef STEPWISE_JSONATA_H_
#define STEPWISE_JSONATA_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "stepwise/export.h"

namespace stepwise::jsonata {

namespace internal {
struct Program;
class BindingsImpl;
struct InputImpl;
}  // namespace internal

// A compile or evaluation error, as jsonata-js reports it.
//
// Immutable after construction; safe to use from any number of threads.
struct STEPWISE_EXPORT Error {
  std::string code;          // Reference code, e.g. "T2001", "S0202", "U1001" (limit reached).
  std::size_t position = 0;  // Character offset into the expression text (0 when unknown).
  std::string token;         // The operator, function name or token at fault; may be empty.
  std::string message;       // Human-readable explanation.

  // "T2001 at 7 (token \"+\"): The left side of the ..." (token part omitted when empty).
  std::string to_string() const;
};

// The result of an evaluation: a JSON value, undefined (JSONata's "no result"), a function
// value (which has no JSON form; ASL reports it as an unsupported result type), or an error.
// Also the return type of host functions, which may return a value, undefined or an error.
//
// Immutable after construction; safe to use from any number of threads.
class STEPWISE_EXPORT Outcome {
 public:
  enum class Kind : std::uint8_t { kUndefined, kValue, kFunction, kError };

  Outcome() = default;                                                              // Undefined.
  Outcome(nlohmann::json value) : kind_(Kind::kValue), value_(std::move(value)) {}  // NOLINT
  Outcome(Error error) : kind_(Kind::kError), error_(std::move(error)) {}           // NOLINT
  static Outcome undefined() { return {}; }
  static Outcome function() {
    Outcome o;
    o.kind_ = Kind::kFunction;
    return o;
  }

  Kind kind() const { return kind_; }
  bool is_value() const { return kind_ == Kind::kValue; }
  bool is_undefined() const { return kind_ == Kind::kUndefined; }
  bool is_function() const { return kind_ == Kind::kFunction; }
  bool is_error() const { return kind_ == Kind::kError; }
  // REQUIRES: is_value().
  const nlohmann::json& value() const& { return value_; }
  nlohmann::json&& value() && { return std::move(value_); }
  // REQUIRES: is_error().
  const Error& error() const { return error_; }

 private:
  Kind kind_ = Kind::kUndefined;
  nlohmann::json value_;
  Error error_;
};

// A function the host makes callable from expressions. Each argument is a JSON value or
// `std::nullopt` for undefined; function-valued arguments arrive as `std::nullopt` too. The
// engine calls it on the evaluating thread; a function bound into `Bindings` that are shared by
// concurrent evaluations must itself be safe to call concurrently.
using HostFunction = std::function<Outcome(std::span<const std::optional<nlohmann::json>> args)>;

// Variables and host functions visible to an evaluation, in addition to the built-in library.
// Names are given without the leading `$`. Values are converted to the engine's representation
// once, when set, so one `Bindings` can serve many evaluations cheaply.
//
//   jsonata::Bindings b;
//   b.set("rate", 0.2).set_function("twice", [](auto args) { ... }, "<n:n>");
//
// Not thread-safe: use from one thread at a time while setting; once fully set, any number of
// concurrent evaluations may read the same `Bindings`.
class STEPWISE_EXPORT Bindings {
 public:
  Bindings();
  ~Bindings();
  Bindings(Bindings&&) noexcept;
  Bindings& operator=(Bindings&&) noexcept;
  Bindings(const Bindings&) = delete;
  Bindings& operator=(const Bindings&) = delete;

  // Binds `$name` to `value`, replacing an earlier binding of the same name.
  Bindings& set(std::string_view name, const nlohmann::json& value);
  // Same, keeping object key order (visible to `$keys`, `$each`, `*`).
  Bindings& set_ordered(std::string_view name, const nlohmann::ordered_json& value);
  // Binds `$name` to a host function. `signature` is an optional JSONata signature such as
  // "<n-n:n>" (the engine validates arguments against it, substituting the context value for a
  // `-` parameter, and reports T0410/T0411/T0412 on mismatch); empty means no validation.
  // An invalid signature is reported by the first evaluation that calls the function (S0401).
  Bindings& set_function(std::string_view name, HostFunction function,
                         std::string_view signature = "");

  // The engine's view; for the library's own use (ASL's `$states`, extra native functions).
  internal::BindingsImpl& impl() { return *impl_; }
  const internal::BindingsImpl& impl() const { return *impl_; }

 private:
  std::unique_ptr<internal::BindingsImpl> impl_;
};

// Limits and environment of one evaluation. Every field documents its default.
//
// The limits end runaway expressions the way the jsonata-js test harness (`timeboxExpression`)
// does, with its error code and texts: too deep a nesting fails with U1001 "Stack overflow
// error: Check for non-terminating recursive function.  Consider rewriting as
// tail-recursive.", too many steps (or too much time) with U1001 "Expression evaluation
// timeout: Check for infinite loop". Steps are counted, not timed, so the same expression
// fails at the same point on every machine.
struct STEPWISE_EXPORT EvaluateOptions {
  // Maximum nesting of evaluation steps (each sub-expression counts one level, as in the
  // jsonata-js test harness). Default and maximum 1000: a level costs about 0.9 KiB of native
  // stack in a debug build and 3.7 KiB in an ASan build (measured), so 1,000 levels fit an
  // 8 MiB stack; non-tail recursion in expressions consumes about three levels per call, tail
  // calls none. 0 means the default; larger values are lowered to 1000.
  int max_depth = 1000;
  // Maximum number of evaluation steps (sub-expressions evaluated, as the harness's entry
  // callback counts them, and one step per two items a range `[a..b]` makes). Ends infinite
  // tail recursion, huge loops and huge ranges deterministically. Default: 10,000,000 (well
  // under a second). 0 means the default.
  std::uint64_t max_steps = 10'000'000;
  // Wall-time budget; exceeding it fails with U1001 (timeout text). Default: zero, meaning
  // unlimited (only `max_steps` bounds the work).
  std::chrono::milliseconds time_limit{0};
  // The instant `$now()` and `$millis()` report (constant within one evaluation, as in
  // jsonata-js). Default: the system clock when evaluation starts.
  std::optional<std::chrono::system_clock::time_point> now;
};

// An input document converted once to the engine's representation, so that any number of
// evaluations (of one expression or many) can read it without converting it again. Converting
// costs about as much as a simple evaluation; hosts that evaluate repeatedly against the same
// document should build an `Input` once.
//
//   jsonata::Input doc(input_json);            // converted here, once
//   for (const auto& e : expressions) e.evaluate(doc);
//
// Immutable after construction; copies share the converted document; safe to use from any
// number of threads, also by concurrent evaluations.
class STEPWISE_EXPORT Input {
 public:
  Input();  // Undefined input.
  explicit Input(const nlohmann::json& value);
  // Keeps object key order (visible to `$keys`, `$each`, `*`).
  explicit Input(const nlohmann::ordered_json& value);

  bool is_undefined() const { return impl_ == nullptr; }
  // The engine's view; for the library's own use.
  const std::shared_ptr<const internal::InputImpl>& impl() const { return impl_; }

 private:
  std::shared_ptr<const internal::InputImpl> impl_;
};

class CompileResult;

// A compiled JSONata expression. Copies share the compiled form.
//
// Immutable after construction; safe to use from any number of threads.
class STEPWISE_EXPORT Expression {
 public:
  // Parses `text`. Errors carry S0xxx codes, e.g. S0202 for "expected ] before }".
  static CompileResult compile(std::string_view text);

  // Evaluates against `input` (nullptr means undefined input). Object key order in the result
  // is lost, since `nlohmann::json` sorts keys; use the `ordered_json` overload to keep
  // document order visible to `$keys`, `$each`, `*` and friends.
  Outcome evaluate(const nlohmann::json* input, const Bindings* bindings = nullptr,
                   const EvaluateOptions& options = {}) const;
  Outcome evaluate(const nlohmann::ordered_json* input, const Bindings* bindings = nullptr,
                   const EvaluateOptions& options = {}) const;
  // Evaluates against a pre-converted input (see `Input`): the fastest way to evaluate
  // repeatedly against the same document.
  Outcome evaluate(const Input& input, const Bindings* bindings = nullptr,
                   const EvaluateOptions& options = {}) const;

  // The source text this expression was compiled from.
  const std::string& source() const;
  // The compiled form; for the library's own use.
  const std::shared_ptr<const internal::Program>& program() const { return program_; }

 private:
  friend class CompileResult;
  explicit Expression(std::shared_ptr<const internal::Program> program)
      : program_(std::move(program)) {}
  std::shared_ptr<const internal::Program> program_;
};

// The result of `Expression::compile`: an expression or a syntax error (codes S0xxx).
//
// Immutable after construction; safe to use from any number of threads.
class STEPWISE_EXPORT CompileResult {
 public:
  CompileResult(Expression expression);  // NOLINT: implicit by design
  CompileResult(Error error);            // NOLINT: implicit by design
  bool ok() const;
  // REQUIRES: ok().
  const Expression& expression() const&;
  Expression&& expression() &&;
  // REQUIRES: !ok().
  const Error& error() const;

 private:
  std::variant<Expression, Error> v_;
};

}  // namespace stepwise::jsonata

#endif  // STEPWISE_JSONATA_H_
