// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// One pipeline per state type. Each `state_<type>.cc` decides what its state does, in AWS's
// order, and reaches the query language's fields through `DataFlow` (dataflow.h):
//
//   state_pass.cc      Pass                  state_choice.cc    Choice
//   state_wait.cc      Wait                  state_end.cc       Succeed, Fail
//   state_task.cc      Task                  state_parallel.cc  Parallel
//   state_map.cc       Map (inline)
//   state_distributed_map.cc                 Map (distributed: Map Runs)
//   state_result.cc    the shared end of every state with a result (Pass, Task, Parallel,
//                      Map), Retry and Catch, and the dispatch below
//
// The run loop (engine.cc) calls `run_state` after the StateEntered event and on a retry, and
// the phase handlers when a task completes, a timer fires or the children end.
#ifndef STEPWISE_SRC_INTERP_STATES_H_
#define STEPWISE_SRC_INTERP_STATES_H_

#include <optional>

#include <nlohmann/json.hpp>

#include "interp/execution.h"
#include "policy/map_tolerance.h"

namespace stepwise::internal {

class EngineImpl;

// Dispatch on the state type (state_result.cc).
void run_state(EngineImpl& e, Frame& f);
void state_timer_done(EngineImpl& e, Frame& f);
void state_children_done(EngineImpl& e, Frame& f);
void state_child_finished(EngineImpl& e, Frame& parent, Frame& child,
                          std::optional<nlohmann::json> result, std::optional<Failure> failure);

// The pipelines.
void run_pass(EngineImpl& e, Frame& f, const State& s);
void run_choice(EngineImpl& e, Frame& f, const State& s);
void run_wait(EngineImpl& e, Frame& f, const State& s);
void wait_done(EngineImpl& e, Frame& f, const State& s);
void run_succeed(EngineImpl& e, Frame& f, const State& s);
void run_fail(EngineImpl& e, Frame& f, const State& s);
// Task, Parallel and Map: the effective input (kept for retries), then the work.
void run_work_state(EngineImpl& e, Frame& f, const State& s);
void start_task(EngineImpl& e, Frame& f, const State& s);
void finish_task(EngineImpl& e, Frame& f);
void start_parallel(EngineImpl& e, Frame& f, const State& s);
void parallel_child_finished(EngineImpl& e, Frame& parent, Frame& child,
                             std::optional<nlohmann::json> result, std::optional<Failure> failure);
void start_map(EngineImpl& e, Frame& f, const State& s);
void map_child_finished(EngineImpl& e, Frame& parent, Frame& child,
                        std::optional<nlohmann::json> result, std::optional<Failure> failure);
// Starts up to `at_most` more iterations within the Map's concurrency limit; when more could
// start, queues the Map frame to start them on its next turn.
void start_map_items(EngineImpl& e, Frame& f, std::size_t at_most);
// The Map frame's turn while its iterations run: starts the next chunk of items.
void continue_map_items(EngineImpl& e, Frame& f);
// The tolerated failures the Map running in `f` resolved when it started (ChildSet's -1 marks
// a field the state does not set), for policy/map_tolerance.h (state_map.cc).
MapTolerance map_tolerance(const Frame& f);
// Parallel and inline Map: all children ended (or one failed).
void children_done(EngineImpl& e, Frame& f, const State& s);

// Pass, Task, Parallel, Map with their result: Assign, ResultSelector, ResultPath, OutputPath
// (Output and Assign in JSONata), the payload limit, then the exit.
// `raw_checked`: `raw_result` has passed the payload limits already (a task result), so an
// output that is the result unchanged is not checked twice.
void complete_result_state(EngineImpl& e, Frame& f, nlohmann::json raw_result,
                           bool raw_checked = false);
// Fails the current state: Retry, then Catch, else the frame fails.
void fail_state(EngineImpl& e, Frame& f, Failure failure);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_STATES_H_
