// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests of the layered layout behind the execution page's SVG (src/graph/layout.cc): layers
// follow the longest path from the start, a layer's states sit side by side without overlap,
// back edges (loops, a Choice that returns to itself) run up the right-hand side, Map and
// Parallel are clusters holding their bodies (Parallel branches side by side), collapsed
// containers hide their states, and unreachable states and odd graphs still get a place.
#include "graph/layout.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graph/graph_model.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

constexpr double kEps = 1e-6;

struct Drawing {
  DiagramGraph graph;
  Layout layout;

  const LaidOutNode& node(const std::string& name) const {
    int n = graph.find(name);
    EXPECT_GE(n, 0) << name;
    return layout.nodes.at(static_cast<std::size_t>(n < 0 ? 0 : n));
  }
  // The box a state takes in its scope: the cluster of an open container, else its box.
  const Box& outer(const std::string& name) const {
    const LaidOutNode& ln = node(name);
    return ln.open ? ln.cluster : ln.box;
  }
  const LaidOutEdge* edge(const std::string& from, const std::string& to) const {
    int f = graph.find(from), t = graph.find(to);
    for (const LaidOutEdge& e : layout.edges) {
      if (!e.body && e.from == f && e.to == t) return &e;
    }
    return nullptr;
  }
};

Drawing draw(const json& definition, GraphOptions options = {}) {
  Drawing d;
  d.graph = build_graph(definition, options);
  d.layout = layout_graph(d.graph, options);
  return d;
}

double centre_x(const Box& b) { return b.x + b.w / 2; }
double bottom(const Box& b) { return b.y + b.h; }
double right(const Box& b) { return b.x + b.w; }

bool inside(const Box& inner, const Box& outer) {
  return inner.x >= outer.x - kEps && inner.y >= outer.y - kEps &&
         right(inner) <= right(outer) + kEps && bottom(inner) <= bottom(outer) + kEps;
}

bool overlap(const Box& a, const Box& b) {
  return a.x < right(b) - kEps && b.x < right(a) - kEps && a.y < bottom(b) - kEps &&
         b.y < bottom(a) - kEps;
}

json pass(const std::string& next) { return {{"Type", "Pass"}, {"Next", next}}; }
json end_pass() { return {{"Type", "Pass"}, {"End", true}}; }

// ---------------------------------------------------------------------------------------------
// Invariants over a table of shapes.

struct Shape {
  const char* name;
  json definition;
};

std::vector<Shape> shapes() {
  return {
      {"single state", {{"StartAt", "Only"}, {"States", {{"Only", end_pass()}}}}},
      {"chain",
       {{"StartAt", "A"}, {"States", {{"A", pass("B")}, {"B", pass("C")}, {"C", end_pass()}}}}},
      {"choice fan-out",
       {{"StartAt", "C"},
        {"States",
         {{"C",
           {{"Type", "Choice"},
            {"Choices",
             json::array({{{"Variable", "$.x"}, {"NumericEquals", 1}, {"Next", "One"}},
                          {{"Variable", "$.x"}, {"NumericEquals", 2}, {"Next", "Two"}}})},
            {"Default", "Other"}}},
          {"One", end_pass()},
          {"Two", end_pass()},
          {"Other", {{"Type", "Fail"}}}}}}},
      {"self-loop choice",
       {{"StartAt", "Again?"},
        {"States",
         {{"Again?",
           {{"Type", "Choice"},
            {"Choices",
             json::array({{{"Variable", "$.n"}, {"NumericLessThan", 3}, {"Next", "Again?"}}})},
            {"Default", "Done"}}},
          {"Done", {{"Type", "Succeed"}}}}}}},
      {"nested map in parallel",
       {{"StartAt", "Fan"},
        {"States",
         {{"Fan",
           {{"Type", "Parallel"},
            {"Branches",
             json::array({{{"StartAt", "Each"},
                           {"States",
                            {{"Each",
                              {{"Type", "Map"},
                               {"ItemProcessor",
                                {{"StartAt", "Work"},
                                 {"States", {{"Work", pass("Check")}, {"Check", end_pass()}}}}},
                               {"End", true}}}}}},
                          {{"StartAt", "Side"}, {"States", {{"Side", end_pass()}}}}})},
            {"Next", "Done"}}},
          {"Done", {{"Type", "Succeed"}}}}}}},
      {"unreachable state",
       {{"StartAt", "A"},
        {"States", {{"A", pass("B")}, {"B", end_pass()}, {"Orphan", pass("B")}}}}},
      {"no terminal state",
       {{"StartAt", "Ping"}, {"States", {{"Ping", pass("Pong")}, {"Pong", pass("Ping")}}}}},
      {"long names and labels",
       {{"StartAt", std::string(80, 'n')},
        {"States",
         {{std::string(80, 'n'),
           {{"Type", "Task"},
            {"Resource", "arn:aws:states:::lambda:invoke"},
            {"Retry", json::array({{{"ErrorEquals", {"States.ALL"}}}})},
            {"End", true}}}}}}},
  };
}

