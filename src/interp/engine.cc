// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The interpreter: `Engine` and its run loop. Frames are scheduled FIFO on the stepping thread;
// each advances state by state until it blocks on a task, a timer or its children. Each state
// type's pipeline is in state_*.cc (states.h); this file holds starting executions, entering
// and leaving states, the end of frames and executions, task dispatch, the step loop and the
// public `Engine` API.
#include "interp/engine_impl.h"
#include "interp/inspection.h"
#include "interp/states.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <utility>

#include <fmt/format.h>

#include "util/digest.h"
#include "util/json_size.h"
#include "history/shared_text.h"
#include "util/json_limits.h"
#include "util/json_text.h"
#include "util/timestamp.h"

namespace stepwise {

using internal::Execution;
using internal::Frame;
using nlohmann::json;

std::string_view execution_status_name(ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::kRunning:
      return "RUNNING";
    case ExecutionStatus::kSucceeded:
      return "SUCCEEDED";
    case ExecutionStatus::kFailed:
      return "FAILED";
    case ExecutionStatus::kTimedOut:
      return "TIMED_OUT";
    case ExecutionStatus::kAborted:
      return "ABORTED";
    case ExecutionStatus::kSuspended:
      return "SUSPENDED";
  }
  return "UNKNOWN";
}

json ExecutionResult::to_json() const {
  json out = json::object();
  out["status"] = std::string(execution_status_name(status));
  if (status == ExecutionStatus::kSucceeded) out["output"] = output;
  if (error) out["error"] = *error;
  if (cause) out["cause"] = *cause;
  return out;
}

// --- TaskRequest, TaskCompletion ---

namespace internal {

// What a `TaskRequest` made by the engine reads from (its private `source_`), on the stack of
// `call_executor` while the executor's `start` runs: the frame whose context object
// `context()` builds on first use, and the input `take_input()` may move out.
struct TaskSource {
  EngineImpl* engine = nullptr;
  Frame* frame = nullptr;
  json* movable_input = nullptr;  // null when take_input must copy

  void attach(TaskRequest& request) const { request.source_ = this; }
  static const TaskSource* of(const TaskRequest& request) { return request.source_; }
};

}  // namespace internal

const json& TaskRequest::context() const {
  static const json kEmpty = json::object();
  const internal::TaskSource* source = internal::TaskSource::of(*this);
  return source != nullptr ? source->engine->context_for(*source->frame) : kEmpty;
}

json TaskRequest::take_input() const {
  const internal::TaskSource* source = internal::TaskSource::of(*this);
  if (source != nullptr && source->movable_input != nullptr) {
    return std::move(*source->movable_input);
  }
  return input != nullptr ? *input : json();
}

void TaskCompletion::succeed(json output) const {
  slot_->complete(std::move(output), std::nullopt);
}
void TaskCompletion::fail(std::string error, std::string cause) const {
  slot_->complete(std::nullopt, Failure(std::move(error), std::move(cause)));
}
void TaskCompletion::heartbeat() const { slot_->heartbeat(); }
void TaskCompletion::mark_real_time() const {
  internal::MutexLock lock(slot_->mu);
  slot_->real_time = true;
}
const std::string& TaskCompletion::task_token() const { return slot_->token; }

namespace internal {
namespace {

// {"<k1>": v1, "<k2>": text, "<k3>": {"truncated": false}}, built without temporaries.
json payload_details(const char* k1, const std::string& v1, const char* k2, std::string text,
                     const char* k3) {
  static const json kNotTruncated = {{"truncated", false}};
  json d(json::value_t::object);
  auto& o = d.get_ref<json::object_t&>();
  o.emplace(k1, v1);
  o.emplace(k2, std::move(text));
  o.emplace(k3, kNotTruncated);
  return d;
}

}  // namespace

EngineImpl::EngineImpl(EngineOptions opts) : options(std::move(opts)) {
  if (!options.clock) options.clock = std::make_shared<SystemClock>();
  inbox = std::make_shared<Inbox>();
  inbox->clock = options.clock;
  if (options.clock->is_virtual()) {
    real_clock = std::make_shared<SystemClock>();
    inbox->real_clock = real_clock;
  }
}

EngineImpl::~EngineImpl() {
  MutexLock lock(inbox->mu);
  inbox->clock.reset();
  inbox->real_clock.reset();
}

Result<ExecutionId> EngineImpl::start(std::shared_ptr<const StateMachine> machine, json input,
                                      StartOptions start_options) {
  if (!machine) return invalid_argument_error("the state machine is null");
  auto ex = std::make_unique<Execution>();
  ex->id = executions.next_id();
  ex->name = start_options.name.empty() ? "execution-" + std::to_string(ex->id)
                                        : std::move(start_options.name);
  if (executions.find(ex->name, /*running_only=*/true) != nullptr) {
    return invalid_argument_error(
        fmt::format("an execution named '{}' is already running", ex->name));
  }
  ex->model = &machine->model();
  ex->machine = std::move(machine);
  ex->options = {std::move(start_options.state_machine_name), start_options.express,
                 start_options.synchronous, start_options.record_history};
  if (ex->options.synchronous) ex->options.express = true;
  ex->durable = options.checkpoint_store != nullptr && !ex->options.express;
  if (ex->durable) ex->ckpt.mut().definition_text = ex->machine->to_json().dump();
  ex->random = Random(options.random_seed + ex->id);
  now = options.clock->now();
  ex->start_time = now;
  if (ex->model->timeout_seconds) ex->deadline = now + *ex->model->timeout_seconds * kNanos;
  if (ex->options.express) {
    // Express executions run for at most five minutes (ASL-REFERENCE.md section 16).
    std::int64_t cap = now + kExpressMaxSeconds * kNanos;
    if (ex->deadline == 0 || ex->deadline > cap) ex->deadline = cap;
  }
  if (ex->options.express) {
    // An Express ARN ends in a random UUID, so it is kept; a Standard one is derived.
    ex->arn = arn_prefix();
    ex->arn.append("express:").append(ex->options.state_machine_name).append(":");
    ex->arn.append(ex->name).append(":").append(uuid_v4(ex->random));
  }
  // The input as text: the ExecutionStarted event's details and, when the context object is
  // first needed, `$$.Execution.Input` (parsed back then; most executions never need it).
  try {
    ex->input_text = history.text(*ex, input);
  } catch (const json::exception& err) {
    return invalid_argument_error(
        fmt::format("the execution input cannot be written as JSON: {}", err.what()));
  }
  executions.count_started();
  Execution& e = executions.add(std::move(ex));
  // The first state's input, as its StateEntered event records it.
  SharedText first_input_text = recording(e) ? e.input_text : SharedText();
  record(e, nullptr, EventKind::kExecutionStarted, RecordShape::kExecutionStarted, nullptr,
         SharedText(first_input_text), 0, 0);
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
      if (e.status == ExecutionStatus::kRunning) executions.count_ended();
      if (e.root) {
        frames.remove(*e.root);
        forget_frame(*e.root);
      }
      std::string name = e.name;
      frames.clear_graveyard();  // frames hold texts of the execution's history
      executions.erase(id);
      return Status(st.code(),
                    fmt::format("cannot checkpoint execution '{}': {}", name, st.message()));
    }
  }
  return e.id;
}

