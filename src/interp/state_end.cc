// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The terminal states (ASL-REFERENCE.md sections 2.5, 2.6): Succeed ends its frame with its
// output; Fail ends it with an error and a cause, each a literal, a path, an intrinsic or a
// JSONata expression.
#include <fmt/format.h>

#include "interp/dataflow.h"
#include "interp/engine_impl.h"
#include "interp/states.h"

namespace stepwise::internal {

void run_succeed(EngineImpl& e, Frame& f, const State& s) {
  const DataFlow& flow = dataflow_for(s);
  InputView in;
  if (!flow.state_input(e, f, s, in)) return;
  ExitValues out;
  if (!flow.plain_exit(e, f, s, in, s.output, s.assign, out)) return;
  e.exit_state(f, std::move(out.output), kNoState, &out.assigned);
}

void run_fail(EngineImpl& e, Frame& f, const State& s) {
  // A Fail state has no InputPath; the step still records TestState's inspection data.
  InputView in;
  if (!dataflow_for(s).state_input(e, f, s, in)) return;
  Failure failure;
  if (!e.read_string_field(f, s.fail->error, failure.error) ||
      !e.read_string_field(f, s.fail->cause, failure.cause)) {
    return;
  }
  e.finish_frame(f, std::nullopt, std::move(failure));
}

}  // namespace stepwise::internal
