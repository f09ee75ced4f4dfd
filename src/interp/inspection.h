// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The engine's side of TestState's inspection (interp/inspected_run.h): the hooks the state
// pipelines call to find the inspection of the frame they run, to record the Retry decision
// and to end a mocked Map's or Parallel's children. Defined in inspection.cc.
#ifndef STEPWISE_SRC_INTERP_INSPECTION_H_
#define STEPWISE_SRC_INTERP_INSPECTION_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "interp/execution.h"
#include "interp/inspected_run.h"
#include "parse/model.h"

namespace stepwise::internal {

// The inspection of `f` when it is running the tested state, else null.
inline Inspection* inspecting(const Frame& f) {
  Inspection* in = f.execution->inspection;
  return in != nullptr && f.parent == nullptr && f.state == in->state ? in : nullptr;
}

// Called by `fail_state` for the tested state: records the failure and the Retry decision.
// Returns true when a retrier matches with attempts left: the state then stops as RETRIABLE
// (TestState does not wait and retry). Otherwise exhausts `counters` so the engine goes on to
// Catch.
bool inspect_failure(Inspection& in, const State& s, const Failure& failure,
                     std::vector<std::int64_t>& counters);

// Map/Parallel under TestState with a mock: ends the children phase at once with the mocked
// result or failure (applying mapIterationFailureCount against the tolerated failure
// settings).
void finish_mocked_children(Frame& f, Inspection& in, std::size_t item_count);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_INSPECTION_H_
