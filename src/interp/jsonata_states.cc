// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The JSONata query language for states (ASL-REFERENCE.md section 5): Arguments, Output,
// Assign, Condition, Items, ItemSelector, Seconds/Timestamp, Error/Cause and the numeric
// fields, with `$states.input`, `$states.result`, `$states.errorOutput` and `$states.context`.
// Evaluation failures are States.QueryEvaluationError with an EvaluationFailed history event;
// on Task, Map and Parallel they go through Retry and Catch.
#include <cmath>

#include <fmt/format.h>

#include "interp/engine_impl.h"
#include "interp/inspection.h"
#include "parse/reader.h"
#include "util/timestamp.h"

namespace stepwise::internal {

JsonataEnv EngineImpl::jsonata_env(Frame& f, const json* result, const json* error_output) {
  JsonataEnv env;
  env.input = &f.input;
  env.context = &context_for(f);
  env.result = result;
  env.error_output = error_output;
  env.variables = f.scope.get();
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
  emit(ex, &f, "EvaluationFailed", "evaluationFailedEventDetails",
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
    fail_state(f, std::move(out));
  } else {
    finish_frame(f, std::nullopt, std::move(out));
  }
}

// Reads a JSONata-capable numeric field (TimeoutSeconds, MaxConcurrency, ...).
std::optional<double> EngineImpl::jsonata_number(Frame& f, const DynamicField& d,
                                                 bool integer, double min) {
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
                                     jsonata_body(text), d.field(),
                                     integer ? "integer" : "number",
                                     x.is_number() ? "number" : json_type_name_of(x), x.dump())),
                 d.field());
    return std::nullopt;
  }
  return x.get<double>();
}

std::string json_type_name_of(const json& v) {
  return v.is_number() ? "number" : std::string(json_type_name(v));
}

void EngineImpl::run_jsonata_state(Frame& f) {
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  JsonataEnv env = jsonata_env(f, nullptr, nullptr);

  // Output and Assign are evaluated side by side against the state's input and variables.
  auto output_and_assign = [&](const Boxed<JsonataValue>& output,
                               const AssignSpec& assign, json& out, json& assigned) -> bool {
    if (assign.jsonata) {
      Outcome<json> a = assign.jsonata->evaluate(env, "Assign");
      if (!a.ok()) {
        query_failed(f, a.take_failure(), "Assign");
        return false;
      }
      assigned = std::move(a).value();
    }
    if (output) {
      Outcome<json> o = output->evaluate(env, "Output");
      if (!o.ok()) {
        query_failed(f, o.take_failure(), "Output");
        return false;
      }
      out = std::move(o).value();
    } else {
      out = f.input;
    }
    return true;
  };

  switch (s.type) {
    case StateType::kPass:
    case StateType::kSucceed: {
      json out, assigned = json::object();
      if (!output_and_assign(s.output, s.assign, out, assigned)) return;
      exit_state(f, std::move(out), s.type == StateType::kSucceed || s.end ? kNoState : s.next,
                 &assigned);
      return;
    }
    case StateType::kFail: {
      Failure failure;
      for (auto [field, target] : {std::pair{&s.fail->error, &failure.error},
                                   std::pair{&s.fail->cause, &failure.cause}}) {
        if (field->kind() == DynamicField::Kind::kLiteral) {
          *target = field->literal().get<std::string>();
        } else if (field->kind() == DynamicField::Kind::kJsonata) {
          Outcome<json> v = field->jsonata().evaluate(env, field->field());
          if (!v.ok()) return query_failed(f, v.take_failure(), field->field());
          *target = v.value().is_string() ? v.value().get<std::string>() : v.value().dump();
        }
      }
      finish_frame(f, std::nullopt, std::move(failure));
      return;
    }
    case StateType::kChoice: {
      for (std::size_t i = 0; i < s.choices.size(); ++i) {
        const ChoiceBranch& b = s.choices[i];
        if (!b.condition) continue;
        std::string field = fmt::format("Condition");
        Outcome<std::optional<json>> c = b.condition->evaluate_optional(env, field);
        if (!c.ok()) return query_failed(f, c.take_failure(), field);
        const std::optional<json>& v = c.value();
        if (!v || !v->is_boolean()) {
          std::string text = b.condition->source().is_string()
                                 ? std::string(jsonata_body(b.condition->source().get<std::string>()))
                                 : b.condition->source().dump();
          Failure fail(std::string(errors::kQueryEvaluationError),
                       !v ? fmt::format("The JSONata expression '{}' specified for the field "
                                        "'Condition' returned nothing (undefined).",
                                        text)
                          : fmt::format("The JSONata expression '{}' specified for the field "
                                        "'Condition' returned an unexpected result type. "
                                        "Expected 'boolean', but was '{}' for value: {}",
                                        text, json_type_name_of(*v), v->dump()));
          return query_failed(f, std::move(fail), field);
        }
        if (v->get<bool>()) {
          json out, assigned = json::object();
          if (!output_and_assign(b.output, b.assign, out, assigned)) return;
          exit_state(f, std::move(out), b.next, &assigned);
          return;
        }
      }
      if (s.default_next == kNoState) {
        finish_frame(f, std::nullopt,
                     Failure(std::string(errors::kNoChoiceMatched),
                             cause_prefix(f) + "Failed to transition out of the state."));
        return;
      }
      json out, assigned = json::object();
      if (!output_and_assign(s.output, s.assign, out, assigned)) return;
      exit_state(f, std::move(out), s.default_next, &assigned);
      return;
    }
    case StateType::kWait: {
      std::int64_t until = now;
      if (s.wait->seconds.present()) {
        std::optional<double> secs = jsonata_number(f, s.wait->seconds, true, 0);
        if (!secs) return;
        until = now + static_cast<std::int64_t>(*secs) * 1000000000LL;
      } else if (s.wait->timestamp.kind() == DynamicField::Kind::kLiteral) {
        until = s.wait->timestamp_literal_nanos / 1000000000LL * 1000000000LL;
      } else if (s.wait->timestamp.kind() == DynamicField::Kind::kJsonata) {
        Outcome<json> v = s.wait->timestamp.jsonata().evaluate(env, "Timestamp");
        if (!v.ok()) return query_failed(f, v.take_failure(), "Timestamp");
        std::optional<std::int64_t> t;
        if (v.value().is_string()) t = parse_rfc3339(v.value().get<std::string>());
        if (!t) {
          return query_failed(
              f,
              Failure(std::string(errors::kQueryEvaluationError),
                      fmt::format("The Timestamp field cannot be parsed as an ISO-8601 extended "
                                  "offset date-time format string: {}",
                                  v.value().is_string() ? v.value().get<std::string>()
                                                        : v.value().dump())),
              "Timestamp");
        }
        until = *t / 1000000000LL * 1000000000LL;
      }
      std::int64_t max_wait = (ex.options.express ? 300LL : 365LL * 24 * 3600) * 1000000000LL;
      if (until - now > max_wait) {
        finish_frame(f, std::nullopt,
                     Failure(std::string(errors::kRuntime),
                             cause_prefix(f) + "Wait state delay is too long."));
        return;
      }
      json out, assigned = json::object();
      if (!output_and_assign(s.output, s.assign, out, assigned)) return;
      if (until <= now) {
        exit_state(f, std::move(out), s.end ? kNoState : s.next, &assigned);
        return;
      }
      f.effective = std::move(out);
      f.child_results = std::move(assigned);
      f.retrying = false;
      f.phase = Frame::Phase::kWaiting;
      set_timer(&f, until);
      return;
    }
    case StateType::kTask:
    case StateType::kParallel:
    case StateType::kMap: {
      f.task_token.clear();
      f.effective_is_input = false;
      if (s.arguments) {
        bool token = begin_task_token(f, s);
        Outcome<json> a = s.arguments->evaluate(env, "Arguments");
        if (token) context_object(f).erase("Task");
        if (!a.ok()) {
          // An Arguments failure happens before the work starts: not retried.
          Failure out = evaluation_failed(f, a.take_failure(), "Arguments");
          finish_frame(f, std::nullopt, std::move(out));
          return;
        }
        f.effective = std::move(a).value();
        if (auto* in = inspecting(f)) in->after_arguments = f.effective;
      } else if (s.type == StateType::kTask) {
        f.effective = json();
        f.effective_is_input = true;  // see Frame::effective_is_input
      } else {
        f.effective = f.input;
      }
      f.retrying = false;
      start_children(f);
      return;
    }
  }
}

