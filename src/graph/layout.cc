// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The layered layout of layout.h. Every scope is measured bottom-up (its size depends on the
// sizes of the Map/Parallel containers in it), then placed top-down.
#include "graph/layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "util/utf8.h"

namespace stepwise::internal {
namespace {

constexpr double kNameCharW = 7.4;   // 12px bold sans-serif
constexpr double kSmallCharW = 6.2;  // 10.5px sans-serif
constexpr double kEdgeCharW = 6.0;   // 10px edge labels
constexpr double kPadX = 12;
constexpr double kNameLineH = 17;
constexpr double kSmallLineH = 14;
constexpr double kPadY = 8;
constexpr double kMinNodeW = 96;
constexpr double kNodeGap = 28;
constexpr double kRankGap = 56;
constexpr double kDummyW = 10;
constexpr double kMarker = 18;
constexpr double kClusterPad = 12;
constexpr double kBodyEntryGap = 30;
constexpr double kBranchLabelH = 18;
constexpr double kBranchGap = 16;
constexpr double kBackEdgeGap = 18;

struct Item {
  int node = -1;  // graph node; -1 start marker, -2 end marker, -3 dummy
  double w = 0, h = 0;
  int layer = 0;
  double pos = 0;                 // order inside the layer
  double x = 0;                   // centre
  double y = 0;                   // top
  std::vector<int> preds, succs;  // forward neighbours (after dummies are inserted)
};

struct LocalEdge {
  int a = 0, b = 0;
  int edge = -1;  // scope edge index, -1 for markers
  bool back = false;
  std::vector<int> chain;  // dummy items from a to b
};

Item make_item(int node, double w, double h) {
  Item it;
  it.node = node;
  it.w = w;
  it.h = h;
  return it;
}

LocalEdge make_edge(int a, int b, int edge) {
  LocalEdge e;
  e.a = a;
  e.b = b;
  e.edge = edge;
  return e;
}

// A scope's layout relative to its own origin.
struct ScopeLayout {
  double w = 0, h = 0;
  struct EdgeGeom {
    int edge = -1, from = -1, to = -1;
    bool back = false;
    std::vector<Point> pts;
    Point label_at;
    std::string label;
    EdgeKind kind = EdgeKind::kNext;
  };
  std::vector<EdgeGeom> edges;
  Box start, end;
};

// The working state of one scope's layout.
struct ScopeWork {
  std::vector<Item> items;  // the scope's nodes, the root's markers, then dummies
  std::vector<LocalEdge> edges;
  std::size_t real_items = 0;               // items before the dummies
  int start_item = -1, end_item = -1;       // the root's markers
  int start_node_item = -1;                 // the item of the scope's StartAt state
  std::vector<std::vector<int>> out_edges;  // per real item: its edges
  std::vector<int> preorder;                // per real item: depth-first discovery order
  std::vector<std::vector<int>> layers;     // items per layer, in order
  std::vector<double> layer_top, layer_h;
};

class Layouter {
 public:
  Layouter(const DiagramGraph& g, const GraphOptions& o) : g_(g), o_(o) {
    out_.nodes.resize(g.nodes.size());
    out_.bodies.resize(g.scopes.size());
    rel_.resize(g.nodes.size());
    rel_cluster_.resize(g.nodes.size());
    scope_layouts_.resize(g.scopes.size());
    scope_origin_in_owner_.resize(g.scopes.size());
  }

  Layout run() {
    if (g_.scopes.empty()) return out_;
    ScopeLayout& root = measure_scope(0);
    place_scope(0, Point{0, 0});
    out_.width = root.w;
    out_.height = root.h;
    out_.start = root.start;
    out_.end = root.end;
    return std::move(out_);
  }

 private:
  std::vector<std::string> lines_of(int n) const {
    const GraphNode& node = g_.nodes[n];
    std::vector<std::string> lines{shorten(node.name, o_.max_label_chars)};
    if (node.collapsed) {
      lines.push_back(node.type + ": " + std::to_string(node.nested_states) +
                      " states (collapsed)");
    } else {
      lines.push_back(shorten(node.detail.empty() ? node.type : node.type + ": " + node.detail,
                              o_.max_label_chars));
    }
    if (!node.retry.empty()) lines.push_back(shorten(node.retry, o_.max_label_chars));
    return lines;
  }

