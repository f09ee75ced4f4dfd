// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONata's steps of the state pipeline (ASL-REFERENCE.md section 5): Arguments → work →
// Assign and Output, over `$states.input`, `$states.result`, `$states.errorOutput` and
// `$states.context`. Evaluation failures are States.QueryEvaluationError with an
// EvaluationFailed event (EngineImpl::query_failed).
#include <fmt/format.h>

#include "interp/dataflow.h"
#include "interp/engine_impl.h"
#include "interp/inspection.h"

namespace stepwise::internal {
namespace {

// The text of a Condition for its error messages: the expression inside `{% %}`, trimmed,
// as AWS quotes every field's expression.
std::string condition_text(const JsonataValue& condition) {
  if (!condition.source().is_string()) return condition.source().dump();
  std::string text(jsonata_body(condition.source().get<std::string>()));
  auto b = text.find_first_not_of(' '), e = text.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : text.substr(b, e - b + 1);
}

class JsonataFlow final : public DataFlow {
 public:
  bool state_input(EngineImpl&, Frame& f, const State&, InputView& out) const override {
    out.ptr = &f.input;
    return true;
  }

  bool pass_result(EngineImpl&, Frame&, const State&, InputView& in, json& out) const override {
    out = in.get();  // Output and Assign see it as `$states.input`
    return true;
  }

  bool work_input(EngineImpl& e, Frame& f, const State& s, InputView&) const override {
    if (s.arguments) {
      EngineImpl::TokenScope token = e.begin_task_token(f, s);
      JsonataEnv env = e.jsonata_env(f, nullptr, nullptr);
      Outcome<json> a = s.arguments->evaluate(env, "Arguments");
      e.end_task_token(f, token);
      if (!a.ok()) {
        // An Arguments failure happens before the work starts: not retried.
        Failure out = e.evaluation_failed(f, a.take_failure(), "Arguments");
        e.finish_frame(f, std::nullopt, std::move(out));
        return false;
      }
      f.effective = std::move(a).value();
      if (auto* in = inspecting(f)) in->after_arguments = f.effective;
    } else if (s.type == StateType::kTask) {
      f.effective = json();
      f.effective_is_input = true;  // see Frame::effective_is_input
    } else {
      f.effective = f.input;
    }
    return true;
  }

  bool choose(EngineImpl& e, Frame& f, const State& s, const json&,
              const ChoiceBranch*& match) const override {
    JsonataEnv env = e.jsonata_env(f, nullptr, nullptr);
    match = nullptr;
    for (const ChoiceBranch& b : s.choices) {
      if (!b.condition) continue;
      Outcome<std::optional<json>> c = b.condition->evaluate_optional(env, "Condition");
      if (!c.ok()) {
        e.query_failed(f, c.take_failure(), "Condition");
        return false;
      }
      const std::optional<json>& v = c.value();
      if (!v || !v->is_boolean()) {
        std::string text = condition_text(*b.condition);
        Failure fail(std::string(errors::kQueryEvaluationError),
                     !v ? fmt::format("The JSONata expression '{}' specified for the field "
                                      "'Condition' returned nothing (undefined).",
                                      text)
                        : fmt::format("The JSONata expression '{}' specified for the field "
                                      "'Condition' returned an unexpected result type. "
                                      "Expected 'boolean', but was '{}' for value: {}",
                                      text, json_type_name_of(*v), v->dump()));
        e.query_failed(f, std::move(fail), "Condition");
        return false;
      }
      if (v->get<bool>()) {
        match = &b;
        return true;
      }
    }
    return true;
  }

  bool plain_exit(EngineImpl& e, Frame& f, const State&, InputView&,
                  const Boxed<JsonataValue>& output, const AssignSpec& assign,
                  ExitValues& out) const override {
    JsonataEnv env = e.jsonata_env(f, nullptr, nullptr);
    return output_and_assign(e, f, env, output, assign, nullptr, out);
  }

  bool result_exit(EngineImpl& e, Frame& f, const State& s, json& raw,
                   ExitValues& out) const override {
    JsonataEnv env = e.jsonata_env(f, &raw, nullptr);
    return output_and_assign(e, f, env, s.output, s.assign, &raw, out);
  }

  bool catch_exit(EngineImpl& e, Frame& f, const Catcher& c, json error_output,
                  ExitValues& out) const override {
    JsonataEnv env = e.jsonata_env(f, nullptr, &error_output);
    out.assigned = json::object();
    // A Catcher's own evaluation fails the state: it is past Retry and Catch.
    if (c.assign.jsonata) {
      Outcome<json> a = c.assign.jsonata->evaluate(env, "Assign");
      if (!a.ok()) {
        e.finish_frame(f, std::nullopt, e.evaluation_failed(f, a.take_failure(), "Assign"));
        return false;
      }
      out.assigned = std::move(a).value();
    }
    if (c.output) {
      Outcome<json> o = c.output->evaluate(env, "Output");
      if (!o.ok()) {
        e.finish_frame(f, std::nullopt, e.evaluation_failed(f, o.take_failure(), "Output"));
        return false;
      }
      out.output = std::move(o).value();
    } else {
      out.output = std::move(error_output);
    }
    return true;
  }

 private:
  // Assign then Output, side by side against the same input, variables and result. Without
  // Output, the output is `*fallback` (the result), or the state's input.
  static bool output_and_assign(EngineImpl& e, Frame& f, JsonataEnv& env,
                                const Boxed<JsonataValue>& output, const AssignSpec& assign,
                                json* fallback, ExitValues& out) {
    out.assigned = json::object();
    if (assign.jsonata) {
      Outcome<json> a = assign.jsonata->evaluate(env, "Assign");
      if (!a.ok()) {
        e.query_failed(f, a.take_failure(), "Assign");
        return false;
      }
      out.assigned = std::move(a).value();
    }
    if (output) {
      Outcome<json> o = output->evaluate(env, "Output");
      if (!o.ok()) {
        e.query_failed(f, o.take_failure(), "Output");
        return false;
      }
      out.output = std::move(o).value();
    } else if (fallback != nullptr) {
      out.output = std::move(*fallback);
    } else {
      out.output = f.input;
    }
    return true;
  }
};

constinit const JsonataFlow kJsonataFlow;

}  // namespace

constinit const DataFlow* const kJsonataDataFlow = &kJsonataFlow;

}  // namespace stepwise::internal