// --- Frames and scheduling ---

void EngineImpl::schedule(Frame* f) { frames.schedule(*f); }

void EngineImpl::arm_task_timer(Frame* f) {
  std::int64_t at = f->task->deadline;
  if (f->task->heartbeat_deadline > 0 && (at == 0 || f->task->heartbeat_deadline < at)) {
    at = f->task->heartbeat_deadline;
  }
  if (at > 0) set_timer(f, at);
}

void EngineImpl::set_timer(Frame* f, std::int64_t at) { timers.set(*f, at); }

std::string EngineImpl::cause_prefix(const Frame& f) const {
  return fmt::format(
      "An error occurred while executing the state '{}' (entered at the event id "
      "#{}). ",
      f.graph->states[f.state].name, f.entered_event_id);
}

json& EngineImpl::ensure_context(Execution& ex) {
  if (ex.context) return ex.context->object;
  ex.context = std::make_unique<ContextCache>();
  ContextCache& cache = *ex.context;
  // Built member by member (initializer lists copy every value).
  cache.object = json(json::value_t::object);
  auto& ctx = cache.object.get_ref<json::object_t&>();
  json execution(json::value_t::object);
  auto& eo = execution.get_ref<json::object_t&>();
  eo.emplace("Id", execution_arn(ex));
  eo.emplace("Input", ex.input_text ? json::parse(ex.input_text.view()) : json::object());
  eo.emplace("Name", ex.name);
  eo.emplace("RoleArn", options.role_arn);
  eo.emplace("StartTime", format_iso8601_millis(ex.start_time));
  if (!ex.options.synchronous) eo.emplace("RedriveCount", ex.redrive_count);
  ctx.emplace("Execution", std::move(execution));
  // The State part's nodes stay where they are when the object moves (context_for keeps
  // pointers to them).
  json state(json::value_t::object);
  auto& so = state.get_ref<json::object_t&>();
  cache.entered = &so.emplace("EnteredTime", "").first->second;
  cache.name = &so.emplace("Name", "").first->second;
  cache.state = &ctx.emplace("State", std::move(state)).first->second;
  json sm(json::value_t::object);
  sm.get_ref<json::object_t&>().emplace("Id", state_machine_arn(ex));
  sm.get_ref<json::object_t&>().emplace("Name", ex.options.state_machine_name);
  ctx.emplace("StateMachine", std::move(sm));
  return cache.object;
}

std::string EngineImpl::execution_arn(const Execution& ex) {
  if (!ex.arn.empty()) return ex.arn;
  return arn_prefix() + "execution:" + ex.options.state_machine_name + ":" + ex.name;
}

std::string EngineImpl::state_machine_arn(const Execution& ex) {
  return arn_prefix() + "stateMachine:" + ex.options.state_machine_name;
}

const std::string& EngineImpl::arn_prefix() {
  if (arn_prefix_.empty()) {
    arn_prefix_ =
        fmt::format("arn:{}:states:{}:{}:", options.partition, options.region, options.account);
  }
  return arn_prefix_;
}

const json& EngineImpl::context_for(Frame& f) {
  Execution& ex = *f.execution;
  if (ex.inspection != nullptr && ex.inspection->context) return *ex.inspection->context;
  const State& s = f.graph->states[f.state];
  if (f.child_context) {
    // A Distributed Map child execution has a context object of its own.
    json& c = *f.child_context;
    json& state = c["State"];
    state["Name"] = s.name;
    state["EnteredTime"] = format_iso8601_millis(f.entered_at);
    if (!s.retry.empty()) {
      state["RetryCount"] = f.retry_count;
    } else {
      state.erase("RetryCount");
    }
    return c;
  }
  // The State part is rewritten in place through cached node pointers (std::map nodes are
  // stable), and the strings are assigned into the existing ones (their capacity is reused),
  // so a transition neither looks up nor allocates.
  ensure_context(ex);
  ContextCache& cache = *ex.context;
  json& state = *cache.state;
  if (cache.name == nullptr) {
    cache.name = &state["Name"];
    cache.entered = &state["EnteredTime"];
    cache.entered_at = ContextCache::kNotFormatted;
  }
  auto& name = cache.name->get_ref<std::string&>();
  if (name != s.name) name.assign(s.name);
  if (cache.entered_at != f.entered_at) {
    cache.entered_at = f.entered_at;
    *cache.entered = format_iso8601_millis(f.entered_at);
  }
  if (!s.retry.empty()) {
    if (cache.retry == nullptr) cache.retry = &state["RetryCount"];
    *cache.retry = f.retry_count;
  } else if (cache.retry != nullptr) {
    state.erase("RetryCount");
    cache.retry = nullptr;
  }
  return cache.object;
}

