// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A layered (Sugiyama-style) layout of the drawable graph, top to bottom, for the execution
// page's SVG. Each scope is laid out on its own: longest-path layers over the transitions
// with back edges (loops) removed, dummy points for edges that skip layers, a few barycentre
// sweeps to reduce crossings, then x positions pulled towards each node's neighbours. An open
// Map or Parallel is one big node in its parent's layout: a header (the state) above its
// bodies, which are laid out recursively (Parallel branches side by side). Back edges run up
// the right-hand side. Text width is estimated from the number of code points.
#ifndef STEPWISE_SRC_GRAPH_LAYOUT_H_
#define STEPWISE_SRC_GRAPH_LAYOUT_H_

#include <string>
#include <vector>

#include "graph/graph_model.h"

namespace stepwise::internal {

struct Point {
  double x = 0;
  double y = 0;
};

struct Box {
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;
};

struct LaidOutEdge {
  int scope = 0;
  int edge = -1;  // index into the scope's edges; -1 for marker and body edges
  int from = -1;  // node index; -1 for the start marker
  int to = -1;    // node index; -1 for the end marker
  EdgeKind kind = EdgeKind::kNext;
  bool body = false;  // from a Map/Parallel header into one of its bodies
  std::string label;
  std::string path;  // SVG path data
  Point label_at;    // centre of the label
};

struct LaidOutNode {
  bool drawn = false;  // false inside collapsed containers
  Box box;             // the state's own box (the header of an open Map/Parallel)
  Box cluster;         // open Map/Parallel: the frame around header and bodies
  bool open = false;
  std::vector<std::string> lines;  // label lines: name, type/detail, retry
};

struct Layout {
  double width = 0;
  double height = 0;
  std::vector<LaidOutNode> nodes;  // one per graph node
  std::vector<Box> bodies;         // one per scope: the area of its states
  std::vector<LaidOutEdge> edges;
  Box start;  // the start marker (a circle in this box)
  Box end;    // the end marker
  bool has_end = false;
};

Layout layout_graph(const DiagramGraph& graph, const GraphOptions& options);

// Estimated width in pixels of `text` at the page's label font size.
double text_width(const std::string& text, double px_per_char);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_GRAPH_LAYOUT_H_
