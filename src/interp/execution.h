// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// All per-run mutable state of an execution: the frame tree (the root, one frame per running
// Parallel branch and Map iteration), variables, the context object, history, and tasks in
// flight. Nothing mutable about a run lives anywhere else.
#ifndef STEPWISE_SRC_INTERP_EXECUTION_H_
#define STEPWISE_SRC_INTERP_EXECUTION_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/shared_text.h"
#include "interp/event_record.h"
#include "parse/model.h"
#include "path/json_path.h"
#include "stepwise/engine.h"
#include "util/random.h"

namespace stepwise::internal {

using nlohmann::json;

// Engine time is in nanoseconds.
inline constexpr std::int64_t kNanos = 1000000000;
// Express executions run for at most five minutes (ASL-REFERENCE.md section 16).
inline constexpr std::int64_t kExpressMaxSeconds = 300;

// Variables of one scope, chained to the enclosing scope (Parallel branches and Map iterations
// read outer variables, ASL-REFERENCE.md section 4).
class Scope final : public VariableScope {
 public:
  explicit Scope(const Scope* parent = nullptr) : parent_(parent) {}
  const json* find(std::string_view name) const override {
    for (const Scope* s = this; s != nullptr; s = s->parent_) {
      auto it = s->vars_.find(name);
      if (it != s->vars_.end()) return &it->second;
    }
    return nullptr;
  }
  void set(const std::string& name, json value) { vars_[name] = std::move(value); }
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const auto& [k, v] : vars_) fn(k, v);
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  const Scope* parent_;
  std::unordered_map<std::string, json, Hash, std::equal_to<>> vars_;
};

struct Execution;
struct Inspection;      // interp/inspection.h
struct DistributedRun;  // state_distributed_map.cc
struct Frame;

// A box allocated on first write: a frame that never runs a Parallel or Map carries one
// pointer for their bookkeeping. `->` reads (an empty `T` when there is no box); `mut()`
// writes, allocating the box.
template <typename T>
class LazyBox {
 public:
  const T* operator->() const { return p_ ? p_.get() : &empty(); }
  T& mut() {
    if (!p_) [[unlikely]]
      allocate();
    return *p_;
  }
  bool has() const { return p_ != nullptr; }
  void reset() { p_.reset(); }

 private:
  static const T& empty() {
    static const T e;
    return e;
  }
  // Out of line, so that `mut()` inlines to a test and a load.
  [[gnu::noinline]] void allocate() { p_ = std::make_unique<T>(); }
  std::unique_ptr<T> p_;
};

// A Task in flight (state_task.cc, dispatch in engine.cc).
struct TaskPart {
  std::uint64_t key = 0;       // the dispatch, in the engine's task tables
  std::string token;           // $$.Task.Token; kept for a resume's re-dispatch
  std::optional<json> output;  // the completion, once it arrived
  std::optional<Failure> failure;
  std::int64_t deadline = 0;         // TimeoutSeconds, 0 when none
  std::int64_t heartbeat_nanos = 0;  // HeartbeatSeconds, 0 when none
  std::int64_t heartbeat_deadline = 0;
  // The heartbeat gap expired (States.HeartbeatTimeout); cleared with the task's failure.
  bool heartbeat_expired = false;
  // Durable: recorded as dispatched, the executor not called yet (the commit comes first).
  bool dispatch_pending = false;
};

// The frame's timer: a Wait, a retry backoff, or a task's timeout (engine.cc's timer heap).
struct TimerPart {
  std::int64_t wake_at = 0;
  std::uint64_t generation = 0;  // bumped to disarm the entries already in the heap
};

// A Parallel's branches or a Map's iterations (state_parallel.cc, state_map.cc,
// state_distributed_map.cc).
struct ChildSet {
  std::vector<std::unique_ptr<Frame>> frames;  // by index; null once freed
  json results;                                // array, one slot per branch or item
  std::size_t pending = 0;                     // not yet ended
  std::size_t total = 0;                       // branches or items of the running Parallel/Map
  std::size_t next_item = 0;                   // Map: next item to start
  std::size_t max_concurrency = 0;
  std::size_t running = 0;
  std::vector<json> items;  // Map: the selected child inputs not yet started
  // Map: more items may start when this frame next runs (see start_map_items).
  bool starting_items = false;
  std::optional<Failure> failure;  // the failure that ends them
  std::size_t failed = 0;
  std::int64_t tolerated_count = -1;
  double tolerated_percentage = -1;
  // A running Distributed Map's Map Run (state_distributed_map.cc); null otherwise.
  std::shared_ptr<DistributedRun> dmap;
  // Resume only: the checkpointed state of this frame's Map Run, consumed by
  // start_distributed_map.
  struct DistributedResume {
    json state;                        // distributed_run_state() as committed
    std::map<std::size_t, json> done;  // finished children's delivered results, by index
  };
  std::unique_ptr<DistributedResume> dmap_resume;
};

