// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `to_dot` and `to_mermaid` (stepwise/graph.h): writers over the drawable graph. A Map or
// Parallel that is drawn open becomes a cluster holding the state itself (so edges still
// meet the state) and its bodies; a dotted edge leads from the state into each body's start.
#include "stepwise/graph.h"

#include <sstream>
#include <string>

#include "graph/graph_model.h"

namespace stepwise {
namespace {

using internal::DiagramGraph;
using internal::EdgeKind;
using internal::GraphEdge;
using internal::GraphNode;
using internal::GraphScope;

// Control characters (including newlines in names) become spaces.
std::string printable(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c;
  return out;
}

// Text for a DOT quoted string (the quotes excluded).
std::string dot_escape(const std::string& s) {
  std::string out;
  for (char c : printable(s)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Text for a Mermaid quoted label: Mermaid's entity codes for the characters its grammar uses.
std::string mermaid_escape(const std::string& s) {
  std::string out;
  for (char c : printable(s)) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '#':
        out += "#35;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '|':
        out += "#124;";
        break;
      case '`':
        out += "#96;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string node_id(int n) { return "s" + std::to_string(n); }

// The lines of a state's label: name, type and detail, Retry.
std::vector<std::string> label_lines(const DiagramGraph& g, int n, const GraphOptions& options) {
  const GraphNode& node = g.nodes[n];
  std::vector<std::string> lines;
  lines.push_back(internal::shorten(node.name, options.max_label_chars));
  if (node.collapsed) {
    lines.push_back(node.type + ": " + std::to_string(node.nested_states) + " states (collapsed)");
  } else if (!node.detail.empty()) {
    lines.push_back(internal::shorten(node.type + ": " + node.detail, options.max_label_chars));
  } else {
    lines.push_back(node.type);
  }
  if (!node.retry.empty()) lines.push_back(internal::shorten(node.retry, options.max_label_chars));
  return lines;
}

// The label lines of node `n`, each escaped with `escape`, joined by `separator`.
std::string joined_label(const DiagramGraph& g, int n, const GraphOptions& options,
                         const char* separator, std::string (*escape)(const std::string&)) {
  std::string label;
  for (const std::string& line : label_lines(g, n, options)) {
    if (!label.empty()) label += separator;
    label += escape(line);
  }
  return label;
}

const char* fill_of(const std::string& type) {
  if (type == "Task") return "#e8f0fe";
  if (type == "Choice") return "#fff4d6";
  if (type == "Succeed") return "#dff5e1";
  if (type == "Fail") return "#fde2e1";
  if (type == "Wait") return "#f0e8fe";
  if (type == "Map" || type == "Parallel") return "#e3f4f4";
  return "#f4f4f4";
}

std::string body_label(const GraphNode& owner, const GraphScope& scope) {
  if (owner.type == "Parallel") return "Branch " + std::to_string(scope.branch + 1);
  return "Item processor";
}

// The walk both writers share: each scope's states in definition order, a Map or Parallel
// drawn open as a cluster holding the state itself and its bodies (each Parallel branch in a
// cluster of its own, under its label), a link from the state into each body's start, then
// the scope's transitions; and, for the root, the start and end markers' edges. A writer
// says how each of these is written.
class ScopeWriter {
 public:
  ScopeWriter(const DiagramGraph& g, const GraphOptions& o) : g_(g), o_(o) {}
  virtual ~ScopeWriter() = default;

 protected:
  bool open(int n) const { return !g_.nodes[n].child_scopes.empty() && !g_.nodes[n].collapsed; }

  void walk(int s, const std::string& indent) {
    const GraphScope& sc = g_.scopes[s];
    for (int n : sc.nodes) {
      if (!open(n)) {
        node(n, indent);
        continue;
      }
      const GraphNode& gn = g_.nodes[n];
      begin_cluster(n, indent);
      node(n, indent + "  ");
      for (int child : gn.child_scopes) {
        const GraphScope& cs = g_.scopes[child];
        if (gn.type == "Parallel") {
          begin_branch(n, cs, indent + "  ");
          walk(child, indent + "    ");
          end_group(indent + "  ");
        } else {
          walk(child, indent + "  ");
        }
        if (cs.start >= 0) body_link(n, cs.start, indent + "  ");
      }
      end_group(indent);
    }
    for (const GraphEdge& e : sc.edges) edge(e, indent);
  }

  // The root's marker edges: from the start marker to StartAt, from each terminal state to
  // the end marker.
  void walk_markers() {
    if (g_.scopes[0].start >= 0) start_edge(g_.scopes[0].start);
    for (int n : g_.scopes[0].nodes) {
      if (g_.nodes[n].terminal) end_edge(n);
    }
  }

  virtual void node(int n, const std::string& indent) = 0;
  // Opens the cluster of the open container `n`, whose own node follows.
  virtual void begin_cluster(int n, const std::string& indent) = 0;
  // Opens the cluster of branch `branch` of the Parallel `n`.
  virtual void begin_branch(int n, const GraphScope& branch, const std::string& indent) = 0;
  // Closes a cluster or a branch.
  virtual void end_group(const std::string& indent) = 0;
  // The link from container `n` into the start `start` of one of its bodies.
  virtual void body_link(int n, int start, const std::string& indent) = 0;
  virtual void edge(const GraphEdge& e, const std::string& indent) = 0;
  virtual void start_edge(int n) = 0;
  virtual void end_edge(int n) = 0;

  const DiagramGraph& g_;
  const GraphOptions& o_;
  std::ostringstream out_;
};

class DotWriter final : public ScopeWriter {
 public:
  using ScopeWriter::ScopeWriter;

  std::string write() {
    out_ << "digraph \"stepwise\" {\n"
            "  graph [compound=true, rankdir=TB, fontname=\"Helvetica\", fontsize=11, "
            "nodesep=0.35, ranksep=0.45];\n"
            "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
            "fontsize=11, color=\"#555555\"];\n"
            "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n"
            "  \"start\" [shape=circle, label=\"\", width=0.22, style=filled, "
            "fillcolor=\"#333333\"];\n"
            "  \"end\" [shape=doublecircle, label=\"\", width=0.16, style=filled, "
            "fillcolor=\"#333333\"];\n";
    walk(0, "  ");
    walk_markers();
    out_ << "}\n";
    return out_.str();
  }

 private:
  void node(int n, const std::string& indent) override {
    std::string label = joined_label(g_, n, o_, "\\n", dot_escape);
    const GraphNode& node = g_.nodes[n];
    out_ << indent << "\"" << node_id(n) << "\" [label=\"" << label << "\", fillcolor=\""
         << fill_of(node.type) << "\"";
    if (node.type == "Choice") out_ << ", shape=box, style=\"rounded,filled,bold\"";
    if (node.collapsed) out_ << ", peripheries=2";
    out_ << "];\n";
  }

  std::string cluster_id(int n) const { return "cluster_" + node_id(n); }
  std::string quoted_id(int n) const { return "\"" + node_id(n) + "\""; }

  void begin_cluster(int n, const std::string& indent) override {
    const GraphNode& gn = g_.nodes[n];
    out_ << indent << "subgraph \"" << cluster_id(n) << "\" {\n"
         << indent << "  label=\"" << dot_escape(internal::shorten(gn.name, o_.max_label_chars))
         << " (" << gn.type << ")\"; style=\"rounded,dashed\"; color=\"#7a9a9a\";\n";
  }

  void begin_branch(int n, const GraphScope& branch, const std::string& indent) override {
    out_ << indent << "subgraph \"" << cluster_id(n) << "_b" << branch.branch << "\" {\n"
         << indent << "  label=\"" << body_label(g_.nodes[n], branch)
         << "\"; style=\"rounded\"; color=\"#b0c4c4\";\n";
  }

  void end_group(const std::string& indent) override { out_ << indent << "}\n"; }

  void body_link(int n, int start, const std::string& indent) override {
    out_ << indent << quoted_id(n) << " -> " << quoted_id(start)
         << " [style=dotted, arrowhead=empty];\n";
  }

  void edge(const GraphEdge& e, const std::string& indent) override {
    out_ << indent << quoted_id(e.from) << " -> " << quoted_id(e.to) << " [";
    std::string sep;
    if (open(e.from)) {
      out_ << "ltail=\"" << cluster_id(e.from) << "\"";
      sep = ", ";
    }
    if (open(e.to) && e.to != e.from) {
      out_ << sep << "lhead=\"" << cluster_id(e.to) << "\"";
      sep = ", ";
    }
    if (!e.label.empty()) {
      out_ << sep << "label=\"" << dot_escape(internal::shorten(e.label, o_.max_label_chars))
           << "\"";
      sep = ", ";
    }
    if (e.kind == EdgeKind::kCatch) {
      out_ << sep << "style=dashed, color=\"#c0392b\", fontcolor=\"#c0392b\"";
    } else if (e.kind == EdgeKind::kDefault) {
      out_ << sep << "style=bold";
    }
    out_ << "];\n";
  }

  void start_edge(int n) override { out_ << "  \"start\" -> " << quoted_id(n) << ";\n"; }
  void end_edge(int n) override { out_ << "  " << quoted_id(n) << " -> \"end\";\n"; }
};

class MermaidWriter final : public ScopeWriter {
 public:
  using ScopeWriter::ScopeWriter;

  std::string write() {
    out_ << "flowchart TD\n"
            "  mstart((\"start\"))\n"
            "  mend(((\"end\")))\n";
    walk(0, "  ");
    walk_markers();
    out_ << "  classDef task fill:#e8f0fe,stroke:#555\n"
            "  classDef choice fill:#fff4d6,stroke:#555\n"
            "  classDef succeed fill:#dff5e1,stroke:#555\n"
            "  classDef fail fill:#fde2e1,stroke:#555\n"
            "  classDef other fill:#f4f4f4,stroke:#555\n"
            "  classDef container fill:#e3f4f4,stroke:#555\n";
    for (int n : emitted_) {
      const std::string& t = g_.nodes[n].type;
      const char* cls = t == "Task"                     ? "task"
                        : t == "Choice"                 ? "choice"
                        : t == "Succeed"                ? "succeed"
                        : t == "Fail"                   ? "fail"
                        : t == "Map" || t == "Parallel" ? "container"
                                                        : "other";
      out_ << "  class " << node_id(n) << " " << cls << "\n";
    }
    return out_.str();
  }

 private:
  void node(int n, const std::string& indent) override {
    std::string label = joined_label(g_, n, o_, "<br/>", mermaid_escape);
    const GraphNode& gn = g_.nodes[n];
    emitted_.push_back(n);
    out_ << indent << node_id(n);
    if (gn.type == "Choice") {
      out_ << "{\"" << label << "\"}\n";
    } else if (gn.collapsed) {
      out_ << "[[\"" << label << "\"]]\n";
    } else {
      out_ << "(\"" << label << "\")\n";
    }
  }

  void begin_cluster(int n, const std::string& indent) override {
    const GraphNode& gn = g_.nodes[n];
    out_ << indent << "subgraph c" << n << "[\""
         << mermaid_escape(internal::shorten(gn.name, o_.max_label_chars)) << " (" << gn.type
         << ")\"]\n"
         << indent << "  direction TB\n";
  }

  void begin_branch(int n, const GraphScope& branch, const std::string& indent) override {
    out_ << indent << "subgraph c" << n << "b" << branch.branch << "[\""
         << body_label(g_.nodes[n], branch) << "\"]\n"
         << indent << "  direction TB\n";
  }

  void end_group(const std::string& indent) override { out_ << indent << "end\n"; }

  void body_link(int n, int start, const std::string& indent) override {
    out_ << indent << node_id(n) << " -.- " << node_id(start) << "\n";
  }

  void edge(const GraphEdge& e, const std::string& indent) override {
    out_ << indent << node_id(e.from);
    std::string label =
        e.label.empty()
            ? ""
            : "|\"" + mermaid_escape(internal::shorten(e.label, o_.max_label_chars)) + "\"|";
    out_ << (e.kind == EdgeKind::kCatch     ? " -.->"
             : e.kind == EdgeKind::kDefault ? " ==>"
                                            : " -->")
         << label << " " << node_id(e.to) << "\n";
  }

  void start_edge(int n) override { out_ << "  mstart --> " << node_id(n) << "\n"; }
  void end_edge(int n) override { out_ << "  " << node_id(n) << " --> mend\n"; }

  std::vector<int> emitted_;
};

}  // namespace

std::string to_dot(const StateMachine& machine, const GraphOptions& options) {
  DiagramGraph g = internal::build_graph(machine.to_json(), options);
  return DotWriter(g, options).write();
}

std::string to_mermaid(const StateMachine& machine, const GraphOptions& options) {
  DiagramGraph g = internal::build_graph(machine.to_json(), options);
  return MermaidWriter(g, options).write();
}

}  // namespace stepwise
