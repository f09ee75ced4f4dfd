// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `resume` and `redrive`: an execution rebuilt from its checkpoint records (record layout in
// docs/checkpoints.md; checkpoint_writer.cc writes them). Loading runs in phases: read and
// check the stored execution and its records, restore the execution (counters, context
// object, history), rebuild the frames parents first, reset what a redrive re-runs, continue
// or restart the Distributed Maps' Map Runs, and wake every frame according to its phase.
// Records come from storage and may be damaged: required keys are read with `json::at`, which
// throws for a missing key (the load fails with kDataLoss), never with `const
// json::operator[]`, which asserts.
#include <algorithm>

#include <fmt/format.h>

#include "interp/checkpoint_writer.h"
#include "interp/engine_impl.h"
#include "util/json_limits.h"
#include "interp/states.h"
#include "stepwise/parser.h"
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

// An integer field of a record. nlohmann converts a stored float to an integer type with a
// plain cast, undefined behaviour when the value does not fit, so a damaged record holding
// anything but an integer there fails the load.
template <typename T = std::int64_t>
T integer(const json& record, const char* key) {
  const json& v = record.at(key);
  if (!v.is_number_integer()) throw std::runtime_error(fmt::format("'{}' is not an integer", key));
  return v.get<T>();
}

template <typename T>
T integer_or(const json& record, const char* key, T fallback) {
  return record.contains(key) ? integer<T>(record, key) : fallback;
}

std::vector<std::int64_t> integers(const json& record, const char* key) {
  const json& list = record.at(key);
  if (!list.is_array()) throw std::runtime_error(fmt::format("'{}' is not an array", key));
  std::vector<std::int64_t> out;
  out.reserve(list.size());
  for (const json& v : list) {
    if (!v.is_number_integer()) {
      throw std::runtime_error(fmt::format("'{}' holds a value that is not an integer", key));
    }
    out.push_back(v.get<std::int64_t>());
  }
  return out;
}

// Damaged records must not give a frame a phase its state cannot be in (a Wait state waiting
// for a task completion, a Pass state running children): stepping it would read state fields
// that are not there.
void check_phase(const Graph& graph, const Frame& f) {
  using Phase = Frame::Phase;
  if (f.phase > Phase::kFinished) throw std::runtime_error("unknown frame phase");
  if (f.phase == Phase::kEnter || f.phase == Phase::kFinished) return;
  const State* s = f.state == kNoState ? nullptr : &graph.states[f.state];
  bool fits = false;
  switch (f.phase) {
    case Phase::kTaskRunning:
    case Phase::kTaskDone:
      fits = s != nullptr && s->type == StateType::kTask;
      break;
    case Phase::kWaiting:
    case Phase::kTimerDone:
      fits = s != nullptr && (s->type == StateType::kWait || f.retrying);
      break;
    case Phase::kChildren:
    case Phase::kChildrenDone:
      fits = s != nullptr && is_container(*s);
      break;
    default:
      break;
  }
  if (!fits) {
    throw std::runtime_error(fmt::format("frame phase {} does not fit state '{}'",
                                         static_cast<int>(f.phase), s ? s->name : ""));
  }
}

