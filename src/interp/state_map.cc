// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Map, inline (ASL-REFERENCE.md sections 2.8, 12): the items (ItemsPath or Items; an
// ItemReader's for a Distributed Map, state_distributed_map.cc), MaxConcurrency and the tolerated
// failures, each item's input (ItemSelector, or the deprecated Parameters), ItemBatcher, then
// one child frame per item, started a few at a time within the concurrency limit. Also the end
// of Parallel and inline Map alike (children_done).
#include <cmath>

#include <fmt/format.h>

#include "interp/engine_impl.h"
#include "interp/inspection.h"
#include "interp/states.h"
#include "policy/map_tolerance.h"
#include "util/json_text.h"

namespace stepwise::internal {
namespace {

// Map iterations started per turn of the Map frame (see start_map_items).
constexpr std::size_t kMapStartChunk = 16;

// Fails the Map with a States.Runtime cause.
void map_runtime(EngineImpl& e, Frame& f, const std::string& cause) {
  e.finish_frame(f, std::nullopt, runtime_failure(e.cause_prefix(f) + cause));
}

// A numeric field of the Map (MaxConcurrency, ToleratedFailure*, ItemBatcher's limits): a
// literal, a path (AWS accepts numbers written as strings, "1") or a JSONata expression.
bool map_number(EngineImpl& e, Frame& f, const DynamicField& d, bool integer,
                const PathRoots& roots, double& out) {
  if (d.kind() == DynamicField::Kind::kJsonata) {
    std::optional<double> v = e.jsonata_number(f, d, integer, 0);
    if (!v) return false;
    out = *v;
  } else if (d.kind() == DynamicField::Kind::kLiteral) {
    out = d.literal().get<double>();
  } else if (d.kind() == DynamicField::Kind::kPath) {
    const json* v = d.path().find(roots);
    json parsed;
    if (v != nullptr && v->is_string()) {
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
      map_runtime(
          e, f,
          fmt::format("The {} field refers to value \"{}\" which is not a valid {}: {}", d.field(),
                      v == nullptr ? "null" : (v->is_string() ? v->get<std::string>() : v->dump()),
                      integer ? "integer" : "float", d.path().text()));
      return false;
    }
    out = num->get<double>();
  }
  return true;
}

// The result type error of a JSONata Items expression.
Failure items_not_array(const State& s, const json& value) {
  std::string text(jsonata_body(s.items->source().get<std::string>()));
  auto b = text.find_first_not_of(' '), end = text.find_last_not_of(' ');
  text = b == std::string::npos ? "" : text.substr(b, end - b + 1);
  return Failure(std::string(errors::kQueryEvaluationError),
                 fmt::format("The JSONata expression '{}' specified for the field 'Items' "
                             "returned an unexpected result type. Expected 'array', but was "
                             "'{}' for value: {}",
                             text, json_type_name_of(value), value.dump()));
}

// The array the Map iterates over (JSONata's Items, JSONPath's ItemsPath, or the effective
// input); null after failing the state. `holder` keeps a computed array; a definite ItemsPath
// is a view into the effective input (each item is copied once, into its iteration's input).
const json* map_items(EngineImpl& e, Frame& f, const State& s, json& holder) {
  if (auto* in = inspecting(f); in && in->item_reader_data) {
    return &*in->item_reader_data;  // TestState supplies the reader's items
  }
  if (s.items && !s.items->is_constant()) {
    JsonataEnv env = e.jsonata_env(f, nullptr, nullptr);
    Outcome<json> v = s.items->evaluate(env, "Items");
    if (!v.ok()) {
      e.query_failed(f, v.take_failure(), "Items");
      return nullptr;
    }
    holder = std::move(v).value();
    if (!holder.is_array()) {
      e.query_failed(f, items_not_array(s, holder), "Items");
      return nullptr;
    }
    return &holder;
  }
  if (s.items) {
    holder = s.items->source();
    return &holder;
  }
  if (s.query_language == QueryLanguage::kJSONata && !f.effective.is_array()) {
    e.query_failed(
        f,
        Failure(std::string(errors::kQueryEvaluationError),
                fmt::format("Map state input must be an array but was: {}", f.effective.dump())),
        "Items");
    return nullptr;
  }
  if (s.items_path.kind != OptionalPath::Kind::kPath) return &f.effective;
  FrameContext ctx(e, f);
  PathRoots roots{&f.effective, &ctx, f.vars()};
  if (s.items_path.path.is_root_only() && s.items_path.path.root() == JsonPath::Root::kInput) {
    return &f.effective;
  }
  if (s.items_path.path.is_definite()) {
    if (const json* node = s.items_path.path.find(roots)) return node;
  }
  Outcome<json> r = s.items_path.path.evaluate(roots);
  if (!r.ok()) {
    map_runtime(e, f,
                fmt::format("Invalid path '{}' : {}", s.items_path.path.text(),
                            r.failure().cause.value_or("")));
    return nullptr;
  }
  holder = std::move(r).value();
  return &holder;
}

// MaxConcurrency and the tolerated failures, into the frame.
bool map_limits(EngineImpl& e, Frame& f, const State& s) {
  FrameContext ctx(e, f);
  PathRoots roots{&f.effective, &ctx, f.vars()};
  double max_conc = 0, tol_count = -1, tol_pct = -1;
  if (!map_number(e, f, s.max_concurrency, true, roots, max_conc)) return false;
  if (s.tolerated_failure_count.present() &&
      !map_number(e, f, s.tolerated_failure_count, true, roots, tol_count)) {
    return false;
  }
  if (s.tolerated_failure_percentage.present() &&
      !map_number(e, f, s.tolerated_failure_percentage, false, roots, tol_pct)) {
    return false;
  }
  if (s.tolerated_failure_count.present() && tol_count < 0) {
    map_runtime(e, f, "ToleratedFailureCount cannot be negative.");
    return false;
  }
  if (s.tolerated_failure_percentage.present() && (tol_pct < 0 || tol_pct > 100)) {
    map_runtime(e, f, "ToleratedFailurePercentage must be between 0 and 100.");
    return false;
  }
  if (max_conc < 0) {
    map_runtime(e, f, "MaxConcurrency cannot be negative.");
    return false;
  }
  if (auto* in = inspecting(f)) {
    in->max_concurrency = max_conc;
    if (s.tolerated_failure_count.present()) in->tolerated_failure_count = tol_count;
    if (s.tolerated_failure_percentage.present()) in->tolerated_failure_percentage = tol_pct;
  }
  f.kids.mut().max_concurrency = static_cast<std::size_t>(max_conc);
  if (f.kids.mut().max_concurrency == 0 && e.options.max_map_concurrency > 0) {
    f.kids.mut().max_concurrency = e.options.max_map_concurrency;
  }
  f.kids.mut().tolerated_count =
      s.tolerated_failure_count.present() ? static_cast<std::int64_t>(tol_count) : -1;
  f.kids.mut().tolerated_percentage = s.tolerated_failure_percentage.present() ? tol_pct : -1;
  return true;
}

// Each item's input: ItemSelector (or Parameters), with `$$.Map.Item` in scope; the item
// itself without one. False after failing the state.
bool select_items(EngineImpl& e, Frame& f, const State& s, const json& items,
                  std::vector<json>& inputs) {
  const PayloadTemplate* selector =
      s.item_selector ? &*s.item_selector : (s.parameters ? &*s.parameters : nullptr);
  const JsonataValue* jselector = s.item_selector_jsonata ? &*s.item_selector_jsonata : nullptr;
  inputs.reserve(items.size());
  IntrinsicEnv env{&f.execution->random};
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (jselector == nullptr && selector == nullptr) {
      inputs.push_back(items[i]);
      continue;
    }
    json& mctx = e.context_object(f);
    mctx["Map"] = {{"Item", {{"Index", i}, {"Value", items[i]}}}};
    Outcome<json> v = json();
    if (jselector != nullptr) {
      JsonataEnv jenv = e.jsonata_env(f, nullptr, nullptr);
      jenv.context = &mctx;
      v = jselector->evaluate(jenv, "ItemSelector");
    } else {
      PathRoots roots{&f.effective, &mctx, f.vars()};
      v = selector->evaluate(roots, env);
    }
    mctx.erase("Map");
    if (!v.ok() && jselector != nullptr) {
      e.query_failed(f, v.take_failure(), "ItemSelector");
      return false;
    }
    if (!v.ok()) {
      Failure fail = v.failure();
      if (fail.error_name() == errors::kRuntime && fail.cause)
        fail.cause = e.cause_prefix(f) + *fail.cause;
      e.finish_frame(f, std::nullopt, std::move(fail));
      return false;
    }
    inputs.push_back(std::move(v).value());
  }
  return true;
}

// ItemBatcher: the items grouped into {"BatchInput", "Items"} inputs by count and bytes.
bool batch_items(EngineImpl& e, Frame& f, const State& s, std::vector<json>& inputs) {
  FrameContext ctx(e, f);
  PathRoots roots{&f.effective, &ctx, f.vars()};
  double max_items = 0;
  const DynamicField& mi = s.item_batcher->max_items_per_batch;
  if (mi.present() && !map_number(e, f, mi, true, roots, max_items)) return false;
  double max_bytes = 0;
  const DynamicField& mb = s.item_batcher->max_input_bytes_per_batch;
  if (mb.present() && !map_number(e, f, mb, true, roots, max_bytes)) return false;
  std::optional<json> batch_input;
  if (s.item_batcher->batch_input) {
    IntrinsicEnv env{&f.execution->random};
    Outcome<json> v = s.item_batcher->batch_input->evaluate(roots, env);
    if (!v.ok()) {
      map_runtime(e, f, v.failure().cause.value_or(""));
      return false;
    }
    batch_input = std::move(v).value();
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
    if (batch_input) child["BatchInput"] = *batch_input;
    child["Items"] = std::move(b);
    inputs.push_back(std::move(child));
  }
  return true;
}

// MapStateStarted, then the iterations (or TestState's mocked result).
void launch_iterations(EngineImpl& e, Frame& f, std::vector<json> inputs) {
  Execution& ex = *f.execution;
  e.record(ex, &f, EventKind::kMapStateStarted, RecordShape::kMapStateStarted, nullptr,
           SharedText(), inputs.size());
  if (auto* in = inspecting(f); in && (in->children_result || in->children_failure)) {
    return finish_mocked_children(f, *in, inputs.size());
  }
  f.kids.mut().frames.clear();
  f.kids.mut().frames.resize(inputs.size());
  f.kids.mut().results = json::array();
  f.kids.mut().results.get_ref<json::array_t&>().resize(inputs.size());
  f.kids.mut().failure.reset();
  f.kids.mut().failed = 0;
  f.kids.mut().items = std::move(inputs);
  if (ex.durable) {
    // The selected items are written once; the frame record only counts progress.
    json items_record = json::array();
    for (const json& item : f.kids.mut().items) items_record.push_back(item);
    e.put_record(ex, "i:" + f.ckpt->key, json_text(items_record));
  }
  f.kids.mut().next_item = 0;
  f.kids.mut().running = 0;
  f.kids.mut().pending = f.kids.mut().items.size();
  f.kids.mut().total = f.kids.mut().items.size();
  if (f.kids.mut().pending == 0) {
    f.phase = Frame::Phase::kChildrenDone;
    return;
  }
  f.phase = Frame::Phase::kChildren;
  start_map_items(e, f, kMapStartChunk);
}

void start_next_map_item(EngineImpl& e, Frame& f, const State& s) {
  Execution& ex = *f.execution;
  std::size_t i = f.kids.mut().next_item++;
  ++f.kids.mut().running;
  e.record(ex, &f, EventKind::kMapIterationStarted, RecordShape::kMapIteration, &s, SharedText(),
           i);
  auto child = e.new_frame(ex, &f, s.processor.get(), std::move(f.kids.mut().items[i]), i);
  e.touch(f, 1);
  child->last_event_id = f.last_event_id;
  e.schedule(child.get());
  f.kids.mut().frames[i] = std::move(child);
}

}  // namespace

