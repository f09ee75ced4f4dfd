// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Choice (ASL-REFERENCE.md section 2.3): the first rule that matches (JSONPath's comparison
// operators, choice.cc; JSONata's Condition) names the next state and its Assign (and, in
// JSONata, its Output); else Default; else States.NoChoiceMatched.
#include "interp/dataflow.h"
#include "interp/engine_impl.h"
#include "interp/states.h"

namespace stepwise::internal {

void run_choice(EngineImpl& e, Frame& f, const State& s) {
  const DataFlow& flow = dataflow_for(s);
  InputView in;
  if (!flow.state_input(e, f, s, in)) return;
  const ChoiceBranch* match = nullptr;
  if (!flow.choose(e, f, s, in.get(), match)) return;
  if (match == nullptr && s.default_next == kNoState) {
    e.finish_frame(f, std::nullopt,
                   Failure(std::string(errors::kNoChoiceMatched),
                           e.cause_prefix(f) + "Failed to transition out of the state."));
    return;
  }
  ExitValues out;
  bool ok = match != nullptr ? flow.plain_exit(e, f, s, in, match->output, match->assign, out)
                             : flow.plain_exit(e, f, s, in, s.output, s.assign, out);
  if (!ok) return;
  e.exit_state(f, std::move(out.output), match != nullptr ? match->next : s.default_next,
               &out.assigned);
}

}  // namespace stepwise::internal