// Starts execution of the frame's current state: history, context, then the type's handler.
void EngineImpl::enter_state(Frame& f) {
  Execution& ex = *f.execution;
  const State& s = f.graph->states[f.state];
  ++transitions;
  // Standard executions stop at the history limit as on AWS; Express executions have none.
  if (!ex.options.express &&
      ex.event_count + 2 >= static_cast<std::int64_t>(options.max_history_events)) {
    finish_execution(ex, ExecutionStatus::kFailed, json(), std::string(errors::kRuntime),
                     fmt::format("The execution reached the maximum number of history events "
                                 "({}).",
                                 options.max_history_events));
    return;
  }
  f.entered_at = now;
  f.retry_count = 0;
  f.retry_counters.assign(s.retry.size(), 0);
  if (recording(ex)) {
    // The input of a state is the output of the frame's previous state, already serialized
    // for its StateExited event: share that text instead of serializing again.
    SharedText text = f.input_text ? std::move(f.input_text) : history.text(ex, f.input);
    f.input_text.reset();
    f.entered_text = text;
    f.output_text.reset();
    if (ex.durable) f.ckpt.mut().entry_input = text.str();
    f.entered_event_id = record(ex, &f, entered_kind(s.type), RecordShape::kStateEntered, &s,
                                std::move(text), 0, f.last_event_id);
  } else {
    if (ex.durable) f.ckpt.mut().entry_input = json_text(f.input);
    f.entered_event_id = emit(ex, &f, entered_kind(s.type), json(), f.last_event_id);
  }
  run_state(*this, f);
}

// Leaves the current state with `output`, moving to `next` or ending the frame.
void EngineImpl::exit_state(Frame& f, json output, StateId next, const json* assigned) {
  Execution& ex = *f.execution;
  const State& s = f.graph->states[f.state];
  f.effective_is_input = false;
  f.task.reset();
  if (assigned != nullptr && assigned->is_object()) {
    for (auto it = assigned->begin(); it != assigned->end(); ++it)
      f.own_scope().set(it.key(), it.value());
  }
  if (!f.ckpt->kept_keys.empty()) drop_kept_records(f);
  if (f.kids.has()) f.kids.mut().total = 0;
  if (s.type != StateType::kFail && recording(ex)) {
    SharedText text = f.output_text ? std::move(f.output_text) : history.text(ex, output);
    f.output_text.reset();
    f.entered_text.reset();
    // The next state's input; at the end, the frame's result (ExecutionSucceeded's output).
    f.input_text = text;
    if (assigned != nullptr && !assigned->empty()) {
      json d = payload_details("name", s.name, "output", text.str(), "outputDetails");
      json vars = json::object();
      for (auto it = assigned->begin(); it != assigned->end(); ++it)
        vars[it.key()] = json_text(it.value());
      d["assignedVariables"] = std::move(vars);
      d["assignedVariablesDetails"] = {{"truncated", false}};
      emit(ex, &f, exited_kind(s.type), std::move(d));
    } else {
      record(ex, &f, exited_kind(s.type), RecordShape::kStateExited, &s, std::move(text));
    }
  }
  if (next == kNoState) {
    finish_frame(f, std::move(output), std::nullopt);
    return;
  }
  f.state = next;
  f.input = std::move(output);
  f.phase = Frame::Phase::kEnter;
}

void EngineImpl::finish_frame(Frame& f, std::optional<json> result,
                              std::optional<Failure> failure) {
  f.phase = Frame::Phase::kFinished;
  f.effective_is_input = false;
  Execution& ex = *f.execution;
  if (f.parent == nullptr) {
    if (failure) {
      finish_execution(ex, ExecutionStatus::kFailed, json(), failure->error, failure->cause);
    } else {
      finish_execution(ex, ExecutionStatus::kSucceeded, std::move(*result), std::nullopt,
                       std::nullopt);
    }
    return;
  }
  state_child_finished(*this, *f.parent, f, std::move(result), std::move(failure));
}

void EngineImpl::finish_execution(Execution& ex, ExecutionStatus status, json output,
                                  std::optional<std::string> error,
                                  std::optional<std::string> cause) {
  if (ex.status != ExecutionStatus::kRunning) return;
  ex.status = status;
  if (error || cause) {
    ex.end.mut().error = error;  // also recorded below
    ex.end.mut().cause = cause;
  }
  ex.stop_time = now;
  mark_changed(ex);
  switch (status) {
    case ExecutionStatus::kSucceeded: {
      SharedText text;
      if (recording(ex)) {
        // The last state's StateExited event has serialized the output already.
        Frame* root = ex.root.get();
        text = root != nullptr && root->input_text ? std::move(root->input_text)
                                                   : history.text(ex, output);
      }
      record(ex, ex.root.get(), EventKind::kExecutionSucceeded, RecordShape::kOutput, nullptr,
             std::move(text));
      ex.end.mut().output = std::move(output);
      break;
    }
    case ExecutionStatus::kFailed:
    case ExecutionStatus::kAborted:
    case ExecutionStatus::kTimedOut: {
      json d = json::object();
      if (error) d["error"] = *error;
      if (cause) d["cause"] = *cause;
      EventKind kind = status == ExecutionStatus::kFailed    ? EventKind::kExecutionFailed
                       : status == ExecutionStatus::kAborted ? EventKind::kExecutionAborted
                                                             : EventKind::kExecutionTimedOut;
      emit(ex, ex.root.get(), kind, std::move(d), status == ExecutionStatus::kFailed ? -1 : 0);
      abort_frame(*ex.root, /*record=*/false);
      break;
    }
    case ExecutionStatus::kRunning:
    case ExecutionStatus::kSuspended:
      break;
  }
  executions.count_ended();
}

