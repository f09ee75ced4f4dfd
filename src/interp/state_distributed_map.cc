// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Distributed Map (ASL-REFERENCE.md section 11): a Map Run whose children are child
// executions, fed one item at a time from a streamed source (an ItemReader over the host's
// `ObjectStore`, or the Map's input array), with ItemSelector, ItemBatcher, tolerated
// failures, MaxConcurrency and ResultWriter.
//
// Design choices:
// - Items are pulled from the `ItemStream` only when a child slot frees up, so memory is
//   bounded by MaxConcurrency (default 10,000 as on AWS), never by the number of items.
//   Child frames live in a slot vector of that size; finished children are freed at once.
// - Each child is a frame tree whose events go to the child execution's own history
//   (`Frame::child_run`), not the parent's. The parent records MapRunStarted and
//   MapRunSucceeded/MapRunFailed, and the Map Run summary is kept in `Execution::map_runs`
//   (`Engine::describe_map_run`).
// - Without ResultWriter export, results are returned inline in item (batch) order; with
//   export they stream to result files in completion order and are never held in memory.
// - A failed child fails the Map Run with States.ExceedToleratedFailureThreshold once the
//   tolerated count or percentage is exceeded (policy/map_tolerance.h, the inline Map's rule:
//   neither set tolerates nothing, as on AWS; a field set alone is judged alone; with both
//   set, exceeding either is enough). The percentage is checked against the item total once
//   the source is exhausted.
// - Durable executions: the Map frame's record carries the run's counters and the reader's
//   position (`distributed_run_state`), each finished child's delivered result is an
//   "r:<key>" record, and running children are frames like any other. `resume` re-opens the
//   reader, seeks to the position, re-delivers the finished results (to the inline array or
//   the result files, in index order) and lets the running children continue: only unfinished
//   items run again. (Child execution histories are not checkpointed: children resumed after a
//   crash keep no history of their own.) A redrive starts a new Map Run.
#include <cmath>
#include <functional>
#include <unordered_map>

#include <fmt/format.h>

#include "dmap/item_reader.h"
#include "dmap/result_writer.h"
#include "interp/engine_impl.h"
#include "interp/states.h"
#include "util/timestamp.h"

namespace stepwise::internal {

// The Map Run part of a running Distributed Map (`ChildSet::dmap`): the item source and its
// position, the batcher, the child slots and counters, and where results go. Its summary for
// `describe_map_run` is `Execution::map_runs[run_index]`, updated alongside.
struct DistributedRun {
  std::size_t run_index = 0;  // into Execution::map_runs
  std::string run_id, arn;
  std::unique_ptr<ItemStream> stream;
  std::int64_t max_items = -1;  // ReaderConfig.MaxItems; -1: none
  std::size_t read = 0;         // raw items read
  bool exhausted = false;
  std::optional<Failure> failure;  // the run's failure, reported when its children are done
  // ItemBatcher.
  bool batching = false;
  std::size_t per_batch = 0, byte_limit = 0;
  json batch_input;
  bool has_batch_input = false;
  std::optional<json> pending;  // a selected item that did not fit the previous batch
  // Children.
  std::size_t next_child = 0, running = 0, succeeded = 0, failed = 0;
  std::unordered_map<std::size_t, std::size_t> slot_of;  // child index → slot in f.kids->frames
  std::vector<std::size_t> free_slots;
  struct Meta {
    std::string input;
    std::string start;
  };
  std::unordered_map<std::size_t, Meta> meta;  // when result records need them
  // Results.
  ResultWriterConfig writer_config;
  bool has_writer_config = false;
  std::unique_ptr<ResultFileWriter> writer;
  json results = json::array();  // inline results (no export)
};

namespace {

std::string uuid_like(std::string_view seed, std::uint64_t n) {
  auto mix = [](std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
  };
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : seed) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  std::uint64_t a = mix(h ^ n), b = mix(a + 0x9e3779b97f4a7c15ULL);
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff,
                     0x4000 | (a & 0x0fff), 0x8000 | (b >> 50), b & 0xffffffffffffULL);
}

Failure reader_failed(std::string cause) {
  return Failure(std::string(errors::kItemReaderFailed), std::move(cause));
}

}  // namespace