  // Sets the node's own box size (the header of an open container).
  void measure_node(int n) {
    LaidOutNode& ln = out_.nodes[n];
    ln.drawn = true;
    ln.lines = lines_of(n);
    double w = text_width(ln.lines[0], kNameCharW);
    for (std::size_t i = 1; i < ln.lines.size(); ++i) {
      w = std::max(w, text_width(ln.lines[i], kSmallCharW));
    }
    rel_[n].w = std::max(kMinNodeW, w + 2 * kPadX);
    rel_[n].h = kNameLineH + kSmallLineH * static_cast<double>(ln.lines.size() - 1) + 2 * kPadY;
  }

  bool open(int n) const { return !g_.nodes[n].child_scopes.empty() && !g_.nodes[n].collapsed; }

  // Measures node `n` as an item of its scope; returns its outer size.
  std::pair<double, double> measure_item(int n) {
    measure_node(n);
    if (!open(n)) return {rel_[n].w, rel_[n].h};
    out_.nodes[n].open = true;
    const GraphNode& gn = g_.nodes[n];
    bool parallel = gn.type == "Parallel";
    double bodies_w = 0, bodies_h = 0;
    std::vector<std::pair<double, double>> frames;
    for (int s : gn.child_scopes) {
      ScopeLayout& sl = measure_scope(s);
      double fw = sl.w + (parallel ? 2 * kClusterPad : 0);
      double fh = sl.h + (parallel ? kBranchLabelH + kClusterPad : 0);
      frames.emplace_back(fw, fh);
      bodies_w += fw;
      bodies_h = std::max(bodies_h, fh);
    }
    if (frames.size() > 1) bodies_w += kBranchGap * static_cast<double>(frames.size() - 1);
    double cw = std::max(rel_[n].w, bodies_w) + 2 * kClusterPad;
    double ch = kClusterPad + rel_[n].h + kBodyEntryGap + bodies_h + kClusterPad;
    rel_cluster_[n] = Box{0, 0, cw, ch};
    rel_[n].x = (cw - rel_[n].w) / 2;
    rel_[n].y = kClusterPad;
    double x = (cw - bodies_w) / 2;
    double y = kClusterPad + rel_[n].h + kBodyEntryGap;
    for (std::size_t i = 0; i < gn.child_scopes.size(); ++i) {
      int s = gn.child_scopes[i];
      double fw = frames[i].first;
      // Centre the body in its frame; a Parallel branch's label sits above its states.
      double inner_w = scope_layouts_[s].w;
      scope_origin_in_owner_[s] = Point{x + (fw - inner_w) / 2, y + (parallel ? kBranchLabelH : 0)};
      out_.bodies[s] = Box{x, y, fw, frames[i].second};  // relative for now
      x += fw + kBranchGap;
    }
    return {cw, ch};
  }

  // Lays out scope `s` relative to its own origin (its containers measured first, recursively):
  // items and edges, back edges, layers, crossing reduction, coordinates, edge geometry.
  ScopeLayout& measure_scope(int s) {
    ScopeLayout& sl = scope_layouts_[s];
    ScopeWork w = collect_items(s);
    mark_back_edges(w);
    assign_layers(w);
    insert_dummies(w);
    order_layers(w);
    assign_x(w);
    assign_y(w);
    edge_geometry(s, w, sl);
    spread_duplicate_labels(sl);
    fit_to_origin(w, sl);
    store_positions(s, w, sl);
    return sl;
  }

  // The scope's items (its nodes, then the root's start and end markers) and the edges
  // between them (the scope's transitions, then the markers' edges).
  ScopeWork collect_items(int s) {
    const GraphScope& sc = g_.scopes[s];
    bool root = s == 0;
    ScopeWork w;
    auto index_of = [&](int node) {
      auto it = std::lower_bound(sc.nodes.begin(), sc.nodes.end(), node);
      return static_cast<int>(it - sc.nodes.begin());
    };
    for (int n : sc.nodes) {
      auto [width, height] = measure_item(n);
      Item it;
      it.node = n;
      it.w = width;
      it.h = height;
      w.items.push_back(it);
    }
    if (root) {
      w.start_item = static_cast<int>(w.items.size());
      w.items.push_back(make_item(-1, kMarker, kMarker));
    }
    if (sc.start >= 0 && root) {
      w.edges.push_back(make_edge(w.start_item, index_of(sc.start), -1));
    }
    for (std::size_t e = 0; e < sc.edges.size(); ++e) {
      w.edges.push_back(
          make_edge(index_of(sc.edges[e].from), index_of(sc.edges[e].to), static_cast<int>(e)));
    }
    if (root) {
      bool any_terminal = false;
      for (int n : sc.nodes) any_terminal = any_terminal || g_.nodes[n].terminal;
      if (any_terminal) {
        w.end_item = static_cast<int>(w.items.size());
        w.items.push_back(make_item(-2, kMarker, kMarker));
        for (int n : sc.nodes) {
          if (g_.nodes[n].terminal) w.edges.push_back(make_edge(index_of(n), w.end_item, -1));
        }
      }
    }
    w.real_items = w.items.size();
    w.out_edges.resize(w.real_items);
    for (std::size_t e = 0; e < w.edges.size(); ++e) {
      w.out_edges[w.edges[e].a].push_back(static_cast<int>(e));
    }
    w.start_node_item = sc.start >= 0 ? index_of(sc.start) : -1;
    return w;
  }