void start_map(EngineImpl& e, Frame& f, const State& s) {
  // TestState runs a Distributed Map's processor inline (its mocks stand in for the Map Run).
  const bool distributed = s.distributed && inspecting(f) == nullptr;
  const bool reader = distributed && s.item_reader;
  json holder;
  const json* items = nullptr;
  if (!reader) {
    items = map_items(e, f, s, holder);
    if (items == nullptr) return;
    if (!items->is_array()) {
      return map_runtime(
          e, f, fmt::format("Map state input must be an array but was: {}", items->dump()));
    }
    if (auto* in = inspecting(f)) in->after_items_path = *items;
  }
  if (!map_limits(e, f, s)) return;
  if (distributed) return e.start_distributed_map(f, items);  // null: read the ItemReader
  std::vector<json> inputs;
  if (!select_items(e, f, s, *items, inputs)) return;
  if (s.item_batcher && !batch_items(e, f, s, inputs)) return;
  launch_iterations(e, f, std::move(inputs));
}

// Iterations start a few at a time: the Map frame starts a chunk, then queues itself behind
// the iterations it started, which run (to their end, or until they block on a task or a
// timer) before it starts the next chunk. Every item within the concurrency limit still starts
// within the same step, so tasks are dispatched as concurrently as before, but the iterations
// that finish synchronously are freed before the next chunk starts: a Map of 10,000 items with
// MaxConcurrency 0 keeps tens of frames alive rather than 10,000.
void start_map_items(EngineImpl& e, Frame& f, std::size_t at_most) {
  f.kids.mut().starting_items = false;
  if (f.phase != Frame::Phase::kChildren) return;
  const State& s = f.graph->states[f.state];
  std::size_t limit =
      f.kids.mut().max_concurrency == 0 ? f.kids.mut().items.size() : f.kids.mut().max_concurrency;
  for (std::size_t n = 0; n < at_most && f.kids.mut().next_item < f.kids.mut().items.size() &&
                          f.kids.mut().running < limit;
       ++n) {
    start_next_map_item(e, f, s);
  }
  if (f.kids.mut().next_item < f.kids.mut().items.size() && f.kids.mut().running < limit) {
    f.kids.mut().starting_items = true;
    e.schedule(&f);
  }
}

