// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Task (ASL-REFERENCE.md sections 2.2, 7, 8): the effective input (InputPath and Parameters,
// or Arguments), timeouts and heartbeats, the scheduled/started events of its resource kind
// (Lambda, activity, service integration), dispatch to the executor (task_dispatch in
// engine.cc), and the completion: the succeeded/failed/timed-out events, then the shared
// result pipeline or Retry/Catch. Work states (Task, Parallel, Map) share `run_work_state`.
#include <algorithm>

#include <fmt/format.h>

#include "interp/dataflow.h"
#include "interp/engine_impl.h"
#include "interp/states.h"
#include "util/json_limits.h"
#include "history/shared_text.h"
#include "util/json_text.h"

namespace stepwise::internal {
namespace {

bool is_lambda(const State& s) {
  return s.resource_info->kind == ResourceInfo::Kind::kLambdaFunction;
}
bool is_activity(const State& s) { return s.resource_info->kind == ResourceInfo::Kind::kActivity; }

// TimeoutSeconds(Path) or HeartbeatSeconds(Path): a positive whole number of seconds, 0 when
// absent; nullopt after failing the state.
std::optional<std::int64_t> task_seconds(EngineImpl& e, Frame& f, const DynamicField& d) {
  switch (d.kind()) {
    case DynamicField::Kind::kAbsent:
    case DynamicField::Kind::kIntrinsic:
      return 0;
    case DynamicField::Kind::kLiteral:
      return d.literal().get<std::int64_t>();
    case DynamicField::Kind::kJsonata: {
      std::optional<double> v = e.jsonata_number(f, d, true, 1);
      if (!v) return std::nullopt;
      return static_cast<std::int64_t>(*v);
    }
    case DynamicField::Kind::kPath:
      break;
  }
  FrameContext ctx(e, f);
  PathRoots roots{&f.input, &ctx, f.vars()};
  Outcome<json> v = d.path().evaluate(roots);
  if (!v.ok()) {
    e.finish_frame(
        f, std::nullopt,
        runtime_failure(e.cause_prefix(f) + fmt::format("Invalid path '{}' : {}", d.path().text(),
                                                        v.failure().cause.value_or(""))));
    return std::nullopt;
  }
  if (!v.value().is_number_integer() || v.value().get<std::int64_t>() <= 0) {
    e.finish_frame(f, std::nullopt,
                   runtime_failure(e.cause_prefix(f) +
                                   fmt::format("The {} field refers to value \"{}\" which is "
                                               "not a valid positive integer: {}",
                                               d.field(), v.value().dump(), d.path().text())));
    return std::nullopt;
  }
  return v.value().get<std::int64_t>();
}

// TaskScheduled/TaskStarted, LambdaFunctionScheduled/Started or ActivityScheduled.
void record_scheduled(EngineImpl& e, Frame& f, const State& s, std::int64_t timeout,
                      std::int64_t heartbeat) {
  Execution& ex = *f.execution;
  bool recording = e.recording(ex);
  // Without InputPath and Parameters the effective input is the state's input, whose text
  // the StateEntered event already holds.
  bool same_as_entered = f.entered_text && s.query_language != QueryLanguage::kJSONata &&
                         !s.parameters && s.input_path.is_identity();
  SharedText payload =
      !recording || same_as_entered ? f.entered_text : e.history.text(ex, f.task_input());
  if (is_activity(s)) {
    // ActivityStarted follows when a worker takes the task (Engine::get_activity_task).
    json d;
    if (recording) {
      d = {{"resource", s.resource},
           {"input", payload.str()},
           {"inputDetails", {{"truncated", false}}}};
      if (timeout > 0) d["timeoutInSeconds"] = timeout;
      if (heartbeat > 0) d["heartbeatInSeconds"] = heartbeat;
    }
    e.emit(ex, &f, EventKind::kActivityScheduled, std::move(d));
  } else if (is_lambda(s)) {
    e.record(ex, &f, EventKind::kLambdaFunctionScheduled, RecordShape::kLambdaScheduled, &s,
             std::move(payload), static_cast<std::uint64_t>(std::max<std::int64_t>(timeout, 0)));
    e.emit(ex, &f, EventKind::kLambdaFunctionStarted, json());
  } else if (!recording) {
    e.emit(ex, &f, EventKind::kTaskScheduled, json());
    e.emit(ex, &f, EventKind::kTaskStarted, json());
  } else {
    e.record(ex, &f, EventKind::kTaskScheduled, RecordShape::kTaskScheduled, &s, std::move(payload),
             static_cast<std::uint64_t>(std::max<std::int64_t>(timeout, 0)));
    e.record(ex, &f, EventKind::kTaskStarted, RecordShape::kTaskStarted, &s, SharedText());
  }
}

// TaskFailed/TaskTimedOut (or the Lambda and activity forms), then Retry/Catch.
void task_failed(EngineImpl& e, Frame& f, const State& s, Failure failure) {
  Execution& ex = *f.execution;
  bool lambda = is_lambda(s), activity = is_activity(s);
  bool timed_out = failure.error_name() == errors::kTimeout;
  // The details in compact form: the error, a NUL, the cause. An error name holding a NUL
  // itself (host code may raise one) could not be told from the cause: such details are
  // built as an object instead.
  bool compact = false;
  SharedText text;
  std::uint32_t flags = 0;
  json d;
  if (e.recording(ex) && failure.error_name().find('\0') == std::string_view::npos) {
    compact = true;
    if (!lambda && !activity) flags |= kFailureHasResource;
    std::string texts = failure.error.value_or("");
    texts += '\0';
    if (failure.cause) texts += *failure.cause;
    text = e.history.text(ex, std::string_view(texts));
    if (failure.error) flags |= kFailureHasError;
    if (failure.cause) flags |= kFailureHasCause;
  } else if (e.recording(ex)) {
    d = json(json::value_t::object);
    if (!lambda && !activity) {
      d["resourceType"] = s.resource_info->service;
      d["resource"] = event_resource(s);
    }
    if (failure.error) d["error"] = *failure.error;
    if (failure.cause) d["cause"] = *failure.cause;
  }
  EventKind kind =
      lambda ? (timed_out ? EventKind::kLambdaFunctionTimedOut : EventKind::kLambdaFunctionFailed)
      : activity ? (timed_out ? EventKind::kActivityTimedOut : EventKind::kActivityFailed)
                 : (timed_out ? EventKind::kTaskTimedOut : EventKind::kTaskFailed);
  if (compact) {
    e.record(ex, &f, kind, RecordShape::kFailure, &s, std::move(text), flags);
  } else {
    e.emit(ex, &f, kind, std::move(d));
  }
  fail_state(e, f, std::move(failure));
}

// TaskSucceeded (or the Lambda and activity forms), then the result pipeline.
void task_succeeded(EngineImpl& e, Frame& f, const State& s, json output) {
  Execution& ex = *f.execution;
  bool lambda = is_lambda(s), activity = is_activity(s);
  if (auto cause =
          result_limit_cause(output, {e.options.max_payload_bytes, e.options.max_payload_depth},
                             lambda ? s.resource : s.name)) {
    e.finish_frame(f, std::nullopt, Failure(std::string(errors::kDataLimitExceeded), *cause));
    return;
  }
  if (!e.recording(ex)) {
    e.emit(ex, &f,
           lambda     ? EventKind::kLambdaFunctionSucceeded
           : activity ? EventKind::kActivitySucceeded
                      : EventKind::kTaskSucceeded,
           json());
  } else {
    SharedText text = e.history.text(ex, output);
    // A result passed through unchanged is also the state's output: exit_state reuses the text.
    if (s.query_language != QueryLanguage::kJSONata && !s.result_selector &&
        s.result_path.kind == OptionalPath::Kind::kDefault && s.output_path.is_identity()) {
      f.output_text = text;
    }
    if (activity) {
      e.record(ex, &f, EventKind::kActivitySucceeded, RecordShape::kOutput, &s, std::move(text));
    } else if (lambda) {
      e.record(ex, &f, EventKind::kLambdaFunctionSucceeded, RecordShape::kOutput, &s,
               std::move(text));
    } else {
      e.record(ex, &f, EventKind::kTaskSucceeded, RecordShape::kTaskSucceeded, &s, std::move(text));
    }
  }
  complete_result_state(e, f, std::move(output), /*raw_checked=*/true);
}

}  // namespace

void run_work_state(EngineImpl& e, Frame& f, const State& s) {
  const DataFlow& flow = dataflow_for(s);
  f.task.reset();  // a new state: no token, no completion
  f.effective_is_input = false;
  InputView in;
  if (!flow.state_input(e, f, s, in)) return;
  if (!flow.work_input(e, f, s, in)) return;
  f.retrying = false;
  switch (s.type) {
    case StateType::kTask:
      return start_task(e, f, s);
    case StateType::kParallel:
      return start_parallel(e, f, s);
    default:
      return start_map(e, f, s);
  }
}

// Starts the work of a Task on its effective input (also on a retry).
void start_task(EngineImpl& e, Frame& f, const State& s) {
  TaskPart& task = f.task.mut();
  task.deadline = 0;
  std::optional<std::int64_t> timeout = task_seconds(e, f, s.timeout_seconds);
  if (!timeout) return;
  std::optional<std::int64_t> heartbeat = task_seconds(e, f, s.heartbeat_seconds);
  if (!heartbeat) return;
  if (*timeout > 0) task.deadline = e.now + *timeout * kNanos;
  task.heartbeat_nanos = *heartbeat * kNanos;
  record_scheduled(e, f, s, *timeout, *heartbeat);
  e.dispatch_task(f, s, f.task_input());
}

void finish_task(EngineImpl& e, Frame& f) {
  const State& s = f.graph->states[f.state];
  TaskPart& task = f.task.mut();
  if (task.failure) {
    Failure failure = std::move(*task.failure);
    task.failure.reset();
    task_failed(e, f, s, std::move(failure));
    return;
  }
  json output = task.output ? std::move(*task.output) : json();
  task.output.reset();
  task_succeeded(e, f, s, std::move(output));
}

}  // namespace stepwise::internal