void EngineImpl::abort_frame(Frame& f, bool record) {
  if (f.aborted) return;
  // Children first: their events precede this frame's (AWS: TaskStateAborted in the running
  // branches, then the enclosing state's).
  for (auto& c : f.kids->frames) {
    if (c) abort_frame(*c, record);
  }
  f.aborted = true;
  touch(f, 1);
  if (f.phase == Frame::Phase::kTaskRunning) cancel_task(f);
  Execution& ex = *f.execution;
  if (record && f.state != kNoState && ex.status == ExecutionStatus::kRunning) {
    // By StateType; kCount: the type has no aborted event.
    static constexpr EventKind kAborted[] = {
        EventKind::kTaskStateAborted,     EventKind::kCount,          EventKind::kCount,
        EventKind::kWaitStateAborted,     EventKind::kCount,          EventKind::kCount,
        EventKind::kParallelStateAborted, EventKind::kMapStateAborted};
    EventKind kind = kAborted[static_cast<int>(f.graph->states[f.state].type)];
    bool in_progress = f.phase == Frame::Phase::kTaskRunning || f.phase == Frame::Phase::kWaiting ||
                       f.phase == Frame::Phase::kChildren || f.phase == Frame::Phase::kTaskDone ||
                       f.phase == Frame::Phase::kTimerDone;
    if (kind != EventKind::kCount && in_progress) emit(ex, &f, kind, json());
    if (f.parent != nullptr && f.parent->state != kNoState && !f.parent->kids->dmap &&
        f.parent->graph->states[f.parent->state].type == StateType::kMap) {
      const State& map = f.parent->graph->states[f.parent->state];
      emit(ex, f.parent, EventKind::kMapIterationAborted,
           recording(ex) ? json{{"name", map.name}, {"index", f.child_index}} : json());
    }
  }
}

void EngineImpl::cancel_task(Frame& f) {
  auto it = pending_tasks.find(f.task->key);
  if (it != pending_tasks.end()) {
    {
      MutexLock lock(it->second->mu);
      it->second->done = true;
    }
    pending_tasks.erase(it);
    task_frames.erase(f.task->key);
    unregister_task(f);
    if (f.task->dispatch_pending) {
      f.task.mut().dispatch_pending = false;  // the executor was never called
      return;
    }
    if (options.task_executor) {
      try {
        options.task_executor->cancel(f.task->token);
      } catch (...) {
      }
    }
  }
}

std::unique_ptr<Frame> EngineImpl::new_frame(Execution& ex, Frame* parent, const Graph* graph,
                                             json input, std::size_t index) {
  auto f = std::make_unique<Frame>();
  f->child_index = index;
  if (ex.durable) {
    f->ckpt.mut().key =
        parent == nullptr ? std::string("0") : parent->ckpt->key + "." + std::to_string(index);
  }
  f->execution = &ex;
  f->parent = parent;
  if (parent != nullptr) {
    f->child_run = parent->child_run;
    f->child_log = parent->child_log;
    f->child_context = parent->child_context;
  }
  f->graph = graph;
  f->state = graph->start_at;
  f->input = std::move(input);

  f->outer_scope = parent != nullptr ? parent->vars() : nullptr;
  frames.add(*f);
  touch(*f, 2);
  return f;
}

void EngineImpl::release_children(Frame& f) {
  if (!f.kids.has()) return;
  for (auto& c : f.kids.mut().frames) {
    if (!c) continue;
    release_children(*c);
    if (c->phase == Frame::Phase::kTaskRunning) cancel_task(*c);
    if (f.execution->durable && !c->ckpt->persisted_done) keep_child_records(f, *c);
    forget_frame(*c);
    frames.remove(*c);
    c.reset();
  }
  f.kids.mut().frames.clear();
}

// --- Tasks ---

void EngineImpl::new_task_token(Execution& ex, std::string& out) {
  // 32 hex digits: 64 random bits and a per-engine sequence number, written into `out`'s
  // existing capacity.
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t a = ex.random.next_u64(), b = ex.next_token++;
  char text[32];  // a local buffer: writes through `out[i]` may alias and are not unrolled
  for (int i = 15; i >= 0; --i, a >>= 4) text[i] = kHex[a & 15];
  for (int i = 31; i >= 16; --i, b >>= 4) text[i] = kHex[b & 15];
  out.assign(text, sizeof text);
}

void EngineImpl::unregister_task(Frame& f) {
  if (f.task->token.empty()) return;
  MutexLock lock(inbox->mu);
  inbox->by_token.erase(f.task->token);
  const State& s = f.graph->states[f.state];
  if (s.resource_info->kind == ResourceInfo::Kind::kActivity) {
    auto& q = inbox->activities;
    for (auto it = q.begin(); it != q.end(); ++it) {
      if (it->key == f.task->key) {
        q.erase(it);
        break;
      }
    }
  }
}

void EngineImpl::dispatch_task(Frame& f, const State& s, const json& input) {
  (void)input;  // always f.effective, kept for retries and a resume
  Execution& ex = *f.execution;
  TaskPart& task = f.task.mut();
  task.key = next_task_key++;
  if (task.token.empty()) new_task_token(ex, task.token);
  task.output.reset();
  task.failure.reset();
  task.heartbeat_expired = false;
  f.phase = Frame::Phase::kTaskRunning;
  task.heartbeat_deadline = task.heartbeat_nanos > 0 ? now + task.heartbeat_nanos : 0;
  (void)s;
  if (ex.durable) {
    // The dispatch is committed before the executor sees it (DESIGN.md section 7).
    task.dispatch_pending = true;
    touch(f, 2);
    pending_dispatch.emplace_back(ex.id, f.serial);
    return;
  }
  call_executor(f);
}

// True when nothing reads the task's effective input after the executor has it, so
// TaskRequest::take_input may move it: no Retry will send it again, no JSONata expression sees
// `$states.input`, no checkpoint or TestState inspection records it, and, when it is the raw
// input itself, neither ResultPath nor any Catch's ResultPath merges into it.
bool EngineImpl::task_input_is_dead(const Frame& f, const State& s) const {
  const Execution& ex = *f.execution;
  if (ex.durable || ex.inspection != nullptr || s.query_language == QueryLanguage::kJSONata ||
      !s.retry.empty()) {
    return false;
  }
  if (!f.effective_is_input) return true;  // `effective` is kept for retries only
  // A ResultPath of `$` (written or by default) replaces the input rather than merging into it.
  if (!s.result_path.is_identity()) return false;
  for (const Catcher& c : s.catch_rules) {
    if (!c.result_path.is_identity()) return false;
  }
  return true;
}