// Reads a count field (MaxItems, MaxItemsPerBatch, MaxInputBytesPerBatch): literal, path or
// JSONata. Returns nullopt after failing the state.
static std::optional<std::int64_t> dmap_count(EngineImpl& e, Frame& f, const DynamicField& d,
                                              Failure& failure) {
  if (d.kind() == DynamicField::Kind::kLiteral) {
    return d.literal().is_number() ? std::optional<std::int64_t>(d.literal().get<std::int64_t>())
                                   : std::nullopt;
  }
  if (d.kind() == DynamicField::Kind::kJsonata) {
    JsonataEnv env = e.jsonata_env(f, nullptr, nullptr);
    Outcome<json> v = d.jsonata().evaluate(env, d.field());
    if (!v.ok()) {
      failure = v.take_failure();
      if (failure.cause) failure.cause = e.cause_prefix(f) + *failure.cause;
      return std::nullopt;
    }
    if (!v.value().is_number() || std::floor(v.value().get<double>()) != v.value().get<double>()) {
      failure =
          Failure(std::string(errors::kQueryEvaluationError),
                  e.cause_prefix(f) + fmt::format("The {} field must be an integer, but was: {}",
                                                  d.field(), v.value().dump()));
      return std::nullopt;
    }
    return v.value().get<std::int64_t>();
  }
  if (d.kind() == DynamicField::Kind::kPath) {
    PathRoots roots{&f.effective, &e.context_for(f), f.vars()};
    const json* v = d.path().find(roots);
    if (v == nullptr || !v->is_number() || std::floor(v->get<double>()) != v->get<double>()) {
      failure = runtime_failure(
          e.cause_prefix(f) +
          fmt::format("The {} field refers to value \"{}\" which is not a valid integer: {}",
                      d.field(),
                      v == nullptr ? "null" : (v->is_string() ? v->get<std::string>() : v->dump()),
                      d.path().text()));
      return std::nullopt;
    }
    return v->get<std::int64_t>();
  }
  return std::nullopt;
}

// The Map Run: its id and ARN, and its summary in `Execution::map_runs` (describe_map_run).
// A resumed run keeps its id.
static void begin_map_run(EngineImpl& e, Frame& f, DistributedRun& d,
                          const ChildSet::DistributedResume* resume) {
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  const EngineOptions& options = e.options;
  d.run_id =
      resume ? resume->state.value("id", std::string()) : uuid_like(ex.name, ++ex.map_run_counter);
  std::string label = s.label.value_or(s.name);
  d.arn = fmt::format("arn:{}:states:{}:{}:mapRun:{}/{}:{}", options.partition, options.region,
                      options.account, ex.options.state_machine_name, label, d.run_id);
  if (f.kids->max_concurrency == 0) {
    f.kids.mut().max_concurrency =
        options.max_map_concurrency > 0 ? options.max_map_concurrency : 10000;
  }
  MapRunDescription desc;
  desc.map_run_arn = d.arn;
  desc.execution_arn = e.execution_arn(ex);
  desc.start_date = e.now;
  desc.max_concurrency =
      s.max_concurrency.present() ? static_cast<std::int64_t>(f.kids->max_concurrency) : 0;
  desc.tolerated_failure_count = std::max<std::int64_t>(f.kids->tolerated_count, 0);
  desc.tolerated_failure_percentage = std::max(f.kids->tolerated_percentage, 0.0);
  d.run_index = ex.map_runs.size();
  ex.map_runs.push_back(std::move(desc));
}

// The source: the ItemReader over the host's object store (`items` null), or the Map's input
// array (`length` is then its size). Returns the failure that ends the run before it starts.
static std::optional<Failure> open_item_source(EngineImpl& e, Frame& f, DistributedRun& d,
                                               const json* items, std::size_t& length) {
  if (items != nullptr) {
    length = items->size();
    d.stream = array_item_stream(*items);
    return std::nullopt;
  }
  const State& s = f.graph->states[f.state];
  const ItemReaderSpec& r = *s.item_reader;
  IntrinsicEnv ienv{&f.execution->random};
  json params = json::object();
  if (r.parameters) {
    PathRoots roots{&f.effective, &e.context_for(f), f.vars()};
    Outcome<json> v = r.parameters->evaluate(roots, ienv);
    if (!v.ok()) {
      Failure fail = v.failure();
      if (fail.error_name() == errors::kRuntime && fail.cause)
        fail.cause = e.cause_prefix(f) + *fail.cause;
      return fail;
    }
    params = std::move(v).value();
  } else if (r.arguments) {
    JsonataEnv env = e.jsonata_env(f, nullptr, nullptr);
    Outcome<json> v = r.arguments->evaluate(env, "ItemReader.Arguments");
    if (!v.ok()) return e.evaluation_failed(f, v.take_failure(), "ItemReader");
    params = std::move(v).value();
  }
  if (r.max_items.present()) {
    Failure fail;
    std::optional<std::int64_t> n = dmap_count(e, f, r.max_items, fail);
    if (!n) return fail;
    if (*n <= 0) return reader_failed("field MaxItems must be positive");
    d.max_items = std::min<std::int64_t>(*n, 100000000);
  }
  json reader_config = r.source.contains("ReaderConfig") ? r.source["ReaderConfig"] : json();
  Result<ItemReaderConfig> cfg = parse_item_reader_config(r.resource, reader_config, params);
  if (!cfg.ok()) return reader_failed(cfg.status().message());
  if (!e.options.object_store) return reader_failed("no object store is configured");
  Result<std::unique_ptr<ItemStream>> st = open_item_stream(*e.options.object_store, *cfg);
  if (!st.ok()) return reader_failed(st.status().message());
  d.stream = std::move(st).value();
  return std::nullopt;
}