TEST(LayoutTest, EveryShapeFitsItsCanvasWithoutOverlaps) {
  for (const Shape& shape : shapes()) {
    SCOPED_TRACE(shape.name);
    Drawing d = draw(shape.definition);
    const Layout& lay = d.layout;
    ASSERT_EQ(lay.nodes.size(), d.graph.nodes.size());
    ASSERT_EQ(lay.bodies.size(), d.graph.scopes.size());
    Box canvas{0, 0, lay.width, lay.height};
    EXPECT_GT(lay.width, 0);
    EXPECT_GT(lay.height, 0);
    EXPECT_TRUE(inside(lay.start, canvas));
    if (lay.has_end) {
      EXPECT_TRUE(inside(lay.end, canvas));
    }
    for (std::size_t s = 0; s < d.graph.scopes.size(); ++s) {
      const GraphScope& scope = d.graph.scopes[s];
      SCOPED_TRACE("scope " + std::to_string(s));
      EXPECT_TRUE(inside(lay.bodies[s], canvas));
      for (std::size_t i = 0; i < scope.nodes.size(); ++i) {
        const LaidOutNode& a = lay.nodes[scope.nodes[i]];
        ASSERT_TRUE(a.drawn) << d.graph.nodes[scope.nodes[i]].name;
        const Box& ab = a.open ? a.cluster : a.box;
        EXPECT_TRUE(inside(ab, lay.bodies[s])) << d.graph.nodes[scope.nodes[i]].name;
        EXPECT_GE(a.box.w, 96 - kEps);  // the narrowest box
        for (std::size_t j = i + 1; j < scope.nodes.size(); ++j) {
          const LaidOutNode& b = lay.nodes[scope.nodes[j]];
          EXPECT_FALSE(overlap(ab, b.open ? b.cluster : b.box))
              << d.graph.nodes[scope.nodes[i]].name << " / " << d.graph.nodes[scope.nodes[j]].name;
        }
      }
    }
    for (const LaidOutEdge& e : lay.edges) {
      EXPECT_EQ(e.path.rfind("M", 0), 0u) << e.path;
      EXPECT_GE(e.label_at.x, -kEps);
      EXPECT_LE(e.label_at.x, lay.width + kEps);
    }
  }
}

