// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The evaluator: one function per node kind, following jsonata-js's evaluate.js so that
// sequence flattening, singleton unwrapping, tuple streams and error codes match the reference.
#include "jsonata/evaluator.h"

#include <algorithm>
#include <cmath>

#include "jsonata/regex.h"

namespace stepwise::jsonata::internal {

// ---------------------------------------------------------------------------------------------
// Frames and function nodes.

void frame_retain(Frame* f) { ++f->refs; }

void frame_release(Frame* f) {
  if (--f->refs != 0) return;
  if (f->ctx != nullptr) {
    if (f->prev_live != nullptr) f->prev_live->next_live = f->next_live;
    if (f->next_live != nullptr) f->next_live->prev_live = f->prev_live;
    if (f->ctx->live_head == f) f->ctx->live_head = f->next_live;
  }
  Frame* parent = f->parent;
  delete f;
  if (parent != nullptr) frame_release(parent);
}

FunctionNode::~FunctionNode() {
  if (env != nullptr) frame_release(env);
}

Value make_function(FunctionNode* f) { return Value::from_node(Type::kFunction, f); }

int function_arity(const Value& f) {
  if (!f.is_function()) return 0;
  const FunctionNode& fn = f.fn();
  switch (fn.kind) {
    case FunctionNode::Kind::kLambda:
      return static_cast<int>(fn.node->params.size());
    case FunctionNode::Kind::kNative:
      return fn.native->arity;
    case FunctionNode::Kind::kPartial:
      return static_cast<int>(std::count(fn.placeholder.begin(), fn.placeholder.end(), true));
    case FunctionNode::Kind::kChain:
    case FunctionNode::Kind::kRegex:
    case FunctionNode::Kind::kTransform:
      return 1;
    case FunctionNode::Kind::kRegexNext:
      return 0;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Bindings and context.

BindingsImpl::~BindingsImpl() {
  for (auto& [k, v] : values_) {
    if (v.is_function()) {
      // Function values created by set_native are immortal; free them here.
      HeapNode* n = v.node();
      v = Value();
      delete n;
    } else {
      destroy_immortal(v);
    }
  }
}

void BindingsImpl::set_value(std::string_view name, Value v) {
  make_immortal(v);
  auto it = values_.find(name);
  if (it != values_.end()) {
    if (it->second.is_function()) {
      HeapNode* n = it->second.node();
      it->second = Value();
      delete n;
    } else {
      destroy_immortal(it->second);
    }
    it->second = std::move(v);
  } else {
    values_.emplace(std::string(name), std::move(v));
  }
}

void BindingsImpl::set_native(
    std::string_view name, std::function<Value(Evaluator&, std::vector<Value>&, const Value&)> fn,
    std::string_view signature) {
  auto native = std::make_unique<NativeFunction>();
  native->name = std::string(name);
  native->host = std::move(fn);
  if (!signature.empty()) {
    native->signature = std::make_shared<Signature>(Signature::parse(signature, 0));
    native->arity = static_cast<int>(native->signature->param_count());
  }
  auto* f = new FunctionNode(FunctionNode::Kind::kNative);
  f->native = native.get();
  natives_.push_back(std::move(native));
  Value v = make_function(f);
  f->immortal = true;
  f->refs = 0;
  set_value(name, v);
}

const Value* BindingsImpl::lookup(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

EvalContext::EvalContext(const EvaluateOptions& options, const BindingsImpl* b)
    // Capped at the default: each level costs up to 3.7 KiB of native stack (ASan build,
    // measured), so 1,000 levels stay within an 8 MiB stack.
    : max_depth(options.max_depth > 0 ? std::min(options.max_depth, EvaluateOptions().max_depth)
                                      : EvaluateOptions().max_depth),
      max_steps(options.max_steps > 0 ? options.max_steps : EvaluateOptions().max_steps),
      bindings(b) {
  if (options.time_limit.count() > 0) {
    has_deadline = true;
    deadline = std::chrono::steady_clock::now() + options.time_limit;
  }
  auto now = options.now.value_or(std::chrono::system_clock::now());
  now_millis = static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count());
}

std::mt19937_64& EvalContext::rng() {
  if (!rng_) {
    // One std::random_device read per thread; each evaluation then draws its seed from it.
    thread_local std::mt19937_64 seeder = [] {
      std::random_device rd;
      return std::mt19937_64((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
    }();
    rng_.emplace(seeder());
  }
  return *rng_;
}

EvalContext::~EvalContext() {
  // Break cycles: hold every live frame, clear its variables, then drop the holds.
  std::vector<Frame*> live;
  for (Frame* f = live_head; f != nullptr; f = f->next_live) live.push_back(f);
  for (Frame* f : live) frame_retain(f);
  for (Frame* f : live) {
    auto vars = std::move(f->vars);
    f->vars.clear();
    vars.clear();
  }
  for (Frame* f : live) frame_release(f);
}

namespace {

// The jsonata-js test harness reports both runaway cases with code U1001; this one with its
// timeout text.
[[noreturn]] void throw_timeout() {
  JsonataError e("U1001", 0, "", "Expression evaluation timeout: Check for infinite loop");
  e.has_position = false;
  e.has_token = false;
  throw e;
}

}  // namespace

void EvalContext::check_time() {
  if (has_deadline && std::chrono::steady_clock::now() > deadline) throw_timeout();
}

void EvalContext::charge(std::uint64_t steps) {
  ticks += steps;
  if (ticks > max_steps) throw_timeout();
  check_time();
}

// ---------------------------------------------------------------------------------------------
// Helpers.

std::optional<bool> to_boolean(const Value& v) {
  switch (v.type()) {
    case Type::kUndefined:
      return std::nullopt;
    case Type::kNull:
      return false;
    case Type::kBool:
      return v.as_bool();
    case Type::kNumber:
      return v.num() != 0 && !std::isnan(v.num());
    case Type::kString:
      return !v.str().empty();
    case Type::kFunction:
      return false;
    case Type::kObject:
      return v.obj().size() > 0;
    case Type::kArray: {
      const auto& items = v.arr().items;
      if (items.size() == 1) return to_boolean(items[0]).value_or(false);
      for (const auto& i : items) {
        if (to_boolean(i).value_or(false)) return true;
      }
      return false;
    }
  }
  return false;
}

Value append_values(const Value& a, const Value& b) {
  if (a.is_undefined()) return b;
  if (b.is_undefined()) return a;
  Value out = make_array();
  auto& items = out.arr().items;
  if (a.is_array()) {
    items = a.arr().items;
  } else {
    items.push_back(a);
  }
  if (b.is_array()) {
    items.insert(items.end(), b.arr().items.begin(), b.arr().items.end());
  } else {
    items.push_back(b);
  }
  return out;
}

bool is_numeric(const Value& v) {
  if (!v.is_number()) return false;
  if (std::isnan(v.num())) return false;
  if (!std::isfinite(v.num())) throw_value_error("D1001", js_number_to_string(v.num()));
  return true;
}

namespace {

void push_flatten(std::vector<Value>& out, const Value& v) {
  if (v.is_array()) {
    for (const auto& i : v.arr().items) push_flatten(out, i);
  } else {
    out.push_back(v);
  }
}

void recurse_descendants(const Value& v, std::vector<Value>& out) {
  if (!v.is_array()) out.push_back(v);
  if (v.is_array()) {
    for (const auto& i : v.arr().items) recurse_descendants(i, out);
  } else if (v.is_object()) {
    for (const auto& e : v.obj().entries) recurse_descendants(e.second, out);
  }
}

// `*`: the values of the input's fields (of each object in an input array), arrays flattened.
Value wildcard_values(const Value& input) {
  Value results = make_sequence();
  auto& out = results.arr().items;
  Value in = input;
  if (in.is_array() && in.arr().outer_wrapper && !in.arr().items.empty()) {
    in = Value(in.arr().items[0]);
  }
  if (in.is_object()) {
    for (const auto& e : in.obj().entries) {
      if (e.second.is_array()) {
        push_flatten(out, e.second);
      } else {
        out.push_back(e.second);
      }
    }
  } else if (in.is_array()) {
    for (const auto& e : in.arr().items) {
      if (e.is_array()) {
        push_flatten(out, e);
      } else {
        out.push_back(e);
      }
    }
  }
  return results;
}

// `**`: the input and every value below it; one value alone is not wrapped in a sequence.
Value descendant_values(const Value& input) {
  if (input.is_undefined()) return Value();
  Value results = make_sequence();
  recurse_descendants(input, results.arr().items);
  if (results.arr().items.size() == 1) return results.arr().items[0];
  return results;
}

Value lookup_field(const Value& input, std::string_view key) {
  if (input.is_array()) {
    Value result = make_sequence();
    auto& out = result.arr().items;
    for (const auto& item : input.arr().items) {
      Value r = lookup_field(item, key);
      if (r.is_undefined()) continue;
      if (r.is_array()) {
        out.insert(out.end(), r.arr().items.begin(), r.arr().items.end());
      } else {
        out.push_back(std::move(r));
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

bool is_array_of_numbers(const Value& v) {
  if (!v.is_array()) return false;
  for (const auto& i : v.arr().items) {
    if (!i.is_number()) return false;
  }
  return true;
}

struct DepthGuard {
  explicit DepthGuard(EvalContext& c) : ctx(c) {
    if (++ctx.depth > ctx.max_depth) {
      --ctx.depth;
      throw_error("U1001", 0, "");
    }
    if ((++ctx.ticks & 255U) == 0) {
      try {
        if (ctx.ticks > ctx.max_steps) throw_timeout();
        ctx.check_time();
      } catch (...) {
        --ctx.depth;
        throw;
      }
    }
  }
  ~DepthGuard() { --ctx.depth; }
  EvalContext& ctx;
};

std::string proc_name(const AstNode* procedure) {
  if (procedure->type == NodeType::kPath && !procedure->steps.empty())
    return procedure->steps[0]->value;
  return procedure->value;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Evaluator.

Evaluator::Evaluator(EvalContext& ctx) : ctx_(ctx) { root_ = new_frame(nullptr); }

FrameRef Evaluator::new_frame(Frame* parent) {
  auto* f = new Frame();
  f->ctx = &ctx_;
  f->next_live = ctx_.live_head;
  if (ctx_.live_head != nullptr) ctx_.live_head->prev_live = f;
  ctx_.live_head = f;
  if (parent != nullptr) {
    frame_retain(parent);
    f->parent = parent;
  }
  return FrameRef(f);
}

const Value* Evaluator::lookup_var(std::string_view name, Frame* env) const {
  if (env != nullptr) {
    if (const Value* v = env->lookup(name)) return v;
  }
  if (ctx_.bindings != nullptr) {
    if (const Value* v = ctx_.bindings->lookup(name)) return v;
  }
  return builtin_function(name);
}

Value Evaluator::run(const Program& program, const Value& input) {
  Value in = input;
  root_->bind("$", input);
  if (in.is_array() && !in.arr().sequence) {
    Value wrapper = make_sequence();
    wrapper.arr().items.push_back(in);
    wrapper.arr().outer_wrapper = true;
    in = wrapper;
  }
  return eval(program.root, in, root_.get());
}

Value Evaluator::eval(const AstNode* n, const Value& input, Frame* env) {
  DepthGuard guard(ctx_);
  Value result = eval_inner(n, input, env);
  if (!n->predicates.empty()) {
    for (const auto& p : n->predicates) result = eval_filter(p.expr, result, env);
  }
  if (n->type != NodeType::kPath && n->group) {
    result = eval_group(n->group->pairs, result, env, n->group->position);
  }
  if (result.is_array() && result.arr().sequence && !result.arr().tuple_stream) {
    ArrayNode& a = result.arr();
    if (n->keep_array) a.keep_singleton = true;
    if (a.items.empty()) return Value();
    if (a.items.size() == 1 && !a.keep_singleton) return a.items[0];
  }
  return result;
}

Value Evaluator::eval_inner(const AstNode* n, const Value& input, Frame* env) {
  switch (n->type) {
    case NodeType::kPath:
      return eval_path(n, input, env);
    case NodeType::kBinary:
      return eval_binary(n, input, env);
    case NodeType::kNegate: {
      Value v = eval(n->expression, input, env);
      if (v.is_undefined()) return v;
      if (is_numeric(v)) return Value::number(-v.num());
      throw_error("D1002", n->position, "-", describe(v));
    }
    case NodeType::kArrayCons: {
      Value result = make_array();
      auto& items = result.arr().items;
      for (const AstNode* item : n->items) {
        Value v = eval(item, input, env);
        if (v.is_undefined()) continue;
        if (item->type == NodeType::kArrayCons) {
          items.push_back(std::move(v));
        } else if (v.is_array()) {
          items.insert(items.end(), v.arr().items.begin(), v.arr().items.end());
        } else {
          items.push_back(std::move(v));
        }
      }
      if (n->consarray) result.arr().cons = true;
      return result;
    }
    case NodeType::kObjectCons:
      return eval_group(n->pairs, input, env, n->position);
    case NodeType::kName:
      return lookup_field(input, n->value);
    case NodeType::kString:
    case NodeType::kNumber:
    case NodeType::kValue:
      return n->literal;
    case NodeType::kWildcard:
      return wildcard_values(input);
    case NodeType::kDescendant:
      return descendant_values(input);
    case NodeType::kParent: {
      const Value* v = env->lookup(n->slot->label);
      return v != nullptr ? *v : Value();
    }
    case NodeType::kCondition: {
      Value c = eval(n->condition, input, env);
      if (to_boolean(c).value_or(false)) return eval(n->then, input, env);
      if (n->otherwise != nullptr) return eval(n->otherwise, input, env);
      return Value();
    }
    case NodeType::kElvis: {
      Value l = eval(n->lhs, input, env);
      if (to_boolean(l).value_or(false)) return l;
      return eval(n->rhs, input, env);
    }
    case NodeType::kCoalesce: {
      Value l = eval(n->lhs, input, env);
      if (l.is_defined()) return l;
      return eval(n->rhs, input, env);
    }
    case NodeType::kBlock: {
      FrameRef frame = new_frame(env);
      Value result;
      for (const AstNode* e : n->items) result = eval(e, input, frame.get());
      return result;
    }
    case NodeType::kBind: {
      Value v = eval(n->rhs, input, env);
      env->bind(n->lhs->value, v);
      return v;
    }
    case NodeType::kRegex: {
      auto* f = new FunctionNode(FunctionNode::Kind::kRegex);
      f->regex = n->regex;
      return make_function(f);
    }
    case NodeType::kFunctionCall:
      return eval_function(n, input, env, nullptr);
    case NodeType::kVariable: {
      if (n->value.empty()) {
        if (input.is_array() && input.arr().outer_wrapper && !input.arr().items.empty()) {
          return input.arr().items[0];
        }
        return input;
      }
      const Value* v = lookup_var(n->value, env);
      return v != nullptr ? *v : Value();
    }
    case NodeType::kLambda: {
      auto* f = new FunctionNode(FunctionNode::Kind::kLambda);
      f->node = n;
      f->input = input;
      f->env = env;
      frame_retain(env);
      return make_function(f);
    }
    case NodeType::kPartial:
      return eval_partial(n, input, env);
    case NodeType::kApply:
      return eval_apply(n, input, env);
    case NodeType::kTransform: {
      auto* f = new FunctionNode(FunctionNode::Kind::kTransform);
      f->node = n;
      f->env = env;
      frame_retain(env);
      return make_function(f);
    }
    case NodeType::kSort:
      return eval_sort(n, input, env);
    default:
      throw_error("S0206", n->position, n->value);
  }
}

// ---- Paths ----

Value Evaluator::eval_path(const AstNode* expr, const Value& input, Frame* env) {
  Value input_seq;
  if (input.is_array() && expr->steps[0]->type != NodeType::kVariable) {
    input_seq = input;
  } else {
    input_seq = make_sequence(input);
    if (input.is_undefined()) {
      // createSequence(undefined) holds one undefined item in jsonata-js.
      input_seq.arr().items.push_back(Value());
    }
  }
  Value result;
  bool tuple_stream = false;
  Value tuples;
  for (std::size_t i = 0; i < expr->steps.size(); ++i) {
    const AstNode* step = expr->steps[i];
    if (step->tuple) tuple_stream = true;
    if (i == 0 && step->consarray) {
      result = eval(step, input_seq, env);
      if (result.is_defined() && !result.is_array() && i + 1 < expr->steps.size()) {
        // A filter unwrapped the array's lone match (`[1, 2, 3][1].($)`). jsonata-js runs the
        // next step over `result.length` items: none for a number, boolean, null or object,
        // so the path is undefined. (For a string it would run over its UTF-16 code units, an
        // accident of JavaScript not followed here: the path is undefined too.)
        result = Value();
        break;
      }
    } else if (tuple_stream) {
      tuples = eval_tuple_step(step, input_seq, tuples, env);
    } else {
      result = eval_step(step, input_seq, env, i == expr->steps.size() - 1);
    }
    if (!tuple_stream &&
        (result.is_undefined() || (result.is_array() && result.arr().items.empty())))
      break;
    if (!step->has_focus) input_seq = result;
  }
  if (tuple_stream) {
    if (expr->tuple) {
      result = tuples;
    } else {
      result = make_sequence();
      if (tuples.is_array()) {
        for (const auto& t : tuples.arr().items) {
          const Value* v = t.obj().get("@");
          result.arr().items.push_back(v != nullptr ? *v : Value());
        }
      }
    }
  }
  if (expr->keep_singleton_array) {
    if (result.is_array() && result.arr().cons && !result.arr().sequence) {
      Value s = make_sequence();
      s.arr().items.push_back(result);
      result = s;
    }
    if (result.is_array()) {
      if (!result.arr().sequence) {
        Value copy = make_array(result.arr().items, true);
        result = copy;
      }
      result.arr().keep_singleton = true;
    }
  }
  if (expr->group) {
    result =
        eval_group(expr->group->pairs, tuple_stream ? tuples : result, env, expr->group->position);
  }
  return result;
}

Value Evaluator::eval_step(const AstNode* step, const Value& input, Frame* env, bool last) {
  if (step->type == NodeType::kSort) {
    Value r = eval_sort(step, input, env);
    if (!step->stages.empty()) r = eval_stages(step->stages, r, env);
    return r;
  }
  // Results are flattened straight into the output sequence; the first one is also kept, for
  // jsonata-js's "a lone non-sequence array from the last step is returned as is".
  const auto& items = input.arr().items;
  Value seq = make_sequence();
  auto& out = seq.arr().items;
  out.reserve(items.size());
  Value first;
  std::size_t defined = 0;
  for (const auto& item : items) {
    Value res = eval(step, item, env);
    for (const auto& st : step->stages) res = eval_filter(st.expr, res, env);
    if (res.is_undefined()) continue;
    if (++defined == 1 && last) first = res;
    if (!res.is_array() || res.arr().cons) {
      out.push_back(std::move(res));
    } else {
      out.insert(out.end(), res.arr().items.begin(), res.arr().items.end());
    }
  }
  if (last && defined == 1 && first.is_array() && !first.arr().sequence) return first;
  return seq;
}

Value Evaluator::eval_stages(const std::vector<Stage>& stages, Value input, Frame* env) {
  Value result = std::move(input);
  for (const auto& stage : stages) {
    if (!stage.is_index) {
      result = eval_filter(stage.expr, result, env);
    } else if (result.is_array()) {
      auto& items = result.arr().items;
      for (std::size_t i = 0; i < items.size(); ++i) {
        // Tuples are fresh objects owned by this stream.
        items[i].obj().set(stage.var, Value::number(static_cast<double>(i)));
      }
    }
  }
  return result;
}

FrameRef Evaluator::frame_from_tuple(Frame* env, const Value& tuple) {
  FrameRef f = new_frame(env);
  if (!tuple.is_object()) return f;
  for (const auto& e : tuple.obj().entries) f->vars.emplace_back(e.first, e.second);
  return f;
}

namespace {
Value tuple_focus(const Value& t) {
  if (!t.is_object()) return Value();
  const Value* f = t.obj().get("@");
  return f != nullptr ? *f : Value();
}

Value clone_tuple(const Value& t) {
  Value o = make_object();
  o.obj().entries = t.obj().entries;
  if (o.obj().entries.size() > 12) {
    auto entries = std::move(o.obj().entries);
    o.obj().entries.clear();
    for (auto& e : entries) o.obj().set(e.first, e.second);
  }
  return o;
}
}  // namespace

Value Evaluator::eval_tuple_step(const AstNode* step, const Value& input, const Value& tuples,
                                 Frame* env) {
  if (step->type == NodeType::kSort) {
    Value result;
    if (tuples.is_defined()) {
      result = eval_sort(step, tuples, env);
    } else {
      Value sorted = eval_sort(step, input, env);
      result = make_sequence();
      result.arr().tuple_stream = true;
      if (sorted.is_array()) {
        const auto& items = sorted.arr().items;
        for (std::size_t i = 0; i < items.size(); ++i) {
          Value t = make_object();
          t.obj().set("@", items[i]);
          if (step->has_index) t.obj().set(step->index_var, Value::number(static_cast<double>(i)));
          result.arr().items.push_back(t);
        }
      }
    }
    if (!step->stages.empty()) result = eval_stages(step->stages, result, env);
    return result;
  }
  Value result = make_sequence();
  result.arr().tuple_stream = true;
  Value bindings = tuples;
  if (bindings.is_undefined()) {
    bindings = make_sequence();
    for (const auto& item : input.arr().items) {
      Value t = make_object();
      t.obj().set("@", item);
      bindings.arr().items.push_back(t);
    }
  }
  for (const auto& tuple : bindings.arr().items) {
    FrameRef step_env = frame_from_tuple(env, tuple);
    const Value* focus_ptr = tuple.obj().get("@");
    Value focus = focus_ptr != nullptr ? *focus_ptr : Value();
    Value res = eval(step, focus, step_env.get());
    if (res.is_undefined()) continue;
    Value arr = res;
    if (!arr.is_array()) {
      arr = make_array();
      arr.arr().items.push_back(res);
    }
    bool res_tuples = res.is_array() && res.arr().tuple_stream;
    const auto& items = arr.arr().items;
    for (std::size_t bb = 0; bb < items.size(); ++bb) {
      Value t = clone_tuple(tuple);
      if (res_tuples) {
        for (const auto& e : items[bb].obj().entries) t.obj().set(e.first, e.second);
      } else {
        if (step->has_focus) {
          t.obj().set(step->focus, items[bb]);
          t.obj().set("@", focus);
        } else {
          t.obj().set("@", items[bb]);
        }
        if (step->has_index) t.obj().set(step->index_var, Value::number(static_cast<double>(bb)));
        if (step->ancestor) t.obj().set(step->ancestor->label, focus);
      }
      result.arr().items.push_back(std::move(t));
    }
  }
  if (!step->stages.empty()) result = eval_stages(step->stages, result, env);
  return result;
}

Value Evaluator::eval_filter(const AstNode* pred, const Value& input, Frame* env) {
  Value results = make_sequence();
  bool tuples = input.is_array() && input.arr().tuple_stream;
  if (tuples) results.arr().tuple_stream = true;
  Value in = input;
  if (!in.is_array()) {
    in = make_sequence(input);
  }
  const auto& items = in.arr().items;
  auto& out = results.arr().items;
  if (pred->type == NodeType::kNumber) {
    double idx = std::floor(pred->literal.num());
    if (idx < 0) idx += static_cast<double>(items.size());
    if (idx >= 0 && idx < static_cast<double>(items.size())) {
      const Value& item = items[static_cast<std::size_t>(idx)];
      if (item.is_array()) return item;
      out.push_back(item);
    }
    return results;
  }
  for (std::size_t index = 0; index < items.size(); ++index) {
    const Value& item = items[index];
    Value res;
    if (tuples) {
      FrameRef fenv = frame_from_tuple(env, item);
      res = eval(pred, tuple_focus(item), fenv.get());
    } else {
      res = eval(pred, item, env);
    }
    if (is_numeric(res)) {
      double ii = std::floor(res.num());
      if (ii < 0) ii += static_cast<double>(items.size());
      if (ii == static_cast<double>(index)) out.push_back(item);
    } else if (is_array_of_numbers(res)) {
      for (const auto& r : res.arr().items) {
        double ii = std::floor(r.num());
        if (ii < 0) ii += static_cast<double>(items.size());
        if (ii == static_cast<double>(index)) out.push_back(item);
      }
    } else if (to_boolean(res).value_or(false)) {
      out.push_back(item);
    }
  }
  return results;
}

Value Evaluator::eval_group(const std::vector<std::pair<AstNode*, AstNode*>>& pairs,
                            const Value& input, Frame* env, std::size_t position) {
  bool reduce = input.is_array() && input.arr().tuple_stream;
  std::vector<Value> items;
  if (input.is_array()) {
    items = input.arr().items;
  } else {
    items.push_back(input);
  }
  if (items.empty()) items.push_back(Value());
  struct GroupEntry {
    std::string key;
    std::vector<Value> data;
    std::size_t expr_index;
  };
  std::vector<GroupEntry> groups;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& item : items) {
    FrameRef tenv;
    Frame* ienv = env;
    Value context = item;
    if (reduce) {
      tenv = frame_from_tuple(env, item);
      ienv = tenv.get();
      context = tuple_focus(item);
    }
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      Value key = eval(pairs[p].first, context, ienv);
      if (key.is_undefined()) continue;
      if (!key.is_string()) throw_error("T1003", position, "", describe(key));
      auto it = index.find(key.str());
      if (it != index.end()) {
        if (groups[it->second].expr_index != p) throw_error("D1009", position, "", key.str());
        groups[it->second].data.push_back(item);
      } else {
        index.emplace(key.str(), groups.size());
        groups.push_back(GroupEntry{key.str(), {item}, p});
      }
    }
  }
  Value result = make_object();
  for (auto& g : groups) {
    Value context;
    FrameRef genv;
    Frame* eenv = env;
    if (reduce) {
      // reduceTupleStream: merge all tuples, appending values of repeated names.
      Value merged = make_object();
      for (std::size_t i = 0; i < g.data.size(); ++i) {
        if (!g.data[i].is_object()) continue;
        for (const auto& e : g.data[i].obj().entries) {
          if (i == 0) {
            merged.obj().set(e.first, e.second);
          } else {
            const Value* prev = merged.obj().get(e.first);
            merged.obj().set(e.first, append_values(prev != nullptr ? *prev : Value(), e.second));
          }
        }
      }
      const Value* f = merged.obj().get("@");
      context = f != nullptr ? *f : Value();
      genv = new_frame(env);
      for (const auto& e : merged.obj().entries) {
        if (e.first != "@") genv->vars.emplace_back(e.first, e.second);
      }
      eenv = genv.get();
    } else {
      std::vector<Value> defined;
      for (auto& d : g.data) {
        if (d.is_defined()) defined.push_back(d);
      }
      if (defined.empty()) {
        context = Value();
      } else if (defined.size() == 1) {
        context = defined[0];
      } else {
        Value a = make_array();
        for (auto& d : defined) {
          if (d.is_array()) {
            a.arr().items.insert(a.arr().items.end(), d.arr().items.begin(), d.arr().items.end());
          } else {
            a.arr().items.push_back(d);
          }
        }
        context = a;
      }
    }
    Value v = eval(pairs[g.expr_index].second, context, eenv);
    if (v.is_defined()) result.obj().set(g.key, std::move(v));
  }
  return result;
}

Value Evaluator::eval_sort(const AstNode* sort, const Value& input, Frame* env) {
  if (!input.is_array()) return input;
  bool tuples = input.arr().tuple_stream;
  const auto& items = input.arr().items;
  if (items.size() <= 1) return input;
  std::size_t nterms = sort->terms.size();
  std::vector<Value> keys(items.size() * nterms);
  for (std::size_t i = 0; i < items.size(); ++i) {
    FrameRef tenv;
    Frame* e = env;
    Value context = items[i];
    if (tuples) {
      tenv = frame_from_tuple(env, items[i]);
      e = tenv.get();
      context = tuple_focus(items[i]);
    }
    for (std::size_t t = 0; t < nterms; ++t)
      keys[i * nterms + t] = eval(sort->terms[t].expression, context, e);
  }
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto compare = [&](std::size_t a, std::size_t b) -> int {
    for (std::size_t t = 0; t < nterms; ++t) {
      const Value& aa = keys[a * nterms + t];
      const Value& bb = keys[b * nterms + t];
      int comp = 0;
      if (aa.is_undefined()) {
        comp = bb.is_undefined() ? 0 : 1;
        if (comp != 0) return comp;
        continue;
      }
      if (bb.is_undefined()) return -1;
      bool acmp = aa.is_string() || aa.is_number();
      bool bcmp = bb.is_string() || bb.is_number();
      if (!acmp || !bcmp) throw_error("T2008", sort->position, "", describe(!acmp ? aa : bb));
      if (aa.type() != bb.type()) throw_error("T2007", sort->position, "", describe(aa));
      if (aa.is_number()) {
        comp = aa.num() == bb.num() ? 0 : (aa.num() < bb.num() ? -1 : 1);
      } else {
        int c = aa.str().compare(bb.str());
        comp = c == 0 ? 0 : (c < 0 ? -1 : 1);
      }
      if (sort->terms[t].descending) comp = -comp;
      if (comp != 0) return comp;
    }
    return 0;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return compare(a, b) < 0; });
  Value result = make_sequence();
  if (tuples) result.arr().tuple_stream = true;
  result.arr().items.reserve(order.size());
  for (std::size_t i : order) result.arr().items.push_back(items[i]);
  return result;
}

// ---- Operators ----

namespace {

// + - * / % (T2001/T2002 for a defined non-number; undefined when either side is).
Value arithmetic(const AstNode* n, BinaryOp op, const Value& lhs, const Value& rhs) {
  if (lhs.is_defined() && !is_numeric(lhs))
    throw_error("T2001", n->position, n->value, describe(lhs));
  if (rhs.is_defined() && !is_numeric(rhs))
    throw_error("T2002", n->position, n->value, describe(rhs));
  if (lhs.is_undefined() || rhs.is_undefined()) return Value();
  double a = lhs.num();
  double b = rhs.num();
  switch (op) {
    case BinaryOp::kAdd:
      return Value::number(a + b);
    case BinaryOp::kSub:
      return Value::number(a - b);
    case BinaryOp::kMul:
      return Value::number(a * b);
    case BinaryOp::kDiv:
      return Value::number(a / b);
    default:
      return Value::number(std::fmod(a, b));
  }
}

// < <= > >= over two numbers or two strings (T2010 for other types, T2009 for a mix).
Value ordering(const AstNode* n, BinaryOp op, const Value& lhs, const Value& rhs) {
  bool lc = lhs.is_undefined() || lhs.is_string() || lhs.is_number();
  bool rc = rhs.is_undefined() || rhs.is_string() || rhs.is_number();
  if (lhs.is_number()) is_numeric(lhs);
  if (rhs.is_number()) is_numeric(rhs);
  if (!lc || !rc) throw_error("T2010", n->position, n->value, describe(!lc ? lhs : rhs));
  if (lhs.is_undefined() || rhs.is_undefined()) return Value();
  if (lhs.type() != rhs.type()) throw_error("T2009", n->position, n->value, describe(lhs));
  int c;
  if (lhs.is_number()) {
    c = lhs.num() < rhs.num() ? -1 : (lhs.num() > rhs.num() ? 1 : 0);
  } else {
    int k = lhs.str().compare(rhs.str());
    c = k < 0 ? -1 : (k > 0 ? 1 : 0);
  }
  switch (op) {
    case BinaryOp::kLt:
      return Value::boolean(c < 0);
    case BinaryOp::kLe:
      return Value::boolean(c <= 0);
    case BinaryOp::kGt:
      return Value::boolean(c > 0);
    default:
      return Value::boolean(c >= 0);
  }
}

// One evaluation step is charged per this many items a range makes, so that the step budget
// bounds the work and memory of ranges too (`[1..342].[1..34234]` is 11.7 million items in a
// few hundred steps), while the reference suite's largest range (10,000,000 items) stays
// within the default budget of 10,000,000 steps.
constexpr double kRangeItemsPerStep = 2;

// The range operator `..`: the integers from lhs to rhs (at most 1e7 of them, D2014).
Value range(const AstNode* n, const Value& lhs, const Value& rhs, EvalContext& ctx) {
  auto is_int = [](const Value& v) {
    return v.is_number() && std::isfinite(v.num()) && v.num() == std::floor(v.num());
  };
  if (lhs.is_defined() && !is_int(lhs)) throw_error("T2003", n->position, n->value, describe(lhs));
  if (rhs.is_defined() && !is_int(rhs)) throw_error("T2004", n->position, n->value, describe(rhs));
  if (lhs.is_undefined() || rhs.is_undefined()) return Value();
  double a = lhs.num();
  double b = rhs.num();
  if (a > b) return Value();
  double size = b - a + 1;
  if (size > 1e7) throw_error("D2014", n->position, n->value, js_number_to_string(size));
  ctx.charge(static_cast<std::uint64_t>(size / kRangeItemsPerStep));
  Value result = make_sequence();
  auto& items = result.arr().items;
  items.reserve(static_cast<std::size_t>(size));
  for (double v = a; v <= b; v += 1) items.push_back(Value::number(v));
  return result;
}

// The operator `in`: whether lhs equals rhs or one of rhs's items.
Value membership(const Value& lhs, const Value& rhs) {
  if (lhs.is_undefined() || rhs.is_undefined()) return Value::boolean(false);
  if (rhs.is_array()) {
    for (const auto& i : rhs.arr().items) {
      if (values_equal(i, lhs, Equality::kIdentity)) return Value::boolean(true);
    }
    return Value::boolean(false);
  }
  return Value::boolean(values_equal(rhs, lhs, Equality::kIdentity));
}

// Both operands evaluated; `and` and `or` short-circuit in eval_binary instead.
Value apply_binary(const AstNode* n, const Value& lhs, const Value& rhs, EvalContext& ctx) {
  BinaryOp op = n->op;
  switch (op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      return arithmetic(n, op, lhs, rhs);
    case BinaryOp::kEq:
    case BinaryOp::kNe: {
      if (lhs.is_undefined() || rhs.is_undefined()) return Value::boolean(false);
      bool eq = deep_equal(lhs, rhs);
      return Value::boolean(op == BinaryOp::kEq ? eq : !eq);
    }
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      return ordering(n, op, lhs, rhs);
    case BinaryOp::kConcat: {
      std::string s;
      if (lhs.is_defined()) s = to_js_string(lhs);
      if (rhs.is_defined()) s += to_js_string(rhs);
      return Value::string(std::move(s));
    }
    case BinaryOp::kRange:
      return range(n, lhs, rhs, ctx);
    case BinaryOp::kIn:
      return membership(lhs, rhs);
    default:
      throw_error("S0201", n->position, n->value);
  }
}

}  // namespace

Value Evaluator::eval_binary(const AstNode* n, const Value& input, Frame* env) {
  Value lhs = eval(n->lhs, input, env);
  BinaryOp op = n->op;
  try {
    if (op == BinaryOp::kAnd || op == BinaryOp::kOr) {
      bool l = to_boolean(lhs).value_or(false);
      if (op == BinaryOp::kAnd && !l) return Value::boolean(false);
      if (op == BinaryOp::kOr && l) return Value::boolean(true);
      Value rhs = eval(n->rhs, input, env);
      return Value::boolean(to_boolean(rhs).value_or(false));
    }
    Value rhs = eval(n->rhs, input, env);
    return apply_binary(n, lhs, rhs, ctx());
  } catch (JsonataError& e) {
    if (!e.has_position) {
      e.position = n->position;
      e.has_position = true;
    }
    if (!e.has_token) {
      e.token = n->value;
      e.has_token = true;
    }
    throw;
  }
}

// ---- Functions ----

Value Evaluator::eval_function(const AstNode* n, const Value& input, Frame* env,
                               const Value* applyto) {
  Value proc = eval(n->procedure, input, env);
  if (proc.is_undefined() && n->procedure->type == NodeType::kPath &&
      !n->procedure->steps.empty() && lookup_var(n->procedure->steps[0]->value, env) != nullptr) {
    throw_error("T1005", n->position, n->procedure->steps[0]->value);
  }
  std::vector<Value> args;
  args.reserve(n->items.size() + 1);
  if (applyto != nullptr) args.push_back(*applyto);
  for (const AstNode* a : n->items) args.push_back(eval(a, input, env));
  try {
    return apply(proc, args, input, env);
  } catch (JsonataError& e) {
    if (!e.has_position) {
      e.position = n->position;
      e.has_position = true;
    }
    if (!e.has_token) {
      e.token = proc_name(n->procedure);
      e.has_token = true;
    }
    throw;
  }
}

Value Evaluator::apply(const Value& proc, std::vector<Value>& args, const Value& input,
                       Frame* env) {
  Value result = apply_inner(proc, args, input, env);
  while (result.is_function() && result.fn().kind == FunctionNode::Kind::kLambda &&
         result.fn().node->thunk) {
    Value thunk = result;
    const FunctionNode& th = thunk.fn();
    const AstNode* call = th.node->body;
    Value next = eval(call->procedure, th.input, th.env);
    std::vector<Value> eargs;
    eargs.reserve(call->items.size());
    for (const AstNode* a : call->items) eargs.push_back(eval(a, th.input, th.env));
    try {
      result = apply_inner(next, eargs, input, env);
    } catch (JsonataError& e) {
      if (!e.has_position) {
        e.position = call->position;
        e.has_position = true;
      }
      if (!e.has_token) {
        e.token = proc_name(call->procedure);
        e.has_token = true;
      }
      throw;
    }
  }
  return result;
}

Value Evaluator::apply_inner(const Value& proc, std::vector<Value>& args, const Value& input,
                             Frame* env) {
  if (!proc.is_function()) throw_value_error("T1006", describe(proc));
  const FunctionNode& f = proc.fn();
  switch (f.kind) {
    case FunctionNode::Kind::kLambda: {
      const AstNode* lambda = f.node;
      std::vector<Value> validated;
      const std::vector<Value>* a = &args;
      if (lambda->signature) {
        validated = lambda->signature->validate(args, input);
        a = &validated;
      }
      FrameRef frame = new_frame(f.env);
      for (std::size_t i = 0; i < lambda->params.size(); ++i) {
        frame->vars.emplace_back(lambda->params[i], i < a->size() ? (*a)[i] : Value());
      }
      return eval(lambda->body, f.input, frame.get());
    }
    case FunctionNode::Kind::kNative: {
      const NativeFunction* nf = f.native;
      if (nf->signature) {
        std::vector<Value> validated = nf->signature->validate(args, input);
        return nf->impl != nullptr ? nf->impl(*this, validated, input, env)
                                   : nf->host(*this, validated, input);
      }
      return nf->impl != nullptr ? nf->impl(*this, args, input, env) : nf->host(*this, args, input);
    }
    case FunctionNode::Kind::kPartial: {
      std::vector<Value> full;
      full.reserve(f.args.size());
      std::size_t next = 0;
      for (std::size_t i = 0; i < f.args.size(); ++i) {
        if (f.placeholder[i]) {
          full.push_back(next < args.size() ? args[next] : Value());
          ++next;
        } else {
          full.push_back(f.args[i]);
        }
      }
      return apply_inner(f.target, full, input, env);
    }
    case FunctionNode::Kind::kChain: {
      Value inner = apply(f.target, args, Value(), env);
      std::vector<Value> a2{inner};
      return apply(f.second, a2, Value(), env);
    }
    case FunctionNode::Kind::kRegex:
    case FunctionNode::Kind::kRegexNext: {
      std::string subject;
      std::size_t offset = 0;
      if (f.kind == FunctionNode::Kind::kRegex) {
        if (args.empty() || !args[0].is_string()) return Value();
        subject = args[0].str();
      } else {
        subject = f.subject;
        offset = f.offset;
      }
      Regex::Match m;
      if (f.kind == FunctionNode::Kind::kRegexNext && offset >= subject.size()) return Value();
      if (!f.regex->exec(subject, offset, m)) return Value();
      if (f.kind == FunctionNode::Kind::kRegexNext && m.start == m.end) {
        throw_value_error("D1004", f.regex->pattern());
      }
      return make_regex_match(f.regex, subject, m, true);
    }
    case FunctionNode::Kind::kTransform:
      return apply_transform(f, args);
  }
  return Value();
}

Value Evaluator::call_hof(const Value& fn, const Value& a1, const Value& a2, const Value& a3,
                          int nargs) {
  int arity = function_arity(fn);
  std::vector<Value> args;
  args.push_back(a1);
  if (arity >= 2 && nargs >= 2) args.push_back(a2);
  if (arity >= 3 && nargs >= 3) args.push_back(a3);
  return apply(fn, args, Value::null(), root_.get());
}

Value Evaluator::eval_partial(const AstNode* n, const Value& input, Frame* env) {
  auto* f = new FunctionNode(FunctionNode::Kind::kPartial);
  Value fv = make_function(f);
  for (const AstNode* a : n->items) {
    if (a->type == NodeType::kPlaceholder) {
      f->args.emplace_back();
      f->placeholder.push_back(true);
    } else {
      f->args.push_back(eval(a, input, env));
      f->placeholder.push_back(false);
    }
  }
  Value proc = eval(n->procedure, input, env);
  if (proc.is_undefined() && n->procedure->type == NodeType::kPath &&
      !n->procedure->steps.empty() && lookup_var(n->procedure->steps[0]->value, env) != nullptr) {
    throw_error("T1007", n->position, n->procedure->steps[0]->value);
  }
  if (!proc.is_function()) throw_error("T1008", n->position, proc_name(n->procedure));
  f->target = proc;
  return fv;
}

Value Evaluator::eval_apply(const AstNode* n, const Value& input, Frame* env) {
  Value lhs = eval(n->lhs, input, env);
  if (n->rhs->type == NodeType::kFunctionCall) return eval_function(n->rhs, input, env, &lhs);
  Value func = eval(n->rhs, input, env);
  if (!func.is_function()) throw_error("T2006", n->position, "~>", describe(func));
  if (lhs.is_function()) {
    auto* f = new FunctionNode(FunctionNode::Kind::kChain);
    f->target = lhs;
    f->second = func;
    return make_function(f);
  }
  std::vector<Value> args{lhs};
  return apply(func, args, Value(), env);
}

Value Evaluator::apply_transform(const FunctionNode& f, std::vector<Value>& args) {
  const AstNode* expr = f.node;
  if (args.empty() || args[0].is_undefined()) return Value();
  const Value& obj = args[0];
  if (!obj.is_object() && !obj.is_array()) throw_error("T0410", expr->position, "", describe(obj));
  const Value* clone_fn = lookup_var("clone", f.env);
  if (clone_fn == nullptr || !clone_fn->is_function()) throw_error("T2013", expr->position, "");
  Value result;
  if (clone_fn == builtin_function("clone")) {
    result = deep_clone(obj);
  } else {
    std::vector<Value> cargs{obj};
    result = apply(*clone_fn, cargs, Value(), f.env);
  }
  Value matches = eval(expr->pattern, result, f.env);
  if (matches.is_undefined()) return result;
  std::vector<Value> list;
  if (matches.is_array()) {
    list = matches.arr().items;
  } else {
    list.push_back(matches);
  }
  for (const Value& match : list) {
    Value update = eval(expr->update, match, f.env);
    if (update.is_defined()) {
      if (!update.is_object()) throw_error("T2011", expr->update->position, "", describe(update));
      if (match.is_object() && !match.node()->immortal) {
        for (const auto& e : update.obj().entries) match.obj().set(e.first, e.second);
      }
    }
    if (expr->deletion != nullptr) {
      Value dels = eval(expr->deletion, match, f.env);
      if (dels.is_defined()) {
        std::vector<Value> dl;
        if (dels.is_array()) {
          dl = dels.arr().items;
        } else {
          dl.push_back(dels);
        }
        for (const auto& d : dl) {
          if (!d.is_string()) throw_error("T2012", expr->deletion->position, "", describe(dels));
        }
        if (match.is_object() && !match.node()->immortal) {
          for (const auto& d : dl) match.obj().erase(d.str());
        }
      }
    }
  }
  return result;
}

}  // namespace stepwise::jsonata::internal