// Hands the frame's task to its executor (or, for an activity, to the workers' queue).
void EngineImpl::call_executor(Frame& f) {
  Execution& ex = *f.execution;
  const State& s = f.graph->states[f.state];
  TaskPart& task = f.task.mut();
  task.dispatch_pending = false;
  std::shared_ptr<CompletionSlot> slot = take_slot();
  slot->key = task.key;
  slot->token.assign(task.token);
  slot->begin_start();
  slot->starter = std::this_thread::get_id();
  bool activity = s.resource_info->kind == ResourceInfo::Kind::kActivity;
  CompletionSlot* outer = nullptr;
  {
    MutexLock lock(inbox->mu);
    if (activity) {
      inbox->by_token.insert_or_assign(task.token, slot);
      inbox->activities.push_back({s.resource, task.token, json_text(f.task_input()), task.key});
    } else {
      outer = std::exchange(inbox->starting, slot.get());
    }
  }

  if (activity) {
    // Activity workers poll Engine::get_activity_task; nothing to start here.
  } else if (!options.task_executor) {
    slot->complete(std::nullopt,
                   Failure(std::string(errors::kTaskFailed), "no task executor is configured"));
  } else {
    TaskRequest req;
    req.resource = s.resource;
    req.input = &f.task_input();
    req.state_name = s.name;
    req.execution_name = ex.name;
    req.attempt = static_cast<int>(f.retry_count);
    req.task_token = task.token;
    req.deadline = task.deadline;
    // The context object is built only if the executor asks for it.
    TaskSource source{this, &f, nullptr};
    if (task_input_is_dead(f, s)) {
      source.movable_input = f.effective_is_input ? &f.input : &f.effective;
    }
    source.attach(req);
    try {
      options.task_executor->start(req, TaskCompletion(slot));
    } catch (const TaskError& e) {
      slot->complete(std::nullopt, Failure(e.error(), e.cause()));
    } catch (const std::exception& e) {
      slot->complete(std::nullopt, Failure(std::string(errors::kTaskFailed), e.what()));
    } catch (...) {
      slot->complete(std::nullopt,
                     Failure(std::string(errors::kTaskFailed), "unknown exception from executor"));
    }
  }
  bool done;
  bool real_time;
  {
    MutexLock lock(slot->mu);
    slot->in_start = false;
    done = slot->done;
    real_time = slot->real_time;
    if (done) {
      task.output = std::move(slot->output);
      task.failure = std::move(slot->failure);
    }
  }
  // The host stopped the execution from inside `start` (Engine::stop): the task is cancelled
  // as cancel_task would have, had it been registered.
  bool stopped = !done && (f.aborted || ex.status != ExecutionStatus::kRunning);
  if (stopped) {
    MutexLock lock(slot->mu);
    slot->done = true;
  }
  if (activity) {
    if (done || stopped) {
      MutexLock lock(inbox->mu);
      inbox->by_token.erase(task.token);
    }
  } else {
    // From `starting` to `by_token` in one step, so Engine::send_task_* always finds a task
    // still running.
    MutexLock lock(inbox->mu);
    inbox->starting = outer;
    if (!done && !stopped) inbox->by_token.insert_or_assign(task.token, slot);
  }
  if (stopped) {
    if (!activity && options.task_executor) {
      try {
        options.task_executor->cancel(task.token);
      } catch (...) {
      }
    }
    return;
  }
  if (done) {
    f.phase = Frame::Phase::kTaskDone;
    if (ex.durable) {
      touch(f, 1);
      schedule(&f);
    }
    recycle_slot(std::move(slot));
  } else {
    task_frames[task.key] = &f;
    pending_tasks.emplace(task.key, std::move(slot));
    if (real_time && real_clock) {
      // Ended tasks are dropped when Engine::run waits; a host that only steps drops them here.
      if (real_time_tasks.size() >= 64 && real_time_tasks.size() > 2 * pending_tasks.size()) {
        (void)real_time_in_flight();
      }
      real_time_tasks.push_back(task.key);
    }
    arm_task_timer(&f);
  }
}

std::shared_ptr<CompletionSlot> EngineImpl::take_slot() {
  if (spare_slot) return std::move(spare_slot);
  auto slot = std::make_shared<CompletionSlot>();
  slot->self_weak = slot;
  slot->max_payload_depth = options.max_payload_depth;
  slot->inbox = inbox;
  return slot;
}

void EngineImpl::recycle_slot(std::shared_ptr<CompletionSlot> slot) {
  // Only a slot nothing else can reach: an executor that kept a copy of its `TaskCompletion`
  // may still call it, and `Engine::send_task_*` reaches slots only through `by_token` and
  // `starting`, which no longer hold this one. The acquire fence pairs with the release of
  // the last other reference, so the other thread's accesses to the slot happen before its
  // reuse.
  if (slot.use_count() != 1) return;
  std::atomic_thread_fence(std::memory_order_acquire);
  {
    MutexLock lock(slot->mu);
    slot->done = false;
    slot->real_time = false;
    slot->output.reset();
    slot->failure.reset();
  }
  spare_slot = std::move(slot);
}

void EngineImpl::flush_dispatches() {
  std::vector<std::pair<ExecutionId, std::uint64_t>> batch;
  batch.swap(pending_dispatch);
  for (auto [id, serial] : batch) {
    Execution* ex = executions.get(id);
    if (ex == nullptr || ex->status != ExecutionStatus::kRunning) continue;
    Frame* f = frames.live(serial);
    if (f == nullptr) continue;
    if (f->aborted || !f->task->dispatch_pending || f->phase != Frame::Phase::kTaskRunning)
      continue;
    call_executor(*f);
  }
}

