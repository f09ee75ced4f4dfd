// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The tree-walking evaluator (a faithful port of jsonata-js's evaluate/apply semantics:
// sequences and singleton unwrapping, tuple streams for `@`/`#`/`%`, predicates and stages,
// grouping, order-by, a trampoline for tail calls) plus the per-evaluation `EvalContext` that
// enforces depth and time limits and owns every frame the evaluation creates. Also the internal
// `BindingsImpl` behind `jsonata::Bindings`, through which the ASL interpreter binds `$states`
// and registers extra native functions.
#ifndef STEPWISE_SRC_JSONATA_EVALUATOR_H_
#define STEPWISE_SRC_JSONATA_EVALUATOR_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "jsonata/ast.h"
#include "jsonata/function.h"
#include "jsonata/regex.h"
#include "jsonata/value.h"
#include "stepwise/jsonata.h"

namespace stepwise::jsonata::internal {

// Variables and functions a host binds. Values are immortal (converted once, shared by all
// evaluations). Not thread-safe to modify; safe to read concurrently once set.
class BindingsImpl {
 public:
  BindingsImpl() = default;
  ~BindingsImpl();
  BindingsImpl(const BindingsImpl&) = delete;
  BindingsImpl& operator=(const BindingsImpl&) = delete;

  // Binds `$name` to an engine value (made immortal; ownership passes to the bindings).
  void set_value(std::string_view name, Value v);
  // Registers a native function; `signature` may be empty. Throws JsonataError on a bad
  // signature.
  void set_native(std::string_view name,
                  std::function<Value(Evaluator&, std::vector<Value>&, const Value&)> fn,
                  std::string_view signature);
  const Value* lookup(std::string_view name) const;

 private:
  std::unordered_map<std::string, Value, StringHash, std::equal_to<>> values_;
  std::vector<std::unique_ptr<NativeFunction>> natives_;
};

// The document behind a public `jsonata::Input`: converted once and immortal, so concurrent
// evaluations share it without reference counting.
struct InputImpl {
  explicit InputImpl(Value v) : value(std::move(v)) { make_immortal(value); }
  ~InputImpl() { destroy_immortal(value); }
  InputImpl(const InputImpl&) = delete;
  InputImpl& operator=(const InputImpl&) = delete;
  Value value;
};

// Per-evaluation state. Not thread-safe: use from one thread at a time.
class EvalContext {
 public:
  EvalContext(const EvaluateOptions& options, const BindingsImpl* bindings);
  ~EvalContext();  // Breaks closure cycles among the frames this evaluation created.

  int max_depth;
  std::uint64_t max_steps;  // checked every 256 steps, and by `charge`
  int depth = 0;
  bool has_deadline = false;
  std::chrono::steady_clock::time_point deadline;
  std::uint64_t ticks = 0;
  double now_millis = 0;
  const BindingsImpl* bindings;
  Frame* live_head = nullptr;
  std::vector<std::shared_ptr<const Program>> eval_programs;
  void check_time();
  // Counts `steps` of bulk work at once (a range's items) and fails with U1001 (timeout text)
  // when the budget is spent, before the work is done.
  void charge(std::uint64_t steps);
  // The evaluation's random generator ($random, $shuffle), seeded on first use: seeding from
  // std::random_device costs tens of microseconds, more than most whole evaluations.
  std::mt19937_64& rng();

 private:
  std::optional<std::mt19937_64> rng_;
};

class Evaluator {
 public:
  explicit Evaluator(EvalContext& ctx);

  // Evaluates `program` against `input`; the top-level entry point.
  Value run(const Program& program, const Value& input);

  Value eval(const AstNode* n, const Value& input, Frame* env);
  // Applies a function value (with tail-call trampolining). `input` is the calling context.
  Value apply(const Value& proc, std::vector<Value>& args, const Value& input, Frame* env);
  // Calls `fn` from a higher-order built-in with up to three callback arguments, trimmed to
  // the callback's arity.
  Value call_hof(const Value& fn, const Value& a1, const Value& a2, const Value& a3, int nargs);
  FrameRef new_frame(Frame* parent);
  const Value* lookup_var(std::string_view name, Frame* env) const;
  Frame* root() const { return root_.get(); }
  EvalContext& ctx() { return ctx_; }

 private:
  Value eval_inner(const AstNode* n, const Value& input, Frame* env);
  Value eval_path(const AstNode* n, const Value& input, Frame* env);
  Value eval_step(const AstNode* step, const Value& input, Frame* env, bool last);
  Value eval_tuple_step(const AstNode* step, const Value& input, const Value& tuples, Frame* env);
  Value eval_stages(const std::vector<Stage>& stages, Value input, Frame* env);
  Value eval_filter(const AstNode* pred, const Value& input, Frame* env);
  Value eval_group(const std::vector<std::pair<AstNode*, AstNode*>>& pairs, const Value& input,
                   Frame* env, std::size_t position);
  Value eval_sort(const AstNode* sort, const Value& input, Frame* env);
  Value eval_binary(const AstNode* n, const Value& input, Frame* env);
  Value eval_function(const AstNode* n, const Value& input, Frame* env, const Value* applyto);
  Value eval_partial(const AstNode* n, const Value& input, Frame* env);
  Value eval_apply(const AstNode* n, const Value& input, Frame* env);
  Value apply_inner(const Value& proc, std::vector<Value>& args, const Value& input, Frame* env);
  Value apply_transform(const FunctionNode& f, std::vector<Value>& args);
  FrameRef frame_from_tuple(Frame* env, const Value& tuple);

  EvalContext& ctx_;
  FrameRef root_;
};

// The built-in function library, looked up by name (without `$`). nullptr when unknown.
const Value* builtin_function(std::string_view name);

// jsonata-js helpers shared by the evaluator and the library.
std::optional<bool> to_boolean(const Value& v);  // nullopt for undefined.
Value append_values(const Value& a, const Value& b);
bool is_numeric(const Value& v);  // Throws D1001 for non-finite numbers.
std::string to_js_string(const Value& v, bool pretty = false);  // $string semantics.
Value make_regex_match(const std::shared_ptr<const Regex>& re, const std::string& subject,
                       const Regex::Match& m, bool with_next);

}  // namespace stepwise::jsonata::internal

#endif  // STEPWISE_SRC_JSONATA_EVALUATOR_H_