// ItemBatcher: the batch limits and the BatchInput every batch carries.
static std::optional<Failure> configure_batcher(EngineImpl& e, Frame& f, DistributedRun& d) {
  const ItemBatcherSpec& b = *f.graph->states[f.state].item_batcher;
  IntrinsicEnv ienv{&f.execution->random};
  d.batching = true;
  Failure fail;
  std::int64_t per = 0, bytes = 0;
  if (b.max_items_per_batch.present()) {
    std::optional<std::int64_t> n = dmap_count(e, f, b.max_items_per_batch, fail);
    if (!n) return fail;
    per = *n;
  }
  if (b.max_input_bytes_per_batch.present()) {
    std::optional<std::int64_t> n = dmap_count(e, f, b.max_input_bytes_per_batch, fail);
    if (!n) return fail;
    bytes = *n;
  }
  d.per_batch = per > 0 ? static_cast<std::size_t>(per) : SIZE_MAX;
  d.byte_limit = bytes > 0 ? static_cast<std::size_t>(bytes) : 256 * 1024;
  if (b.batch_input) {
    PathRoots roots{&f.effective, &e.context_for(f), f.vars()};
    Outcome<json> v = b.batch_input->evaluate(roots, ienv);
    if (!v.ok()) return runtime_failure(e.cause_prefix(f) + v.failure().cause.value_or(""));
    d.batch_input = std::move(v).value();
    d.has_batch_input = true;
  } else if (b.batch_input_jsonata) {
    JsonataEnv env = e.jsonata_env(f, nullptr, nullptr);
    Outcome<json> v = b.batch_input_jsonata->evaluate(env, "BatchInput");
    if (!v.ok()) return e.evaluation_failed(f, v.take_failure(), "ItemBatcher");
    d.batch_input = std::move(v).value();
    d.has_batch_input = true;
  }
  return std::nullopt;
}

// ResultWriter: its configuration, and the result file writer when results are exported.
static std::optional<Failure> configure_result_writer(EngineImpl& e, Frame& f, DistributedRun& d) {
  const State& s = f.graph->states[f.state];
  const json& rw = *s.result_writer;
  IntrinsicEnv ienv{&f.execution->random};
  json params;
  bool jsonata = s.query_language == QueryLanguage::kJSONata;
  const char* key = jsonata ? "Arguments" : "Parameters";
  if (rw.contains(key)) {
    std::vector<Diagnostic> diags;
    if (jsonata) {
      JsonataValue v = JsonataValue::compile(rw[key], "/ResultWriter/Arguments", diags);
      JsonataEnv env = e.jsonata_env(f, nullptr, nullptr);
      Outcome<json> out = v.evaluate(env, "ResultWriter.Arguments");
      if (!out.ok()) return e.evaluation_failed(f, out.take_failure(), "ResultWriter");
      params = std::move(out).value();
    } else {
      PayloadTemplate t = PayloadTemplate::compile(rw[key], "/ResultWriter/Parameters", diags);
      PathRoots roots{&f.effective, &e.context_for(f), f.vars()};
      Outcome<json> out = t.evaluate(roots, ienv);
      if (!out.ok()) return runtime_failure(e.cause_prefix(f) + out.failure().cause.value_or(""));
      params = std::move(out).value();
    }
  }
  Result<ResultWriterConfig> cfg = parse_result_writer_config(rw, params);
  if (!cfg.ok()) return Failure(std::string(errors::kResultWriterFailed), cfg.status().message());
  d.writer_config = *cfg;
  d.has_writer_config = true;
  if (cfg->exports) {
    if (!e.options.object_store) {
      return Failure(std::string(errors::kResultWriterFailed), "no object store is configured");
    }
    d.writer = std::make_unique<ResultFileWriter>(*e.options.object_store, *cfg, d.arn, d.run_id);
  }
  return std::nullopt;
}

void EngineImpl::start_distributed_map(Frame& f, const json* items) {
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  auto run = std::make_shared<DistributedRun>();
  DistributedRun& d = *run;
  f.kids.mut().dmap = run;
  std::unique_ptr<ChildSet::DistributedResume> resume = std::move(f.kids.mut().dmap_resume);
  std::vector<std::unique_ptr<Frame>> loaded;  // running children read from the checkpoint
  loaded.swap(f.kids.mut().frames);
  f.kids.mut().failure.reset();
  if (!resume) f.kids.mut().failed = 0;

  begin_map_run(*this, f, d, resume.get());
  std::size_t length = 0;
  std::optional<Failure> failure = open_item_source(*this, f, d, items, length);
  if (!failure && s.item_batcher) failure = configure_batcher(*this, f, d);
  if (!failure && s.result_writer) failure = configure_result_writer(*this, f, d);
  if (failure) {
    // The run ends before its first child: MapRunFailed follows once the phase runs.
    emit(ex, &f, EventKind::kMapStateStarted, {{"length", length}});
    emit(ex, &f, EventKind::kMapRunStarted, {{"mapRunArn", d.arn}});
    d.failure = std::move(failure);
    f.phase = Frame::Phase::kChildrenDone;
    return;
  }

  if (resume)
    return resume_distributed_map(f, std::move(resume->state), std::move(resume->done),
                                  std::move(loaded));
  emit(ex, &f, EventKind::kMapStateStarted, {{"length", length}});
  emit(ex, &f, EventKind::kMapRunStarted, {{"mapRunArn", d.arn}});
  f.phase = Frame::Phase::kChildren;
  dmap_fill(f);
  if (f.kids->dmap && d.running == 0 && f.phase == Frame::Phase::kChildren) {
    f.phase = Frame::Phase::kChildrenDone;
  }
}