void EngineImpl::drain_inbox() {
  std::vector<std::shared_ptr<CompletionSlot>> ready;
  std::vector<std::uint64_t> heartbeats;
  std::vector<std::pair<std::uint64_t, std::string>> started;
  {
    MutexLock lock(inbox->mu);
    ready.swap(inbox->ready);
    heartbeats.swap(inbox->heartbeats);
    started.swap(inbox->activity_started);
  }
  for (auto& [key, worker] : started) {
    auto it = task_frames.find(key);
    if (it == task_frames.end() || it->second == nullptr) continue;
    Frame* f = it->second;
    if (f->aborted || f->phase != Frame::Phase::kTaskRunning) continue;
    json d = json::object();
    if (!worker.empty()) d["workerName"] = worker;
    emit(*f->execution, f, EventKind::kActivityStarted, std::move(d));
    touch(*f, 1);
  }
  for (std::uint64_t key : heartbeats) {
    auto it = task_frames.find(key);
    if (it == task_frames.end() || it->second == nullptr) continue;
    Frame* f = it->second;
    if (f->aborted || f->phase != Frame::Phase::kTaskRunning || f->task->heartbeat_nanos == 0)
      continue;
    f->task.mut().heartbeat_deadline = now + f->task->heartbeat_nanos;
    touch(*f, 1);
    arm_task_timer(f);
  }
  for (auto& slot : ready) {
    auto it = pending_tasks.find(slot->key);
    if (it == pending_tasks.end()) continue;  // cancelled or timed out
    Frame* f = task_frames[slot->key];
    pending_tasks.erase(it);
    task_frames.erase(slot->key);
    {
      MutexLock lock(inbox->mu);
      inbox->by_token.erase(slot->token);
    }
    if (f == nullptr || f->aborted || f->phase != Frame::Phase::kTaskRunning) continue;
    {
      MutexLock lock(slot->mu);
      f->task.mut().output = std::move(slot->output);
      f->task.mut().failure = std::move(slot->failure);
    }
    ++f->timer.generation;  // disarm the timeout
    f->phase = Frame::Phase::kTaskDone;
    touch(*f, 1);
    schedule(f);
  }
}

void EngineImpl::fire_timers() {
  while (std::optional<Timer> t = timers.pop_due(now)) {
    Execution* ex = executions.get(t->execution);
    if (ex == nullptr || ex->status != ExecutionStatus::kRunning) continue;
    Frame* f = frames.live(t->frame_serial);
    if (f == nullptr) continue;
    if (f->aborted || f->timer.generation != t->generation) continue;
    if (f->phase == Frame::Phase::kWaiting) {
      f->phase = Frame::Phase::kTimerDone;
      touch(*f, 1);
      schedule(f);
    } else if (f->phase == Frame::Phase::kTaskRunning) {
      // TimeoutSeconds or the HeartbeatSeconds gap expired (both are States.Timeout in the
      // history, as AWS reports them; a heartbeat expiry also matches States.HeartbeatTimeout
      // in Retry and Catch); otherwise a heartbeat moved the deadline and the timer is
      // re-armed.
      bool timed_out = f->task->deadline > 0 && now >= f->task->deadline;
      bool heartbeat_lost = f->task->heartbeat_deadline > 0 && now >= f->task->heartbeat_deadline;
      if (!timed_out && !heartbeat_lost) {
        arm_task_timer(f);
        continue;
      }
      cancel_task(*f);
      task_frames.erase(f->task->key);
      f->task.mut().output.reset();
      f->task.mut().failure =
          Failure(std::optional<std::string>(std::string(errors::kTimeout)), std::nullopt);
      f->task.mut().heartbeat_expired = !timed_out;
      f->phase = Frame::Phase::kTaskDone;
      touch(*f, 1);
      schedule(f);
    }
  }
  // Execution-level timeouts, soonest first.
  while (Execution* ex = executions.pop_expired(now)) {
    finish_execution(*ex, ExecutionStatus::kTimedOut, json(), std::string(errors::kTimeout),
                     std::nullopt);
  }
}

void EngineImpl::advance(Frame& f, std::size_t budget_end, std::int64_t deadline) {
  touch(f, 2);
  while (!f.aborted && f.execution->status == ExecutionStatus::kRunning) {
    switch (f.phase) {
      case Frame::Phase::kEnter:
        if (transitions >= budget_end || (deadline > 0 && options.clock->now() >= deadline)) {
          schedule(&f);
          return;
        }
        enter_state(f);
        break;
      case Frame::Phase::kTaskDone:
        finish_task(*this, f);
        break;
      case Frame::Phase::kTimerDone:
        state_timer_done(*this, f);
        break;
      case Frame::Phase::kChildrenDone:
        state_children_done(*this, f);
        break;
      case Frame::Phase::kChildren:
        if (f.kids->starting_items) continue_map_items(*this, f);
        return;
      case Frame::Phase::kTaskRunning:
      case Frame::Phase::kWaiting:
      case Frame::Phase::kFinished:
        return;
    }
  }
}

StepReport EngineImpl::step(const StepBudget& budget) {
  StepReport report;
  std::size_t start_transitions = transitions;
  std::size_t budget_end = budget.max_transitions == std::numeric_limits<std::size_t>::max()
                               ? std::numeric_limits<std::size_t>::max()
                               : transitions + budget.max_transitions;
  now = options.clock->now();
  drain_inbox();
  fire_timers();
  for (;;) {
    while (!frames.empty()) {
      if (transitions >= budget_end ||
          (budget.deadline > 0 && options.clock->now() >= budget.deadline)) {
        break;
      }
      Frame* f = frames.next();
      if (f == nullptr) break;
      if (f->aborted || f->execution->status != ExecutionStatus::kRunning) continue;
      now = options.clock->now();
      advance(*f, budget_end, budget.deadline);
      frames.clear_graveyard();
    }
    // Durable executions: commit what this round changed, then start the tasks it
    // dispatched; synchronous completions make frames runnable for another round.
    if (checkpointer.has_changes()) commit_changed();
    if (pending_dispatch.empty()) break;
    flush_dispatches();
    if (frames.empty()) {
      if (checkpointer.has_changes()) commit_changed();
      break;
    }
  }
  report.transitions = transitions - start_transitions;
  report.running = executions.running();
  report.runnable = !frames.empty();
  // Skip stale timers so next_deadline is meaningful.
  report.next_deadline = timers.next([&](const Timer& t) {
    Execution* ex = executions.get(t.execution);
    Frame* f = frames.live(t.frame_serial);
    return ex != nullptr && ex->status == ExecutionStatus::kRunning && f != nullptr &&
           !f->aborted && f->timer.generation == t.generation;
  });
  std::optional<std::int64_t> machine_deadline = executions.next_deadline();
  if (machine_deadline && (!report.next_deadline || *machine_deadline < *report.next_deadline)) {
    report.next_deadline = machine_deadline;
  }
  return report;
}