  // Back edges by an iterative depth-first search from the start, then from the rest; the
  // preorder numbers are the first guess at each layer's order.
  static void mark_back_edges(ScopeWork& w) {
    std::vector<int> state(w.real_items, 0);  // 0 new, 1 on stack, 2 done
    w.preorder.assign(w.real_items, 0);
    int counter = 0;
    std::vector<int> roots;
    if (w.start_item >= 0) roots.push_back(w.start_item);
    if (w.start_node_item >= 0) roots.push_back(w.start_node_item);
    for (std::size_t i = 0; i < w.real_items; ++i) roots.push_back(static_cast<int>(i));
    for (int r : roots) {
      if (state[r] != 0) continue;
      std::vector<std::pair<int, std::size_t>> stack{{r, 0}};
      state[r] = 1;
      w.preorder[r] = counter++;
      while (!stack.empty()) {
        auto& [v, next] = stack.back();
        if (next < w.out_edges[v].size()) {
          LocalEdge& le = w.edges[w.out_edges[v][next++]];
          if (state[le.b] == 1) {
            le.back = true;
          } else if (state[le.b] == 0) {
            state[le.b] = 1;
            w.preorder[le.b] = counter++;
            stack.emplace_back(le.b, 0);
          }
        } else {
          state[v] = 2;
          stack.pop_back();
        }
      }
    }
  }

  // Longest-path layers over forward edges (Kahn's order); the end marker below everything.
  static void assign_layers(ScopeWork& w) {
    std::vector<Item>& items = w.items;
    std::vector<int> indegree(w.real_items, 0);
    for (const LocalEdge& le : w.edges) {
      if (!le.back) ++indegree[le.b];
    }
    std::vector<int> queue;
    for (std::size_t i = 0; i < w.real_items; ++i) {
      if (indegree[i] == 0) queue.push_back(static_cast<int>(i));
    }
    for (std::size_t q = 0; q < queue.size(); ++q) {
      int v = queue[q];
      for (int e : w.out_edges[v]) {
        const LocalEdge& le = w.edges[e];
        if (le.back) continue;
        items[le.b].layer = std::max(items[le.b].layer, items[v].layer + 1);
        if (--indegree[le.b] == 0) queue.push_back(le.b);
      }
    }
    if (w.end_item >= 0) {
      int max_layer = 0;
      for (std::size_t i = 0; i < w.real_items; ++i) {
        if (static_cast<int>(i) != w.end_item) max_layer = std::max(max_layer, items[i].layer);
      }
      items[w.end_item].layer = max_layer + 1;
    }
  }

  // Dummy items for forward edges that skip layers; links every forward edge's chain.
  static void insert_dummies(ScopeWork& w) {
    std::vector<Item>& items = w.items;
    for (LocalEdge& le : w.edges) {
      if (le.back) continue;
      int prev = le.a;
      for (int l = items[le.a].layer + 1; l < items[le.b].layer; ++l) {
        Item d = make_item(-3, kDummyW, 0);
        d.layer = l;
        int di = static_cast<int>(items.size());
        items.push_back(d);
        items[prev].succs.push_back(di);
        items[di].preds.push_back(prev);
        le.chain.push_back(di);
        prev = di;
      }
      items[prev].succs.push_back(le.b);
      items[le.b].preds.push_back(prev);
    }
  }