// What a durable frame's checkpoint needs (checkpoint_writer.h); empty otherwise.
struct CheckpointPart {
  // Record key: "0" for the root, "<parent key>.<child index>" below.
  std::string key;
  // 0: unchanged since the last commit; 1: the frame record changed; 2: also the data record
  // (input, effective input, variables).
  std::uint8_t dirty = 0;
  // This finished child's result record is written; its frame records are deleted.
  bool persisted_done = false;
  // The state's input as entered, serialized (what a redrive re-enters with).
  std::string entry_input;
  // Records of this frame's failed children kept for a redrive; deleted once the state exits
  // or retries.
  std::vector<std::string> kept_keys;
};

// One running `States` graph: the root, a Parallel branch or a Map iteration. The fields of
// one concern are grouped; a part a frame rarely needs (its children) is boxed.
struct Frame {
  enum class Phase : std::uint8_t {
    kEnter,         // about to enter `state`
    kTaskRunning,   // waiting for a task completion
    kTaskDone,      // completion arrived; finish the Task state
    kWaiting,       // Wait state or retry backoff timer
    kTimerDone,     // the timer fired
    kChildren,      // Parallel/Map children running
    kChildrenDone,  // all children ended (or one failed)
    kFinished,
  };

  // --- Where the frame is ---
  Execution* execution = nullptr;
  Frame* parent = nullptr;
  const Graph* graph = nullptr;
  StateId state = kNoState;
  Phase phase = Phase::kEnter;
  bool aborted = false;
  bool queued = false;  // in the run queue
  // The frame's last retry decision was to retry: the timer is a backoff, not a Wait.
  bool retrying = false;
  // A Task without InputPath and Parameters (Arguments) works on `input` itself, which stays
  // unchanged until the state completes; `effective` is then left empty instead of holding a
  // copy. Read the effective input of a Task through `task_input()`.
  bool effective_is_input = false;
  std::uint64_t serial = 0;     // the run queue's and timers' name for it
  std::size_t child_index = 0;  // index of this frame among its parent's children

  // --- The current state's data ---
  json input;  // raw input of the current state
  // `input` serialized for the previous state's StateExited event, reused by the next
  // StateEntered event; null when none.
  SharedText input_text;
  // The current state's input as recorded in its StateEntered event (history only).
  SharedText entered_text;
  // The text of the output exit_state is about to record, when already serialized (a Task
  // result passed through unchanged); null when none.
  SharedText output_text;
  // Effective input (Task/Parallel/Map), kept for retries; a waiting Wait's output.
  json effective;
  const json& task_input() const { return effective_is_input ? input : effective; }
  // The frame's own variables, allocated on the first assignment (`own_scope`); until then
  // the frame sees its enclosing frame's (`outer_scope`). Read them through `vars()`.
  std::unique_ptr<Scope> scope;
  const Scope* outer_scope = nullptr;  // the parent frame's `vars()`; null at the root
  const Scope* vars() const { return scope ? scope.get() : outer_scope; }
  Scope& own_scope() {
    if (!scope) scope = std::make_unique<Scope>(outer_scope);
    return *scope;
  }
  // A waiting Wait's assignments, applied when its timer fires.
  json wait_assigned;
  // A long Wait's output as text while it waits (`effective` is then null): a small
  // document costs several times its text as a tree, and thousands of executions may wait.
  SharedText parked;

  // --- The current state's visit ---
  std::int64_t entered_event_id = 0;
  std::int64_t last_event_id = 0;
  std::int64_t entered_at = 0;   // engine time (ns) of the state's entry: $$.State.EnteredTime
  std::int64_t retry_count = 0;  // $$.State.RetryCount
  std::vector<std::int64_t> retry_counters;

