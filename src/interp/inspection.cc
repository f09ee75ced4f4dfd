// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// TestState's inspection, the engine's side (interp/inspection.h, interp/inspected_run.h):
// the Retry decision and the mocked children of the tested state, and `run_inspected`, which
// runs the one-state machine TestState builds and reads the tested state's assigned variables
// and transition from the history. TestState itself (the request, the one-state machine, the
// response) is in src/test_state/, part of stepwise::tools.
#include "interp/inspection.h"

#include <algorithm>
#include <cmath>

#include "interp/engine_impl.h"
#include "policy/map_tolerance.h"
#include "policy/retry.h"

namespace stepwise::internal {

bool inspect_failure(Inspection& in, const State& s, const Failure& failure,
                     std::vector<std::int64_t>& counters) {
  in.failure = failure;
  std::string_view name = failure.error_name();
  if (is_terminal_error(name)) return false;
  for (std::size_t i = 0; i < s.retry.size(); ++i) {
    const Retrier& r = s.retry[i];
    if (!error_matches(r.error_equals, name)) continue;
    in.retry_index = static_cast<int>(i);
    if (in.retrier_retry_count < r.max_attempts) {
      double delay = static_cast<double>(r.interval_seconds) *
                     std::pow(r.backoff_rate, static_cast<double>(in.retrier_retry_count));
      if (r.max_delay_seconds) delay = std::min(delay, static_cast<double>(*r.max_delay_seconds));
      in.retry_backoff_seconds = delay;
      in.retriable = true;
      return true;
    }
    break;
  }
  // No retry: the engine goes on to Catch.
  for (std::size_t i = 0; i < s.retry.size() && i < counters.size(); ++i) {
    counters[i] = s.retry[i].max_attempts;
  }
  int c = find_catcher(s.catch_rules, name);
  if (c >= 0) in.catch_index = c;
  return false;
}

void finish_mocked_children(Frame& f, Inspection& in, std::size_t item_count) {
  f.kids.mut().frames.clear();
  if (in.children_failure) {
    f.kids.mut().failure = *in.children_failure;
  } else {
    // TestState checks only the fields the state sets (UnsetTolerance::kUnlimited).
    MapTolerance tolerance;
    if (in.tolerated_failure_count) {
      tolerance.count = static_cast<std::int64_t>(*in.tolerated_failure_count);
    }
    tolerance.percentage = in.tolerated_failure_percentage;
    std::uint64_t failed =
        static_cast<std::uint64_t>(std::max<std::int64_t>(in.map_iteration_failure_count, 0));
    if (exceeds_tolerance(tolerance, failed, item_count, UnsetTolerance::kUnlimited)) {
      f.kids.mut().failure = Failure(std::string(errors::kExceedToleratedFailureThreshold),
                                     "The specified tolerated failure threshold was exceeded");
    } else {
      f.kids.mut().results = *in.children_result;
    }
  }
  f.phase = Frame::Phase::kChildrenDone;
}

namespace {

// From the history: the variables the tested state (`name`) assigned, from its StateExited
// event, and the state entered next.
void read_tested_state_events(EngineImpl& engine, Execution& ex, const std::string& name,
                              InspectedRun& out) {
  std::int64_t exited_id = -1;
  for (const HistoryEvent& e : engine.read_history(ex)) {
    if (exited_id < 0 && e.type.ends_with("StateExited") && e.details.value("name", "") == name) {
      exited_id = e.id;
      if (e.details.contains("assignedVariables")) {
        for (auto it = e.details["assignedVariables"].begin();
             it != e.details["assignedVariables"].end(); ++it) {
          try {
            out.assigned[it.key()] = json::parse(it.value().get<std::string>());
          } catch (...) {
            out.assigned[it.key()] = it.value();
          }
        }
      }
    } else if (exited_id >= 0 && e.type.ends_with("StateEntered")) {
      out.next_entered = e.details.value("name", "");
      break;
    }
  }
}

}  // namespace

Result<InspectedRun> run_inspected(EngineOptions options,
                                   std::shared_ptr<const StateMachine> machine, const json& input,
                                   const json& variables, Inspection& in) {
  EngineImpl engine(std::move(options));
  StartOptions sopts;
  sopts.name = "test-state";
  Result<ExecutionId> id = engine.start(std::move(machine), input, sopts);
  if (!id.ok()) return id.status();
  Execution& ex = *engine.executions.get(*id);
  in.state = ex.model->root.start_at;
  ex.inspection = &in;
  for (auto it = variables.begin(); it != variables.end(); ++it) {
    ex.root->own_scope().set(it.key(), it.value());
  }
  while (ex.status == ExecutionStatus::kRunning) {
    StepReport r = engine.step({});
    if (ex.status != ExecutionStatus::kRunning) break;
    if (!engine.wait_for_progress(r)) {
      return internal_error("the state is blocked with nothing to wait for");
    }
  }
  InspectedRun out;
  read_tested_state_events(engine, ex, ex.model->root.states[in.state].name, out);
  out.status = ex.status;
  if (ex.end.has()) {
    out.output = std::move(ex.end.mut().output);
    out.error = std::move(ex.end.mut().error);
    out.cause = std::move(ex.end.mut().cause);
  }
  return out;
}

}  // namespace stepwise::internal
