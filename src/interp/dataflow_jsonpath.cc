// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONPath's steps of the state pipeline (ASL-REFERENCE.md section 3): InputPath → Parameters
// → work → Assign → ResultSelector → ResultPath → OutputPath, with AWS's cause texts. Paths
// that name one node are read in place (views), not copied.
#include <fmt/format.h>

#include "interp/choice.h"
#include "interp/dataflow.h"
#include "interp/engine_impl.h"
#include "interp/inspection.h"

namespace stepwise::internal {
namespace {

// Selects `p` from `value` into `out`; a failure is the `States.Runtime` AWS reports.
std::optional<Failure> select_path(const OptionalPath& p, const json& value, const PathRoots& roots,
                                   InputView& out) {
  switch (p.kind) {
    case OptionalPath::Kind::kDefault:
      out.ptr = &value;
      return std::nullopt;
    case OptionalPath::Kind::kNull:
      out.holder = json::object();
      out.ptr = &out.holder;
      return std::nullopt;
    case OptionalPath::Kind::kPath:
      break;
  }
  if (p.path.is_root_only() && p.path.root() == JsonPath::Root::kInput) {
    out.ptr = &value;
    return std::nullopt;
  }
  // A definite path names one node: point at it rather than copy it.
  if (p.path.is_definite()) {
    if (const json* node = p.path.find(roots)) {
      out.ptr = node;
      return std::nullopt;
    }
  }
  Outcome<json> r = p.path.evaluate(roots);
  if (!r.ok()) {
    return runtime_failure(
        fmt::format("Invalid path '{}' : {}", p.path.text(), r.failure().cause.value_or("")));
  }
  out.holder = std::move(r).value();
  out.ptr = &out.holder;
  return std::nullopt;
}

// Evaluates a JSONPath Assign with `$` = `value`: the values to assign when the state exits
// (null when there is no Assign). They are computed against the variables at state entry;
// exit_state applies them, so OutputPath and everything else in this state see the old ones.
// The caller checks that `assign.jsonpath` is set.
Outcome<json> evaluate_assign(EngineImpl& e, Frame& f, const AssignSpec& assign,
                              const json& value) {
  FrameContext ctx(e, f);
  PathRoots roots{&value, &ctx, f.vars()};
  IntrinsicEnv env{&f.execution->random};
  return assign.jsonpath->evaluate(roots, env);
}

// Merges `result` into `input` at a ResultPath.
Outcome<json> merge_result(const OptionalPath& result_path, json& input, json result) {
  switch (result_path.kind) {
    case OptionalPath::Kind::kDefault:
      return result;
    case OptionalPath::Kind::kNull:
      return std::move(input);
    case OptionalPath::Kind::kPath:
      break;
  }
  json combined = std::move(input);
  Outcome<std::monostate> a = result_path.path.assign(combined, std::move(result));
  if (!a.ok()) return a.failure();
  return combined;
}

class JsonPathFlow final : public DataFlow {
 public:
  bool state_input(EngineImpl& e, Frame& f, const State& s, InputView& out) const override {
    FrameContext ctx(e, f);
    PathRoots roots{&f.input, &ctx, f.vars()};
    if (auto err = select_path(s.input_path, f.input, roots, out)) {
      e.fail_terminal(f, *err);
      return false;
    }
    if (auto* in = inspecting(f)) in->after_input_path = out.get();
    return true;
  }

  bool pass_result(EngineImpl& e, Frame& f, const State& s, InputView& in,
                   json& out) const override {
    if (s.result) {
      out = *s.result;
    } else if (s.parameters) {
      FrameContext ctx(e, f);
      PathRoots roots{&in.get(), &ctx, f.vars()};
      IntrinsicEnv env{&f.execution->random};
      Outcome<json> p = s.parameters->evaluate(roots, env);
      if (!p.ok()) {
        e.fail_terminal(f, p.failure());
        return false;
      }
      out = std::move(p).value();
    } else if (s.result_path.kind == OptionalPath::Kind::kDefault) {
      out = in.take(f.input);  // the raw input is not needed again
    } else {
      out = in.get();
    }
    if (auto* insp = inspecting(f)) insp->after_parameters = out;
    return true;
  }

  bool work_input(EngineImpl& e, Frame& f, const State& s, InputView& in) const override {
    // Parameters (Task, Parallel) builds the effective input; Map applies its deprecated
    // Parameters per item instead. The effective input is kept for retries.
    if (s.parameters && s.type != StateType::kMap) {
      EngineImpl::TokenScope token = e.begin_task_token(f, s);
      FrameContext ctx(e, f);
      PathRoots roots{&in.get(), &ctx, f.vars()};
      IntrinsicEnv env{&f.execution->random};
      Outcome<json> p = s.parameters->evaluate(roots, env);
      e.end_task_token(f, token);
      if (!p.ok()) {
        e.fail_terminal(f, p.failure());
        return false;
      }
      f.effective = std::move(p).value();
    } else if (s.type == StateType::kTask && in.ptr == &f.input) {
      f.effective = json();
      f.effective_is_input = true;  // see Frame::effective_is_input
    } else {
      f.effective = in.get();
    }
    if (auto* insp = inspecting(f)) insp->after_parameters = f.task_input();
    return true;
  }

