// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Drawing a state machine (docs/guide.md section 10), part of stepwise::tools: Graphviz DOT and
// Mermaid `flowchart TD` text for a loaded definition. Parallel branches and Map item processors
// (or the legacy `Iterator`) are clusters; Choice rules are labelled edges (`$.x == 3`, `Default`);
// Catch edges are dashed and labelled with their `ErrorEquals`; Retry rules appear in the state's
// label; the root has start and end markers. Node ids are generated (`s0`, `s1`, ...), so any state
// name (spaces, quotes, non-ASCII text) is safe: names appear only in escaped labels.
#ifndef STEPWISE_GRAPH_H_
#define STEPWISE_GRAPH_H_

#include <cstddef>
#include <string>

#include "stepwise/export.h"
#include "stepwise/state_machine.h"

namespace stepwise {

struct GraphOptions {
  // --- Behaviour ---
  // A Map or Parallel whose bodies hold more than this many states (nested ones included)
  // is drawn as one node that says how many states it holds. 0 never collapses.
  // Default: 40.
  std::size_t collapse_threshold = 40;
  // Longest label text in characters (state names, Choice rules); longer text is cut and
  // ends in "...". Default: 48.
  std::size_t max_label_chars = 48;
};

// The machine as a Graphviz `digraph`, valid input for `dot`. Never fails.
//
//   std::ofstream("machine.dot") << to_dot(*machine);  // then: dot -Tsvg machine.dot
STEPWISE_EXPORT std::string to_dot(const StateMachine& machine, const GraphOptions& options = {});

// The machine as a Mermaid `flowchart TD`. Never fails.
STEPWISE_EXPORT std::string to_mermaid(const StateMachine& machine,
                                       const GraphOptions& options = {});

}  // namespace stepwise

#endif  // STEPWISE_GRAPH_H_
