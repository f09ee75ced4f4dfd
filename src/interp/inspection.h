// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// What the TestState API (test_state.cc) observes and overrides while one state runs: the
// value after each step of the I/O pipeline, the Map settings it resolved, and the Retry/Catch
// decision. Normal executions have no `Inspection` (`Execution::inspection` is null) and pay one
// pointer test per hook.
#ifndef STEPWISE_SRC_INTERP_INSPECTION_H_
#define STEPWISE_SRC_INTERP_INSPECTION_H_

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "interp/execution.h"
#include "parse/model.h"
#include "util/outcome.h"

namespace stepwise::internal {

class EngineImpl;

struct Inspection {
  // --- Set by TestState before the run ---
  StateId state = kNoState;               // the tested state, in the root graph
  std::optional<nlohmann::json> context;  // replaces `$$` / `$states.context` entirely
  // Map/Parallel: the children are not run; this is their result (a mock's `result`)...
  std::optional<nlohmann::json> children_result;
  // ...or their failure (a mock's `errorOutput` with `errorCausedByState`).
  std::optional<Failure> children_failure;
  std::int64_t map_iteration_failure_count = 0;    // stateConfiguration.mapIterationFailureCount
  std::optional<nlohmann::json> item_reader_data;  // stateConfiguration.mapItemReaderData
  std::int64_t retrier_retry_count = 0;            // stateConfiguration.retrierRetryCount

  // --- Recorded during the run (DEBUG/TRACE inspection data) ---
  std::optional<nlohmann::json> after_input_path, after_parameters, after_arguments, result,
      after_result_selector, after_result_path, after_items_path, after_item_selector;
  std::optional<double> max_concurrency, tolerated_failure_count, tolerated_failure_percentage;
  std::optional<Failure> failure;  // the error the state's Retry/Catch saw
  std::optional<int> retry_index, catch_index;
  std::optional<double> retry_backoff_seconds;
  bool retriable = false;  // a retrier would retry: TestState stops and reports RETRIABLE
};

// The inspection of `f` when it is running the tested state, else null.
inline Inspection* inspecting(const Frame& f) {
  Inspection* in = f.execution->inspection;
  return in != nullptr && f.parent == nullptr && f.state == in->state ? in : nullptr;
}

// Called by `fail_state` for the tested state: records the failure and the Retry decision.
// Returns true when a retrier matches with attempts left: the state then stops as RETRIABLE
// (TestState does not wait and retry). Otherwise exhausts `counters` so the engine goes on to
// Catch. Defined in test_state.cc.
bool inspect_failure(Inspection& in, const State& s, const Failure& failure,
                     std::vector<std::int64_t>& counters);

// Map/Parallel under TestState with a mock: ends the children phase at once with the mocked
// result or failure (applying mapIterationFailureCount against the tolerated failure
// settings). Defined in test_state.cc.
void finish_mocked_children(Frame& f, Inspection& in, std::size_t item_count);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_INSPECTION_H_
