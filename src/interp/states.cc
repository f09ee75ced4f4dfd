// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The state types (ASL-REFERENCE.md sections 2, 3, 7, 8, 10, 11, 12) and the JSONPath I/O
// pipeline: InputPath → Parameters → work → Assign → ResultSelector → ResultPath → OutputPath,
// with AWS's error names and cause texts.
#include <cmath>

#include <fmt/format.h>

#include "interp/choice.h"
#include "interp/engine_impl.h"
#include "interp/inspection.h"
#include "policy/retry.h"
#include "util/digest.h"
#include "util/json_limits.h"
#include "util/json_size.h"
#include "util/json_text.h"
#include "util/timestamp.h"

namespace stepwise::internal {
namespace {

constexpr std::int64_t kNanos = 1000000000;
constexpr std::int64_t kExpressMaxSeconds = 300;
constexpr std::int64_t kYearSeconds = 365LL * 24 * 3600;

// The result of an InputPath/OutputPath/ItemsPath: a pointer to the source itself when the path
// is the identity (no copy), else a value held here.
struct PathView {
  json holder;
  const json* ptr = nullptr;
  const json& get() const { return *ptr; }
  // Moves the selected value out; `owner` is the document the view may point into.
  json take(json& owner) {
    if (ptr == &owner) return std::move(owner);
    if (ptr == &holder) return std::move(holder);
    return *ptr;
  }
};

std::optional<Failure> select_path(const OptionalPath& p, const json& value,
                                   const PathRoots& roots, PathView& out) {
  switch (p.kind) {
    case OptionalPath::Kind::kDefault: out.ptr = &value; return std::nullopt;
    case OptionalPath::Kind::kNull:
      out.holder = json::object();
      out.ptr = &out.holder;
      return std::nullopt;
    case OptionalPath::Kind::kPath: break;
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
    return runtime_failure(fmt::format("Invalid path '{}' : {}", p.path.text(),
                                       r.failure().cause.value_or("")));
  }
  out.holder = std::move(r).value();
  out.ptr = &out.holder;
  return std::nullopt;
}

Outcome<json> apply_path(const OptionalPath& p, const json& value, const PathRoots& roots) {
  switch (p.kind) {
    case OptionalPath::Kind::kDefault: return value;
    case OptionalPath::Kind::kNull: return json::object();
    case OptionalPath::Kind::kPath: break;
  }
  if (p.path.is_root_only() && p.path.root() == JsonPath::Root::kInput) return value;
  Outcome<json> r = p.path.evaluate(roots);
  if (!r.ok()) {
    return runtime_failure(fmt::format("Invalid path '{}' : {}", p.path.text(),
                                       r.failure().cause.value_or("")));
  }
  return r;
}


bool is_jsonata(const State& s) { return s.query_language == QueryLanguage::kJSONata; }

// The error name a heartbeat expiry matches in `rules` (Retriers or Catchers): the first rule
// listing States.HeartbeatTimeout, States.Timeout or States.ALL decides.
template <typename Rule>
std::string_view heartbeat_match_name(const std::vector<Rule>& rules) {
  for (const Rule& r : rules) {
    for (const std::string& e : r.error_equals) {
      if (e == errors::kHeartbeatTimeout) return errors::kHeartbeatTimeout;
      if (e == errors::kTimeout || e == errors::kAll) return errors::kTimeout;
    }
  }
  return errors::kTimeout;
}

}  // namespace

Result<ExecutionId> EngineImpl::start(std::shared_ptr<const StateMachine> machine, json input,
                                      StartOptions start_options) {
  if (!machine) return invalid_argument_error("the state machine is null");
  auto ex = std::make_unique<Execution>();
  ex->id = next_execution_id++;
  ex->name =
      start_options.name.empty() ? "execution-" + std::to_string(ex->id) : start_options.name;
  if (find_execution(ex->name, /*running_only=*/true) != nullptr) {
    return invalid_argument_error(
        fmt::format("an execution named '{}' is already running", ex->name));
  }
  ex->model = &machine->model();
  ex->machine = std::move(machine);
  ex->options = std::move(start_options);
  if (ex->options.synchronous) ex->options.express = true;
  ex->durable = options.checkpoint_store != nullptr && !ex->options.express;
  if (ex->durable) ex->definition_text = ex->machine->to_json().dump();
  ex->random = Random(options.random_seed + ex->id);
  now = options.clock->now();
  ex->start_time = now;
  if (ex->model->timeout_seconds) ex->deadline = now + *ex->model->timeout_seconds * kNanos;
  if (ex->options.express) {
    // Express executions run for at most five minutes (ASL-REFERENCE.md section 16).
    std::int64_t cap = now + kExpressMaxSeconds * kNanos;
    if (ex->deadline == 0 || ex->deadline > cap) ex->deadline = cap;
  }
  const std::string& arn_prefix = this->arn_prefix();
  const std::string& machine_name = ex->options.state_machine_name;
  std::string exec_arn;
  exec_arn.reserve(arn_prefix.size() + machine_name.size() + ex->name.size() + 60);
  exec_arn = arn_prefix;
  if (ex->options.express) {
    exec_arn.append("express:").append(machine_name).append(":").append(ex->name).append(":");
    exec_arn += uuid_v4(ex->random);
  } else {
    exec_arn.append("execution:").append(machine_name).append(":").append(ex->name);
  }
  ex->arn = std::move(exec_arn);
  // The input as text: the ExecutionStarted event's details and, when the context object is
  // first needed, `$$.Execution.Input` (parsed back then; most executions never need it).
  try {
    ex->input_text = shared_json_text(input);
  } catch (const json::exception& err) {
    return invalid_argument_error(
        fmt::format("the execution input cannot be written as JSON: {}", err.what()));
  }
  ++running_count;
  Execution& e = add_execution(std::move(ex));
  HistoryEvent::Compact started;
  if (recording(e)) {
    started.shape = HistoryEvent::Compact::kExecutionStarted;
    started.a = &options.role_arn;
    started.text = e.input_text;
  }
  // The first state's input, as its StateEntered event records it.
  SharedText first_input_text = started.text;
  emit_compact(e, nullptr, "ExecutionStarted", "executionStartedEventDetails", std::move(started),
               0);
  e.root = new_frame(e, nullptr, &e.model->root, std::move(input), 0);
  e.root->last_event_id = 0;
  e.root->input_text = std::move(first_input_text);
  if (json_size_exceeds(e.root->input, options.max_payload_bytes)) {
    finish_execution(e, ExecutionStatus::kFailed, json(), std::string(errors::kDataLimitExceeded),
                     "The execution input exceeds the maximum number of bytes service limit.");
  } else {
    schedule(e.root.get());
  }
  if (e.durable) {
    // StartExecution returns once the execution is durable.
    Status st = commit(e);
    if (!st.ok()) {
      ExecutionId id = e.id;
      if (e.status == ExecutionStatus::kRunning) --running_count;
      if (e.root) {
        live_frames.erase(e.root->serial);
        forget_frame(*e.root);
      }
      std::string name = e.name;
      erase_execution(id);
      return Status(st.code(), fmt::format("cannot checkpoint execution '{}': {}", name,
                                           st.message()));
    }
  }
  return e.id;
}

// Evaluates a JSONPath Assign with `$` = `value`. Returns the values to assign when the state
// exits, or a failure. (JSONata Assign is evaluated in jsonata_states.cc.)
static Outcome<json> do_assign(EngineImpl& eng, Frame& f, const AssignSpec& assign,
                               const json& value) {
  if (!assign.jsonpath) return json();  // null: nothing to assign (no allocation)
  FrameContext ctx(eng, f);
  PathRoots roots{&value, &ctx, f.scope.get()};
  IntrinsicEnv env{&f.execution->random};
  // Values are computed against the variables at state entry; exit_state applies them, so
  // OutputPath and everything else in this state still see the old values.
  return assign.jsonpath->evaluate(roots, env);
}

void EngineImpl::fail_terminal(Frame& f, const Failure& failure) {
  // Runtime errors are terminal: never retried or caught.
  Failure out = failure;
  if (out.cause && out.error_name() == errors::kRuntime) out.cause = cause_prefix(f) + *out.cause;
  finish_frame(f, std::nullopt, std::move(out));
}

bool EngineImpl::begin_task_token(Frame& f, const State& s) {
  // `$$.Task.Token` exists for callback tasks and activities (ASL-REFERENCE.md 3.4).
  bool token = s.type == StateType::kTask &&
               (s.resource_info->pattern == ResourceInfo::Pattern::kWaitForTaskToken ||
                s.resource_info->kind == ResourceInfo::Kind::kActivity);
  if (token) {
    new_task_token(*f.execution, f.task_token);
    context_object(f)["Task"] = {{"Token", f.task_token}};
  }
  return token;
}

void EngineImpl::run_state(Frame& f) {
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  if (is_jsonata(s)) {
    run_jsonata_state(f);
    return;
  }
  auto runtime = [&](const Failure& fail) { fail_terminal(f, fail); };
  FrameContext ctx(*this, f);
  PathRoots roots{&f.input, &ctx, f.scope.get()};
  IntrinsicEnv env{&ex.random};

  // InputPath.
  PathView effective;
  if (auto err = select_path(s.input_path, f.input, roots, effective)) return runtime(*err);
  if (auto* in = inspecting(f)) in->after_input_path = effective.get();

  switch (s.type) {
    case StateType::kPass: {
      json result;
      if (s.result) {
        result = *s.result;
      } else if (s.parameters) {
        PathRoots proots{&effective.get(), &ctx, f.scope.get()};
        Outcome<json> p = s.parameters->evaluate(proots, env);
        if (!p.ok()) return runtime(p.failure());
        result = std::move(p).value();
      } else if (s.result_path.kind == OptionalPath::Kind::kDefault) {
        result = effective.take(f.input);  // the raw input is not needed again
      } else {
        result = effective.get();
      }
      if (auto* in = inspecting(f)) in->after_parameters = result;
      complete_result_state(f, std::move(result));
      return;
    }
    case StateType::kSucceed: {
      PathRoots oroots{&effective.get(), &ctx, f.scope.get()};
      PathView out;
      if (auto err = select_path(s.output_path, effective.get(), oroots, out)) return runtime(*err);
      json o = out.ptr == effective.ptr ? effective.take(f.input) : out.take(f.input);
      if (s.input_path.is_identity() && s.output_path.is_identity()) f.output_text = f.entered_text;
      exit_state(f, std::move(o), kNoState, nullptr);
      return;
    }
    case StateType::kFail: {
      Failure failure;
      auto read = [&](const DynamicField& d, std::optional<std::string>& out) -> bool {
        switch (d.kind()) {
          case DynamicField::Kind::kAbsent: return true;
          case DynamicField::Kind::kLiteral: out = d.literal().get<std::string>(); return true;
          case DynamicField::Kind::kPath: {
            Outcome<json> v = d.path().evaluate(roots);
            if (!v.ok()) {
              runtime(runtime_failure(fmt::format(
                  "The JSONPath '{}' specified for the field '{}' could not be found in the "
                  "input '{}'",
                  d.path().text(), d.field(), f.input.dump())));
              return false;
            }
            out = v.value().is_string() ? v.value().get<std::string>() : v.value().dump();
            return true;
          }
          case DynamicField::Kind::kIntrinsic: {
            Outcome<json> v = d.intrinsic().evaluate(roots, env);
            if (!v.ok()) {
              runtime(v.failure());
              return false;
            }
            out = v.value().is_string() ? v.value().get<std::string>() : v.value().dump();
            return true;
          }
          case DynamicField::Kind::kJsonata: return true;
        }
        return true;
      };
      if (!read(s.fail->error, failure.error) || !read(s.fail->cause, failure.cause)) return;
      finish_frame(f, std::nullopt, std::move(failure));
      return;
    }
    case StateType::kChoice: {
      StateId next = kNoState;
      const AssignSpec* assign = &s.assign;
      for (const ChoiceBranch& b : s.choices) {
        Outcome<bool> m = evaluate_choice_rule(*b.rule, effective.get(), &ctx, f.scope.get());
        if (!m.ok()) return runtime(m.failure());
        if (m.value()) {
          next = b.next;
          assign = &b.assign;
          break;
        }
      }
      if (next == kNoState) {
        if (s.default_next == kNoState) {
          finish_frame(f, std::nullopt,
                       Failure(std::string(errors::kNoChoiceMatched),
                               fmt::format("An error occurred while executing the state '{}' "
                                           "(entered at the event id #{}). Failed to transition "
                                           "out of the state.",
                                           s.name, f.entered_event_id)));
          return;
        }
        next = s.default_next;
      }
      Outcome<json> assigned = do_assign(*this, f, *assign, effective.get());
      if (!assigned.ok()) return runtime(assigned.failure());
      PathRoots oroots{&effective.get(), &ctx, f.scope.get()};
      PathView out;
      if (auto err = select_path(s.output_path, effective.get(), oroots, out)) return runtime(*err);
      json o = out.ptr == effective.ptr ? effective.take(f.input) : out.take(f.input);
      if (s.input_path.is_identity() && s.output_path.is_identity()) f.output_text = f.entered_text;
      exit_state(f, std::move(o), next, &assigned.value());
      return;
    }
    case StateType::kWait: {
      std::int64_t until = now;
      const json& in = effective.get();
      PathRoots wroots{&in, &ctx, f.scope.get()};
      if (s.wait->seconds.kind() == DynamicField::Kind::kLiteral) {
        until = now + s.wait->seconds.literal().get<std::int64_t>() * kNanos;
      } else if (s.wait->seconds.kind() == DynamicField::Kind::kPath) {
        const json* v = s.wait->seconds.path().find(wroots);
        if (v == nullptr) {
          return runtime(runtime_failure(fmt::format(
              "The SecondsPath parameter does not reference an input value: {}",
              s.wait->seconds.path().text())));
        }
        if (!v->is_number_integer() &&
            !(v->is_number_float() && std::floor(v->get<double>()) == v->get<double>())) {
          return runtime(runtime_failure(
              fmt::format("The SecondsPath parameter cannot be parsed as a long value: {} == {}",
                          s.wait->seconds.path().text(), v->is_string() ? v->get<std::string>() : v->dump())));
        }
        std::int64_t secs = v->get<std::int64_t>();
        if (secs < 0) {
          return runtime(runtime_failure(fmt::format(
              "The SecondsPath parameter references a negative value: {} == {}",
              s.wait->seconds.path().text(), secs)));
        }
        until = now + secs * kNanos;
      } else if (s.wait->timestamp.kind() == DynamicField::Kind::kLiteral) {
        until = s.wait->timestamp_literal_nanos / kNanos * kNanos;
      } else if (s.wait->timestamp.kind() == DynamicField::Kind::kPath) {
        const json* v = s.wait->timestamp.path().find(wroots);
        std::optional<std::int64_t> t;
        if (v != nullptr && v->is_string()) t = parse_rfc3339(v->get<std::string>());
        if (!t) {
          return runtime(runtime_failure(fmt::format(
              "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
              "date-time format string: {} == {}",
              s.wait->timestamp.path().text(),
              v == nullptr ? "null" : (v->is_string() ? v->get<std::string>() : v->dump()))));
        }
        until = *t / kNanos * kNanos;
      }
      std::int64_t max_wait = (ex.options.express ? 300 : kYearSeconds) * kNanos;
      if (until - now > max_wait) {
        return runtime(runtime_failure("Wait state delay is too long."));
      }
      Outcome<json> assigned = do_assign(*this, f, s.assign, in);
      if (!assigned.ok()) return runtime(assigned.failure());
      Outcome<json> out = apply_path(s.output_path, in, wroots);
      if (!out.ok()) return runtime(out.failure());
      f.effective = std::move(out).value();
      f.child_results = std::move(assigned).value();
      f.retrying = false;
      if (until <= now) {
        json o = std::move(f.effective);
        json a = std::move(f.child_results);
        exit_state(f, std::move(o), s.next, &a);
        return;
      }
      f.phase = Frame::Phase::kWaiting;
      set_timer(&f, until);
      return;
    }
    case StateType::kTask:
    case StateType::kParallel:
    case StateType::kMap: {
      // Parameters (Task, Parallel) builds the effective input; Map applies its deprecated
      // Parameters per item instead. The effective input is kept for retries.
      f.task_token.clear();
      f.effective_is_input = false;
      if (s.parameters && s.type != StateType::kMap) {
        bool token = begin_task_token(f, s);
        PathRoots proots{&effective.get(), &ctx, f.scope.get()};
        Outcome<json> p = s.parameters->evaluate(proots, env);
        if (token) context_object(f).erase("Task");
        if (!p.ok()) return runtime(p.failure());
        f.effective = std::move(p).value();
      } else if (s.type == StateType::kTask && effective.ptr == &f.input) {
        f.effective = json();
        f.effective_is_input = true;
      } else {
        f.effective = effective.get();
      }
      if (auto* in = inspecting(f)) in->after_parameters = f.task_input();
      f.retrying = false;
      start_children(f);
      return;
    }
  }
}

// Starts the work of a Task, Parallel or Map on `f.effective` (also used for retries).
void EngineImpl::start_children(Frame& f) {
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  if (s.type == StateType::kTask) {
    // Timeouts: TimeoutSeconds(Path) and HeartbeatSeconds(Path).
    f.task_deadline = 0;
    auto resolve = [&](const DynamicField& d, std::int64_t& out) -> bool {
      out = 0;
      if (d.kind() == DynamicField::Kind::kJsonata) {
        std::optional<double> v = jsonata_number(f, d, true, 1);
        if (!v) return false;
        out = static_cast<std::int64_t>(*v);
      } else if (d.kind() == DynamicField::Kind::kLiteral) {
        out = d.literal().get<std::int64_t>();
      } else if (d.kind() == DynamicField::Kind::kPath) {
        FrameContext ctx(*this, f);
        PathRoots roots{&f.input, &ctx, f.scope.get()};
        Outcome<json> v = d.path().evaluate(roots);
        if (!v.ok()) {
          finish_frame(f, std::nullopt,
                       runtime_failure(cause_prefix(f) +
                                       fmt::format("Invalid path '{}' : {}", d.path().text(),
                                                   v.failure().cause.value_or(""))));
          return false;
        }
        if (!v.value().is_number_integer() || v.value().get<std::int64_t>() <= 0) {
          finish_frame(f, std::nullopt,
                       runtime_failure(cause_prefix(f) +
                                       fmt::format("The {} field refers to value \"{}\" which is "
                                                   "not a valid positive integer: {}",
                                                   d.field(), v.value().dump(), d.path().text())));
          return false;
        }
        out = v.value().get<std::int64_t>();
      }
      return true;
    };
    std::int64_t timeout = 0, heartbeat = 0;
    if (!resolve(s.timeout_seconds, timeout) || !resolve(s.heartbeat_seconds, heartbeat)) return;
    if (timeout > 0) f.task_deadline = now + timeout * kNanos;
    f.heartbeat_nanos = heartbeat * kNanos;
    bool lambda = s.resource_info->kind == ResourceInfo::Kind::kLambdaFunction;
    bool activity = s.resource_info->kind == ResourceInfo::Kind::kActivity;
    // Without InputPath and Parameters the effective input is the state's input, whose text
    // the StateEntered event already holds.
    bool same_as_entered =
        f.entered_text && !is_jsonata(s) && !s.parameters && s.input_path.is_identity();
    SharedText payload = !recording(ex) || same_as_entered ? f.entered_text
                                                          : shared_json_text(f.task_input());
    if (activity) {
      // ActivityStarted follows when a worker takes the task (Engine::get_activity_task).
      json d;
      if (recording(ex)) {
        d = {{"resource", s.resource}, {"input", payload.str()}, {"inputDetails", {{"truncated", false}}}};
        if (timeout > 0) d["timeoutInSeconds"] = timeout;
        if (heartbeat > 0) d["heartbeatInSeconds"] = heartbeat;
      }
      emit(ex, &f, "ActivityScheduled", "activityScheduledEventDetails", std::move(d));
    } else if (lambda) {
      HistoryEvent::Compact c;
      if (recording(ex)) {
        c.shape = HistoryEvent::Compact::kLambdaScheduled;
        c.a = &s.resource;
        c.n = timeout;
        c.text = payload;
      }
      emit_compact(ex, &f, "LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails",
                   std::move(c));
      emit(ex, &f, "LambdaFunctionStarted", "", json());
    } else if (!recording(ex)) {
      emit(ex, &f, "TaskScheduled", "taskScheduledEventDetails", json());
      emit(ex, &f, "TaskStarted", "taskStartedEventDetails", json());
    } else {
      const std::string& resource_type = s.resource_info->service;
      const std::string& resource = s.resource_info->kind == ResourceInfo::Kind::kOther ||
                                            s.resource_info->kind == ResourceInfo::Kind::kActivity
                                        ? s.resource
                                        : s.resource_info->action;
      HistoryEvent::Compact c;
      c.shape = HistoryEvent::Compact::kTaskScheduled;
      c.a = &resource_type;
      c.b = &resource;
      c.c = &options.region;
      c.n = timeout;
      c.text = payload;
      emit_compact(ex, &f, "TaskScheduled", "taskScheduledEventDetails", std::move(c));
      HistoryEvent::Compact started;
      started.shape = HistoryEvent::Compact::kTaskStarted;
      started.a = &resource_type;
      started.b = &resource;
      emit_compact(ex, &f, "TaskStarted", "taskStartedEventDetails", std::move(started));
    }
    dispatch_task(f, s, f.task_input());
    return;
  }
  if (s.type == StateType::kParallel) {
    emit(ex, &f, "ParallelStateStarted", "", json());
    if (auto* in = inspecting(f); in && (in->children_result || in->children_failure)) {
      return finish_mocked_children(f, *in, s.branches.size());
    }
    f.children.clear();
    f.child_results = json::array();
    f.child_failure.reset();
    for (std::size_t i = 0; i < s.branches.size(); ++i) {
      f.child_results.push_back(nullptr);
      auto child = new_frame(ex, &f, s.branches[i].get(), f.effective, i);
      child->last_event_id = f.last_event_id;
      schedule(child.get());
      f.children.push_back(std::move(child));
    }
    f.children_pending = s.branches.size();
    f.child_total = s.branches.size();
    f.phase = Frame::Phase::kChildren;
    return;
  }
  start_map_children(f);
}

void EngineImpl::start_map_children(Frame& f) {
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  FrameContext ctx(*this, f);
  PathRoots roots{&f.effective, &ctx, f.scope.get()};
  auto runtime = [&](std::string cause) {
    finish_frame(f, std::nullopt, runtime_failure(cause_prefix(f) + cause));
  };
  // Items (a Distributed Map with an ItemReader streams them instead).
  // TestState runs a Distributed Map's processor inline (its mocks stand in for the Map Run).
  const bool distributed = s.distributed && inspecting(f) == nullptr;
  bool reader = distributed && s.item_reader;
  const json* items = &f.effective;
  json items_holder;
  PathView items_view;
  if (auto* in = inspecting(f); in && in->item_reader_data) {
    items = &*in->item_reader_data;  // TestState supplies the reader's items
    reader = false;
  } else if (reader) {
    // distributed_map.cc reads the items.
  } else if (s.items && !s.items->is_constant()) {
    JsonataEnv env = jsonata_env(f, nullptr, nullptr);
    Outcome<json> v = s.items->evaluate(env, "Items");
    if (!v.ok()) return query_failed(f, v.take_failure(), "Items");
    items_holder = std::move(v).value();
    if (!items_holder.is_array()) {
      std::string text(jsonata_body(s.items->source().get<std::string>()));
      auto b = text.find_first_not_of(' '), e = text.find_last_not_of(' ');
      text = b == std::string::npos ? "" : text.substr(b, e - b + 1);
      return query_failed(f,
                          Failure(std::string(errors::kQueryEvaluationError),
                                  fmt::format("The JSONata expression '{}' specified for the field "
                                              "'Items' returned an unexpected result type. "
                                              "Expected 'array', but was '{}' for value: {}",
                                              text, json_type_name_of(items_holder),
                                              items_holder.dump())),
                          "Items");
    }
    items = &items_holder;
  } else if (s.items) {
    items_holder = s.items->source();
    items = &items_holder;
  } else if (s.query_language == QueryLanguage::kJSONata && !f.effective.is_array()) {
    return query_failed(f,
                        Failure(std::string(errors::kQueryEvaluationError),
                                fmt::format("Map state input must be an array but was: {}",
                                            f.effective.dump())),
                        "Items");
  } else if (s.items_path.kind == OptionalPath::Kind::kPath) {
    // A view: each item is copied once, into its iteration's input.
    if (auto err = select_path(s.items_path, f.effective, roots, items_view)) {
      return runtime(err->cause.value_or(""));
    }
    items = &items_view.get();
  }
  if (!reader && !items->is_array()) {
    return runtime(fmt::format("Map state input must be an array but was: {}", items->dump()));
  }
  if (auto* in = inspecting(f)) in->after_items_path = *items;
  // Concurrency and tolerance.
  auto read_number = [&](const DynamicField& d, const char* what, bool integer,
                         double& out) -> bool {
    if (d.kind() == DynamicField::Kind::kJsonata) {
      std::optional<double> v = jsonata_number(f, d, integer, 0);
      if (!v) return false;
      out = *v;
    } else if (d.kind() == DynamicField::Kind::kLiteral) {
      out = d.literal().get<double>();
    } else if (d.kind() == DynamicField::Kind::kPath) {
      const json* v = d.path().find(roots);
      json parsed;
      if (v != nullptr && v->is_string()) {
        // AWS accepts numbers written as strings here ("1").
        try {
          std::size_t used = 0;
          double x = std::stod(v->get<std::string>(), &used);
          if (used == v->get_ref<const std::string&>().size()) parsed = x;
        } catch (...) {
        }
      }
      const json* num = parsed.is_number() ? &parsed : v;
      if (v == nullptr || !num->is_number() ||
          (integer && std::floor(num->get<double>()) != num->get<double>())) {
        runtime(fmt::format("The {} field refers to value \"{}\" which is not a valid {}: {}",
                            d.field(), v == nullptr ? "null" : (v->is_string() ? v->get<std::string>() : v->dump()),
                            integer ? "integer" : "float", d.path().text()));
        return false;
      }
      out = num->get<double>();
    }
    (void)what;
    return true;
  };
  double max_conc = 0, tol_count = -1, tol_pct = -1;
  if (!read_number(s.max_concurrency, "MaxConcurrency", true, max_conc)) return;
  if (s.tolerated_failure_count.present() &&
      !read_number(s.tolerated_failure_count, "ToleratedFailureCount", true, tol_count)) {
    return;
  }
  if (s.tolerated_failure_percentage.present() &&
      !read_number(s.tolerated_failure_percentage, "ToleratedFailurePercentage", false, tol_pct)) {
    return;
  }
  if (s.tolerated_failure_count.present() && tol_count < 0) {
    return runtime("ToleratedFailureCount cannot be negative.");
  }
  if (s.tolerated_failure_percentage.present() && (tol_pct < 0 || tol_pct > 100)) {
    return runtime("ToleratedFailurePercentage must be between 0 and 100.");
  }
  if (max_conc < 0) return runtime("MaxConcurrency cannot be negative.");
  if (auto* in = inspecting(f)) {
    in->max_concurrency = max_conc;
    if (s.tolerated_failure_count.present()) in->tolerated_failure_count = tol_count;
    if (s.tolerated_failure_percentage.present()) in->tolerated_failure_percentage = tol_pct;
  }
  f.max_concurrency = static_cast<std::size_t>(max_conc);
  if (f.max_concurrency == 0 && options.max_map_concurrency > 0) {
    f.max_concurrency = options.max_map_concurrency;
  }
  f.tolerated_count = s.tolerated_failure_count.present() ? static_cast<std::int64_t>(tol_count) : -1;
  f.tolerated_percentage = s.tolerated_failure_percentage.present() ? tol_pct : -1;
  if (distributed) return start_distributed_map(f, reader ? nullptr : items);

  // Item selection.
  const PayloadTemplate* selector = s.item_selector ? &*s.item_selector
                                                    : (s.parameters ? &*s.parameters : nullptr);
  const JsonataValue* jselector = s.item_selector_jsonata ? &*s.item_selector_jsonata : nullptr;
  std::vector<json> inputs;
  inputs.reserve(items->size());
  IntrinsicEnv env{&ex.random};
  for (std::size_t i = 0; i < items->size(); ++i) {
    if (jselector != nullptr) {
      json& mctx = context_object(f);
      mctx["Map"] = {{"Item", {{"Index", i}, {"Value", (*items)[i]}}}};
      JsonataEnv jenv = jsonata_env(f, nullptr, nullptr);
      jenv.context = &mctx;
      Outcome<json> v = jselector->evaluate(jenv, "ItemSelector");
      mctx.erase("Map");
      if (!v.ok()) return query_failed(f, v.take_failure(), "ItemSelector");
      inputs.push_back(std::move(v).value());
      continue;
    }
    if (selector == nullptr) {
      inputs.push_back((*items)[i]);
      continue;
    }
    json& mctx = context_object(f);
    mctx["Map"] = {{"Item", {{"Index", i}, {"Value", (*items)[i]}}}};
    PathRoots sroots{&f.effective, &mctx, f.scope.get()};
    Outcome<json> v = selector->evaluate(sroots, env);
    mctx.erase("Map");
    if (!v.ok()) {
      Failure fail = v.failure();
      if (fail.error_name() == errors::kRuntime && fail.cause) fail.cause = cause_prefix(f) + *fail.cause;
      finish_frame(f, std::nullopt, std::move(fail));
      return;
    }
    inputs.push_back(std::move(v).value());
  }
  // Batching.
  if (s.item_batcher) {
    double max_items = 0;
    const DynamicField& mi = s.item_batcher->max_items_per_batch;
    if (mi.present() && !read_number(mi, "MaxItemsPerBatch", true, max_items)) return;
    double max_bytes = 0;
    const DynamicField& mb = s.item_batcher->max_input_bytes_per_batch;
    if (mb.present() && !read_number(mb, "MaxInputBytesPerBatch", true, max_bytes)) return;
    json batch_input;
    bool has_batch_input = false;
    if (s.item_batcher->batch_input) {
      Outcome<json> v = s.item_batcher->batch_input->evaluate(roots, env);
      if (!v.ok()) return runtime(v.failure().cause.value_or(""));
      batch_input = std::move(v).value();
      has_batch_input = true;
    }
    std::size_t per = max_items > 0 ? static_cast<std::size_t>(max_items) : inputs.size();
    std::size_t byte_limit = max_bytes > 0 ? static_cast<std::size_t>(max_bytes) : 256 * 1024;
    std::vector<json> batches;
    json current = json::array();
    std::size_t current_bytes = 0;
    for (json& item : inputs) {
      std::size_t sz = json_text(item).size();
      if (!current.empty() && (current.size() >= per || current_bytes + sz > byte_limit)) {
        batches.push_back(std::move(current));
        current = json::array();
        current_bytes = 0;
      }
      current_bytes += sz;
      current.push_back(std::move(item));
    }
    if (!current.empty()) batches.push_back(std::move(current));
    inputs.clear();
    for (json& b : batches) {
      json child = json::object();
      if (has_batch_input) child["BatchInput"] = batch_input;
      child["Items"] = std::move(b);
      inputs.push_back(std::move(child));
    }
  }

  {
    HistoryEvent::Compact c;
    c.shape = HistoryEvent::Compact::kMapStateStarted;
    c.n = static_cast<std::int64_t>(inputs.size());
    emit_compact(ex, &f, "MapStateStarted", "mapStateStartedEventDetails", std::move(c));
  }
  if (auto* in = inspecting(f); in && (in->children_result || in->children_failure)) {
    return finish_mocked_children(f, *in, inputs.size());
  }
  f.children.clear();
  f.children.resize(inputs.size());
  f.child_results = json::array();
  f.child_results.get_ref<json::array_t&>().resize(inputs.size());
  f.child_failure.reset();
  f.failed_children = 0;
  f.map_items = std::move(inputs);
  if (ex.durable) {
    // The selected items are written once; the frame record only counts progress.
    json items_record = json::array();
    for (const json& item : f.map_items) items_record.push_back(item);
    put_record(ex, "i:" + f.key, json_text(items_record));
  }
  f.next_item = 0;
  f.running_children = 0;
  f.children_pending = f.map_items.size();
  f.child_total = f.map_items.size();
  if (f.children_pending == 0) {
    f.phase = Frame::Phase::kChildrenDone;
    return;
  }
  f.phase = Frame::Phase::kChildren;
  start_map_items(f, kMapStartChunk);
}

// Iterations start a few at a time: the Map frame starts a chunk, then queues itself behind
// the iterations it started, which run (to their end, or until they block on a task or a
// timer) before it starts the next chunk. Every item within the concurrency limit still starts
// within the same step, so tasks are dispatched as concurrently as before, but the iterations
// that finish synchronously are freed before the next chunk starts: a Map of 10,000 items with
// MaxConcurrency 0 keeps tens of frames alive rather than 10,000.
void EngineImpl::start_map_items(Frame& f, std::size_t at_most) {
  f.starting_items = false;
  if (f.phase != Frame::Phase::kChildren) return;
  std::size_t limit = f.max_concurrency == 0 ? f.map_items.size() : f.max_concurrency;
  for (std::size_t n = 0; n < at_most && f.next_item < f.map_items.size() &&
                          f.running_children < limit; ++n) {
    start_next_map_item(f);
  }
  if (f.next_item < f.map_items.size() && f.running_children < limit) {
    f.starting_items = true;
    schedule(&f);
  }
}

void EngineImpl::start_next_map_item(Frame& f) {
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  std::size_t i = f.next_item++;
  ++f.running_children;
  HistoryEvent::Compact c;
  if (recording(ex)) {
    c.shape = HistoryEvent::Compact::kMapIteration;
    c.a = &s.name;
    c.n = static_cast<std::int64_t>(i);
  }
  emit_compact(ex, &f, "MapIterationStarted", "mapIterationStartedEventDetails", std::move(c));
  auto child = new_frame(ex, &f, s.processor.get(), std::move(f.map_items[i]), i);
  touch(f, 1);
  child->last_event_id = f.last_event_id;
  schedule(child.get());
  f.children[i] = std::move(child);
}

void EngineImpl::child_finished(Frame& parent, Frame& child, std::optional<json> result,
                                std::optional<Failure> failure) {
  if (parent.aborted || parent.phase != Frame::Phase::kChildren) return;
  const State& s = parent.graph->states[parent.state];
  Execution& ex = *parent.execution;
  if (parent.dmap) return dmap_child_finished(parent, child, std::move(result), std::move(failure));
  std::size_t idx = child.child_index;
  --parent.children_pending;
  if (s.type == StateType::kMap) {
    --parent.running_children;
    bool tolerant = parent.tolerated_count >= 0 || parent.tolerated_percentage >= 0;
    if (failure) {
      emit(ex, &parent, "MapIterationFailed", "mapIterationFailedEventDetails",
           {{"name", s.name}, {"index", idx}});
      ++parent.failed_children;
      bool exceeded = true;
      if (tolerant) {
        std::size_t total = parent.children.size();
        bool over_count = parent.tolerated_count >= 0 &&
                          static_cast<std::int64_t>(parent.failed_children) > parent.tolerated_count;
        bool over_pct = parent.tolerated_percentage >= 0 &&
                        100.0 * static_cast<double>(parent.failed_children) /
                                static_cast<double>(total) > parent.tolerated_percentage;
        exceeded = (parent.tolerated_count >= 0 && over_count) ||
                   (parent.tolerated_percentage >= 0 && over_pct);
        if (parent.tolerated_count >= 0 && parent.tolerated_percentage >= 0) exceeded = over_count || over_pct;
        if (exceeded) {
          failure = Failure(std::string(errors::kExceedToleratedFailureThreshold),
                            "The specified tolerated failure threshold was exceeded");
        } else {
          parent.child_results[idx] = json{{"Error", failure->error.value_or("")},
                                           {"Cause", failure->cause.value_or("")}};
        }
      }
      if (exceeded) {
        parent.child_failure = std::move(failure);
        for (auto& c : parent.children) {
          if (c && c.get() != &child && c->phase != Frame::Phase::kFinished) abort_frame(*c, /*record=*/true);
        }
        parent.phase = Frame::Phase::kChildrenDone;
        schedule(&parent);
        return;
      }
    } else {
      HistoryEvent::Compact c;
      if (recording(ex)) {
        c.shape = HistoryEvent::Compact::kMapIteration;
        c.a = &s.name;
        c.n = static_cast<std::int64_t>(idx);
      }
      emit_compact(ex, &parent, "MapIterationSucceeded", "mapIterationSucceededEventDetails",
                   std::move(c));
      parent.child_results[idx] = std::move(*result);
    }
    touch(parent, 1);
    if (ex.durable) persist_child_done(parent, child);
    forget_frame(child);
    // Free the finished iteration now: memory stays bounded by running iterations.
    // (The frame may still be on the call stack: it is destroyed after this step's advance.)
    live_frames.erase(child.serial);
    graveyard.push_back(std::move(parent.children[idx]));
    // A freed slot takes the next item (the Map frame's own turn starts any others).
    start_map_items(parent, 1);
  } else {
    if (failure) {
      parent.child_failure = std::move(failure);
      for (auto& c : parent.children) {
        if (c && c.get() != &child && c->phase != Frame::Phase::kFinished) abort_frame(*c, /*record=*/true);
      }
      parent.phase = Frame::Phase::kChildrenDone;
      schedule(&parent);
      return;
    }
    parent.child_results[idx] = std::move(*result);
    touch(parent, 1);
    if (ex.durable) persist_child_done(parent, child);
  }
  if (parent.children_pending == 0) {
    parent.phase = Frame::Phase::kChildrenDone;
    schedule(&parent);
  }
}

void EngineImpl::children_done(Frame& f) {
  if (f.dmap) return dmap_children_done(f);
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  release_children(f);
  bool map = s.type == StateType::kMap;
  if (ex.durable) {
    // Results of finished children: deleted on success; on failure kept with the failed
    // children's records for a redrive until the state exits or retries.
    std::size_t started = map ? f.next_item : s.branches.size();
    for (std::size_t i = 0; i < started; ++i) {
      std::string key = "r:" + f.key + "." + std::to_string(i);
      if (f.child_failure) {
        f.kept_keys.push_back(std::move(key));
      } else {
        delete_record(ex, std::move(key));
      }
    }
    if (map) {
      if (f.child_failure) {
        f.kept_keys.push_back("i:" + f.key);
      } else {
        delete_record(ex, "i:" + f.key);
      }
    }
  }
  f.map_items.clear();
  if (f.child_failure) {
    emit(ex, &f, map ? "MapStateFailed" : "ParallelStateFailed", "", json());
    Failure failure = std::move(*f.child_failure);
    f.child_failure.reset();
    fail_state(f, std::move(failure));
    return;
  }
  emit(ex, &f, map ? "MapStateSucceeded" : "ParallelStateSucceeded", "", json());
  json results = std::move(f.child_results);
  f.child_results = json();
  complete_result_state(f, std::move(results));
}

void EngineImpl::finish_task(Frame& f) {
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  bool lambda = s.resource_info->kind == ResourceInfo::Kind::kLambdaFunction;
  const std::string& resource_type = s.resource_info->service;
  const std::string& resource = (s.resource_info->kind == ResourceInfo::Kind::kOther ||
                                 s.resource_info->kind == ResourceInfo::Kind::kActivity)
                                    ? s.resource
                                    : s.resource_info->action;
  if (f.task_failure) {
    Failure failure = std::move(*f.task_failure);
    f.task_failure.reset();
    bool timed_out = failure.error_name() == errors::kTimeout;
    bool activity = s.resource_info->kind == ResourceInfo::Kind::kActivity;
    // The details in compact form: the error, a NUL, the cause. An error name holding a NUL
    // itself (host code may raise one) could not be told from the cause: such details are
    // built as an object instead.
    HistoryEvent::Compact c;
    json d;
    if (recording(ex) && failure.error_name().find('\0') == std::string_view::npos) {
      c.shape = HistoryEvent::Compact::kFailure;
      if (!lambda && !activity) {
        c.a = &resource_type;
        c.b = &resource;
      }
      std::string text = failure.error.value_or("");
      text += '\0';
      if (failure.cause) text += *failure.cause;
      c.text = SharedText(text);
      c.n = (failure.error ? 1 : 0) | (failure.cause ? 2 : 0);
    } else if (recording(ex)) {
      d = json(json::value_t::object);
      if (!lambda && !activity) {
        d["resourceType"] = resource_type;
        d["resource"] = resource;
      }
      if (failure.error) d["error"] = *failure.error;
      if (failure.cause) d["cause"] = *failure.cause;
    }
    const char* type = lambda     ? (timed_out ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed")
                       : activity ? (timed_out ? "ActivityTimedOut" : "ActivityFailed")
                                  : (timed_out ? "TaskTimedOut" : "TaskFailed");
    const char* key = lambda     ? (timed_out ? "lambdaFunctionTimedOutEventDetails"
                                              : "lambdaFunctionFailedEventDetails")
                      : activity ? (timed_out ? "activityTimedOutEventDetails"
                                              : "activityFailedEventDetails")
                                 : (timed_out ? "taskTimedOutEventDetails" : "taskFailedEventDetails");
    if (c.shape == HistoryEvent::Compact::kFailure) {
      emit_compact(ex, &f, type, key, std::move(c));
    } else {
      emit(ex, &f, type, key, std::move(d));
    }
    fail_state(f, std::move(failure));
    return;
  }
  json output = f.task_output ? std::move(*f.task_output) : json();
  f.task_output.reset();
  if (auto cause = result_limit_cause(output, {options.max_payload_bytes, options.max_payload_depth},
                                      lambda ? s.resource : s.name)) {
    finish_frame(f, std::nullopt, Failure(std::string(errors::kDataLimitExceeded), *cause));
    return;
  }
  bool activity = s.resource_info->kind == ResourceInfo::Kind::kActivity;
  if (!recording(ex)) {
    emit(ex, &f, lambda ? "LambdaFunctionSucceeded" : activity ? "ActivitySucceeded" : "TaskSucceeded",
         "", json());
  } else {
    HistoryEvent::Compact c;
    c.shape = activity || lambda ? HistoryEvent::Compact::kOutput
                                 : HistoryEvent::Compact::kTaskSucceeded;
    c.a = &resource_type;
    c.b = &resource;
    c.text = shared_json_text(output);
    // A result passed through unchanged is also the state's output: exit_state reuses the text.
    if (!is_jsonata(s) && !s.result_selector &&
        s.result_path.kind == OptionalPath::Kind::kDefault && s.output_path.is_identity()) {
      f.output_text = c.text;
    }
    if (activity) {
      emit_compact(ex, &f, "ActivitySucceeded", "activitySucceededEventDetails", std::move(c));
    } else if (lambda) {
      emit_compact(ex, &f, "LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails",
                   std::move(c));
    } else {
      emit_compact(ex, &f, "TaskSucceeded", "taskSucceededEventDetails", std::move(c));
    }
  }
  complete_result_state(f, std::move(output));
}

// Assign → ResultSelector → ResultPath → OutputPath, then exit (Pass, Task, Parallel, Map).
void EngineImpl::complete_result_state(Frame& f, json raw_result) {
  const State& s = f.graph->states[f.state];
  if (auto* in = inspecting(f)) in->result = raw_result;
  if (is_jsonata(s)) {
    complete_jsonata_result(f, std::move(raw_result));
    return;
  }
  auto runtime = [&](const Failure& fail) { fail_terminal(f, fail); };
  FrameContext ctx(*this, f);
  IntrinsicEnv env{&f.execution->random};
  Outcome<json> assigned = do_assign(*this, f, s.assign, raw_result);
  if (!assigned.ok()) return runtime(assigned.failure());
  json result = std::move(raw_result);
  if (s.result_selector) {
    PathRoots rroots{&result, &ctx, f.scope.get()};
    Outcome<json> r = s.result_selector->evaluate(rroots, env);
    if (!r.ok()) return runtime(r.failure());
    result = std::move(r).value();
  }
  if (auto* in = inspecting(f)) in->after_result_selector = result;
  json combined;
  switch (s.result_path.kind) {
    case OptionalPath::Kind::kDefault: combined = std::move(result); break;
    case OptionalPath::Kind::kNull: combined = std::move(f.input); break;
    case OptionalPath::Kind::kPath: {
      combined = std::move(f.input);
      Outcome<std::monostate> a = s.result_path.path.assign(combined, std::move(result));
      if (!a.ok()) return runtime(a.failure());
      break;
    }
  }
  if (auto* in = inspecting(f)) in->after_result_path = combined;
  PathRoots oroots{&combined, &ctx, f.scope.get()};
  PathView view;
  if (auto err = select_path(s.output_path, combined, oroots, view)) return runtime(*err);
  json output = view.take(combined);
  if (auto cause = result_limit_cause(output, {options.max_payload_bytes, options.max_payload_depth},
                                      s.name)) {
    finish_frame(f, std::nullopt, Failure(std::string(errors::kDataLimitExceeded), *cause));
    return;
  }
  f.effective = json();
  exit_state(f, std::move(output), s.end ? kNoState : s.next, &assigned.value());
}

void EngineImpl::fail_state(Frame& f, Failure failure) {
  const State& s = f.graph->states[f.state];
  if (auto* in = inspecting(f); in && inspect_failure(*in, s, failure, f.retry_counters)) {
    return finish_frame(f, std::nullopt, std::move(failure));
  }
  Execution& ex = *f.execution;
  std::string_view name = failure.error_name();
  // A heartbeat expiry is States.Timeout in the history and also States.HeartbeatTimeout for
  // Retry and Catch: the first rule naming either (or States.ALL) decides.
  bool heartbeat = f.heartbeat_expired && name == errors::kTimeout;
  f.heartbeat_expired = false;
  if (!is_terminal_error(name)) {
    RetryDecision d = decide_retry(s.retry, heartbeat ? heartbeat_match_name(s.retry) : name,
                                   f.retry_counters, ex.random);
    if (d.retry) {
      if (!f.kept_keys.empty()) drop_kept_records(f);
      ++f.retry_count;
      ++transitions;
      std::int64_t delay = static_cast<std::int64_t>(d.delay_seconds * 1e9);
      f.retrying = true;
      if (delay <= 0) {
        f.phase = Frame::Phase::kTimerDone;
        return;
      }
      f.phase = Frame::Phase::kWaiting;
      set_timer(&f, now + delay);
      return;
    }
    int c = find_catcher(s.catch_rules, heartbeat ? heartbeat_match_name(s.catch_rules) : name);
    if (c >= 0) {
      const Catcher& catcher = s.catch_rules[static_cast<std::size_t>(c)];
      json error_output = json::object();
      error_output["Error"] = failure.error.value_or("");
      error_output["Cause"] = failure.cause.value_or("");
      if (is_jsonata(s)) {
        catch_jsonata(f, catcher, std::move(error_output));
        return;
      }
      Outcome<json> assigned = do_assign(*this, f, catcher.assign, error_output);
      if (!assigned.ok()) {
        Failure out = assigned.failure();
        if (out.cause) out.cause = cause_prefix(f) + *out.cause;
        finish_frame(f, std::nullopt, std::move(out));
        return;
      }
      json output;
      switch (catcher.result_path.kind) {
        case OptionalPath::Kind::kDefault: output = std::move(error_output); break;
        case OptionalPath::Kind::kNull: output = std::move(f.input); break;
        case OptionalPath::Kind::kPath: {
          output = std::move(f.input);
          Outcome<std::monostate> a = catcher.result_path.path.assign(output, std::move(error_output));
          if (!a.ok()) {
            Failure out = a.failure();
            if (out.cause) out.cause = cause_prefix(f) + *out.cause;
            finish_frame(f, std::nullopt, std::move(out));
            return;
          }
          break;
        }
      }
      f.effective = json();
      exit_state(f, std::move(output), catcher.next, &assigned.value());
      return;
    }
  }
  finish_frame(f, std::nullopt, std::move(failure));
}

void EngineImpl::timer_done(Frame& f) {
  const State& s = f.graph->states[f.state];
  if (f.retrying) {
    // A retry runs the state's input processing again, so `$$.State.RetryCount` is current in
    // Parameters/Arguments (no new StateEntered event).
    f.retrying = false;
    run_state(f);
    return;
  }
  // A Wait state's timer.
  json out = std::move(f.effective);
  json assigned = std::move(f.child_results);
  f.effective = json();
  f.child_results = json();
  exit_state(f, std::move(out), s.end ? kNoState : s.next, &assigned);
}

}  // namespace stepwise::internal