// The "f:<key>" record's fields (checkpoint_writer.cc's frame_record) set on `f`; `graph` is
// the frame's graph, in which the state is looked up by name.
void read_frame_record(const json& fr, const Graph& graph, Frame& f) {
  std::string state_name = fr.at("s").get<std::string>();
  auto sid = graph.by_name.find(state_name);
  if (!state_name.empty() && sid == graph.by_name.end()) {
    throw std::runtime_error("unknown state '" + state_name + "'");
  }
  f.state = state_name.empty() ? kNoState : sid->second;
  f.phase = static_cast<Frame::Phase>(integer<int>(fr, "p"));
  f.aborted = fr.value("ab", false);
  f.entered_event_id = integer(fr, "ee");
  f.last_event_id = integer(fr, "le");
  f.entered_at = parse_rfc3339(fr.at("et").get<std::string>()).value_or(0);
  f.retry_count = integer(fr, "rc");
  f.retry_counters = integers(fr, "rcs");
  f.retrying = fr.value("rt", false);
  // A frame between tasks has no task part: none is allocated for it.
  bool has_task = false;
  for (const char* k : {"tt", "td", "hn", "hd", "hx", "to", "tf"})
    has_task = has_task || fr.contains(k);
  if (has_task) {
    TaskPart& t = f.task.mut();
    t.token = fr.value("tt", std::string());
    t.deadline = integer_or(fr, "td", std::int64_t{0});
    t.heartbeat_nanos = integer_or(fr, "hn", std::int64_t{0});
    t.heartbeat_deadline = integer_or(fr, "hd", std::int64_t{0});
    t.heartbeat_expired = fr.value("hx", false);
    if (fr.contains("to")) t.output = fr.at("to");
    if (fr.contains("tf")) t.failure = failure_from_record(fr.at("tf"));
  }
  f.timer.wake_at = integer_or(fr, "w", std::int64_t{0});
  if (fr.contains("cf")) f.kids.mut().failure = failure_from_record(fr.at("cf"));
  if (fr.contains("kk")) f.ckpt.mut().kept_keys = fr.at("kk").get<std::vector<std::string>>();
  if (fr.contains("m")) {
    const json& m = fr.at("m");
    f.kids.mut().total = integer<std::size_t>(m, "n");
    f.kids.mut().next_item = integer<std::size_t>(m, "next");
    f.kids.mut().max_concurrency = integer<std::size_t>(m, "max");
    f.kids.mut().failed = integer<std::size_t>(m, "failed");
    f.kids.mut().tolerated_count = integer(m, "tc");
    f.kids.mut().tolerated_percentage = m.at("tp").get<double>();
  }
  check_phase(graph, f);
}

// The "d:<key>" record's fields (checkpoint_writer.cc's data_record) set on `f`.
void read_data_record(const json& dr, Frame& f, std::size_t record_limit) {
  std::string in = dr.at("in").get<std::string>();
  f.input = parse_json_checked(in, record_limit);
  if (!dr.value("pending", false)) f.ckpt.mut().entry_input = std::move(in);
  if (dr.contains("ef")) f.effective = dr.at("ef");
  if (dr.contains("wa")) f.wait_assigned = dr.at("wa");
  if (dr.contains("cx")) f.child_context = std::make_shared<json>(dr.at("cx"));
  const json& vars = dr.at("v");
  for (auto it = vars.begin(); it != vars.end(); ++it) f.own_scope().set(it.key(), it.value());
}

// One `load_execution` call: the stored execution, its records, and the frames rebuilt from
// them. Each phase below is one step of the load, run in the order `run` calls them.
class CheckpointLoader {
 public:
  CheckpointLoader(EngineImpl& engine, std::string_view name, bool redrive)
      : engine_(engine), name_(name), redrive_(redrive) {}

  Result<ExecutionId> run(std::shared_ptr<const StateMachine> machine);

 private:
  // The stored execution, checked against the engine, the definition and the request.
  Status read_stored(std::shared_ptr<const StateMachine>& machine);
  // Every record parsed, by key; "exec" and "run" must be there.
  Status read_records();
  // The execution from the "exec" and "run" records and the stored history.
  Status restore_execution(const std::shared_ptr<const StateMachine>& machine);
  void restore_history();
  // Frames from the "f:"/"d:" records, parents before children, then the containers' finished
  // results ("r:") and unstarted items ("i:").
  Status rebuild_frames();
  // Returns false if the frame record belongs to nothing running (an orphan or stale child).
  bool rebuild_frame(const std::string& key);
  void restore_containers();
  // AWS's RedriveExecution: re-enter every state that did not succeed.
  void reset_for_redrive();
  // Running Distributed Maps continue their Map Run (or, on a redrive, start a new one).
  void resume_map_runs();
  // Every frame is scheduled, timed or re-dispatched according to its phase.
  void wake_frames();

  Status unreadable(const std::exception& err) const {
    return data_loss_error(
        fmt::format("the checkpoint of execution '{}' is unreadable: {}", name_, err.what()));
  }