  LazyBox<TaskPart> task;  // a Task state's dispatch; dropped when the state exits
  TimerPart timer;
  LazyBox<ChildSet> kids;

  // --- A Distributed Map's child execution ---
  // Its own context object ($$.Execution, $$.StateMachine, $$.State...), shared by the frames
  // of that child; null elsewhere (the execution's).
  std::shared_ptr<json> child_context;
  // This frame belongs to a child execution of Map Run `child_run` (index into
  // `Execution::map_runs`, -1: not a child execution): its events go to that child's own
  // history, `MapRunDescription::children[child_log]` (SIZE_MAX: not kept).
  std::int64_t child_run = -1;
  std::size_t child_log = 0;

  LazyBox<CheckpointPart> ckpt;  // durable executions only
};

// What a durable execution's checkpoints need between commits (checkpoint_writer.h).
struct ExecutionCheckpoint {
  std::uint64_t store_version = 0;   // of the last commit
  std::size_t committed_events = 0;  // events already in the store
  bool exec_record_written = false;
  std::unordered_set<Frame*> dirty_frames;
  // Record puts (value) and deletes (nullopt) queued for the next commit; last write wins.
  std::unordered_map<std::string, std::optional<std::string>> pending_records;
  std::string definition_text;  // for the first commit
};

// The StartOptions an execution keeps (its name is `Execution::name`).
struct ExecutionOptions {
  std::string state_machine_name;
  bool express = false;
  bool synchronous = false;
  bool record_history = true;
};

// How an execution ended: its output (SUCCEEDED), or its error and cause.
struct ExecutionEnd {
  json output;
  std::optional<std::string> error, cause;
};

// An execution's context object and pointers to the members every state rewrites
// (EngineImpl::context_for updates them in place: std::map nodes are stable).
struct ContextCache {
  json object;
  json* state = nullptr;  // object["State"]
  json* name = nullptr;   // its members; null until first set
  json* entered = nullptr;
  json* retry = nullptr;  // null while absent
  // The entry time `*entered` holds, formatted (kNotFormatted: none yet).
  static constexpr std::int64_t kNotFormatted = INT64_MIN;
  std::int64_t entered_at = kNotFormatted;
};

struct Execution {
  ExecutionId id = 0;
  std::string name;
  std::shared_ptr<const StateMachine> machine;
  const MachineModel* model = nullptr;
  ExecutionOptions options;
  ExecutionStatus status = ExecutionStatus::kRunning;
  LazyBox<ExecutionEnd> end;  // set when the execution ends
  // Events so far (the last event's id), counted also when no history is recorded: a
  // Standard execution ends at the history limit either way.
  std::int64_t event_count = 0;
  // The recorded history (history_recorder.h), allocated on the first recorded event. Its
  // arena owns the texts `input_text` and the frames hold: keep it declared before them (it
  // must be destroyed after them).
  std::unique_ptr<ExecutionHistory> history;
  // The context object (`$$`), built on first use (EngineImpl::ensure_context): most
  // executions never read it. Null until then.
  std::unique_ptr<ContextCache> context;
  // Express: the execution ARN (it ends in a random UUID). Standard: empty, derived by
  // EngineImpl::execution_arn (or as loaded from a checkpoint).
  std::string arn;
  SharedText input_text;  // the execution input as text, for `$$.Execution.Input`
  Random random;
  std::int64_t start_time = 0;
  std::int64_t deadline = 0;  // machine TimeoutSeconds, 0 = none
  std::unique_ptr<Frame> root;
  std::uint64_t next_token = 1;
  std::int64_t redrive_count = 0;
  std::int64_t stop_time = 0;

  // --- Checkpoints (checkpoint_writer.h) ---
  bool durable = false;               // Standard with a checkpoint store
  bool changed = false;               // something to commit
  LazyBox<ExecutionCheckpoint> ckpt;  // allocated by the first checkpoint write
  Inspection* inspection = nullptr;   // TestState only (interp/inspection.h); null otherwise
  // Map Runs of this execution's Distributed Maps, in start order.
  std::vector<MapRunDescription> map_runs;
  std::uint64_t map_run_counter = 0;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_EXECUTION_H_