// Pulls the next selected item. False at the end or on a failure (`d.failure` set).
bool EngineImpl::dmap_next_item(Frame& f, json& out) {
  DistributedRun& d = *f.kids->dmap;
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  if (d.exhausted || d.failure) return false;
  if (d.max_items >= 0 && static_cast<std::int64_t>(d.read) >= d.max_items) {
    d.exhausted = true;
    return false;
  }
  json item;
  Result<bool> got = d.stream->next(item);
  if (!got.ok()) {
    d.failure = reader_failed(got.status().message());
    return false;
  }
  if (!*got) {
    d.exhausted = true;
    return false;
  }
  std::size_t index = d.read++;
  const PayloadTemplate* selector =
      s.item_selector ? &*s.item_selector : (s.parameters ? &*s.parameters : nullptr);
  if (s.item_selector_jsonata) {
    json& mctx = context_object(f);
    mctx["Map"] = {{"Item", {{"Index", index}, {"Value", std::move(item)}}}};
    JsonataEnv jenv = jsonata_env(f, nullptr, nullptr);
    jenv.context = &mctx;
    Outcome<json> v = s.item_selector_jsonata->evaluate(jenv, "ItemSelector");
    mctx.erase("Map");
    if (!v.ok()) {
      d.failure = evaluation_failed(f, v.take_failure(), "ItemSelector");
      return false;
    }
    out = std::move(v).value();
    return true;
  }
  if (selector == nullptr) {
    out = std::move(item);
    return true;
  }
  json& mctx = context_object(f);
  mctx["Map"] = {{"Item", {{"Index", index}, {"Value", std::move(item)}}}};
  IntrinsicEnv env{&ex.random};
  PathRoots roots{&f.effective, &mctx, f.vars()};
  Outcome<json> v = selector->evaluate(roots, env);
  mctx.erase("Map");
  if (!v.ok()) {
    Failure fail = v.failure();
    if (fail.error_name() == errors::kRuntime && fail.cause)
      fail.cause = cause_prefix(f) + *fail.cause;
    d.failure = std::move(fail);
    return false;
  }
  out = std::move(v).value();
  return true;
}

// The next child input (an item, or a batch). False at the end or on a failure.
bool EngineImpl::dmap_next_input(Frame& f, json& out) {
  DistributedRun& d = *f.kids->dmap;
  if (!d.batching) return dmap_next_item(f, out);
  json batch = json::array();
  std::size_t bytes = 0;
  for (;;) {
    json item;
    if (d.pending) {
      item = std::move(*d.pending);
      d.pending.reset();
    } else if (!dmap_next_item(f, item)) {
      break;
    }
    std::size_t sz = item.dump().size();
    if (sz > d.byte_limit) {
      d.failure = Failure(std::string(errors::kItemReaderFailed),
                          fmt::format("The item at index {} is {} bytes, larger than the batch "
                                      "limit of {} bytes (MaxInputBytesPerBatch).",
                                      d.read - 1, sz, d.byte_limit));
      return false;
    }
    if (!batch.empty() && bytes + sz > d.byte_limit) {
      d.pending = std::move(item);
      break;
    }
    bytes += sz;
    batch.push_back(std::move(item));
    if (batch.size() >= d.per_batch) break;
  }
  if (d.failure || batch.empty()) return false;
  out = json::object();
  if (d.has_batch_input) out["BatchInput"] = d.batch_input;
  out["Items"] = std::move(batch);
  return true;
}

