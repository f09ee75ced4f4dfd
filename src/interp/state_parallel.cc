// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Parallel (ASL-REFERENCE.md section 2.7): one child frame per branch on the effective input;
// the results in branch order; the first failure aborts the other branches and goes through
// the state's Retry and Catch (children_done in state_map.cc ends both Parallel and Map).
#include "interp/engine_impl.h"
#include "interp/inspection.h"
#include "interp/states.h"

namespace stepwise::internal {

void start_parallel(EngineImpl& e, Frame& f, const State& s) {
  Execution& ex = *f.execution;
  e.emit(ex, &f, EventKind::kParallelStateStarted, json());
  if (auto* in = inspecting(f); in && (in->children_result || in->children_failure)) {
    return finish_mocked_children(f, *in, s.branches.size());
  }
  f.kids.mut().frames.clear();
  f.kids.mut().results = json::array();
  f.kids.mut().failure.reset();
  for (std::size_t i = 0; i < s.branches.size(); ++i) {
    f.kids.mut().results.push_back(nullptr);
    auto child = e.new_frame(ex, &f, s.branches[i].get(), f.effective, i);
    child->last_event_id = f.last_event_id;
    e.schedule(child.get());
    f.kids.mut().frames.push_back(std::move(child));
  }
  f.kids.mut().pending = s.branches.size();
  f.kids.mut().total = s.branches.size();
  f.phase = Frame::Phase::kChildren;
}

void parallel_child_finished(EngineImpl& e, Frame& parent, Frame& child, std::optional<json> result,
                             std::optional<Failure> failure) {
  --parent.kids.mut().pending;
  if (failure) {
    e.abort_children_after_failure(parent, child, std::move(*failure));
    return;
  }
  parent.kids.mut().results[child.child_index] = std::move(*result);
  e.touch(parent, 1);
  if (parent.execution->durable) e.persist_child_done(parent, child);
  if (parent.kids.mut().pending == 0) {
    parent.phase = Frame::Phase::kChildrenDone;
    e.schedule(&parent);
  }
}

}  // namespace stepwise::internal