  bool choose(EngineImpl& e, Frame& f, const State& s, const json& in,
              const ChoiceBranch*& match) const override {
    FrameContext ctx(e, f);
    match = nullptr;
    for (const ChoiceBranch& b : s.choices) {
      Outcome<bool> m = evaluate_choice_rule(*b.rule, in, &ctx, f.vars());
      if (!m.ok()) {
        e.fail_terminal(f, m.failure());
        return false;
      }
      if (m.value()) {
        match = &b;
        return true;
      }
    }
    return true;
  }

  bool plain_exit(EngineImpl& e, Frame& f, const State& s, InputView& in,
                  const Boxed<JsonataValue>& /*output*/, const AssignSpec& assign,
                  ExitValues& out) const override {
    if (assign.jsonpath) {
      Outcome<json> assigned = evaluate_assign(e, f, assign, in.get());
      if (!assigned.ok()) {
        e.fail_terminal(f, assigned.failure());
        return false;
      }
      out.assigned = std::move(assigned).value();
    }
    if (s.output_path.kind == OptionalPath::Kind::kDefault) {
      out.output = in.take(f.input);
    } else {
      FrameContext ctx(e, f);
      PathRoots roots{&in.get(), &ctx, f.vars()};
      InputView view;
      if (auto err = select_path(s.output_path, in.get(), roots, view)) {
        e.fail_terminal(f, *err);
        return false;
      }
      out.output = view.ptr == in.ptr ? in.take(f.input) : view.take(f.input);
    }
    // The output is the input: StateExited reuses the StateEntered event's text.
    if (s.input_path.is_identity() && s.output_path.is_identity()) f.output_text = f.entered_text;
    return true;
  }

  bool result_exit(EngineImpl& e, Frame& f, const State& s, json& raw,
                   ExitValues& out) const override {
    // Each step is skipped outright when its field is absent: the common state has none of
    // them, and the steps' `Outcome<json>` temporaries cost more than the work.
    if (s.assign.jsonpath) {
      Outcome<json> assigned = evaluate_assign(e, f, s.assign, raw);
      if (!assigned.ok()) {
        e.fail_terminal(f, assigned.failure());
        return false;
      }
      out.assigned = std::move(assigned).value();
    }
    FrameContext ctx(e, f);
    if (s.result_selector) {
      PathRoots roots{&raw, &ctx, f.vars()};
      IntrinsicEnv env{&f.execution->random};
      Outcome<json> r = s.result_selector->evaluate(roots, env);
      if (!r.ok()) {
        e.fail_terminal(f, r.failure());
        return false;
      }
      raw = std::move(r).value();
    }
    if (auto* in = inspecting(f)) in->after_result_selector = raw;
    json& merged = raw;
    if (s.result_path.kind != OptionalPath::Kind::kDefault) {
      Outcome<json> combined = merge_result(s.result_path, f.input, std::move(raw));
      if (!combined.ok()) {
        e.fail_terminal(f, combined.failure());
        return false;
      }
      merged = std::move(combined).value();
    }
    if (auto* in = inspecting(f)) in->after_result_path = merged;
    if (s.output_path.kind == OptionalPath::Kind::kDefault) {
      out.output = std::move(merged);
      return true;
    }
    PathRoots roots{&merged, &ctx, f.vars()};
    InputView view;
    if (auto err = select_path(s.output_path, merged, roots, view)) {
      e.fail_terminal(f, *err);
      return false;
    }
    out.output = view.take(merged);
    return true;
  }

  bool catch_exit(EngineImpl& e, Frame& f, const Catcher& c, json error_output,
                  ExitValues& out) const override {
    auto failed = [&](Failure failure) {
      if (failure.cause) failure.cause = e.cause_prefix(f) + *failure.cause;
      e.finish_frame(f, std::nullopt, std::move(failure));
      return false;
    };
    if (c.assign.jsonpath) {
      Outcome<json> assigned = evaluate_assign(e, f, c.assign, error_output);
      if (!assigned.ok()) return failed(assigned.failure());
      out.assigned = std::move(assigned).value();
    }
    Outcome<json> merged = merge_result(c.result_path, f.input, std::move(error_output));
    if (!merged.ok()) return failed(merged.failure());
    out.output = std::move(merged).value();
    return true;
  }
};

// Constant-initialized: dataflow_for is called several times per state.
constinit const JsonPathFlow kJsonPathFlow;

}  // namespace

constinit const DataFlow* const kJsonPathDataFlow = &kJsonPathFlow;

}  // namespace stepwise::internal