  // The items of each layer, ordered by preorder and then by barycentre sweeps.
  static void order_layers(ScopeWork& w) {
    std::vector<Item>& items = w.items;
    int layer_count = 0;
    for (const Item& it : items) layer_count = std::max(layer_count, it.layer + 1);
    w.layers.assign(layer_count, {});
    for (std::size_t i = 0; i < items.size(); ++i) {
      items[i].pos = i < w.real_items ? w.preorder[i] : 1e9;
      w.layers[items[i].layer].push_back(static_cast<int>(i));
    }
    // Dummies start next to their predecessor.
    for (int l = 0; l < layer_count; ++l) {
      for (int i : w.layers[l]) {
        if (items[i].node == -3 && !items[i].preds.empty()) {
          items[i].pos = items[items[i].preds[0]].pos + 0.5;
        }
      }
      renumber(items, w.layers[l]);
    }
    for (int sweep = 0; sweep < 6; ++sweep) {
      bool down = sweep % 2 == 0;
      for (int k = 0; k < layer_count; ++k) {
        int l = down ? k : layer_count - 1 - k;
        for (int i : w.layers[l]) {
          const std::vector<int>& nb = down ? items[i].preds : items[i].succs;
          if (nb.empty()) continue;
          double sum = 0;
          for (int j : nb) sum += items[j].pos;
          items[i].pos = sum / static_cast<double>(nb.size()) + 1e-3 * items[i].pos;
        }
        renumber(items, w.layers[l]);
      }
    }
  }

  // x: pack each layer, then pull it towards the neighbours' centres.
  static void assign_x(ScopeWork& w) {
    std::vector<Item>& items = w.items;
    int layer_count = static_cast<int>(w.layers.size());
    for (int l = 0; l < layer_count; ++l) {
      double x = 0;
      for (int i : w.layers[l]) {
        items[i].x = x + items[i].w / 2;
        x += items[i].w + kNodeGap;
      }
    }
    for (int pass = 0; pass < 4; ++pass) {
      bool down = pass % 2 == 0;
      for (int k = 0; k < layer_count; ++k) {
        int l = down ? k : layer_count - 1 - k;
        pull_layer(items, w.layers[l], down);
      }
    }
  }

  // Moves the items of `layer` towards the centres of their predecessors (`down`) or
  // successors, keeping their order and gaps, then shifts the layer back by the mean move.
  static void pull_layer(std::vector<Item>& items, const std::vector<int>& layer, bool down) {
    std::vector<double> desired;
    for (int i : layer) {
      const std::vector<int>& nb = down ? items[i].preds : items[i].succs;
      if (nb.empty()) {
        desired.push_back(items[i].x);
        continue;
      }
      double sum = 0;
      for (int j : nb) sum += items[j].x;
      desired.push_back(sum / static_cast<double>(nb.size()));
    }
    double prev_right = -std::numeric_limits<double>::infinity();
    double shift_sum = 0;
    for (std::size_t k2 = 0; k2 < layer.size(); ++k2) {
      Item& it = items[layer[k2]];
      it.x = std::max(desired[k2], prev_right + kNodeGap + it.w / 2);
      prev_right = it.x + it.w / 2;
      shift_sum += desired[k2] - it.x;
    }
    double shift = layer.empty() ? 0 : shift_sum / static_cast<double>(layer.size());
    for (int i : layer) items[i].x += shift;
  }

  // y: layers stacked, each node centred vertically in its layer.
  static void assign_y(ScopeWork& w) {
    int layer_count = static_cast<int>(w.layers.size());
    w.layer_top.assign(layer_count, 0);
    w.layer_h.assign(layer_count, 0);
    for (const Item& it : w.items) w.layer_h[it.layer] = std::max(w.layer_h[it.layer], it.h);
    double y = 0;
    for (int l = 0; l < layer_count; ++l) {
      w.layer_top[l] = y;
      y += w.layer_h[l] + kRankGap;
    }
    for (Item& it : w.items) it.y = w.layer_top[it.layer] + (w.layer_h[it.layer] - it.h) / 2;
  }

