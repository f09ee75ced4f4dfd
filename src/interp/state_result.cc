// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// What every state type shares: the dispatch from the run loop to each state's pipeline, the
// end of a state with a result (Pass, Task, Parallel, Map), and Retry and Catch (ASL-REFERENCE.md
// sections 7, 8), whose rules are pure functions in policy/retry.h.
#include <fmt/format.h>

#include "interp/dataflow.h"
#include "interp/engine_impl.h"
#include "interp/inspection.h"
#include "interp/states.h"
#include "policy/retry.h"
#include "util/json_limits.h"

namespace stepwise::internal {
namespace {

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

// Schedules a retry after `delay_seconds`; the state's input processing runs again then.
void retry_after(EngineImpl& e, Frame& f, double delay_seconds) {
  if (!f.ckpt->kept_keys.empty()) e.drop_kept_records(f);
  ++f.retry_count;
  e.count_transition();
  auto delay = static_cast<std::int64_t>(delay_seconds * 1e9);
  f.retrying = true;
  if (delay <= 0) {
    f.phase = Frame::Phase::kTimerDone;
    return;
  }
  f.phase = Frame::Phase::kWaiting;
  e.set_timer(&f, e.now + delay);
}

// A Catcher matched: its output and assignments, then its Next.
void catch_failure(EngineImpl& e, Frame& f, const State& s, const Catcher& catcher,
                   const Failure& failure) {
  json error_output = json::object();
  error_output["Error"] = failure.error.value_or("");
  error_output["Cause"] = failure.cause.value_or("");
  ExitValues out;
  if (!dataflow_for(s).catch_exit(e, f, catcher, std::move(error_output), out)) return;
  f.effective = json();
  e.exit_state(f, std::move(out.output), catcher.next, &out.assigned);
}

}  // namespace

void run_state(EngineImpl& e, Frame& f) {
  const State& s = f.graph->states[f.state];
  switch (s.type) {
    case StateType::kPass:
      return run_pass(e, f, s);
    case StateType::kSucceed:
      return run_succeed(e, f, s);
    case StateType::kFail:
      return run_fail(e, f, s);
    case StateType::kChoice:
      return run_choice(e, f, s);
    case StateType::kWait:
      return run_wait(e, f, s);
    case StateType::kTask:
    case StateType::kParallel:
    case StateType::kMap:
      return run_work_state(e, f, s);
  }
}

void state_timer_done(EngineImpl& e, Frame& f) {
  if (f.retrying) {
    // A retry runs the state's input processing again, so `$$.State.RetryCount` is current in
    // Parameters/Arguments (no new StateEntered event).
    f.retrying = false;
    run_state(e, f);
    return;
  }
  wait_done(e, f, f.graph->states[f.state]);
}

void state_children_done(EngineImpl& e, Frame& f) {
  if (f.kids->dmap) return e.dmap_children_done(f);
  children_done(e, f, f.graph->states[f.state]);
}

void state_child_finished(EngineImpl& e, Frame& parent, Frame& child, std::optional<json> result,
                          std::optional<Failure> failure) {
  if (parent.aborted || parent.phase != Frame::Phase::kChildren) return;
  if (parent.kids->dmap) {
    return e.dmap_child_finished(parent, child, std::move(result), std::move(failure));
  }
  if (parent.graph->states[parent.state].type == StateType::kMap) {
    return map_child_finished(e, parent, child, std::move(result), std::move(failure));
  }
  parallel_child_finished(e, parent, child, std::move(result), std::move(failure));
}

void complete_result_state(EngineImpl& e, Frame& f, json raw_result, bool raw_checked) {
  const State& s = f.graph->states[f.state];
  if (auto* in = inspecting(f)) in->result = raw_result;
  ExitValues out;
  if (!dataflow_for(s).result_exit(e, f, s, raw_result, out)) return;
  // With no ResultSelector, ResultPath or OutputPath (JSONPath) the output is the result.
  bool output_is_result = raw_checked && s.query_language != QueryLanguage::kJSONata &&
                          !s.result_selector &&
                          s.result_path.kind == OptionalPath::Kind::kDefault &&
                          s.output_path.kind == OptionalPath::Kind::kDefault;
  if (auto cause = output_is_result
                       ? std::nullopt
                       : result_limit_cause(
                             out.output, {e.options.max_payload_bytes, e.options.max_payload_depth},
                             s.name)) {
    e.finish_frame(f, std::nullopt, Failure(std::string(errors::kDataLimitExceeded), *cause));
    return;
  }
  f.effective = json();
  e.exit_state(f, std::move(out.output), s.end ? kNoState : s.next, &out.assigned);
}

void fail_state(EngineImpl& e, Frame& f, Failure failure) {
  const State& s = f.graph->states[f.state];
  if (auto* in = inspecting(f); in && inspect_failure(*in, s, failure, f.retry_counters)) {
    return e.finish_frame(f, std::nullopt, std::move(failure));
  }
  std::string_view name = failure.error_name();
  // A heartbeat expiry is States.Timeout in the history and also States.HeartbeatTimeout for
  // Retry and Catch: the first rule naming either (or States.ALL) decides.
  bool heartbeat = f.task->heartbeat_expired && name == errors::kTimeout;
  if (f.task.has()) f.task.mut().heartbeat_expired = false;
  if (!is_terminal_error(name)) {
    RetryDecision d = decide_retry(s.retry, heartbeat ? heartbeat_match_name(s.retry) : name,
                                   f.retry_counters, f.execution->random);
    if (d.retry) return retry_after(e, f, d.delay_seconds);
    int c = find_catcher(s.catch_rules, heartbeat ? heartbeat_match_name(s.catch_rules) : name);
    if (c >= 0) {
      return catch_failure(e, f, s, s.catch_rules[static_cast<std::size_t>(c)], failure);
    }
  }
  e.finish_frame(f, std::nullopt, std::move(failure));
}

}  // namespace stepwise::internal
