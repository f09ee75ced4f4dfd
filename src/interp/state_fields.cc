// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Services the state pipelines share (states.h): reading dynamic fields in either query
// language, JSONata's environment and its evaluation failures (States.QueryEvaluationError with
// an EvaluationFailed event), terminal failures, task tokens, and the end of a Parallel's or
// Map's children after one failed.
#include <cmath>

#include <fmt/format.h>

#include "interp/engine_impl.h"
#include "interp/states.h"
#include "parse/reader.h"

namespace stepwise::internal {

std::string json_type_name_of(const json& v) {
  return v.is_number() ? "number" : std::string(json_type_name(v));
}

void EngineImpl::fail_terminal(Frame& f, const Failure& failure) {
  // Runtime errors are terminal: never retried or caught.
  Failure out = failure;
  if (out.cause && out.error_name() == errors::kRuntime) out.cause = cause_prefix(f) + *out.cause;
  finish_frame(f, std::nullopt, std::move(out));
}

EngineImpl::TokenScope EngineImpl::begin_task_token(Frame& f, const State& s) {
  // `$$.Task.Token` exists for callback tasks and activities (ASL-REFERENCE.md 3.4).
  bool token = s.type == StateType::kTask &&
               (s.resource_info->pattern == ResourceInfo::Pattern::kWaitForTaskToken ||
                s.resource_info->kind == ResourceInfo::Kind::kActivity);
  if (!token) return TokenScope::kNone;
  bool new_context = !f.child_context && !f.execution->context;
  new_task_token(*f.execution, f.task.mut().token);
  context_object(f)["Task"] = {{"Token", f.task->token}};
  return new_context ? TokenScope::kAddedToNewContext : TokenScope::kAdded;
}

void EngineImpl::end_task_token(Frame& f, TokenScope scope) {
  switch (scope) {
    case TokenScope::kNone:
      return;
    case TokenScope::kAdded:
      context_object(f).erase("Task");
      return;
    case TokenScope::kAddedToNewContext:
      // Built again from the execution when next read.
      f.execution->context.reset();
      return;
  }
}

bool EngineImpl::read_string_field(Frame& f, const DynamicField& d,
                                   std::optional<std::string>& out) {
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  switch (d.kind()) {
    case DynamicField::Kind::kAbsent:
      return true;
    case DynamicField::Kind::kLiteral:
      out = d.literal().get<std::string>();
      return true;
    case DynamicField::Kind::kJsonata: {
      JsonataEnv env = jsonata_env(f, nullptr, nullptr);
      Outcome<json> v = d.jsonata().evaluate(env, d.field());
      if (!v.ok()) {
        query_failed(f, v.take_failure(), d.field());
        return false;
      }
      out = text(v.value());
      return true;
    }
    case DynamicField::Kind::kPath:
    case DynamicField::Kind::kIntrinsic:
      break;
  }
  FrameContext ctx(*this, f);
  PathRoots roots{&f.input, &ctx, f.vars()};
  if (d.kind() == DynamicField::Kind::kIntrinsic) {
    IntrinsicEnv env{&f.execution->random};
    Outcome<json> v = d.intrinsic().evaluate(roots, env);
    if (!v.ok()) {
      fail_terminal(f, v.failure());
      return false;
    }
    out = text(v.value());
    return true;
  }
  Outcome<json> v = d.path().evaluate(roots);
  if (!v.ok()) {
    fail_terminal(f, runtime_failure(fmt::format(
                         "The JSONPath '{}' specified for the field '{}' could not be found in "
                         "the input '{}'",
                         d.path().text(), d.field(), f.input.dump())));
    return false;
  }
  out = text(v.value());
  return true;
}

void EngineImpl::abort_children_after_failure(Frame& parent, Frame& failed, Failure failure) {
  parent.kids.mut().failure = std::move(failure);
  for (auto& c : parent.kids->frames) {
    if (c && c.get() != &failed && c->phase != Frame::Phase::kFinished) {
      abort_frame(*c, /*record=*/true);
    }
  }
  parent.phase = Frame::Phase::kChildrenDone;
  schedule(&parent);
}

void EngineImpl::bury_child(Frame& parent, std::size_t index) {
  frames.remove(*parent.kids->frames[index]);
  frames.bury(std::move(parent.kids.mut().frames[index]));
}

JsonataEnv EngineImpl::jsonata_env(Frame& f, const json* result, const json* error_output) {
  JsonataEnv env;
  env.input = &f.input;
  env.context = &context_for(f);
  env.result = result;
  env.error_output = error_output;
  env.variables = f.vars();
  env.random = &f.execution->random;
  env.now = now;
  env.max_depth = options.jsonata_max_depth;
  env.max_steps = options.jsonata_max_steps;
  env.max_payload_depth = options.max_payload_depth;
  return env;
}

Failure EngineImpl::evaluation_failed(Frame& f, Failure failure, std::string_view location) {
  Execution& ex = *f.execution;
  const State& s = f.graph->states[f.state];
  if (failure.cause) failure.cause = cause_prefix(f) + *failure.cause;
  emit(ex, &f, EventKind::kEvaluationFailed,
       recording(ex) ? json{{"error", failure.error.value_or("")},
                            {"cause", failure.cause.value_or("")},
                            {"location", std::string(location)},
                            {"state", s.name}}
                     : json());
  return failure;
}

void EngineImpl::query_failed(Frame& f, Failure failure, std::string_view location) {
  const State& s = f.graph->states[f.state];
  Failure out = evaluation_failed(f, std::move(failure), location);
  if (s.type == StateType::kTask || s.type == StateType::kMap || s.type == StateType::kParallel) {
    fail_state(*this, f, std::move(out));
  } else {
    finish_frame(f, std::nullopt, std::move(out));
  }
}

std::optional<double> EngineImpl::jsonata_number(Frame& f, const DynamicField& d, bool integer,
                                                 double min) {
  if (d.kind() == DynamicField::Kind::kLiteral) return d.literal().get<double>();
  if (d.kind() != DynamicField::Kind::kJsonata) return 0.0;
  JsonataEnv env = jsonata_env(f, nullptr, nullptr);
  Outcome<json> v = d.jsonata().evaluate(env, d.field());
  if (!v.ok()) {
    query_failed(f, v.take_failure(), d.field());
    return std::nullopt;
  }
  const json& x = v.value();
  if (!x.is_number() || (integer && std::floor(x.get<double>()) != x.get<double>()) ||
      x.get<double>() < min) {
    std::string text = d.jsonata().source().get<std::string>();
    query_failed(f,
                 Failure(std::string(errors::kQueryEvaluationError),
                         fmt::format("The JSONata expression '{}' specified for the field '{}' "
                                     "returned an unexpected result type. Expected '{}', but "
                                     "was '{}' for value: {}",
                                     jsonata_body(text), d.field(), integer ? "integer" : "number",
                                     x.is_number() ? "number" : json_type_name_of(x), x.dump())),
                 d.field());
    return std::nullopt;
  }
  return x.get<double>();
}

}  // namespace stepwise::internal
