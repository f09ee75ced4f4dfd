// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Checkpoints of Standard executions (DESIGN.md section 7; record layout in
// docs/checkpoints.md): what a commit writes, and how `resume`/`redrive` rebuild an execution
// from the records.
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
#include <algorithm>

#include <fmt/format.h>

#include "interp/engine_impl.h"
#include "stepwise/parser.h"
#include "util/json_limits.h"
#include "util/json_text.h"
#include "util/timestamp.h"

namespace stepwise::internal {

namespace {

ExecutionStatus status_from_name(std::string_view s) {
  if (s == "SUCCEEDED") return ExecutionStatus::kSucceeded;
  if (s == "FAILED") return ExecutionStatus::kFailed;
  if (s == "TIMED_OUT") return ExecutionStatus::kTimedOut;
  if (s == "ABORTED") return ExecutionStatus::kAborted;
  return ExecutionStatus::kRunning;
}

std::string parent_key(const std::string& key) {
  auto dot = key.rfind('.');
  return dot == std::string::npos ? std::string() : key.substr(0, dot);
}

std::size_t last_index(const std::string& key) {
  auto dot = key.rfind('.');
  return static_cast<std::size_t>(std::stoull(key.substr(dot + 1)));
}

std::size_t depth(const std::string& key) {
  return static_cast<std::size_t>(std::count(key.begin(), key.end(), '.'));
}

bool is_container(const State& s) {
  return s.type == StateType::kMap || s.type == StateType::kParallel;
}

json frame_record(const Frame& f) {
  json r = json::object();
  r["s"] = f.state == kNoState ? std::string() : f.graph->states[f.state].name;
  r["p"] = static_cast<int>(f.phase);
  if (f.aborted) r["ab"] = true;
  r["ee"] = f.entered_event_id;
  r["le"] = f.last_event_id;
  r["et"] = f.entered_time;
  r["rc"] = f.retry_count;
  r["rcs"] = f.retry_counters;
  if (f.retrying) r["rt"] = true;
  if (!f.task_token.empty()) r["tt"] = f.task_token;
  if (f.task_deadline != 0) r["td"] = f.task_deadline;
  if (f.heartbeat_nanos != 0) r["hn"] = f.heartbeat_nanos;
  if (f.heartbeat_deadline != 0) r["hd"] = f.heartbeat_deadline;
  if (f.heartbeat_expired) r["hx"] = true;
  if (f.wake_at != 0) r["w"] = f.wake_at;
  if (f.task_output) r["to"] = *f.task_output;
  if (f.task_failure) r["tf"] = failure_record(*f.task_failure);
  if (f.child_total != 0) {
    r["m"] = {{"n", f.child_total},
              {"next", f.next_item},
              {"max", f.max_concurrency},
              {"failed", f.failed_children},
              {"tc", f.tolerated_count},
              {"tp", f.tolerated_percentage}};
  }
  if (f.child_failure) r["cf"] = failure_record(*f.child_failure);
  if (!f.kept_keys.empty()) r["kk"] = f.kept_keys;
  if (f.dmap) r["dm"] = distributed_run_state(f);
  return r;
}

json data_record(const Frame& f) {
  json d = json::object();
  if (f.phase == Frame::Phase::kEnter) {
    d["in"] = json_text(f.input);
    d["pending"] = true;  // the input of a state not entered yet
  } else {
    d["in"] = f.entry_input;
  }
  if (f.effective_is_input) {
    d["ef"] = f.input;  // restored as a copy in `effective`
  } else if (!f.effective.is_null()) {
    d["ef"] = f.effective;
  }
  // A Wait state keeps its output and assigned variables in effective/child_results.
  if (f.state != kNoState && f.graph->states[f.state].type == StateType::kWait &&
      f.phase == Frame::Phase::kWaiting && !f.child_results.is_null()) {
    d["wa"] = f.child_results;
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

std::string_view EngineImpl::intern(const std::string& name) {
  return *interned.insert(name).first;
}

void EngineImpl::persist_child_done(Frame& parent, Frame& child) {
  Execution& ex = *parent.execution;
  put_record(ex, "r:" + child.key, json_text(parent.child_results[child.child_index]));
  delete_record(ex, "f:" + child.key);
  delete_record(ex, "d:" + child.key);
  child.persisted_done = true;
  forget_frame(child);
}

void EngineImpl::keep_child_records(Frame& parent, Frame& child) {
  Execution& ex = *parent.execution;
  // Write the child as it ended (it may have moved since the last commit).
  put_record(ex, "f:" + child.key, json_text(frame_record(child)));
  put_record(ex, "d:" + child.key, json_text(data_record(child)));
  forget_frame(child);
  parent.kept_keys.push_back("f:" + child.key);
  parent.kept_keys.push_back("d:" + child.key);
  for (std::string& k : child.kept_keys) parent.kept_keys.push_back(std::move(k));
  child.kept_keys.clear();
  touch(parent, 1);
}

void EngineImpl::drop_kept_records(Frame& f) {
  Execution& ex = *f.execution;
  for (std::string& k : f.kept_keys) delete_record(ex, std::move(k));
  f.kept_keys.clear();
  touch(f, 1);
}

Status EngineImpl::commit(Execution& ex) {
  CheckpointBatch b;
  ExecutionSummary& sum = b.summary;
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
  sum.version = ex.store_version + 1;

  std::unordered_map<std::string, std::optional<std::string>> records;
  records.swap(ex.pending_records);
  if (!ex.exec_record_written) {
    b.definition = ex.definition_text;
    json exec = {{"name", ex.name},
                 {"smn", ex.options.state_machine_name},
                 {"history", ex.options.record_history},
                 {"start", ex.start_time},
                 {"ctx", json::object()}};
    json& context = ensure_context(ex);
    for (const char* part : {"Execution", "StateMachine"}) {
      if (context.contains(part)) exec["ctx"][part] = context[part];
    }
    records["exec"] = json_text(exec);
  }
  json run = {{"ne", ex.next_event_id},
              {"ec", ex.event_count},
              {"rng", ex.random.state()},
              {"nt", ex.next_token},
              {"dl", ex.deadline},
              {"rd", ex.redrive_count},
              {"mrc", ex.map_run_counter},
              {"stop", ex.stop_time}};
  if (ex.status == ExecutionStatus::kSucceeded) run["out"] = ex.output;
  if (ex.error) run["err"] = *ex.error;
  if (ex.cause) run["cause"] = *ex.cause;
  records["run"] = json_text(run);
  for (Frame* f : ex.dirty_frames) {
    records["f:" + f->key] = json_text(frame_record(*f));
    if (f->dirty >= 2) records["d:" + f->key] = json_text(data_record(*f));
  }
  for (auto& [key, value] : records) {
    if (value) {
      b.puts.push_back({key, std::move(*value)});
    } else {
      b.deletes.push_back(key);
    }
  }
  for (std::size_t i = ex.committed_events; i < ex.events.size(); ++i) {
    b.history.push_back(json_text(built_event(ex, i).to_json()));
  }
  Status st;
  try {
    st = options.checkpoint_store->commit(b);
  } catch (const std::exception& e) {
    st = internal_error(fmt::format("the checkpoint store threw: {}", e.what()));
  } catch (...) {
    st = internal_error("the checkpoint store threw an unknown exception");
  }
  if (!st.ok()) return st;
  ex.store_version = sum.version;
  ex.committed_events = ex.events.size();
  ex.exec_record_written = true;
  for (Frame* f : ex.dirty_frames) f->dirty = 0;
  ex.dirty_frames.clear();
  return {};
}

void EngineImpl::suspend(Execution& ex, const Status& why) {
  bool was_running = ex.status == ExecutionStatus::kRunning;
  ex.status = ExecutionStatus::kSuspended;
  ex.error = "Stepwise.CheckpointFailed";
  ex.cause = why.to_string();
  ex.durable = false;  // nothing more is written; the store keeps the last commit
  for (Frame* f : ex.dirty_frames) f->dirty = 0;
  ex.dirty_frames.clear();
  ex.pending_records.clear();
  if (ex.root && !ex.root->aborted) abort_frame(*ex.root, /*record=*/false);
  if (was_running) --running_count;
}

void EngineImpl::commit_changed() {
  std::vector<ExecutionId> ids;
  ids.swap(changed_executions);
  for (ExecutionId id : ids) {
    auto it = executions.find(id);
    if (it == executions.end()) continue;
    Execution& ex = *it->second;
    ex.changed = false;
    if (!ex.durable) continue;
    Status st = commit(ex);
    if (!st.ok()) suspend(ex, st);
  }
}

Result<ExecutionId> EngineImpl::load_execution(std::string_view name,
                                               std::shared_ptr<const StateMachine> machine,
                                               bool redrive) {
  if (!options.checkpoint_store) {
    return failed_precondition_error("the engine has no checkpoint store");
  }
  if (find_execution(name, /*running_only=*/true) != nullptr) {
    return failed_precondition_error(
        fmt::format("execution '{}' is running in this engine", name));
  }
  // Finished copies held by this engine are replaced by the one loaded below.
  while (Execution* old = find_execution(name, /*running_only=*/false)) {
    erase_execution(old->id);
  }
  Result<StoredExecution> loaded = options.checkpoint_store->load(name);
  if (!loaded.ok()) return loaded.status();
  StoredExecution& st = loaded.value();
  if (st.summary.format_version != kCheckpointFormatVersion) {
    return failed_precondition_error(fmt::format(
        "execution '{}' was checkpointed with format version {}; this engine reads version {}",
        name, st.summary.format_version, kCheckpointFormatVersion));
  }
  if (!machine) {
    ParseResult parsed = parse_state_machine(st.definition);
    if (!parsed.ok()) {
      return data_loss_error(
          fmt::format("the stored definition of execution '{}' does not load", name));
    }
    machine = parsed.machine();
  }
  if (machine->fingerprint() != st.summary.fingerprint) {
    return failed_precondition_error(fmt::format(
        "execution '{}' was started with another definition (fingerprint {}, this one {})", name,
        st.summary.fingerprint, machine->fingerprint()));
  }
  ExecutionStatus stored_status = status_from_name(st.summary.status);
  if (redrive) {
    if (stored_status == ExecutionStatus::kSucceeded) {
      return failed_precondition_error(
          fmt::format("Execution is SUCCEEDED and cannot be redriven: {}", name));
    }
    if (stored_status == ExecutionStatus::kRunning) {
      return failed_precondition_error(
          fmt::format("Execution is RUNNING and cannot be redriven: {}", name));
    }
  }

  std::unordered_map<std::string, json> recs;
  try {
    for (CheckpointRecord& r : st.records) {
      // Results and items stay text until needed.
      recs.emplace(r.key, parse_json_checked(r.value, record_depth_limit(options.max_payload_depth)));
    }
  } catch (const std::exception& e) {
    return data_loss_error(fmt::format("a record of execution '{}' is not JSON: {}", name, e.what()));
  }
  auto need = [&](const char* key) -> const json* {
    auto it = recs.find(key);
    return it == recs.end() ? nullptr : &it->second;
  };
  const json* exec_rec = need("exec");
  const json* run_rec = need("run");
  if (exec_rec == nullptr || run_rec == nullptr) {
    return data_loss_error(fmt::format("the checkpoint of execution '{}' is incomplete", name));
  }

  auto ex = std::make_unique<Execution>();
  Execution& e = *ex;
  try {
    e.id = next_execution_id++;
    e.name = std::string(name);
    e.model = &machine->model();
    e.machine = machine;
    e.definition_text = st.definition;
    e.options.name = e.name;
    e.options.state_machine_name = (*exec_rec)["smn"].get<std::string>();
    e.options.record_history = (*exec_rec)["history"].get<bool>();
    e.status = stored_status;
    e.start_time = (*exec_rec)["start"].get<std::int64_t>();
    e.context = (*exec_rec)["ctx"];
    e.context["State"] = {{"EnteredTime", ""}, {"Name", ""}};
    e.context_built = true;
    e.arn = e.context["Execution"].value("Id", std::string());
    e.next_event_id = (*run_rec)["ne"].get<std::int64_t>();
    e.event_count = (*run_rec)["ec"].get<std::int64_t>();
    e.random = Random((*run_rec)["rng"].get<std::uint64_t>());
    e.next_token = (*run_rec)["nt"].get<std::uint64_t>();
    e.deadline = (*run_rec)["dl"].get<std::int64_t>();
    e.redrive_count = (*run_rec)["rd"].get<std::int64_t>();
    e.stop_time = (*run_rec)["stop"].get<std::int64_t>();
    e.map_run_counter = run_rec->value("mrc", std::uint64_t{0});
    if (run_rec->contains("out")) e.output = (*run_rec)["out"];
    if (run_rec->contains("err")) e.error = (*run_rec)["err"].get<std::string>();
    if (run_rec->contains("cause")) e.cause = (*run_rec)["cause"].get<std::string>();
    for (const std::string& text : st.history) {
      json j = parse_json_checked(text, record_depth_limit(options.max_payload_depth));
      if (j["id"].get<std::int64_t>() != static_cast<std::int64_t>(e.events.size()) + 1) {
        throw std::runtime_error("history event ids are not consecutive");
      }
      EventRecord& r = e.events.emplace_back();
      r.previous = j["previousEventId"].get<std::int64_t>();
      r.timestamp = parse_rfc3339(j["timestamp"].get<std::string>()).value_or(0);
      std::string_view type = intern(j["type"].get<std::string>());
      r.type = type.data();
      r.type_size = static_cast<std::uint16_t>(type.size());
      r.details_key = "";
      r.n = static_cast<std::int64_t>(e.event_details.size());
      json& details = e.event_details.emplace_back();
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() != "id" && it.key() != "previousEventId" && it.key() != "timestamp" &&
            it.key() != "type") {
          std::string_view key = intern(it.key());
          r.details_key = key.data();
          r.details_key_size = static_cast<std::uint16_t>(key.size());
          details = it.value();
        }
      }
    }
  } catch (const std::exception& err) {
    return data_loss_error(
        fmt::format("the checkpoint of execution '{}' is unreadable: {}", name, err.what()));
  }
  e.durable = true;
  e.store_version = st.summary.version;
  e.committed_events = e.events.size();
  e.exec_record_written = true;
  e.ctx_state = &e.context["State"];

  if (e.status != ExecutionStatus::kRunning && !redrive) {
    return add_execution(std::move(ex)).id;
  }

  // Frames, parents before children.
  std::vector<std::string> keys;
  for (const auto& [k, v] : recs) {
    if (k.rfind("f:", 0) == 0) keys.push_back(k.substr(2));
  }
  std::sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
    if (depth(a) != depth(b)) return depth(a) < depth(b);
    return a < b;
  });
  std::unordered_map<std::string, Frame*> by_key;
  std::vector<Frame*> frames;
  std::unordered_map<Frame*, json> map_runs;  // "dm" state of running Distributed Maps
  now = options.clock->now();
  try {
    for (const std::string& key : keys) {
      const json& fr = recs.at("f:" + key);
      auto d_it = recs.find("d:" + key);
      if (d_it == recs.end()) {
        return data_loss_error(fmt::format("frame '{}' of execution '{}' has no data record", key, name));
      }
      const json& dr = d_it->second;
      Frame* parent = nullptr;
      const Graph* graph = &e.model->root;
      std::size_t index = 0;
      if (key != "0") {
        auto p = by_key.find(parent_key(key));
        if (p == by_key.end()) continue;  // an orphan of a finished state: ignore
        parent = p->second;
        index = last_index(key);
        const State& ps = parent->graph->states[parent->state];
        if (ps.type == StateType::kParallel) {
          if (index >= ps.branches.size()) throw std::runtime_error("branch index out of range");
          graph = ps.branches[index].get();
        } else if (ps.type == StateType::kMap && ps.processor) {
          graph = ps.processor.get();
        } else {
          continue;  // stale child of a state that is no longer a Map/Parallel
        }
      }
      auto frame = new_frame(e, parent, graph, json(), index);
      Frame& f = *frame;
      if (parent != nullptr && parent->graph->states[parent->state].distributed) {
        // A child execution of a Distributed Map: no outer variables.
        f.scope = std::make_unique<Scope>(nullptr);
      }
      f.dirty = 0;
      e.dirty_frames.clear();
      std::string state_name = fr["s"].get<std::string>();
      auto sid = graph->by_name.find(state_name);
      if (!state_name.empty() && sid == graph->by_name.end()) {
        throw std::runtime_error("unknown state '" + state_name + "'");
      }
      f.state = state_name.empty() ? kNoState : sid->second;
      f.phase = static_cast<Frame::Phase>(fr["p"].get<int>());
      f.aborted = fr.value("ab", false);
      f.entered_event_id = fr["ee"].get<std::int64_t>();
      f.last_event_id = fr["le"].get<std::int64_t>();
      f.entered_time = fr["et"].get<std::string>();
      f.retry_count = fr["rc"].get<std::int64_t>();
      f.retry_counters = fr["rcs"].get<std::vector<std::int64_t>>();
      f.retrying = fr.value("rt", false);
      f.task_token = fr.value("tt", std::string());
      f.task_deadline = fr.value("td", std::int64_t{0});
      f.heartbeat_nanos = fr.value("hn", std::int64_t{0});
      f.heartbeat_deadline = fr.value("hd", std::int64_t{0});
      f.heartbeat_expired = fr.value("hx", false);
      f.wake_at = fr.value("w", std::int64_t{0});
      if (fr.contains("to")) f.task_output = fr["to"];
      if (fr.contains("tf")) f.task_failure = failure_from_record(fr["tf"]);
      if (fr.contains("cf")) f.child_failure = failure_from_record(fr["cf"]);
      if (fr.contains("kk")) f.kept_keys = fr["kk"].get<std::vector<std::string>>();
      if (fr.contains("dm")) map_runs[&f] = fr["dm"];
      if (fr.contains("m")) {
        const json& m = fr["m"];
        f.child_total = m["n"].get<std::size_t>();
        f.next_item = m["next"].get<std::size_t>();
        f.max_concurrency = m["max"].get<std::size_t>();
        f.failed_children = m["failed"].get<std::size_t>();
        f.tolerated_count = m["tc"].get<std::int64_t>();
        f.tolerated_percentage = m["tp"].get<double>();
      }
      std::string in = dr["in"].get<std::string>();
      f.input = parse_json_checked(in, record_depth_limit(options.max_payload_depth));
      if (!dr.value("pending", false)) f.entry_input = std::move(in);
      if (dr.contains("ef")) f.effective = dr["ef"];
      if (dr.contains("wa")) f.child_results = dr["wa"];
      if (dr.contains("cx")) f.child_context = std::make_shared<json>(dr["cx"]);
      for (auto it = dr["v"].begin(); it != dr["v"].end(); ++it) f.scope->set(it.key(), it.value());
      by_key[key] = &f;
      frames.push_back(&f);
      if (parent == nullptr) {
        e.root = std::move(frame);
      } else {
        if (parent->children.size() < parent->child_total) parent->children.resize(parent->child_total);
        if (index >= parent->children.size()) parent->children.resize(index + 1);
        parent->children[index] = std::move(frame);
      }
    }
    if (!e.root) throw std::runtime_error("no root frame");
    // Containers: results of finished children, items not started.
    for (Frame* f : frames) {
      if (f->child_total == 0 || f->state == kNoState) continue;
      const State& s = f->graph->states[f->state];
      if (!is_container(s)) continue;
      if (f->children.size() < f->child_total) f->children.resize(f->child_total);
      f->child_results = json::array();
      f->child_results.get_ref<json::array_t&>().resize(f->child_total);
      std::size_t done = 0;
      for (std::size_t i = 0; i < f->child_total; ++i) {
        auto r = recs.find("r:" + f->key + "." + std::to_string(i));
        if (r != recs.end()) {
          f->child_results[i] = r->second;
          ++done;
        }
      }
      f->children_pending = f->child_total - done;
      if (s.type == StateType::kMap) {
        auto items = recs.find("i:" + f->key);
        if (items != recs.end()) {
          f->map_items = items->second.get<std::vector<json>>();
        }
      }
    }
  } catch (const std::exception& err) {
    return data_loss_error(
        fmt::format("the checkpoint of execution '{}' is unreadable: {}", name, err.what()));
  }
  ExecutionId id = e.id;
  add_execution(std::move(ex));
  ++running_count;

