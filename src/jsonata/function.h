// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Function values and variable scopes: `Signature` (JSONata's `<s-n?:s>` parameter
// signatures with validation and context substitution), `NativeFunction` (built-in and host
// functions), `FunctionNode` (lambdas, natives, partial applications, `~>` chains, regex
// matchers and transforms) and `Frame` (a reference-counted variable scope). Frames created by
// one evaluation are tracked by its `EvalContext` so closures that capture their own frame
// (recursive lambdas) are released when the evaluation ends.
#ifndef STEPWISE_SRC_JSONATA_FUNCTION_H_
#define STEPWISE_SRC_JSONATA_FUNCTION_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jsonata/value.h"

namespace stepwise::jsonata::internal {

struct AstNode;
class Evaluator;
class Regex;
struct Frame;

// A parsed function signature, e.g. "<s-nn?:s>".
class Signature {
 public:
  struct Param {
    std::string symbols;   // Accepted type symbols (s n b l o a f m ...).
    char quantifier = 0;   // 0, '?' or '+'.
    char type = 0;         // Declared type symbol; '(' for a choice.
    bool context = false;  // `-`: the context value may stand in for a missing argument.
    std::string context_symbols;
    std::string subtype;  // a<n> → "n".
  };

  // Throws JsonataError S0401/S0402 on malformed signatures; `offset` positions errors.
  static Signature parse(std::string_view text, std::size_t offset);

  // Validates `args` against the signature, substituting `context` where allowed, and returns
  // the validated argument list. Throws T0410/T0411/T0412.
  std::vector<Value> validate(std::vector<Value>& args, const Value& context) const;

  const std::string& definition() const { return definition_; }
  std::size_t param_count() const { return params_.size(); }

 private:
  std::vector<Param> params_;
  std::string definition_;
};

using NativeImpl = Value (*)(Evaluator& ev, std::vector<Value>& args, const Value& input,
                             Frame* env);

// A built-in or host-registered function. `impl` handles built-ins; `host` handles functions
// registered at run time (which receive the evaluator for re-entrant calls).
struct NativeFunction {
  std::string name;
  std::shared_ptr<const Signature> signature;
  NativeImpl impl = nullptr;
  std::function<Value(Evaluator&, std::vector<Value>&, const Value& input)> host;
  int arity = 0;  // Number of declared parameters (for higher-order callbacks).
};

struct FunctionNode : HeapNode {
  enum class Kind : std::uint8_t {
    kLambda,
    kNative,
    kPartial,
    kChain,
    kRegex,
    kRegexNext,
    kTransform
  };
  explicit FunctionNode(Kind k) : kind(k) {}
  ~FunctionNode() override;

  Kind kind;
  const AstNode* node = nullptr;  // kLambda: the lambda; kTransform: the transform.
  Frame* env = nullptr;           // Owned reference (kLambda, kTransform).
  Value input;                    // kLambda: captured context.
  const NativeFunction* native = nullptr;
  Value target;                        // kPartial target; kChain first function.
  Value second;                        // kChain second function.
  std::vector<Value> args;             // kPartial bound args (undefined at placeholders).
  std::vector<bool> placeholder;       // kPartial.
  std::shared_ptr<const Regex> regex;  // kRegex / kRegexNext.
  std::string subject;                 // kRegexNext.
  std::size_t offset = 0;              // kRegexNext: byte offset to resume at.
};

Value make_function(FunctionNode* f);
// Number of parameters a callback declares (used by $map/$filter/... to pass extra args).
int function_arity(const Value& f);

class EvalContext;

struct Frame {
  static void* operator new(std::size_t size) { return pool_allocate(size); }
  static void operator delete(void* p, std::size_t size) noexcept { pool_free(p, size); }

  std::uint32_t refs = 0;
  Frame* parent = nullptr;  // Owned reference.
  std::vector<std::pair<std::string, Value>> vars;
  EvalContext* ctx = nullptr;
  Frame* prev_live = nullptr;
  Frame* next_live = nullptr;

  void bind(std::string_view name, Value v) {
    for (auto& e : vars) {
      if (e.first == name) {
        e.second = std::move(v);
        return;
      }
    }
    vars.emplace_back(std::string(name), std::move(v));
  }
  // Looks `name` up in this frame and its ancestors; nullptr if unbound.
  const Value* lookup(std::string_view name) const {
    for (const Frame* f = this; f != nullptr; f = f->parent) {
      for (const auto& e : f->vars) {
        if (e.first == name) return &e.second;
      }
    }
    return nullptr;
  }
};

void frame_retain(Frame* f);
void frame_release(Frame* f);

// An owning handle on a Frame.
class FrameRef {
 public:
  FrameRef() = default;
  explicit FrameRef(Frame* f) : f_(f) {
    if (f_ != nullptr) frame_retain(f_);
  }
  FrameRef(const FrameRef& o) : FrameRef(o.f_) {}
  FrameRef& operator=(const FrameRef& o) {
    FrameRef tmp(o);
    std::swap(f_, tmp.f_);
    return *this;
  }
  ~FrameRef() {
    if (f_ != nullptr) frame_release(f_);
  }
  Frame* get() const { return f_; }
  Frame* operator->() const { return f_; }

 private:
  Frame* f_ = nullptr;
};

}  // namespace stepwise::jsonata::internal

#endif  // STEPWISE_SRC_JSONATA_FUNCTION_H_