void continue_map_items(EngineImpl& e, Frame& f) { start_map_items(e, f, kMapStartChunk); }

MapTolerance map_tolerance(const Frame& f) {
  MapTolerance tolerance;
  if (f.kids->tolerated_count >= 0) tolerance.count = f.kids->tolerated_count;
  if (f.kids->tolerated_percentage >= 0) tolerance.percentage = f.kids->tolerated_percentage;
  return tolerance;
}

void map_child_finished(EngineImpl& e, Frame& parent, Frame& child, std::optional<json> result,
                        std::optional<Failure> failure) {
  const State& s = parent.graph->states[parent.state];
  Execution& ex = *parent.execution;
  std::size_t idx = child.child_index;
  --parent.kids.mut().pending;
  --parent.kids.mut().running;
  if (failure) {
    e.emit(ex, &parent, EventKind::kMapIterationFailed, {{"name", s.name}, {"index", idx}});
    ChildSet& kids = parent.kids.mut();
    ++kids.failed;
    MapTolerance tolerance = map_tolerance(parent);
    if (exceeds_tolerance(tolerance, kids.failed, kids.frames.size())) {
      // Without tolerated failures the iteration's own error fails the Map.
      bool tolerant = tolerance.count || tolerance.percentage;
      Failure exceeded = tolerant
                             ? Failure(std::string(errors::kExceedToleratedFailureThreshold),
                                       "The specified tolerated failure threshold was exceeded")
                             : std::move(*failure);
      e.abort_children_after_failure(parent, child, std::move(exceeded));
      return;
    }
    parent.kids.mut().results[idx] =
        json{{"Error", failure->error.value_or("")}, {"Cause", failure->cause.value_or("")}};
  } else {
    e.record(ex, &parent, EventKind::kMapIterationSucceeded, RecordShape::kMapIteration, &s,
             SharedText(), idx);
    parent.kids.mut().results[idx] = std::move(*result);
  }
  e.touch(parent, 1);
  if (ex.durable) e.persist_child_done(parent, child);
  e.forget_frame(child);
  // Free the finished iteration now: memory stays bounded by running iterations. (The frame
  // may still be on the call stack: it is destroyed after this step's advance.)
  e.bury_child(parent, idx);
  // A freed slot takes the next item (the Map frame's own turn starts any others).
  start_map_items(e, parent, 1);
  if (parent.kids.mut().pending == 0) {
    parent.phase = Frame::Phase::kChildrenDone;
    e.schedule(&parent);
  }
}