  if (redrive) {
    // AWS's RedriveExecution: re-enter every state that did not succeed.
    e.status = ExecutionStatus::kRunning;
    e.error.reset();
    e.cause.reset();
    e.output = json();
    e.stop_time = 0;
    ++e.redrive_count;
    e.context["Execution"]["RedriveCount"] = e.redrive_count;
    e.context["Execution"]["RedriveTime"] = format_now();
    e.deadline = e.model->timeout_seconds ? now + *e.model->timeout_seconds * 1000000000 : 0;
    watch_deadline(e);
    e.exec_record_written = false;  // the context changed
    emit(e, nullptr, "ExecutionRedriven", "executionRedrivenEventDetails",
         {{"redriveCount", e.redrive_count}}, e.next_event_id - 1);
    for (Frame* f : frames) {
      f->aborted = false;
      f->kept_keys.clear();
      f->child_failure.reset();
      f->task_output.reset();
      f->task_failure.reset();
      f->heartbeat_expired = false;
      f->retrying = false;
      f->dispatch_pending = false;
      bool has_children = false;
      for (auto& c : f->children) has_children = has_children || c != nullptr;
      const State* s = f->state == kNoState ? nullptr : &f->graph->states[f->state];
      if (s != nullptr && is_container(*s) && f->child_total > 0 &&
          (has_children || f->children_pending < f->child_total)) {
        f->phase = Frame::Phase::kChildren;
        f->failed_children = 0;
      } else {
        // Re-enter the state with the input it was entered with.
        if (!f->entry_input.empty()) f->input = json::parse(f->entry_input);
        f->phase = Frame::Phase::kEnter;
        f->child_total = 0;
        f->children.clear();
      }
      touch(*f, 2);
    }
  }