  EngineImpl& engine_;
  // Records may nest a little deeper than payloads (util/json_limits.h).
  std::size_t record_limit() const { return record_depth_limit(engine_.options.max_payload_depth); }
  std::string_view name_;
  bool redrive_;
  StoredExecution stored_;
  ExecutionStatus stored_status_ = ExecutionStatus::kRunning;
  std::unordered_map<std::string, json> recs_;
  const json* exec_rec_ = nullptr;
  const json* run_rec_ = nullptr;
  std::unique_ptr<Execution> ex_;  // until the engine's table owns it
  Execution* e_ = nullptr;
  std::unordered_map<std::string, Frame*> by_key_;
  std::vector<Frame*> frames_;                 // parents before children
  std::unordered_map<Frame*, json> map_runs_;  // "dm" state of running Distributed Maps
};

Result<ExecutionId> CheckpointLoader::run(std::shared_ptr<const StateMachine> machine) {
  if (Status st = read_stored(machine); !st.ok()) return st;
  if (Status st = read_records(); !st.ok()) return st;
  if (Status st = restore_execution(machine); !st.ok()) return st;
  Execution& e = *e_;
  if (e.status != ExecutionStatus::kRunning && !redrive_) {
    return engine_.executions.add(std::move(ex_)).id;
  }
  if (Status st = rebuild_frames(); !st.ok()) return st;
  ExecutionId id = e.id;
  engine_.executions.add(std::move(ex_));
  engine_.executions.count_started();
  if (redrive_) reset_for_redrive();
  resume_map_runs();
  wake_frames();
  if (redrive_) engine_.mark_changed(e);
  return id;
}

Status CheckpointLoader::read_stored(std::shared_ptr<const StateMachine>& machine) {
  const EngineOptions& options = engine_.options;
  if (!options.checkpoint_store) {
    return failed_precondition_error("the engine has no checkpoint store");
  }
  if (engine_.executions.find(name_, /*running_only=*/true) != nullptr) {
    return failed_precondition_error(
        fmt::format("execution '{}' is running in this engine", name_));
  }
  // Finished copies held by this engine are replaced by the one loaded below.
  while (Execution* old = engine_.executions.find(name_, /*running_only=*/false)) {
    engine_.executions.erase(old->id);
  }
  Result<StoredExecution> loaded = options.checkpoint_store->load(name_);
  if (!loaded.ok()) return loaded.status();
  stored_ = std::move(loaded.value());
  if (stored_.summary.format_version != kCheckpointFormatVersion) {
    return failed_precondition_error(fmt::format(
        "execution '{}' was checkpointed with format version {}; this engine reads version {}",
        name_, stored_.summary.format_version, kCheckpointFormatVersion));
  }
  if (!machine) {
    ParseResult parsed = parse_state_machine(stored_.definition);
    if (!parsed.ok()) {
      return data_loss_error(
          fmt::format("the stored definition of execution '{}' does not load", name_));
    }
    machine = parsed.machine();
  }
  if (machine->fingerprint() != stored_.summary.fingerprint) {
    return failed_precondition_error(fmt::format(
        "execution '{}' was started with another definition (fingerprint {}, this one {})", name_,
        stored_.summary.fingerprint, machine->fingerprint()));
  }
  stored_status_ = status_from_name(stored_.summary.status);
  if (redrive_) {
    if (stored_status_ == ExecutionStatus::kSucceeded) {
      return failed_precondition_error(
          fmt::format("Execution is SUCCEEDED and cannot be redriven: {}", name_));
    }
    if (stored_status_ == ExecutionStatus::kRunning) {
      return failed_precondition_error(
          fmt::format("Execution is RUNNING and cannot be redriven: {}", name_));
    }
  }
  return {};
}

Status CheckpointLoader::read_records() {
  try {
    for (CheckpointRecord& r : stored_.records) {
      // Results and items stay text until needed.
      recs_.emplace(r.key, parse_json_checked(r.value, record_limit()));
    }
  } catch (const std::exception& e) {
    return data_loss_error(
        fmt::format("a record of execution '{}' is not JSON: {}", name_, e.what()));
  }
  auto need = [&](const char* key) -> const json* {
    auto it = recs_.find(key);
    return it == recs_.end() ? nullptr : &it->second;
  };
  exec_rec_ = need("exec");
  run_rec_ = need("run");
  if (exec_rec_ == nullptr || run_rec_ == nullptr) {
    return data_loss_error(fmt::format("the checkpoint of execution '{}' is incomplete", name_));
  }
  return {};
}