// Starts children until MaxConcurrency is reached or the source ends.
void EngineImpl::dmap_fill(Frame& f) {
  DistributedRun& d = *f.kids->dmap;
  const State& s = f.graph->states[f.state];
  Execution& ex = *f.execution;
  MapRunDescription& desc = ex.map_runs[d.run_index];
  while (d.running < f.kids->max_concurrency && !d.failure) {
    json input;
    if (!dmap_next_input(f, input)) break;
    std::size_t i = d.next_child++;
    std::size_t slot;
    if (!d.free_slots.empty()) {
      slot = d.free_slots.back();
      d.free_slots.pop_back();
    } else {
      slot = f.kids->frames.size();
      f.kids.mut().frames.emplace_back();
    }
    d.slot_of[i] = slot;
    ++d.running;
    ++desc.item_counts.running;
    ++desc.execution_counts.running;
    std::string name = uuid_like(d.run_id, i);
    std::size_t log = SIZE_MAX;
    if (ex.options.record_history && desc.children.size() < options.max_recorded_child_executions) {
      log = desc.children.size();
      MapRunDescription::Child c;
      c.execution_arn = fmt::format("arn:{}:states:{}:{}:execution:{}/{}:{}", options.partition,
                                    options.region, options.account, ex.options.state_machine_name,
                                    s.label.value_or(s.name), name);
      c.status = "RUNNING";
      desc.children.push_back(std::move(c));
    }
    bool need_meta =
        d.writer && d.writer_config.transformation == ResultWriterConfig::Transformation::kNone;
    std::string input_text = (need_meta || log != SIZE_MAX) ? input.dump() : std::string();
    if (need_meta) d.meta[i] = {input_text, format_now()};
    // The child execution's own context object.
    std::string sm = fmt::format("{}/{}", ex.options.state_machine_name, s.label.value_or(s.name));
    auto ctx = std::make_shared<json>(json::object());
    (*ctx)["Execution"] = {
        {"Id", fmt::format("arn:{}:states:{}:{}:execution:{}:{}", options.partition, options.region,
                           options.account, sm, name)},
        {"Input", input},
        {"Name", name},
        {"RoleArn", options.role_arn},
        {"StartTime", format_now()},
        {"RedriveCount", 0}};
    (*ctx)["StateMachine"] = {
        {"Id", fmt::format("arn:{}:states:{}:{}:stateMachine:{}", options.partition, options.region,
                           options.account, sm)},
        {"Name", sm}};
    (*ctx)["State"] = {{"EnteredTime", ""}, {"Name", ""}};
    auto child = new_frame(ex, &f, s.processor.get(), std::move(input), i);
    child->child_context = std::move(ctx);
    child->child_run = static_cast<std::int64_t>(d.run_index);
    child->child_log = log;
    child->outer_scope = nullptr;  // no outer variables in a child execution
    if (log != SIZE_MAX) {
      emit(ex, child.get(), EventKind::kExecutionStarted,
           {{"input", input_text},
            {"inputDetails", {{"truncated", false}}},
            {"roleArn", options.role_arn}});
    }
    child->last_event_id = 0;
    schedule(child.get());
    f.kids.mut().frames[slot] = std::move(child);
  }
  touch(f, 1);
}

void EngineImpl::dmap_fail_run(Frame& f, Failure failure) {
  DistributedRun& d = *f.kids->dmap;
  if (!d.failure) d.failure = std::move(failure);
  for (auto& c : f.kids->frames) {
    if (c && c->phase != Frame::Phase::kFinished) abort_frame(*c, /*record=*/false);
  }
  f.phase = Frame::Phase::kChildrenDone;
  schedule(&f);
}

// A child execution ended: the Map Run's running counts drop, and the child's own history
// (when recorded) gets its ExecutionSucceeded/ExecutionFailed event.
static void note_child_ended(EngineImpl& e, Frame& child, DistributedRun& d,
                             const std::optional<json>& result,
                             const std::optional<Failure>& failure) {
  Execution& ex = *child.execution;
  MapRunDescription& desc = ex.map_runs[d.run_index];
  --d.running;
  --desc.item_counts.running;
  --desc.execution_counts.running;
  if (child.child_log == SIZE_MAX) return;
  MapRunDescription::Child& c = desc.children[child.child_log];
  c.status = failure ? "FAILED" : "SUCCEEDED";
  if (failure) {
    json det = json::object();
    if (failure->error) det["error"] = *failure->error;
    if (failure->cause) det["cause"] = *failure->cause;
    e.emit(ex, &child, EventKind::kExecutionFailed, std::move(det));
  } else {
    e.emit(ex, &child, EventKind::kExecutionSucceeded,
           {{"output", result->dump()}, {"outputDetails", {{"truncated", false}}}});
  }
}