void children_done(EngineImpl& e, Frame& f, const State& s) {
  Execution& ex = *f.execution;
  e.release_children(f);
  bool map = s.type == StateType::kMap;
  if (ex.durable) {
    // Results of finished children: deleted on success; on failure kept with the failed
    // children's records for a redrive until the state exits or retries.
    std::size_t started = map ? f.kids.mut().next_item : s.branches.size();
    for (std::size_t i = 0; i < started; ++i) {
      std::string key = "r:" + f.ckpt->key + "." + std::to_string(i);
      if (f.kids.mut().failure) {
        f.ckpt.mut().kept_keys.push_back(std::move(key));
      } else {
        e.delete_record(ex, std::move(key));
      }
    }
    if (map) {
      if (f.kids.mut().failure) {
        f.ckpt.mut().kept_keys.push_back("i:" + f.ckpt->key);
      } else {
        e.delete_record(ex, "i:" + f.ckpt->key);
      }
    }
  }
  f.kids.mut().items.clear();
  if (f.kids.mut().failure) {
    e.emit(ex, &f, map ? EventKind::kMapStateFailed : EventKind::kParallelStateFailed, json());
    Failure failure = std::move(*f.kids.mut().failure);
    f.kids.mut().failure.reset();
    fail_state(e, f, std::move(failure));
    return;
  }
  e.emit(ex, &f, map ? EventKind::kMapStateSucceeded : EventKind::kParallelStateSucceeded, json());
  json results = std::move(f.kids.mut().results);
  f.kids.mut().results = json();
  complete_result_state(e, f, std::move(results));
}

}  // namespace stepwise::internal