Status EngineImpl::run_to_end(Execution& ex) {
  while (ex.status == ExecutionStatus::kRunning) {
    StepReport r = step({});
    if (ex.status != ExecutionStatus::kRunning) break;
    if (!wait_for_progress(r)) {
      return internal_error("execution is blocked with nothing to wait for");
    }
  }
  return {};
}

bool EngineImpl::wait_for_progress(const StepReport& report) {
  if (report.runnable) return true;
  {
    MutexLock lock(inbox->mu);
    if (!inbox->ready.empty()) return true;
  }
  if (real_time_in_flight()) {
    wait_in_real_time(report.next_deadline);
    return true;
  }
  if (report.next_deadline) {
    options.clock->wait_until(*report.next_deadline);
    return true;
  }
  if (!pending_tasks.empty()) {
    // Only asynchronous completions can make progress: wait for one.
    if (options.clock->is_virtual()) {
      // A virtual clock cannot block; spin politely.
      std::this_thread::yield();
      return true;
    }
    options.clock->wait_until(options.clock->now() + 50'000'000);
    return true;
  }
  return false;
}

bool EngineImpl::real_time_in_flight() {
  // Tasks that ended (completed, timed out, cancelled) have left `pending_tasks`.
  std::erase_if(real_time_tasks, [&](std::uint64_t key) { return !pending_tasks.contains(key); });
  return !real_time_tasks.empty();
}

void EngineImpl::wait_in_real_time(std::optional<std::int64_t> deadline) {
  // At most this long between two looks at the engine when no deadline is due sooner.
  constexpr std::int64_t kLongestWait = 1'000'000'000;
  std::int64_t virtual_start = options.clock->now();
  std::int64_t real_start = real_clock->now();
  std::int64_t span = kLongestWait;
  if (deadline) span = std::clamp<std::int64_t>(*deadline - virtual_start, 0, kLongestWait);
  // Returns early when a completion or a heartbeat wakes the real clock.
  real_clock->wait_until(real_start + span);
  std::int64_t target = virtual_start + (real_clock->now() - real_start);
  if (deadline && target > *deadline) target = *deadline;
  options.clock->wait_until(target);  // a virtual clock moves itself to `target`
}

}  // namespace internal

// --- Engine ---

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Engine::~Engine() = default;

Result<ExecutionId> Engine::start(std::shared_ptr<const StateMachine> machine, json input,
                                  StartOptions options) {
  std::size_t max_depth = impl_->options.max_payload_depth;
  if (internal::json_depth_exceeds(input, max_depth)) {
    return invalid_argument_error(internal::depth_limit_cause("The execution input", max_depth));
  }
  return impl_->start(std::move(machine), std::move(input), std::move(options));
}

StepReport Engine::step(StepBudget budget) { return impl_->step(budget); }

Result<ExecutionResult> Engine::run(ExecutionId id) {
  internal::Execution* found = impl_->executions.get(id);
  if (found == nullptr) return not_found_error(fmt::format("no execution {}", id));
  Status st = impl_->run_to_end(*found);
  if (!st.ok()) return st;
  return result(id);
}

Result<ExecutionResult> Engine::run(std::shared_ptr<const StateMachine> machine, json input,
                                    StartOptions options) {
  Result<ExecutionId> id = start(std::move(machine), std::move(input), std::move(options));
  if (!id.ok()) return id.status();
  Status st = impl_->run_to_end(*impl_->executions.get(*id));
  if (!st.ok()) {
    // Blocked with nothing to wait for: the execution ends here rather than staying held.
    (void)stop(*id, "", "");
    (void)release(*id);
    return st;
  }
  return take(*id);
}

std::size_t Engine::execution_count() const { return impl_->executions.size(); }

void Engine::run_all() {
  while (impl_->executions.running() > 0) {
    StepReport r = impl_->step({});
    if (impl_->executions.running() == 0) break;
    if (!impl_->wait_for_progress(r)) break;
  }
}

Status Engine::stop(ExecutionId id, std::string error, std::string cause) {
  internal::Execution* found = impl_->executions.get(id);
  if (found == nullptr) return not_found_error(fmt::format("no execution {}", id));
  if (found->status != ExecutionStatus::kRunning) {
    return failed_precondition_error("the execution is not running");
  }
  impl_->now = impl_->options.clock->now();
  impl_->finish_execution(*found, ExecutionStatus::kAborted, json(),
                          error.empty() ? std::nullopt : std::optional<std::string>(error),
                          cause.empty() ? std::nullopt : std::optional<std::string>(cause));
  if (impl_->checkpointer.has_changes()) impl_->commit_changed();
  return {};
}

Result<ExecutionId> Engine::resume(std::string_view name,
                                   std::shared_ptr<const StateMachine> machine) {
  return impl_->load_execution(name, std::move(machine), /*redrive=*/false);
}

