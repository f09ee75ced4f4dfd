// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The interpreter's internal interface for TestState (src/test_state/, in stepwise::tools):
// what TestState sets before one state runs and reads back afterwards (`Inspection`), and
// `run_inspected`, which runs a machine with an inspection attached to its StartAt state. It
// is the one header of src/interp/ that the tools folders include (scripts/check_layers keeps
// it so), and it uses public types only. The engine's side of the hooks (`inspecting`, the
// Retry decision and mocked children) is in interp/inspection.h.
#ifndef STEPWISE_SRC_INTERP_INSPECTED_RUN_H_
#define STEPWISE_SRC_INTERP_INSPECTED_RUN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "stepwise/engine.h"
#include "stepwise/errors.h"
#include "stepwise/state_machine.h"
#include "stepwise/status.h"

namespace stepwise::internal {

// What TestState observes and overrides while one state runs. Normal executions have no
// `Inspection` (`Execution::inspection` is null) and pay one pointer test per hook.
struct Inspection {
  // --- Set by TestState before the run (`state` by run_inspected) ---
  StateId state = static_cast<StateId>(-1);  // the tested state in the root graph (kNoState)
  std::optional<nlohmann::json> context;     // replaces `$$` / `$states.context` entirely
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

// How the run ended, and what its history says about the tested state.
struct InspectedRun {
  ExecutionStatus status = ExecutionStatus::kRunning;
  nlohmann::json output;
  std::optional<std::string> error, cause;
  // The variables the tested state assigned (its StateExited event's `assignedVariables`,
  // each value parsed back from its JSON text): an object, empty when it assigned none.
  nlohmann::json assigned = nlohmann::json::object();
  // The state entered after the tested state exited (the transition taken), when one was.
  std::optional<std::string> next_entered;
};

// Starts `machine` (execution name "test-state") on an engine built from `options`, attaches
// `in` to the machine's StartAt state, sets `variables` (an object) in the root scope, and steps
// until the execution ends, waiting on the clock when everything is blocked. Fails as
// `Engine::start` does, or with kInternal when the state is blocked with nothing to wait for.
Result<InspectedRun> run_inspected(EngineOptions options,
                                   std::shared_ptr<const StateMachine> machine,
                                   const nlohmann::json& input, const nlohmann::json& variables,
                                   Inspection& in);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_INSPECTED_RUN_H_