  // The points and label position of every edge: forward edges through their dummies, back
  // edges up the right-hand side, each further out than the last.
  void edge_geometry(int s, const ScopeWork& w, ScopeLayout& sl) const {
    const GraphScope& sc = g_.scopes[s];
    const std::vector<Item>& items = w.items;
    sl.edges.clear();
    std::vector<double> layer_right(w.layers.size(), -std::numeric_limits<double>::infinity());
    for (const Item& it : items) {
      layer_right[it.layer] = std::max(layer_right[it.layer], it.x + it.w / 2);
    }
    int back_count = 0;
    for (const LocalEdge& le : w.edges) {
      ScopeLayout::EdgeGeom eg;
      eg.edge = le.edge;
      eg.from = items[le.a].node >= 0 ? items[le.a].node : -1;
      eg.to = items[le.b].node >= 0 ? items[le.b].node : -1;
      eg.back = le.back;
      if (le.edge >= 0) {
        eg.label = shorten(sc.edges[le.edge].label, o_.max_label_chars);
        eg.kind = sc.edges[le.edge].kind;
      }
      const Item& a = items[le.a];
      const Item& b = items[le.b];
      if (le.back) {
        int lo = std::min(a.layer, b.layer), hi = std::max(a.layer, b.layer);
        double right = -std::numeric_limits<double>::infinity();
        for (int l = lo; l <= hi; ++l) right = std::max(right, layer_right[l]);
        double rx = right + kBackEdgeGap + 12.0 * back_count++;
        double ay = a.y + a.h / 2, by = b.y + b.h / 2;
        if (le.a == le.b) {
          ay = a.y + a.h * 0.7;
          by = a.y + a.h * 0.3;
        }
        eg.pts = {{a.x + a.w / 2, ay}, {rx, ay}, {rx, by}, {b.x + b.w / 2, by}};
        eg.label_at = {rx, (ay + by) / 2};
      } else {
        eg.pts.push_back({a.x, a.y + a.h});
        for (int d : le.chain) {
          eg.pts.push_back({items[d].x, w.layer_top[items[d].layer]});
          eg.pts.push_back({items[d].x, w.layer_top[items[d].layer] + w.layer_h[items[d].layer]});
        }
        eg.pts.push_back({b.x, b.y});
        eg.label_at = {(eg.pts[0].x + eg.pts[1].x) / 2, (eg.pts[0].y + eg.pts[1].y) / 2};
      }
      sl.edges.push_back(std::move(eg));
    }
  }

  // Labels of parallel duplicate edges (same ends) are spread apart.
  static void spread_duplicate_labels(ScopeLayout& sl) {
    for (std::size_t i = 0; i < sl.edges.size(); ++i) {
      int dup = 0;
      for (std::size_t j = 0; j < i; ++j) {
        if (sl.edges[j].from == sl.edges[i].from && sl.edges[j].to == sl.edges[i].to) ++dup;
      }
      sl.edges[i].label_at.y += 14.0 * dup;
    }
  }

  // The scope's size, labels included; shifts everything so that it starts at x = 0.
  static void fit_to_origin(ScopeWork& w, ScopeLayout& sl) {
    double min_x = std::numeric_limits<double>::infinity(), max_x = -min_x, max_y = 0;
    for (const Item& it : w.items) {
      min_x = std::min(min_x, it.x - it.w / 2);
      max_x = std::max(max_x, it.x + it.w / 2);
      max_y = std::max(max_y, it.y + it.h);
    }
    for (const auto& eg : sl.edges) {
      double half = eg.label.empty() ? 0 : text_width(eg.label, kEdgeCharW) / 2 + 4;
      for (const Point& p : eg.pts) {
        min_x = std::min(min_x, p.x);
        max_x = std::max(max_x, p.x + 2);
      }
      min_x = std::min(min_x, eg.label_at.x - half);
      max_x = std::max(max_x, eg.label_at.x + half);
    }
    if (w.items.empty()) min_x = max_x = 0;
    double dx = -min_x;
    for (Item& it : w.items) it.x += dx;
    for (auto& eg : sl.edges) {
      for (Point& p : eg.pts) p.x += dx;
      eg.label_at.x += dx;
    }
    sl.w = std::max(max_x - min_x, kMinNodeW);
    sl.h = max_y;
  }

  // Records the items' boxes: nodes (or their clusters) relative to the scope, and markers.
  void store_positions(int s, const ScopeWork& w, ScopeLayout& sl) {
    for (const Item& it : w.items) {
      Box b{it.x - it.w / 2, it.y, it.w, it.h};
      if (it.node >= 0) {
        if (open(it.node)) {
          rel_cluster_[it.node].x = b.x;
          rel_cluster_[it.node].y = b.y;
        } else {
          rel_[it.node].x = b.x;
          rel_[it.node].y = b.y;
        }
      } else if (it.node == -1) {
        sl.start = b;
      } else if (it.node == -2) {
        sl.end = b;
        if (s == 0) out_.has_end = true;
      }
    }
  }

  static void renumber(std::vector<Item>& items, std::vector<int>& layer) {
    std::stable_sort(layer.begin(), layer.end(),
                     [&](int a, int b) { return items[a].pos < items[b].pos; });
    for (std::size_t k = 0; k < layer.size(); ++k) items[layer[k]].pos = static_cast<double>(k);
  }

