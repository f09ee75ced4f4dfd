// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Pass (ASL-REFERENCE.md section 2.1): the state input (InputPath), its result (Result,
// Parameters, or the input), then the shared result pipeline (state_result.cc).
#include "interp/dataflow.h"
#include "interp/engine_impl.h"
#include "interp/states.h"

namespace stepwise::internal {

void run_pass(EngineImpl& e, Frame& f, const State& s) {
  const DataFlow& flow = dataflow_for(s);
  InputView in;
  if (!flow.state_input(e, f, s, in)) return;
  json result;
  if (!flow.pass_result(e, f, s, in, result)) return;
  complete_result_state(e, f, std::move(result));
}

}  // namespace stepwise::internal
