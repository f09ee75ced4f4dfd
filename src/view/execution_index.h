// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Reads a GetExecutionHistory event list against the drawable graph: which states were
// entered (each entry a `Visit`, with its input/output events, attempts, errors and outcome),
// in which Map iteration or Parallel branch, and which transitions were taken.
//
// Events are grouped into frames (the root, one per Map iteration, one per Parallel branch)
// by following `previousEventId`: a state entered right after `MapIterationStarted` or
// `ParallelStateStarted` opens a new frame; any other event belongs to the frame of its
// previous event. Events that close or report on a state (`*StateExited`, task and Map
// events) attach to the nearest open entry of that frame or its ancestors, so a chain that
// jumps between frames (as AWS's sometimes does) still lands on the right entry. States are
// found by name, which is unique across a machine.
#ifndef STEPWISE_SRC_VIEW_EXECUTION_INDEX_H_
#define STEPWISE_SRC_VIEW_EXECUTION_INDEX_H_

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "graph/graph_model.h"
#include "stepwise/status.h"

namespace stepwise::internal {

struct Visit {
  int node = -1;      // graph node; -1 for a state the definition does not have
  std::string state;  // the state's name as the history gives it
  std::string type;   // from the event type, e.g. "Task"
  int frame = 0;
  int entered = -1;  // event position of *StateEntered
  int exited = -1;   // event position of *StateExited, -1 when none
  int attempts = 0;  // tasks scheduled (retries + 1) for Task states
  int failures = 0;  // failed attempts
  bool last_failed = false;
  bool aborted = false;
  std::string error, cause;
  std::string status;  // succeeded, failed, caught, retried, aborted, running
  // Map: iteration index → "succeeded", "failed", "aborted", "running".
  std::vector<std::pair<long long, std::string>> iterations;
  // Parallel: branch frames opened by this entry.
  std::vector<int> branch_frames;
};

struct ViewFrame {
  int parent = -1;
  int owner_visit = -1;  // the Map/Parallel entry that opened it
  long long index = 0;   // Map iteration index or Parallel branch index
  std::string context;   // e.g. "Process items #2 / Notify branch 1"
  int open_visit = -1;
  int last_visit = -1;
  std::vector<int> visits;
};

struct ExecutionIndex {
  std::vector<nlohmann::json> events;  // the events, in history order
  std::vector<int> event_visit;        // per event: the entry it belongs to, or -1
  std::vector<int> event_frame;
  std::vector<Visit> visits;
  std::vector<ViewFrame> frames;
  std::vector<std::string> node_status;  // per graph node (drawn nodes aggregate hidden ones)
  std::set<std::pair<int, int>> taken;   // (scope, edge index) transitions taken
  bool start_taken = false;
  bool end_taken = false;
  std::string status;  // SUCCEEDED, FAILED, TIMED_OUT, ABORTED, INCOMPLETE
  std::string error, cause;
  std::vector<std::string> unknown_states;
  std::vector<std::string> warnings;
};

// Fails with kInvalidArgument when `history` is not `{"events": [...]}` or an array of event
// objects with an integer `id` and a string `type`.
Result<ExecutionIndex> index_history(const DiagramGraph& graph, const nlohmann::json& history);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_VIEW_EXECUTION_INDEX_H_
