// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The drawable form of a definition, shared by the DOT and Mermaid writers and the execution
// page: states as numbered nodes, each scope (the root, a Parallel branch, a Map processor)
// with its own transitions. It is built from the ASL JSON (`StateMachine::to_json()`), so it
// depends on nothing inside the parser. Design choices: transitions never cross scopes in
// ASL, so each scope is drawn (and laid out) on its own and nested as a cluster; a Map or
// Parallel over `collapse_threshold` states keeps its scopes here but is marked `collapsed`,
// and writers draw it as one node.
#ifndef STEPWISE_SRC_GRAPH_GRAPH_MODEL_H_
#define STEPWISE_SRC_GRAPH_GRAPH_MODEL_H_

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/graph.h"

namespace stepwise::internal {

enum class EdgeKind { kNext, kChoice, kDefault, kCatch };

struct GraphEdge {
  int from = -1;  // node index
  int to = -1;    // node index
  EdgeKind kind = EdgeKind::kNext;
  std::string label;  // the Choice rule, "Default", or the Catch's ErrorEquals
};

struct GraphNode {
  std::string name;
  std::string type;               // "Task", "Map", ...
  std::string pointer;            // RFC 6901 pointer of the state in the definition
  int scope = 0;                  // index of the scope holding the node
  std::vector<int> child_scopes;  // Parallel branches, or the Map's processor
  std::size_t nested_states = 0;  // states inside child scopes, recursively
  bool collapsed = false;         // drawn as one node (see GraphOptions::collapse_threshold)
  bool terminal = false;          // End: true, Succeed or Fail
  std::string retry;              // e.g. "retry Card.Busy x2"; empty without Retry
  std::string detail;             // a short note: Task resource, Wait time
};

struct GraphScope {
  int owner = -1;          // the Map or Parallel node; -1 for the root
  int branch = 0;          // branch index inside a Parallel
  int start = -1;          // node index of StartAt; -1 when StartAt names no state here
  std::vector<int> nodes;  // in definition order
  std::vector<GraphEdge> edges;
};

struct DiagramGraph {
  std::vector<GraphNode> nodes;
  std::vector<GraphScope> scopes;  // scopes[0] is the root

  // Node index of the state named `name`, or -1. State names are unique across a machine.
  int find(const std::string& name) const;
  // True when `node` is inside a collapsed ancestor (so it is not drawn itself).
  bool hidden(int node) const;
  // The node drawn for `node`: itself, or its outermost collapsed ancestor.
  int drawn(int node) const;
};

// Builds the graph of an ASL definition. Tolerates anything: fields of the wrong type are
// ignored, and transitions to unknown states are dropped.
DiagramGraph build_graph(const nlohmann::json& definition, const GraphOptions& options);

// A short readable form of one Choice rule, e.g. `$.x == 3`, `$.a is present and $.b < 2`.
std::string choice_rule_label(const nlohmann::json& rule);

// `text` cut to `max_chars` code points, ending in "..." when cut.
std::string shorten(const std::string& text, std::size_t max_chars);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_GRAPH_GRAPH_MODEL_H_