// The child execution as a ResultWriter result entry (AWS's SUCCEEDED_n/FAILED_n.json shape),
// when the results are exported or kept untransformed; null otherwise.
static json child_result_record(EngineImpl& e, Frame& parent, std::size_t idx, DistributedRun& d,
                                const std::optional<json>& result,
                                const std::optional<Failure>& failure) {
  bool need_record = d.writer || (failure && d.has_writer_config) ||
                     (d.has_writer_config &&
                      d.writer_config.transformation == ResultWriterConfig::Transformation::kNone);
  if (!need_record) return json();
  Execution& ex = *parent.execution;
  const EngineOptions& options = e.options;
  const State& s = parent.graph->states[parent.state];
  std::string name = uuid_like(d.run_id, idx);
  auto m = d.meta.find(idx);
  json record = {
      {"ExecutionArn",
       fmt::format("arn:{}:states:{}:{}:execution:{}/{}:{}", options.partition, options.region,
                   options.account, ex.options.state_machine_name, s.label.value_or(s.name), name)},
      {"Input", m != d.meta.end() ? m->second.input : std::string()},
      {"InputDetails", {{"Included", true}}},
      {"Name", name},
      {"RedriveCount", 0},
      {"RedriveStatus", failure ? "REDRIVABLE" : "NOT_REDRIVABLE"},
      {"RedriveStatusReason", failure ? "" : "Execution is SUCCEEDED and cannot be redriven"},
      {"StartDate", m != d.meta.end() ? m->second.start : e.format_now()},
      {"StateMachineArn", e.state_machine_arn(ex)},
      {"Status", failure ? "FAILED" : "SUCCEEDED"},
      {"StopDate", e.format_now()}};
  if (failure) {
    record["Error"] = failure->error.value_or("");
    record["Cause"] = failure->cause.value_or("");
  } else {
    record["Output"] = result->dump();
    record["OutputDetails"] = {{"Included", true}};
  }
  if (m != d.meta.end()) d.meta.erase(m);
  return record;
}

// Delivers the child's result to the result files or the inline results, and checkpoints it
// (a resume re-delivers it instead of re-running the child). Fails if a result file write did.
static Status deliver_child_result(EngineImpl& e, Frame& child, DistributedRun& d,
                                   std::optional<json>& result,
                                   const std::optional<Failure>& failure, json record) {
  Execution& ex = *child.execution;
  MapRunDescription& desc = ex.map_runs[d.run_index];
  std::size_t idx = child.child_index;
  using T = ResultWriterConfig::Transformation;
  T t = d.has_writer_config ? d.writer_config.transformation : T::kCompact;
  if (d.writer) {
    const json& delivered = (failure || t == T::kNone) ? record : *result;
    if (ex.durable) {
      e.put_record(ex, "r:" + child.ckpt->key,
                   json{{"k", failure ? "F" : "S"}, {"v", delivered}}.dump());
    }
    Status st = d.writer->add(failure ? ResultKind::kFailed : ResultKind::kSucceeded, delivered);
    if (st.ok()) ++desc.item_counts.results_written;
    return st;
  }
  json value;
  if (failure) {
    value = d.has_writer_config ? record
                                : json{{"Error", failure->error.value_or("")},
                                       {"Cause", failure->cause.value_or("")}};
  } else if (t == T::kNone) {
    value = std::move(record);
  } else {
    value = std::move(*result);
  }
  if (ex.durable) e.put_record(ex, "r:" + child.ckpt->key, json{{"k", "I"}, {"v", value}}.dump());
  if (d.results.size() <= idx) d.results.get_ref<json::array_t&>().resize(idx + 1);
  d.results[idx] = std::move(value);
  return {};
}

// Frees the child's slot and frame now: memory stays bounded by the running children.
static void free_child(EngineImpl& e, Frame& parent, Frame& child, DistributedRun& d) {
  Execution& ex = *parent.execution;
  std::size_t idx = child.child_index;
  std::size_t slot = d.slot_of[idx];
  d.slot_of.erase(idx);
  d.free_slots.push_back(slot);
  if (ex.durable) {
    e.delete_record(ex, "f:" + child.ckpt->key);
    e.delete_record(ex, "d:" + child.ckpt->key);
  }
  e.forget_frame(child);
  e.frames.remove(child);
  e.frames.bury(std::move(parent.kids.mut().frames[slot]));
  e.touch(parent, 1);
}

// Whether the failed children so far exceed the Map's tolerated failures, by the rule the
// inline Map and TestState use (policy/map_tolerance.h): the count at once, the percentage
// against the item total once the source is exhausted (before that, only a percentage of 0 is
// known to be exceeded, at the first failure).
static bool run_exceeds_tolerance(const Frame& parent, const DistributedRun& d) {
  std::optional<std::uint64_t> total;
  if (d.exhausted) total = d.next_child;
  return exceeds_tolerance(map_tolerance(parent), d.failed, total);
}

void EngineImpl::dmap_child_finished(Frame& parent, Frame& child, std::optional<json> result,
                                     std::optional<Failure> failure) {
  DistributedRun& d = *parent.kids->dmap;
  MapRunDescription& desc = parent.execution->map_runs[d.run_index];
  note_child_ended(*this, child, d, result, failure);
  json record = child_result_record(*this, parent, child.child_index, d, result, failure);
  if (failure) {
    ++d.failed;
    ++parent.kids.mut().failed;
    ++desc.item_counts.failed;
    ++desc.execution_counts.failed;
  } else {
    ++d.succeeded;
    ++desc.item_counts.succeeded;
    ++desc.execution_counts.succeeded;
  }
  Status write_status = deliver_child_result(*this, child, d, result, failure, std::move(record));
  free_child(*this, parent, child, d);

  if (!write_status.ok()) {
    return dmap_fail_run(parent,
                         Failure(std::string(errors::kResultWriterFailed), write_status.message()));
  }
  if (failure && run_exceeds_tolerance(parent, d)) {
    return dmap_fail_run(parent, Failure(std::string(errors::kExceedToleratedFailureThreshold),
                                         "The specified tolerated failure threshold was exceeded"));
  }
  dmap_fill(parent);
  if (d.failure) return dmap_fail_run(parent, *d.failure);
  if (d.running == 0 && d.exhausted) {
    parent.phase = Frame::Phase::kChildrenDone;
    schedule(&parent);
  }
}

