// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `Engine::Impl`: the interpreter's private state and the functions shared by the run loop
// (engine.cc), the state pipelines (states.h, state_*.cc) and the query-language strategies
// (dataflow.h). Its parts own their fields: the execution table, the run and timer queues, the
// history recorder and the checkpointer.
#ifndef STEPWISE_SRC_INTERP_ENGINE_IMPL_H_
#define STEPWISE_SRC_INTERP_ENGINE_IMPL_H_

#include <deque>
#include <memory>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "expr/jsonata_value.h"
#include "interp/checkpoint_writer.h"
#include "interp/completion.h"
#include "interp/execution.h"
#include "interp/execution_table.h"
#include "interp/history_recorder.h"
#include "interp/run_queue.h"
#include "intrinsics/intrinsics.h"
#include "stepwise/engine.h"

namespace stepwise {
namespace internal {

class EngineImpl {
 public:
  explicit EngineImpl(EngineOptions opts);
  ~EngineImpl();

  EngineOptions options;
  std::shared_ptr<Inbox> inbox;
  ExecutionTable executions;
  RunQueue frames;
  TimerQueue timers;
  std::unordered_map<std::uint64_t, std::shared_ptr<CompletionSlot>> pending_tasks;
  std::unordered_map<std::uint64_t, Frame*> task_frames;
  // A slot no one else references, reused by the next task (most tasks complete inside the
  // executor's `start`, and the slot, its token string and its mutex can serve the next one).
  std::shared_ptr<CompletionSlot> spare_slot;
  std::uint64_t next_task_key = 1;
  std::size_t transitions = 0;
  std::int64_t now = 0;
  HistoryRecorder history{options, now};
  // Durable executions: tasks recorded as dispatched, to start once the commit is done.
  std::vector<std::pair<ExecutionId, std::uint64_t>> pending_dispatch;
  // Checkpoints of durable executions: what changed since the last commit, and the records.
  Checkpointer checkpointer;

  // engine.cc
  Result<ExecutionId> start(std::shared_ptr<const StateMachine> machine, nlohmann::json input,
                            StartOptions options);
  StepReport step(const StepBudget& budget);
  bool wait_for_progress(const StepReport& report);
  // Under a virtual clock: tasks in flight whose executors run them in real time
  // (TaskCompletion::mark_real_time), by key; ended ones are dropped lazily.
  std::vector<std::uint64_t> real_time_tasks;
  std::shared_ptr<Clock> real_clock;  // a SystemClock when `options.clock` is virtual
  bool real_time_in_flight();
  // Lets the virtual clock follow the wall clock until `deadline` (virtual time) is reached or
  // a completion or heartbeat arrives, whichever is first.
  void wait_in_real_time(std::optional<std::int64_t> deadline);
  // Steps until `ex` ends, waiting on the clock when everything is blocked; kInternal when
  // nothing can make progress.
  Status run_to_end(Execution& ex);
  // History (history_recorder.h).
  std::int64_t emit(Execution& ex, Frame* frame, EventKind kind, nlohmann::json details,
                    std::int64_t previous = -1) {
    return history.emit(ex, frame, kind, std::move(details), previous);
  }
  [[gnu::always_inline]] std::int64_t record(Execution& ex, Frame* frame, EventKind kind,
                                             RecordShape shape, const State* state,
                                             SharedText&& text, std::uint64_t n = 0,
                                             std::int64_t previous = -1) {
    return history.record(ex, frame, kind, shape, state, std::move(text), n, previous);
  }
  const History& read_history(Execution& ex) { return history.read(ex); }
  bool recording(const Execution& ex) const { return history.recording(ex); }
  HistoryEvent built_event(const Execution& ex, std::size_t i) const {
    return history.built_event(ex, i);
  }
  const std::string& format_now() { return history.format_now(); }
  void schedule(Frame* f);
  void set_timer(Frame* f, std::int64_t at);
  std::string cause_prefix(const Frame& f) const;
  bool task_input_is_dead(const Frame& f, const State& s) const;
  // The frame's context object (`$$`) with its State part set for the frame's state.
  const nlohmann::json& context_for(Frame& f);
  // The execution's context object, built on first use.
  nlohmann::json& ensure_context(Execution& ex);
  // The execution ARN (`$$.Execution.Id`), and its state machine's.
  std::string execution_arn(const Execution& ex);
  std::string state_machine_arn(const Execution& ex);
  // "arn:<partition>:states:<region>:<account>:", formatted once per engine.
  const std::string& arn_prefix();
  // The frame's context object, to add or remove `Task`/`Map` parts around an evaluation.
  nlohmann::json& context_object(Frame& f) {
    return f.child_context ? *f.child_context : ensure_context(*f.execution);
  }
  std::string arn_prefix_;  // see arn_prefix()
  void enter_state(Frame& f);
  void exit_state(Frame& f, nlohmann::json output, StateId next, const nlohmann::json* assigned);
  void finish_frame(Frame& f, std::optional<nlohmann::json> result, std::optional<Failure> failure);
  void finish_execution(Execution& ex, ExecutionStatus status, nlohmann::json output,
                        std::optional<std::string> error, std::optional<std::string> cause);
  // Stops a frame and its children; `record` adds AWS's *StateAborted/MapIterationAborted
  // events (a sibling failed), which an ending execution does not.
  void abort_frame(Frame& f, bool record);
  void arm_task_timer(Frame* f);
  void cancel_task(Frame& f);
  void dispatch_task(Frame& f, const State& s, const nlohmann::json& input);
  // Writes a new task token into `out`.
  void new_task_token(Execution& ex, std::string& out);
  void drain_inbox();
  void fire_timers();
  void advance(Frame& f, std::size_t budget_end, std::int64_t deadline);
  // A frame for `graph`, child `index` of `parent` (null for the root).
  std::unique_ptr<Frame> new_frame(Execution& ex, Frame* parent, const Graph* graph,
                                   nlohmann::json input, std::size_t index);
  // Removes the frame's task from the token registry and the activity queue.
  void unregister_task(Frame& f);
  void release_children(Frame& f);