Status CheckpointLoader::restore_execution(const std::shared_ptr<const StateMachine>& machine) {
  ex_ = std::make_unique<Execution>();
  e_ = ex_.get();
  Execution& e = *e_;
  const json& exec_rec = *exec_rec_;
  const json& run_rec = *run_rec_;
  try {
    e.id = engine_.executions.next_id();
    e.name = std::string(name_);
    e.model = &machine->model();
    e.machine = machine;
    e.ckpt.mut().definition_text = stored_.definition;
    e.options.state_machine_name = exec_rec.at("smn").get<std::string>();
    e.options.record_history = exec_rec.at("history").get<bool>();
    e.status = stored_status_;
    e.start_time = integer(exec_rec, "start");
    e.context = std::make_unique<ContextCache>();
    json& ctx = e.context->object;
    ctx = exec_rec.at("ctx");
    ctx["State"] = {{"EnteredTime", ""}, {"Name", ""}};
    e.context->state = &ctx["State"];
    e.arn = ctx["Execution"].value("Id", std::string());
    static_cast<void>(integer(run_rec, "ne"));  // the next event id: "ec" + 1
    e.event_count = integer(run_rec, "ec");
    e.random = Random(integer<std::uint64_t>(run_rec, "rng"));
    e.next_token = integer<std::uint64_t>(run_rec, "nt");
    e.deadline = integer(run_rec, "dl");
    e.redrive_count = integer(run_rec, "rd");
    e.stop_time = integer(run_rec, "stop");
    e.map_run_counter = integer_or(run_rec, "mrc", std::uint64_t{0});
    if (run_rec.contains("out")) e.end.mut().output = run_rec.at("out");
    if (run_rec.contains("err")) e.end.mut().error = run_rec.at("err").get<std::string>();
    if (run_rec.contains("cause")) e.end.mut().cause = run_rec.at("cause").get<std::string>();
    restore_history();
  } catch (const std::exception& err) {
    return unreadable(err);
  }
  e.durable = true;
  e.ckpt.mut().store_version = stored_.summary.version;
  e.ckpt.mut().committed_events = recorded_events(e);
  e.ckpt.mut().exec_record_written = true;
  return {};
}

void CheckpointLoader::restore_history() {
  Execution& e = *e_;
  for (const std::string& text : stored_.history) {
    json j = parse_json_checked(text, record_limit());
    if (integer(j, "id") != static_cast<std::int64_t>(recorded_events(e)) + 1) {
      throw std::runtime_error("history event ids are not consecutive");
    }
    const std::string& type = j.at("type").get_ref<const std::string&>();
    std::string_view details_key;
    json details;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() != "id" && it.key() != "previousEventId" && it.key() != "timestamp" &&
          it.key() != "type") {
        details_key = it.key();
        details = std::move(it.value());
      }
    }
    EventKind kind = find_event_kind(type, details_key);
    std::string_view type_name = type;
    if (kind == EventKind::kOther) {
      type_name = engine_.checkpointer.intern(type);
      details_key = engine_.checkpointer.intern(std::string(details_key));
    }
    engine_.history.restore(e, kind, type_name, details_key, integer(j, "previousEventId"),
                            parse_rfc3339(j.at("timestamp").get<std::string>()).value_or(0),
                            std::move(details));
  }
}

Status CheckpointLoader::rebuild_frames() {
  std::vector<std::string> keys;
  for (const auto& [k, v] : recs_) {
    if (k.rfind("f:", 0) == 0) keys.push_back(k.substr(2));
  }
  std::sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
    if (depth(a) != depth(b)) return depth(a) < depth(b);
    return a < b;
  });
  engine_.now = engine_.options.clock->now();
  try {
    for (const std::string& key : keys) {
      if (recs_.find("d:" + key) == recs_.end()) {
        return data_loss_error(
            fmt::format("frame '{}' of execution '{}' has no data record", key, name_));
      }
      rebuild_frame(key);
    }
    if (!e_->root) throw std::runtime_error("no root frame");
    restore_containers();
  } catch (const std::exception& err) {
    return unreadable(err);
  }
  return {};
}