void EngineImpl::dmap_children_done(Frame& f) {
  std::shared_ptr<DistributedRun> run = std::move(f.kids->dmap);
  DistributedRun& d = *run;
  Execution& ex = *f.execution;
  MapRunDescription& desc = ex.map_runs[d.run_index];
  // Children still running when the run failed were aborted: AWS lists them in FAILED_n.json.
  if (d.writer && d.failure) {
    for (auto& c : f.kids->frames) {
      if (!c || c->phase == Frame::Phase::kFinished || !c->child_context) continue;
      const json& e = (*c->child_context)["Execution"];
      json record = {{"ExecutionArn", e.value("Id", std::string())},
                     {"Input", e.contains("Input") ? e["Input"].dump() : std::string()},
                     {"InputDetails", {{"Included", true}}},
                     {"Name", e.value("Name", std::string())},
                     {"RedriveCount", 0},
                     {"RedriveStatus", "REDRIVABLE"},
                     {"RedriveStatusReason", ""},
                     {"StartDate", e.value("StartTime", std::string())},
                     {"StateMachineArn", state_machine_arn(ex)},
                     {"Status", "ABORTED"},
                     {"StopDate", format_now()}};
      if (d.writer->add(ResultKind::kFailed, record).ok()) ++desc.item_counts.results_written;
    }
  }
  release_children(f);
  if (ex.durable) {
    for (std::size_t i = 0; i < d.next_child; ++i) {
      delete_record(ex, "r:" + f.ckpt->key + "." + std::to_string(i));
    }
  }
  // The tolerated percentage, now that the total is known.
  if (!d.failure && exceeds_tolerance(map_tolerance(f), d.failed, d.next_child)) {
    d.failure = Failure(std::string(errors::kExceedToleratedFailureThreshold),
                        "The specified tolerated failure threshold was exceeded");
  }
  json output;
  if (d.writer) {
    Result<json> out = d.writer->finish();
    if (!out.ok()) {
      if (!d.failure) {
        d.failure = Failure(std::string(errors::kResultWriterFailed), out.status().message());
      }
    } else {
      output = std::move(out).value();
    }
  } else if (!d.failure) {
    output = std::move(d.results);
    if (d.has_writer_config &&
        d.writer_config.transformation == ResultWriterConfig::Transformation::kFlatten) {
      json flat = json::array();
      for (json& r : output) {
        if (r.is_array()) {
          for (json& x : r) flat.push_back(std::move(x));
        } else {
          flat.push_back(std::move(r));
        }
      }
      output = std::move(flat);
    }
  }
  desc.item_counts.total = static_cast<std::int64_t>(d.next_child);
  desc.execution_counts.total = static_cast<std::int64_t>(d.next_child);
  desc.item_counts.aborted += desc.item_counts.running;
  desc.execution_counts.aborted += desc.execution_counts.running;
  desc.item_counts.running = desc.execution_counts.running = 0;
  for (auto& c : desc.children) {
    if (c.status == "RUNNING") c.status = "ABORTED";
  }
  desc.stop_date = now;
  if (d.failure) {
    desc.status = "FAILED";
    json det = json::object();
    if (d.failure->error) det["error"] = *d.failure->error;
    if (d.failure->cause) det["cause"] = *d.failure->cause;
    emit(ex, &f, EventKind::kMapRunFailed, std::move(det));
    emit(ex, &f, EventKind::kMapStateFailed, json());
    Failure failure = std::move(*d.failure);
    fail_state(*this, f, std::move(failure));
    return;
  }
  desc.status = "SUCCEEDED";
  emit(ex, &f, EventKind::kMapRunSucceeded, json());
  emit(ex, &f, EventKind::kMapStateSucceeded, json());
  complete_result_state(*this, f, std::move(output));
}

// Resume: a Distributed Map that was running re-enters its state (a new Map Run).
void EngineImpl::restart_distributed_map(Frame& f) {
  std::function<void(Frame&)> drop = [&](Frame& c) {
    for (auto& g : c.kids->frames) {
      if (g) drop(*g);
    }
    c.aborted = true;
    forget_frame(c);
    frames.remove(c);
  };
  for (auto& c : f.kids.mut().frames) {
    if (!c) continue;
    drop(*c);
    frames.bury(std::move(c));
  }
  f.kids.mut().frames.clear();
  f.kids.mut().total = 0;
  f.kids.mut().failure.reset();
  if (!f.ckpt->entry_input.empty()) f.input = json::parse(f.ckpt->entry_input);
  f.phase = Frame::Phase::kEnter;
  touch(f, 2);
}