  // Turns relative positions into absolute ones, scope `s` having its origin at `origin`.
  void place_scope(int s, Point origin) {
    const GraphScope& sc = g_.scopes[s];
    ScopeLayout& sl = scope_layouts_[s];
    if (s == 0) out_.bodies[0] = Box{origin.x, origin.y, sl.w, sl.h};
    auto shift = [&](Point p) { return Point{p.x + origin.x, p.y + origin.y}; };
    for (int n : sc.nodes) {
      LaidOutNode& ln = out_.nodes[n];
      if (open(n)) {
        Box c = rel_cluster_[n];
        c.x += origin.x;
        c.y += origin.y;
        ln.cluster = c;
        ln.box = Box{c.x + rel_[n].x, c.y + rel_[n].y, rel_[n].w, rel_[n].h};
        for (int child : g_.nodes[n].child_scopes) {
          Box& fb = out_.bodies[child];
          fb.x += c.x;
          fb.y += c.y;
          Point co{c.x + scope_origin_in_owner_[child].x, c.y + scope_origin_in_owner_[child].y};
          place_scope(child, co);
          const GraphScope& cs = g_.scopes[child];
          if (cs.start >= 0) {
            const LaidOutNode& target = out_.nodes[cs.start];
            const Box& tb = target.open ? target.cluster : target.box;
            LaidOutEdge be;
            be.scope = child;
            be.from = n;
            be.to = cs.start;
            be.body = true;
            Point p0{ln.box.x + ln.box.w / 2, ln.box.y + ln.box.h};
            Point p1{tb.x + tb.w / 2, tb.y};
            be.path = curve({p0, p1});
            be.label_at = p1;
            out_.edges.push_back(std::move(be));
          }
        }
      } else {
        ln.box = Box{rel_[n].x + origin.x, rel_[n].y + origin.y, rel_[n].w, rel_[n].h};
      }
    }
    if (s == 0) {
      out_.start = Box{sl.start.x + origin.x, sl.start.y + origin.y, sl.start.w, sl.start.h};
      out_.end = Box{sl.end.x + origin.x, sl.end.y + origin.y, sl.end.w, sl.end.h};
    }
    for (const auto& eg : sl.edges) {
      LaidOutEdge le;
      le.scope = s;
      le.edge = eg.edge;
      le.from = eg.from;
      le.to = eg.to;
      le.kind = eg.kind;
      le.label = eg.label;
      std::vector<Point> pts;
      for (const Point& p : eg.pts) pts.push_back(shift(p));
      le.path = eg.back ? polyline(pts) : curve(pts);
      le.label_at = shift(eg.label_at);
      out_.edges.push_back(std::move(le));
    }
  }

  static std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", std::round(v * 10) / 10);
    return buf;
  }

  static std::string polyline(const std::vector<Point>& pts) {
    std::string d;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      d += (i == 0 ? "M" : " L") + num(pts[i].x) + " " + num(pts[i].y);
    }
    return d;
  }

  // Vertical cubic curves between consecutive points; straight where x does not change.
  static std::string curve(const std::vector<Point>& pts) {
    if (pts.empty()) return "";
    std::string d = "M" + num(pts[0].x) + " " + num(pts[0].y);
    for (std::size_t i = 1; i < pts.size(); ++i) {
      const Point& a = pts[i - 1];
      const Point& b = pts[i];
      if (std::abs(a.x - b.x) < 0.5) {
        d += " L" + num(b.x) + " " + num(b.y);
      } else {
        double my = (a.y + b.y) / 2;
        d += " C" + num(a.x) + " " + num(my) + " " + num(b.x) + " " + num(my) + " " + num(b.x) +
             " " + num(b.y);
      }
    }
    return d;
  }

  const DiagramGraph& g_;
  const GraphOptions& o_;
  Layout out_;
  std::vector<Box> rel_;          // node box: relative to its scope, or to its cluster if open
  std::vector<Box> rel_cluster_;  // open containers: cluster box relative to the scope
  std::vector<ScopeLayout> scope_layouts_;
  std::vector<Point> scope_origin_in_owner_;
};

}  // namespace

double text_width(const std::string& text, double px_per_char) {
  return static_cast<double>(utf8::count_code_points(text)) * px_per_char;
}

Layout layout_graph(const DiagramGraph& graph, const GraphOptions& options) {
  return Layouter(graph, options).run();
}

}  // namespace stepwise::internal