  // Checkpoints (checkpoint_writer.cc, checkpoint_loader.cc): forwarders to `checkpointer`.
  // Marks `f` changed (level 1: frame record, 2: also its data record) for the next commit.
  void touch(Frame& f, std::uint8_t level) { checkpointer.touch(f, level); }
  void mark_changed(Execution& ex) { checkpointer.mark_changed(ex); }
  void put_record(Execution& ex, std::string key, std::string value) {
    checkpointer.put_record(ex, std::move(key), std::move(value));
  }
  void delete_record(Execution& ex, std::string key) {
    checkpointer.delete_record(ex, std::move(key));
  }
  // A frame is about to be destroyed: it leaves the dirty set.
  void forget_frame(Frame& f) { checkpointer.forget_frame(f); }
  // A child ended for good (success, or a tolerated Map failure): its result record replaces
  // its frame records.
  void persist_child_done(Frame& parent, Frame& child) {
    checkpointer.persist_child_done(parent, child);
  }
  // Records of a child that did not succeed are kept (for a redrive) until the parent's state
  // exits or retries.
  void keep_child_records(Frame& parent, Frame& child) {
    checkpointer.keep_child_records(parent, child);
  }
  void drop_kept_records(Frame& f) { checkpointer.drop_kept_records(f); }
  // Commits every changed execution; executions whose commit fails are suspended.
  void commit_changed();
  Status commit(Execution& ex);
  void suspend(Execution& ex, const Status& why);
  // Starts the executors of tasks recorded as dispatched.
  void flush_dispatches();
  void call_executor(Frame& f);
  // Completion slots for call_executor: a fresh one, or one a finished task left unshared.
  std::shared_ptr<CompletionSlot> take_slot();
  void recycle_slot(std::shared_ptr<CompletionSlot> slot);
  Result<ExecutionId> load_execution(std::string_view name,
                                     std::shared_ptr<const StateMachine> machine, bool redrive);
  // A task recorded as dispatched before a crash: dispatched again after the next commit
  // (defined in checkpoint_loader.cc for now; it belongs with the task dispatch bookkeeping).
  void redispatch_task(Frame& f);