bool CheckpointLoader::rebuild_frame(const std::string& key) {
  Execution& e = *e_;
  const json& fr = recs_.at("f:" + key);
  const json& dr = recs_.at("d:" + key);
  Frame* parent = nullptr;
  const Graph* graph = &e.model->root;
  std::size_t index = 0;
  if (key != "0") {
    auto p = by_key_.find(parent_key(key));
    if (p == by_key_.end()) return false;  // an orphan of a finished state: ignore
    parent = p->second;
    index = last_index(key);
    const State& ps = parent->graph->states[parent->state];
    if (ps.type == StateType::kParallel) {
      if (index >= ps.branches.size()) throw std::runtime_error("branch index out of range");
      graph = ps.branches[index].get();
    } else if (ps.type == StateType::kMap && ps.processor) {
      graph = ps.processor.get();
    } else {
      return false;  // stale child of a state that is no longer a Map/Parallel
    }
  }
  auto frame = engine_.new_frame(e, parent, graph, json(), index);
  Frame& f = *frame;
  if (parent != nullptr && parent->graph->states[parent->state].distributed) {
    // A child execution of a Distributed Map: no outer variables.
    f.outer_scope = nullptr;
  }
  f.ckpt.mut().dirty = 0;
  e.ckpt.mut().dirty_frames.clear();
  read_frame_record(fr, *graph, f);
  if (fr.contains("dm")) map_runs_[&f] = fr.at("dm");
  read_data_record(dr, f, record_limit());
  by_key_[key] = &f;
  frames_.push_back(&f);
  if (parent == nullptr) {
    e.root = std::move(frame);
  } else {
    ChildSet& kids = parent->kids.mut();
    if (kids.frames.size() < kids.total) kids.frames.resize(kids.total);
    if (index >= kids.frames.size()) kids.frames.resize(index + 1);
    kids.frames[index] = std::move(frame);
  }
  return true;
}

void CheckpointLoader::restore_containers() {
  for (Frame* f : frames_) {
    if (f->kids->total == 0 || f->state == kNoState) continue;
    const State& s = f->graph->states[f->state];
    if (!is_container(s)) continue;
    ChildSet& kids = f->kids.mut();
    if (kids.frames.size() < kids.total) kids.frames.resize(kids.total);
    kids.results = json::array();
    kids.results.get_ref<json::array_t&>().resize(kids.total);
    std::size_t done = 0;
    for (std::size_t i = 0; i < kids.total; ++i) {
      auto r = recs_.find("r:" + f->ckpt->key + "." + std::to_string(i));
      if (r != recs_.end()) {
        kids.results[i] = r->second;
        ++done;
      }
    }
    kids.pending = kids.total - done;
    if (s.type == StateType::kMap) {
      auto items = recs_.find("i:" + f->ckpt->key);
      if (items != recs_.end()) kids.items = items->second.get<std::vector<json>>();
    }
  }
}

void CheckpointLoader::reset_for_redrive() {
  Execution& e = *e_;
  e.status = ExecutionStatus::kRunning;
  e.end.reset();
  e.stop_time = 0;
  ++e.redrive_count;
  json& context = engine_.ensure_context(e);
  context["Execution"]["RedriveCount"] = e.redrive_count;
  context["Execution"]["RedriveTime"] = engine_.format_now();
  e.deadline = e.model->timeout_seconds ? engine_.now + *e.model->timeout_seconds * 1000000000 : 0;
  engine_.executions.watch_deadline(e);
  e.ckpt.mut().exec_record_written = false;  // the context changed
  engine_.emit(e, nullptr, EventKind::kExecutionRedriven, {{"redriveCount", e.redrive_count}},
               e.event_count);
  for (Frame* f : frames_) {
    f->aborted = false;
    f->ckpt.mut().kept_keys.clear();
    if (f->kids.has()) f->kids.mut().failure.reset();
    if (f->task.has()) {
      f->task.mut().output.reset();
      f->task.mut().failure.reset();
      f->task.mut().heartbeat_expired = false;
      f->task.mut().dispatch_pending = false;
    }
    f->retrying = false;
    bool has_children = false;
    for (auto& c : f->kids->frames) has_children = has_children || c != nullptr;
    const State* s = f->state == kNoState ? nullptr : &f->graph->states[f->state];
    if (s != nullptr && is_container(*s) && f->kids->total > 0 &&
        (has_children || f->kids->pending < f->kids->total)) {
      f->phase = Frame::Phase::kChildren;
      f->kids.mut().failed = 0;
    } else {
      // Re-enter the state with the input it was entered with.
      if (!f->ckpt->entry_input.empty()) f->input = json::parse(f->ckpt->entry_input);
      f->phase = Frame::Phase::kEnter;
      f->kids.reset();
    }
    engine_.touch(*f, 2);
  }
}