Result<ExecutionId> Engine::redrive(std::string_view name,
                                    std::shared_ptr<const StateMachine> machine) {
  if (internal::Execution* ex = impl_->executions.find(name, /*running_only=*/false)) {
    if (ex->options.express) {
      return failed_precondition_error(
          fmt::format("execution '{}' is EXPRESS; only STANDARD executions can be redriven", name));
    }
    if (ex->status == ExecutionStatus::kSucceeded) {
      return failed_precondition_error(
          fmt::format("Execution is SUCCEEDED and cannot be redriven: {}", name));
    }
    if (!impl_->options.checkpoint_store) {
      return failed_precondition_error(
          "redrive needs a checkpoint store (EngineOptions::checkpoint_store)");
    }
    if (!machine) machine = ex->machine;
  }
  Result<ExecutionId> id = impl_->load_execution(name, std::move(machine), /*redrive=*/true);
  if (id.ok() && impl_->checkpointer.has_changes()) impl_->commit_changed();
  return id;
}

namespace {

std::shared_ptr<internal::CompletionSlot> find_token(internal::Inbox& inbox,
                                                     std::string_view token) {
  internal::MutexLock lock(inbox.mu);
  auto it = inbox.by_token.find(token);
  if (it != inbox.by_token.end()) return it->second.lock();
  if (inbox.starting != nullptr && inbox.starting->token == token) {
    return inbox.starting->self_weak.lock();
  }
  return nullptr;
}

Status invalid_token(std::string_view token) {
  return not_found_error(
      fmt::format("Task Token is invalid or the task is no longer running: '{}'", token));
}

}  // namespace

Status Engine::send_task_success(std::string_view task_token, json output) {
  auto slot = find_token(*impl_->inbox, task_token);
  if (!slot) return invalid_token(task_token);
  slot->complete(std::move(output), std::nullopt);
  return {};
}

Status Engine::send_task_failure(std::string_view task_token, std::string error,
                                 std::string cause) {
  auto slot = find_token(*impl_->inbox, task_token);
  if (!slot) return invalid_token(task_token);
  slot->complete(std::nullopt,
                 Failure(error.empty() ? std::nullopt : std::optional<std::string>(error),
                         cause.empty() ? std::nullopt : std::optional<std::string>(cause)));
  return {};
}

Status Engine::send_task_heartbeat(std::string_view task_token) {
  auto slot = find_token(*impl_->inbox, task_token);
  if (!slot) return invalid_token(task_token);
  slot->heartbeat();
  return {};
}

std::optional<ActivityTask> Engine::get_activity_task(std::string_view activity_arn,
                                                      std::string_view worker_name) {
  internal::Inbox& inbox = *impl_->inbox;
  ActivityTask task;
  std::shared_ptr<Clock> clock;
  {
    internal::MutexLock lock(inbox.mu);
    auto& q = inbox.activities;
    auto it = std::find_if(q.begin(), q.end(), [&](const internal::Inbox::Activity& a) {
      return a.arn == activity_arn;
    });
    if (it == q.end()) return std::nullopt;
    task.task_token = it->token;
    task.input = json::parse(it->input);
    inbox.activity_started.emplace_back(it->key, std::string(worker_name));
    q.erase(it);
    clock = inbox.clock;
  }
  if (clock) clock->wake();
  return task;
}

std::optional<ExecutionId> Engine::find(std::string_view name) const {
  internal::Execution* ex = impl_->executions.find(name, /*running_only=*/false);
  if (ex == nullptr) return std::nullopt;
  return ex->id;
}

Result<ExecutionStatus> Engine::status(ExecutionId id) const {
  internal::Execution* found = impl_->executions.get(id);
  if (found == nullptr) return not_found_error(fmt::format("no execution {}", id));
  return found->status;
}

Result<ExecutionResult> Engine::result(ExecutionId id) const {
  internal::Execution* found = impl_->executions.get(id);
  if (found == nullptr) return not_found_error(fmt::format("no execution {}", id));
  ExecutionResult r;
  r.status = found->status;
  r.output = found->end->output;
  r.error = found->end->error;
  r.cause = found->end->cause;
  return r;
}

Result<const History*> Engine::history(ExecutionId id) const {
  internal::Execution* found = impl_->executions.get(id);
  if (found == nullptr) return not_found_error(fmt::format("no execution {}", id));
  return &impl_->read_history(*found);
}

Result<std::vector<MapRunDescription>> Engine::list_map_runs(ExecutionId id) const {
  internal::Execution* found = impl_->executions.get(id);
  if (found == nullptr) return not_found_error(fmt::format("no execution {}", id));
  return found->map_runs;
}

Result<MapRunDescription> Engine::describe_map_run(std::string_view map_run_arn) const {
  const MapRunDescription* found = nullptr;
  impl_->executions.for_each([&](const internal::Execution& ex) {
    for (const MapRunDescription& run : ex.map_runs) {
      if (run.map_run_arn == map_run_arn) found = &run;
    }
  });
  if (found != nullptr) return *found;
  return not_found_error(fmt::format("Map Run does not exist: {}", map_run_arn));
}

Status Engine::release(ExecutionId id) {
  internal::Execution* found = impl_->executions.get(id);
  if (found == nullptr) return not_found_error(fmt::format("no execution {}", id));
  if (found->status == ExecutionStatus::kRunning) {
    return failed_precondition_error("the execution is still running");
  }
  impl_->frames.clear_graveyard();  // frames hold texts of the execution's history
  impl_->executions.erase(id);
  return {};
}

Result<ExecutionResult> Engine::take(ExecutionId id) {
  internal::Execution* found = impl_->executions.get(id);
  if (found == nullptr) return not_found_error(fmt::format("no execution {}", id));
  internal::Execution& ex = *found;
  if (ex.status == ExecutionStatus::kRunning) {
    return failed_precondition_error("the execution is still running");
  }
  ExecutionResult r;
  r.status = ex.status;
  if (ex.end.has()) {
    r.output = std::move(ex.end.mut().output);
    r.error = std::move(ex.end.mut().error);
    r.cause = std::move(ex.end.mut().cause);
  }
  impl_->frames.clear_graveyard();  // frames hold texts of the execution's history
  impl_->executions.erase(id);
  return r;
}

}  // namespace stepwise