json distributed_run_state(const Frame& f) {
  const DistributedRun& d = *f.kids->dmap;
  json j = {{"id", d.run_id},    {"read", d.read},     {"next", d.next_child},
            {"ok", d.succeeded}, {"failed", d.failed}, {"exhausted", d.exhausted}};
  if (d.stream) j["pos"] = d.stream->position();
  if (d.pending) j["pending"] = *d.pending;
  if (d.failure) j["failure"] = failure_record(*d.failure);
  return j;
}

void EngineImpl::resume_distributed_map(Frame& f, json state, std::map<std::size_t, json> done,
                                        std::vector<std::unique_ptr<Frame>> loaded) {
  DistributedRun& d = *f.kids->dmap;
  Execution& ex = *f.execution;
  MapRunDescription& desc = ex.map_runs[d.run_index];
  d.read = state.value("read", std::size_t{0});
  d.next_child = state.value("next", std::size_t{0});
  d.succeeded = state.value("ok", std::size_t{0});
  d.failed = state.value("failed", std::size_t{0});
  d.exhausted = state.value("exhausted", false);
  if (state.contains("pending")) d.pending = state["pending"];
  if (state.contains("failure")) d.failure = failure_from_record(state["failure"]);
  if (d.stream && state.contains("pos")) {
    Status st = d.stream->seek(state["pos"]);
    if (!st.ok() && !d.failure) d.failure = reader_failed(st.message());
  }
  desc.item_counts.succeeded = desc.execution_counts.succeeded =
      static_cast<std::int64_t>(d.succeeded);
  desc.item_counts.failed = desc.execution_counts.failed = static_cast<std::int64_t>(d.failed);
  // Finished children: their results again, in index order.
  for (auto& [i, rec] : done) {
    std::string kind = rec.value("k", std::string("I"));
    if (d.writer) {
      Status st =
          d.writer->add(kind == "F" ? ResultKind::kFailed : ResultKind::kSucceeded, rec["v"]);
      if (st.ok()) {
        ++desc.item_counts.results_written;
      } else if (!d.failure) {
        d.failure = Failure(std::string(errors::kResultWriterFailed), st.message());
      }
    } else {
      if (d.results.size() <= i) d.results.get_ref<json::array_t&>().resize(i + 1);
      d.results[i] = std::move(rec["v"]);
    }
  }
  // Running children continue where they were.
  std::function<void(Frame&)> adopt = [&](Frame& c) {
    c.child_run = static_cast<std::int64_t>(d.run_index);
    c.child_log = SIZE_MAX;  // child histories are not checkpointed
    for (auto& g : c.kids->frames) {
      if (g) adopt(*g);
    }
  };
  for (auto& c : loaded) {
    if (!c) continue;
    adopt(*c);
    std::size_t slot = f.kids->frames.size();
    d.slot_of[c->child_index] = slot;
    if (c->phase != Frame::Phase::kFinished && !c->aborted) {
      ++d.running;
      ++desc.item_counts.running;
      ++desc.execution_counts.running;
    }
    f.kids.mut().frames.push_back(std::move(c));
  }
  f.phase = Frame::Phase::kChildren;
  if (d.failure) {
    dmap_fail_run(f, *d.failure);
    return;
  }
  dmap_fill(f);
  if (d.failure) {
    dmap_fail_run(f, *d.failure);
  } else if (d.running == 0 && d.exhausted) {
    f.phase = Frame::Phase::kChildrenDone;
    schedule(&f);
  }
}

// --- Engine accessors ---

}  // namespace stepwise::internal

namespace stepwise {

nlohmann::json MapRunDescription::to_json() const {
  auto counts = [](const MapRunCounts& c) {
    return nlohmann::json{{"pending", c.pending},     {"running", c.running},
                          {"succeeded", c.succeeded}, {"failed", c.failed},
                          {"timedOut", c.timed_out},  {"aborted", c.aborted},
                          {"total", c.total},         {"resultsWritten", c.results_written}};
  };
  nlohmann::json j = {{"mapRunArn", map_run_arn},
                      {"executionArn", execution_arn},
                      {"status", status},
                      {"startDate", internal::format_iso8601_millis(start_date)},
                      {"maxConcurrency", max_concurrency},
                      {"toleratedFailurePercentage", tolerated_failure_percentage},
                      {"toleratedFailureCount", tolerated_failure_count},
                      {"itemCounts", counts(item_counts)},
                      {"executionCounts", counts(execution_counts)},
                      {"redriveCount", 0}};
  if (stop_date != 0) j["stopDate"] = internal::format_iso8601_millis(stop_date);
  return j;
}

}  // namespace stepwise