void CheckpointLoader::resume_map_runs() {
  // Only the unfinished items of a running Map Run run again.
  for (Frame* f : frames_) {
    if (f->aborted || f->state == kNoState) continue;
    const State& s = f->graph->states[f->state];
    if (s.type != StateType::kMap || !s.distributed ||
        (f->phase != Frame::Phase::kChildren && f->phase != Frame::Phase::kChildrenDone)) {
      continue;
    }
    auto dm = map_runs_.find(f);
    if (redrive_ || dm == map_runs_.end()) {
      engine_.restart_distributed_map(*f);
      continue;
    }
    auto resume = std::make_unique<ChildSet::DistributedResume>();
    resume->state = std::move(dm->second);
    std::string prefix = "r:" + f->ckpt->key + ".";
    for (auto& [k, v] : recs_) {
      if (k.size() > prefix.size() && k.compare(0, prefix.size(), prefix) == 0 &&
          k.find('.', prefix.size()) == std::string::npos) {
        resume->done.emplace(static_cast<std::size_t>(std::stoull(k.substr(prefix.size()))),
                             std::move(v));
      }
    }
    f->kids.mut().dmap_resume = std::move(resume);
    start_map(engine_, *f, f->graph->states[f->state]);
  }
}

void CheckpointLoader::wake_frames() {
  for (Frame* f : frames_) {
    if (f->aborted) continue;
    switch (f->phase) {
      case Frame::Phase::kEnter:
      case Frame::Phase::kTaskDone:
      case Frame::Phase::kTimerDone:
      case Frame::Phase::kChildrenDone:
        engine_.schedule(f);
        break;
      case Frame::Phase::kTaskRunning:
        // Dispatched before the crash: dispatch again, same token and attempt.
        engine_.redispatch_task(*f);
        engine_.arm_task_timer(f);
        break;
      case Frame::Phase::kWaiting:
        engine_.set_timer(f, f->timer.wake_at);
        break;
      case Frame::Phase::kChildren: {
        if (f->kids->dmap) break;  // a Map Run schedules its own children
        std::size_t running = 0;
        for (auto& c : f->kids->frames) {
          if (c && c->phase != Frame::Phase::kFinished) ++running;
        }
        f->kids.mut().running = running;
        if (f->graph->states[f->state].type == StateType::kMap) {
          continue_map_items(engine_, *f);
        }
        if (f->kids->pending == 0) {
          f->phase = Frame::Phase::kChildrenDone;
          engine_.schedule(f);
        }
        break;
      }
      case Frame::Phase::kFinished:
        break;
    }
  }
}

}  // namespace

Result<ExecutionId> EngineImpl::load_execution(std::string_view name,
                                               std::shared_ptr<const StateMachine> machine,
                                               bool redrive) {
  return CheckpointLoader(*this, name, redrive).run(std::move(machine));
}

// Recorded as dispatched but not known to have started: the task gets a new key and is
// dispatched again after the next commit (same token and attempt).
void EngineImpl::redispatch_task(Frame& f) {
  f.task.mut().key = next_task_key++;
  f.task.mut().dispatch_pending = true;
  pending_dispatch.emplace_back(f.execution->id, f.serial);
}

}  // namespace stepwise::internal
