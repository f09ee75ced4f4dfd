// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Checkpoints of Standard executions (DESIGN.md section 7; record layout in
// docs/checkpoints.md): what a commit writes. checkpoint_loader.cc rebuilds an execution from
// the records for `resume`/`redrive`.
//
// Design choices:
// - An execution is a set of small records: "exec" (written once: names, input, the context
//   object's fixed parts), "run" (counters and status, every commit), "f:<key>" per frame
//   (state, phase, counters, timers, task token), "d:<key>" per frame (the state's input,
//   effective input and variables: written only when they change), "i:<key>" (a Map's
//   selected items, written once) and "r:<key>" (a finished Parallel branch's or Map
//   iteration's result). A frame's key is "0" for the root and "<parent>.<index>" below, so a
//   commit costs what the step changed: a Map of a million items writes one small record per
//   finished iteration, never its whole state.
// - Records are JSON text. Task dispatches are committed before the executor is called
//   (`dispatch_task` defers the call to `flush_dispatches`), so after a crash the task is
//   dispatched again with the same token and attempt.
// - A failed execution keeps the records of the frames that did not succeed, which is what a
//   redrive restarts; succeeded branches and iterations keep only their results.
#include "interp/checkpoint_writer.h"

#include <fmt/format.h>

#include "interp/engine_impl.h"
#include "util/json_text.h"
#include "util/timestamp.h"