TEST(LayoutTest, TheSameGraphGivesTheSameLayout) {
  for (const Shape& shape : shapes()) {
    SCOPED_TRACE(shape.name);
    Drawing a = draw(shape.definition);
    Drawing b = draw(shape.definition);
    ASSERT_EQ(a.layout.edges.size(), b.layout.edges.size());
    for (std::size_t i = 0; i < a.layout.edges.size(); ++i) {
      EXPECT_EQ(a.layout.edges[i].path, b.layout.edges[i].path);
    }
    for (std::size_t i = 0; i < a.layout.nodes.size(); ++i) {
      EXPECT_EQ(a.layout.nodes[i].box.x, b.layout.nodes[i].box.x);
      EXPECT_EQ(a.layout.nodes[i].box.y, b.layout.nodes[i].box.y);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Layers and ordering.

TEST(LayoutTest, ASingleStateSitsBetweenTheStartAndEndMarkers) {
  Drawing d = draw({{"StartAt", "Only"}, {"States", {{"Only", end_pass()}}}});
  const Box& only = d.node("Only").box;
  EXPECT_TRUE(d.layout.has_end);
  EXPECT_EQ(d.layout.start.w, 18);
  EXPECT_LT(bottom(d.layout.start), only.y);
  EXPECT_LT(bottom(only), d.layout.end.y);
  // One column: the markers are centred on the state.
  EXPECT_NEAR(centre_x(d.layout.start), centre_x(only), kEps);
  EXPECT_NEAR(centre_x(d.layout.end), centre_x(only), kEps);
  EXPECT_EQ(d.node("Only").lines, (std::vector<std::string>{"Only", "Pass"}));
  EXPECT_EQ(d.layout.edges.size(), 2u);  // start -> Only, Only -> end
}

TEST(LayoutTest, LayersFollowTheLongestPathFromTheStart) {
  // A -> B -> C and A -> C: C goes below B, and the edge A -> C bends around B's layer.
  Drawing d = draw(
      {{"StartAt", "A"},
       {"States",
        {{"A",
          {{"Type", "Choice"},
           {"Choices", json::array({{{"Variable", "$.x"}, {"IsPresent", true}, {"Next", "C"}}})},
           {"Default", "B"}}},
         {"B", pass("C")},
         {"C", end_pass()}}}});
  const Box& a = d.node("A").box;
  const Box& b = d.node("B").box;
  const Box& c = d.node("C").box;
  EXPECT_LT(bottom(a), b.y);
  EXPECT_LT(bottom(b), c.y);
  EXPECT_NEAR(b.y - bottom(a), c.y - bottom(b), kEps);  // the same gap between layers
  const LaidOutEdge* skip = d.edge("A", "C");
  ASSERT_NE(skip, nullptr);
  EXPECT_EQ(skip->kind, EdgeKind::kChoice);
  EXPECT_EQ(skip->label, "$.x is present");
  // Through a dummy point in B's layer: more segments than the direct A -> B edge.
  const LaidOutEdge* direct = d.edge("A", "B");
  ASSERT_NE(direct, nullptr);
  auto segments = [](const std::string& path) {
    return std::count(path.begin(), path.end(), 'C') + std::count(path.begin(), path.end(), 'L');
  };
  EXPECT_GT(segments(skip->path), segments(direct->path));
}

TEST(LayoutTest, ChoiceTargetsShareALayerSideBySide) {
  Drawing d = draw(shapes()[2].definition);  // choice fan-out
  const Box& one = d.node("One").box;
  const Box& two = d.node("Two").box;
  const Box& other = d.node("Other").box;
  EXPECT_NEAR(one.y, two.y, kEps);
  EXPECT_NEAR(one.y, other.y, kEps);
  std::vector<Box> row{one, two, other};
  std::sort(row.begin(), row.end(), [](const Box& x, const Box& y) { return x.x < y.x; });
  for (std::size_t i = 1; i < row.size(); ++i) {
    EXPECT_GE(row[i].x - right(row[i - 1]), 28 - kEps);  // at least the node gap apart
  }
  // Terminal states (End, Fail) each lead to the one end marker below them.
  EXPECT_GT(d.layout.end.y, bottom(one));
  int to_end = 0;
  for (const LaidOutEdge& e : d.layout.edges) to_end += e.to == -1 && e.from >= 0 ? 1 : 0;
  EXPECT_EQ(to_end, 3);
}

TEST(LayoutTest, ASelfLoopChoiceRunsUpTheRightHandSide) {
  Drawing d = draw(shapes()[3].definition);  // self-loop choice
  const Box& again = d.node("Again?").box;
  const LaidOutEdge* loop = d.edge("Again?", "Again?");
  ASSERT_NE(loop, nullptr);
  EXPECT_EQ(loop->kind, EdgeKind::kChoice);
  // A polyline (M ... L ...) leaving the right side low and coming back high.
  EXPECT_EQ(loop->path.find('C'), std::string::npos) << loop->path;
  EXPECT_NE(loop->path.find(" L"), std::string::npos) << loop->path;
  EXPECT_GT(loop->label_at.x, right(again));
  EXPECT_GT(loop->label_at.y, again.y);
  EXPECT_LT(loop->label_at.y, bottom(again));
  EXPECT_GE(d.layout.width, loop->label_at.x);
  // Done is below the loop.
  EXPECT_LT(bottom(again), d.node("Done").box.y);
}

TEST(LayoutTest, ABackEdgeDoesNotPushItsTargetDown) {
  Drawing d =
      draw({{"StartAt", "Try"},
            {"States",
             {{"Try", pass("Check")},
              {"Check",
               {{"Type", "Choice"},
                {"Choices",
                 json::array({{{"Variable", "$.ok"}, {"BooleanEquals", false}, {"Next", "Try"}}})},
                {"Default", "Done"}}},
              {"Done", {{"Type", "Succeed"}}}}}});
  EXPECT_LT(d.node("Try").box.y, d.node("Check").box.y);
  EXPECT_LT(d.node("Check").box.y, d.node("Done").box.y);
  const LaidOutEdge* back = d.edge("Check", "Try");
  ASSERT_NE(back, nullptr);
  EXPECT_GT(back->label_at.x, right(d.node("Check").box));
}

TEST(LayoutTest, UnreachableStatesStillGetAPlace) {
  Drawing d = draw(shapes()[5].definition);  // unreachable state
  const LaidOutNode& orphan = d.node("Orphan");
  EXPECT_TRUE(orphan.drawn);
  // Nothing leads to it, so it sits in the first layer, beside the start marker, above B.
  EXPECT_LT(bottom(orphan.box), d.node("B").box.y);
  EXPECT_FALSE(overlap(orphan.box, d.node("A").box));
  EXPECT_FALSE(overlap(orphan.box, d.layout.start));
  EXPECT_NE(d.edge("Orphan", "B"), nullptr);
}

TEST(LayoutTest, WithoutTerminalStatesThereIsNoEndMarker) {
  Drawing d = draw(shapes()[6].definition);  // no terminal state
  EXPECT_FALSE(d.layout.has_end);
  for (const LaidOutEdge& e : d.layout.edges) EXPECT_FALSE(e.to == -1 && e.from >= 0);
}

TEST(LayoutTest, AGraphWithoutScopesIsEmpty) {
  Layout lay = layout_graph(DiagramGraph{}, GraphOptions{});
  EXPECT_EQ(lay.width, 0);
  EXPECT_EQ(lay.height, 0);
  EXPECT_TRUE(lay.nodes.empty());
  EXPECT_TRUE(lay.edges.empty());
}

TEST(LayoutTest, StartAtNamingNoStateDrawsNoStartEdge) {
  Drawing d = draw({{"StartAt", "Missing"}, {"States", {{"A", end_pass()}}}});
  EXPECT_TRUE(d.node("A").drawn);
  for (const LaidOutEdge& e : d.layout.edges) EXPECT_NE(e.from, -1);
}

// ---------------------------------------------------------------------------------------------
// Clusters.

TEST(LayoutTest, AMapIsAClusterWithItsHeaderAboveItsBody) {
  Drawing d =
      draw({{"StartAt", "Each"},
            {"States",
             {{"Each",
               {{"Type", "Map"},
                {"ItemProcessor",
                 {{"StartAt", "Work"}, {"States", {{"Work", pass("Save")}, {"Save", end_pass()}}}}},
                {"End", true}}}}}});
  const LaidOutNode& each = d.node("Each");
  ASSERT_TRUE(each.open);
  EXPECT_TRUE(inside(each.box, each.cluster));
  EXPECT_NEAR(each.box.y - each.cluster.y, 12, kEps);  // the cluster padding
  int body = d.graph.nodes[d.graph.find("Each")].child_scopes.at(0);
  const Box& body_box = d.layout.bodies[body];
  EXPECT_TRUE(inside(body_box, each.cluster));
  EXPECT_GE(body_box.y - bottom(each.box), 30 - kEps);  // the gap into the body
  EXPECT_TRUE(inside(d.node("Work").box, body_box));
  EXPECT_TRUE(inside(d.node("Save").box, body_box));
  EXPECT_LT(bottom(d.node("Work").box), d.node("Save").box.y);
  // A body edge from the header to the body's start, and no end marker inside the body.
  int bodies = 0;
  for (const LaidOutEdge& e : d.layout.edges) {
    if (!e.body) continue;
    ++bodies;
    EXPECT_EQ(e.from, d.graph.find("Each"));
    EXPECT_EQ(e.to, d.graph.find("Work"));
    EXPECT_EQ(e.scope, body);
  }
  EXPECT_EQ(bodies, 1);
  EXPECT_EQ(d.edge("Save", ""), nullptr);
  // The root's end marker is below the whole cluster.
  EXPECT_GT(d.layout.end.y, bottom(each.cluster));
}

TEST(LayoutTest, ParallelBranchesStandSideBySideUnderTheirLabels) {
  Drawing d = draw(shapes()[4].definition);  // nested map in parallel
  const LaidOutNode& fan = d.node("Fan");
  ASSERT_TRUE(fan.open);
  const GraphNode& fan_node = d.graph.nodes[d.graph.find("Fan")];
  ASSERT_EQ(fan_node.child_scopes.size(), 2u);
  const Box& first = d.layout.bodies[fan_node.child_scopes[0]];
  const Box& second = d.layout.bodies[fan_node.child_scopes[1]];
  EXPECT_NEAR(first.y, second.y, kEps);
  EXPECT_GE(second.x - right(first), 16 - kEps);  // the branch gap, first branch on the left
  EXPECT_TRUE(inside(first, fan.cluster));
  EXPECT_TRUE(inside(second, fan.cluster));
  // A branch's states start below its label.
  EXPECT_GE(d.node("Side").box.y - second.y, 18 - kEps);
  // The Map inside the first branch is itself a cluster holding its item processor.
  const LaidOutNode& each = d.node("Each");
  ASSERT_TRUE(each.open);
  EXPECT_TRUE(inside(each.cluster, first));
  EXPECT_TRUE(inside(d.node("Work").box, each.cluster));
  EXPECT_TRUE(inside(d.node("Check").box, each.cluster));
  // Each body has a body edge: two branches and one item processor.
  int bodies = 0;
  for (const LaidOutEdge& e : d.layout.edges) bodies += e.body ? 1 : 0;
  EXPECT_EQ(bodies, 3);
  EXPECT_LT(bottom(fan.cluster), d.node("Done").box.y);
}

TEST(LayoutTest, ACollapsedContainerIsOneBoxAndHidesItsStates) {
  GraphOptions options;
  options.collapse_threshold = 2;
  Drawing d = draw(shapes()[4].definition, options);  // Fan holds 4 states
  const LaidOutNode& fan = d.node("Fan");
  EXPECT_TRUE(fan.drawn);
  EXPECT_FALSE(fan.open);
  EXPECT_EQ(fan.lines.at(1), "Parallel: 4 states (collapsed)");
  for (const char* hidden : {"Each", "Work", "Check", "Side"}) {
    EXPECT_FALSE(d.node(hidden).drawn) << hidden;
  }
  for (const LaidOutEdge& e : d.layout.edges) EXPECT_FALSE(e.body);
}

TEST(LayoutTest, EmptyBranchesStillGetAFrame) {
  Drawing d = draw({{"StartAt", "Fan"},
                    {"States",
                     {{"Fan",
                       {{"Type", "Parallel"},
                        {"Branches", json::array({{{"StartAt", "X"}, {"States", json::object()}}})},
                        {"End", true}}}}}});
  const LaidOutNode& fan = d.node("Fan");
  ASSERT_TRUE(fan.open);
  const Box& body = d.layout.bodies.at(1);
  EXPECT_TRUE(inside(body, fan.cluster));
  EXPECT_GE(body.w, 96 - kEps);
  for (const LaidOutEdge& e : d.layout.edges) EXPECT_FALSE(e.body);  // no start to point at
}

// ---------------------------------------------------------------------------------------------
// Labels.

TEST(LayoutTest, LabelLinesAreCutToTheLimit) {
  GraphOptions options;
  options.max_label_chars = 10;
  Drawing d = draw(shapes()[7].definition, options);  // long names and labels
  const LaidOutNode& n = d.node(std::string(80, 'n'));
  ASSERT_EQ(n.lines.size(), 3u);  // name, type and detail, retry
  EXPECT_EQ(n.lines[0], "nnnnnnn...");
  for (const std::string& line : n.lines) EXPECT_LE(line.size(), 10u) << line;
  // The box is as wide as the longest line at 7.4px per character of the name, plus padding.
  EXPECT_GE(n.box.w, std::max(96.0, text_width(n.lines[0], 7.4) + 24) - kEps);
}

TEST(LayoutTest, TextWidthCountsCodePoints) {
  EXPECT_EQ(text_width("abc", 2), 6);
  EXPECT_EQ(text_width("\xC3\xBC\xE2\x82\xAC", 3), 6);  // "ü€": two code points
  EXPECT_EQ(text_width("", 7), 0);
}

TEST(LayoutTest, DuplicateEdgesBetweenTheSameStatesHaveTheirLabelsSpreadApart) {
  // Two Choice rules and the Default all lead to B.
  Drawing d = draw(
      {{"StartAt", "A"},
       {"States",
        {{"A",
          {{"Type", "Choice"},
           {"Choices", json::array({{{"Variable", "$.x"}, {"NumericEquals", 1}, {"Next", "B"}},
                                    {{"Variable", "$.x"}, {"NumericEquals", 2}, {"Next", "B"}}})},
           {"Default", "B"}}},
         {"B", end_pass()}}}});
  std::vector<double> ys;
  for (const LaidOutEdge& e : d.layout.edges) {
    if (e.from == d.graph.find("A") && e.to == d.graph.find("B")) ys.push_back(e.label_at.y);
  }
  ASSERT_EQ(ys.size(), 3u);
  EXPECT_NEAR(ys[1] - ys[0], 14, kEps);
  EXPECT_NEAR(ys[2] - ys[1], 14, kEps);
}

}  // namespace
}  // namespace stepwise::internal