// Output and Assign of a Task, Parallel or Map in JSONata mode, with `$states.result`.
void EngineImpl::complete_jsonata_result(Frame& f, json raw_result) {
  const State& s = f.graph->states[f.state];
  JsonataEnv env = jsonata_env(f, &raw_result, nullptr);
  json assigned = json::object();
  if (s.assign.jsonata) {
    Outcome<json> a = s.assign.jsonata->evaluate(env, "Assign");
    if (!a.ok()) return query_failed(f, a.take_failure(), "Assign");
    assigned = std::move(a).value();
  }
  json output;
  if (s.output) {
    Outcome<json> o = s.output->evaluate(env, "Output");
    if (!o.ok()) return query_failed(f, o.take_failure(), "Output");
    output = std::move(o).value();
  } else {
    output = std::move(raw_result);
  }
  f.effective = json();
  exit_state(f, std::move(output), s.end ? kNoState : s.next, &assigned);
}

// A JSONata catcher: Output (default: the error output) and Assign with `$states.errorOutput`.
void EngineImpl::catch_jsonata(Frame& f, const Catcher& catcher, json error_output) {
  JsonataEnv env = jsonata_env(f, nullptr, &error_output);
  json assigned = json::object();
  if (catcher.assign.jsonata) {
    Outcome<json> a = catcher.assign.jsonata->evaluate(env, "Assign");
    if (!a.ok()) {
      finish_frame(f, std::nullopt, evaluation_failed(f, a.take_failure(), "Assign"));
      return;
    }
    assigned = std::move(a).value();
  }
  json output;
  if (catcher.output) {
    Outcome<json> o = catcher.output->evaluate(env, "Output");
    if (!o.ok()) {
      finish_frame(f, std::nullopt, evaluation_failed(f, o.take_failure(), "Output"));
      return;
    }
    output = std::move(o).value();
  } else {
    output = std::move(error_output);
  }
  f.effective = json();
  exit_state(f, std::move(output), catcher.next, &assigned);
}

}  // namespace stepwise::internal