namespace stepwise::internal {

namespace {

json frame_record(const Frame& f) {
  json r = json::object();
  r["s"] = f.state == kNoState ? std::string() : f.graph->states[f.state].name;
  r["p"] = static_cast<int>(f.phase);
  if (f.aborted) r["ab"] = true;
  r["ee"] = f.entered_event_id;
  r["le"] = f.last_event_id;
  r["et"] = format_iso8601_millis(f.entered_at);
  r["rc"] = f.retry_count;
  r["rcs"] = f.retry_counters;
  if (f.retrying) r["rt"] = true;
  if (!f.task->token.empty()) r["tt"] = f.task->token;
  if (f.task->deadline != 0) r["td"] = f.task->deadline;
  if (f.task->heartbeat_nanos != 0) r["hn"] = f.task->heartbeat_nanos;
  if (f.task->heartbeat_deadline != 0) r["hd"] = f.task->heartbeat_deadline;
  if (f.task->heartbeat_expired) r["hx"] = true;
  if (f.timer.wake_at != 0) r["w"] = f.timer.wake_at;
  if (f.task->output) r["to"] = *f.task->output;
  if (f.task->failure) r["tf"] = failure_record(*f.task->failure);
  if (f.kids->total != 0) {
    r["m"] = {{"n", f.kids->total},
              {"next", f.kids->next_item},
              {"max", f.kids->max_concurrency},
              {"failed", f.kids->failed},
              {"tc", f.kids->tolerated_count},
              {"tp", f.kids->tolerated_percentage}};
  }
  if (f.kids->failure) r["cf"] = failure_record(*f.kids->failure);
  if (!f.ckpt->kept_keys.empty()) r["kk"] = f.ckpt->kept_keys;
  if (f.kids->dmap) r["dm"] = distributed_run_state(f);
  return r;
}

json data_record(const Frame& f) {
  json d = json::object();
  if (f.phase == Frame::Phase::kEnter) {
    d["in"] = json_text(f.input);
    d["pending"] = true;  // the input of a state not entered yet
  } else {
    d["in"] = f.ckpt->entry_input;
  }
  if (f.effective_is_input) {
    d["ef"] = f.input;  // restored as a copy in `effective`
  } else if (f.parked) {
    d["ef"] = json::parse(f.parked.view());  // a long Wait's output (state_wait.cc)
  } else if (!f.effective.is_null()) {
    d["ef"] = f.effective;
  }
  // A Wait state keeps its output and assigned variables in effective/child_results.
  if (f.state != kNoState && f.graph->states[f.state].type == StateType::kWait &&
      f.phase == Frame::Phase::kWaiting && !f.wait_assigned.is_null()) {
    d["wa"] = f.wait_assigned;
  }
  // A Distributed Map child's own context object, kept by the child's top frame.
  if (f.child_context && (f.parent == nullptr || f.parent->child_context != f.child_context)) {
    d["cx"] = *f.child_context;
  }
  json vars = json::object();
  if (f.scope) f.scope->for_each([&](const std::string& k, const json& v) { vars[k] = v; });
  d["v"] = std::move(vars);
  return d;
}

// The store's summary row of `ex` as this commit leaves it.
ExecutionSummary summary_of(const Execution& ex) {
  ExecutionSummary sum;
  sum.name = ex.name;
  sum.state_machine_name = ex.options.state_machine_name;
  sum.fingerprint = ex.machine->fingerprint();
  sum.status = std::string(execution_status_name(ex.status));
  sum.start_time = ex.start_time;
  sum.stop_time = ex.status == ExecutionStatus::kRunning ? 0 : ex.stop_time;
  sum.redrive_count = ex.redrive_count;
  if (ex.root && ex.root->state != kNoState) {
    sum.current_state = ex.root->graph->states[ex.root->state].name;
  }
  sum.version = ex.ckpt->store_version + 1;
  return sum;
}

// "exec": written once (and again after a redrive changed the context object).
json exec_record(const Execution& ex, const json& context) {
  json exec = {{"name", ex.name},
               {"smn", ex.options.state_machine_name},
               {"history", ex.options.record_history},
               {"start", ex.start_time},
               {"ctx", json::object()}};
  for (const char* part : {"Execution", "StateMachine"}) {
    if (context.contains(part)) exec["ctx"][part] = context[part];
  }
  return exec;
}

// "run": the execution's counters and status, written by every commit.
json run_record(const Execution& ex) {
  json run = {{"ne", ex.event_count + 1},  {"ec", ex.event_count}, {"rng", ex.random.state()},
              {"nt", ex.next_token},       {"dl", ex.deadline},    {"rd", ex.redrive_count},
              {"mrc", ex.map_run_counter}, {"stop", ex.stop_time}};
  if (ex.status == ExecutionStatus::kSucceeded) run["out"] = ex.end->output;
  if (ex.end->error) run["err"] = *ex.end->error;
  if (ex.end->cause) run["cause"] = *ex.end->cause;
  return run;
}

// Calls the store; an exception from it is an error like any other.
Status store_commit(CheckpointStore& store, const CheckpointBatch& b) {
  try {
    return store.commit(b);
  } catch (const std::exception& e) {
    return internal_error(fmt::format("the checkpoint store threw: {}", e.what()));
  } catch (...) {
    return internal_error("the checkpoint store threw an unknown exception");
  }
}

}  // namespace

json failure_record(const Failure& f) {
  json j = json::object();
  if (f.error) j["e"] = *f.error;
  if (f.cause) j["c"] = *f.cause;
  return j;
}

Failure failure_from_record(const json& j) {
  Failure f;
  if (j.contains("e")) f.error = j["e"].get<std::string>();
  if (j.contains("c")) f.cause = j["c"].get<std::string>();
  return f;
}

void Checkpointer::persist_child_done(Frame& parent, Frame& child) {
  Execution& ex = *parent.execution;
  put_record(ex, "r:" + child.ckpt->key, json_text(parent.kids->results[child.child_index]));
  delete_record(ex, "f:" + child.ckpt->key);
  delete_record(ex, "d:" + child.ckpt->key);
  child.ckpt.mut().persisted_done = true;
  forget_frame(child);
}

void Checkpointer::keep_child_records(Frame& parent, Frame& child) {
  Execution& ex = *parent.execution;
  // Write the child as it ended (it may have moved since the last commit).
  put_record(ex, "f:" + child.ckpt->key, json_text(frame_record(child)));
  put_record(ex, "d:" + child.ckpt->key, json_text(data_record(child)));
  forget_frame(child);
  parent.ckpt.mut().kept_keys.push_back("f:" + child.ckpt->key);
  parent.ckpt.mut().kept_keys.push_back("d:" + child.ckpt->key);
  for (std::string& k : child.ckpt.mut().kept_keys)
    parent.ckpt.mut().kept_keys.push_back(std::move(k));
  child.ckpt.mut().kept_keys.clear();
  touch(parent, 1);
}

void Checkpointer::drop_kept_records(Frame& f) {
  Execution& ex = *f.execution;
  for (std::string& k : f.ckpt.mut().kept_keys) delete_record(ex, std::move(k));
  f.ckpt.mut().kept_keys.clear();
  touch(f, 1);
}

Status Checkpointer::commit(Execution& ex, CheckpointStore& store, const CommitSources& sources) {
  CheckpointBatch b;
  b.summary = summary_of(ex);
  ExecutionCheckpoint& c = ex.ckpt.mut();

  std::unordered_map<std::string, std::optional<std::string>> records;
  records.swap(c.pending_records);
  if (!c.exec_record_written) {
    b.definition = c.definition_text;
    records["exec"] = json_text(exec_record(ex, sources.context(ex)));
  }
  records["run"] = json_text(run_record(ex));
  for (Frame* f : c.dirty_frames) {
    records["f:" + f->ckpt->key] = json_text(frame_record(*f));
    if (f->ckpt->dirty >= 2) records["d:" + f->ckpt->key] = json_text(data_record(*f));
  }
  for (auto& [key, value] : records) {
    if (value) {
      b.puts.push_back({key, std::move(*value)});
    } else {
      b.deletes.push_back(key);
    }
  }
  std::size_t recorded = recorded_events(ex);
  for (std::size_t i = c.committed_events; i < recorded; ++i) {
    b.history.push_back(sources.event_text(ex, i));
  }
  Status st = store_commit(store, b);
  if (!st.ok()) return st;
  c.store_version = b.summary.version;
  c.committed_events = recorded;
  c.exec_record_written = true;
  for (Frame* f : c.dirty_frames) f->ckpt.mut().dirty = 0;
  c.dirty_frames.clear();
  return {};
}

void Checkpointer::discard(Execution& ex) {
  ex.durable = false;  // nothing more is written; the store keeps the last commit
  if (!ex.ckpt.has()) return;
  for (Frame* f : ex.ckpt.mut().dirty_frames) f->ckpt.mut().dirty = 0;
  ex.ckpt.reset();
}

// --- EngineImpl: commits through the checkpointer ---

Status EngineImpl::commit(Execution& ex) {
  Checkpointer::CommitSources sources{
      [this](Execution& e) -> const json& { return ensure_context(e); },
      [this](const Execution& e, std::size_t i) { return json_text(built_event(e, i).to_json()); }};
  return checkpointer.commit(ex, *options.checkpoint_store, sources);
}

void EngineImpl::suspend(Execution& ex, const Status& why) {
  bool was_running = ex.status == ExecutionStatus::kRunning;
  ex.status = ExecutionStatus::kSuspended;
  ex.end.mut().error = "Stepwise.CheckpointFailed";
  ex.end.mut().cause = why.to_string();
  checkpointer.discard(ex);
  if (ex.root && !ex.root->aborted) abort_frame(*ex.root, /*record=*/false);
  if (was_running) executions.count_ended();
}

void EngineImpl::commit_changed() {
  for (ExecutionId id : checkpointer.take_changed()) {
    Execution* found = executions.get(id);
    if (found == nullptr) continue;
    Execution& ex = *found;
    ex.changed = false;
    if (!ex.durable) continue;
    Status st = commit(ex);
    if (!st.ok()) suspend(ex, st);
  }
}

}  // namespace stepwise::internal