  // state_fields.cc: shared by the state pipelines (states.h).
  // Fails the frame without Retry/Catch; States.Runtime causes get the state prefix.
  void fail_terminal(Frame& f, const Failure& failure);
  // `$$.Task.Token` around the evaluation of a callback Task's Parameters or Arguments:
  // `begin_task_token` creates the token and adds it to the context object (kNone: the state
  // has none); `end_task_token` removes it, and drops the context object again when it was
  // built only for the token (a waiting callback task would otherwise hold it).
  enum class TokenScope : std::uint8_t { kNone, kAdded, kAddedToNewContext };
  TokenScope begin_task_token(Frame& f, const State& s);
  void end_task_token(Frame& f, TokenScope scope);
  // A string field (a Fail state's Error and Cause): a literal, a path, an intrinsic or a
  // JSONata expression; false after failing the state.
  bool read_string_field(Frame& f, const DynamicField& d, std::optional<std::string>& out);
  // A child failed for good: the other children are aborted and the parent's state fails.
  void abort_children_after_failure(Frame& parent, Frame& failed, Failure failure);
  // A Map iteration ended: its frame is destroyed after this step's advance.
  void bury_child(Frame& parent, std::size_t index);
  // A transition that is not a state entry (a retry).
  void count_transition() { ++transitions; }
  JsonataEnv jsonata_env(Frame& f, const nlohmann::json* result,
                         const nlohmann::json* error_output);
  // Records EvaluationFailed and adds the state prefix to the cause.
  Failure evaluation_failed(Frame& f, Failure failure, std::string_view location);
  // A QueryEvaluationError: through Retry/Catch on Task/Map/Parallel, else the frame fails.
  void query_failed(Frame& f, Failure failure, std::string_view location);
  // A JSONata-capable numeric field (TimeoutSeconds, MaxConcurrency, ...): its literal, or
  // its expression's value, which must be a number (whole when `integer`) of at least `min`.
  std::optional<double> jsonata_number(Frame& f, const DynamicField& d, bool integer, double min);

  // state_distributed_map.cc
  // `items`: the Map's input array, or null to read the ItemReader.
  void start_distributed_map(Frame& f, const nlohmann::json* items);
  bool dmap_next_item(Frame& f, nlohmann::json& out);
  bool dmap_next_input(Frame& f, nlohmann::json& out);
  void dmap_fill(Frame& f);
  void dmap_fail_run(Frame& f, Failure failure);
  void dmap_child_finished(Frame& parent, Frame& child, std::optional<nlohmann::json> result,
                           std::optional<Failure> failure);
  void dmap_children_done(Frame& f);
  void restart_distributed_map(Frame& f);
  // Resume: continues the frame's Map Run from its checkpoint (the reader position, finished
  // children's results, running children loaded as frames) without re-running finished items.
  void resume_distributed_map(Frame& f, nlohmann::json state,
                              std::map<std::size_t, nlohmann::json> done,
                              std::vector<std::unique_ptr<Frame>> loaded);
};

// `$$` for one frame's evaluations, built only if a path reads it (EngineImpl::context_for).
class FrameContext final : public ContextSource {
 public:
  FrameContext(EngineImpl& engine, Frame& frame) : engine_(engine), frame_(frame) {}
  const nlohmann::json& context() const override { return engine_.context_for(frame_); }

 private:
  EngineImpl& engine_;
  Frame& frame_;
};

// The checkpointed state of a frame's running Map Run (state_distributed_map.cc).
nlohmann::json distributed_run_state(const Frame& f);

// "null", "boolean", "string", "object", "array" or "number", as AWS names JSON types.
std::string json_type_name_of(const nlohmann::json& v);

}  // namespace internal

struct Engine::Impl : internal::EngineImpl {
  using EngineImpl::EngineImpl;
};

}  // namespace stepwise

#endif  // STEPWISE_SRC_INTERP_ENGINE_IMPL_H_