  // A Distributed Map that was running continues its Map Run from the checkpoint (only the
  // unfinished items run again); on a redrive it starts a new Map Run.
  for (Frame* f : frames) {
    if (f->aborted || f->state == kNoState) continue;
    const State& s = f->graph->states[f->state];
    if (s.type != StateType::kMap || !s.distributed ||
        (f->phase != Frame::Phase::kChildren && f->phase != Frame::Phase::kChildrenDone)) {
      continue;
    }
    auto dm = map_runs.find(f);
    if (redrive || dm == map_runs.end()) {
      restart_distributed_map(*f);
      continue;
    }
    auto resume = std::make_unique<Frame::DistributedResume>();
    resume->state = std::move(dm->second);
    std::string prefix = "r:" + f->key + ".";
    for (auto& [k, v] : recs) {
      if (k.size() > prefix.size() && k.compare(0, prefix.size(), prefix) == 0 &&
          k.find('.', prefix.size()) == std::string::npos) {
        resume->done.emplace(static_cast<std::size_t>(std::stoull(k.substr(prefix.size()))),
                             std::move(v));
      }
    }
    f->dmap_resume = std::move(resume);
    start_map_children(*f);
  }
  // Wake every frame according to its phase.
  for (Frame* f : frames) {
    if (f->aborted) continue;
    switch (f->phase) {
      case Frame::Phase::kEnter:
      case Frame::Phase::kTaskDone:
      case Frame::Phase::kTimerDone:
      case Frame::Phase::kChildrenDone: schedule(f); break;
      case Frame::Phase::kTaskRunning:
        // Dispatched before the crash: dispatch again, same token and attempt.
        f->task_key = next_task_key++;
        f->dispatch_pending = true;
        pending_dispatch.emplace_back(e.id, f->serial);
        arm_task_timer(f);
        break;
      case Frame::Phase::kWaiting: set_timer(f, f->wake_at); break;
      case Frame::Phase::kChildren: {
        if (f->dmap) break;  // a Map Run schedules its own children
        std::size_t running = 0;
        for (auto& c : f->children) {
          if (c && c->phase != Frame::Phase::kFinished) ++running;
        }
        f->running_children = running;
        if (f->graph->states[f->state].type == StateType::kMap) {
          start_map_items(*f, kMapStartChunk);
        }
        if (f->children_pending == 0) {
          f->phase = Frame::Phase::kChildrenDone;
          schedule(f);
        }
        break;
      }
      case Frame::Phase::kFinished: break;
    }
  }
  if (redrive) mark_changed(e);
  return id;
}

}  // namespace stepwise::internal
