// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `render_execution_page` (stepwise/view.h). The graph is drawn here, in C++, as inline SVG
// with each state's outcome as a CSS class, so the picture is right even without script. The
// inline script only adds interaction: the state panel, the timeline and URL fragments. All
// data for the script sits in one <script type="application/json"> element, escaped so that
// no payload can close it (`<`, `>` and `&` become \u escapes); the script writes payload
// text with `textContent`, never as markup.
#include <cstdio>
#include <sstream>
#include <string>

#include "graph/graph_model.h"
#include "graph/layout.h"
#include "stepwise/view.h"
#include "view/execution_index.h"
#include "view/page_assets.h"

namespace stepwise {
namespace {

using internal::Box;
using internal::DiagramGraph;
using internal::EdgeKind;
using internal::ExecutionIndex;
using internal::Layout;
using nlohmann::json;

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' ? ' ' : c;
    }
  }
  return out;
}

// JSON text safe inside <script type="application/json">: no '<', '>' or '&' at all, so
// neither "</script>" nor "<!--" can appear. Invalid UTF-8 is replaced, never thrown.
std::string script_json(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else {
      out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string rect(const Box& b, const std::string& cls, double radius) {
  return "<rect class=\"" + cls + "\" x=\"" + num(b.x) + "\" y=\"" + num(b.y) + "\" width=\"" +
         num(b.w) + "\" height=\"" + num(b.h) + "\" rx=\"" + num(radius) + "\"/>";
}

std::string svg_of(const DiagramGraph& g, const Layout& lay, const ExecutionIndex& x) {
  const double margin = 16;
  std::ostringstream s;
  s << "<svg id=\"graph\" width=\"" << num(lay.width + 2 * margin) << "\" height=\""
    << num(lay.height + 2 * margin) << "\" viewBox=\"0 0 " << num(lay.width + 2 * margin) << " "
    << num(lay.height + 2 * margin)
    << "\" role=\"img\" aria-label=\"State machine graph\">"
       "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
       "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 "
       "5 L0 10 z\" class=\"arrowhead\"/></marker></defs>"
    << "<g transform=\"translate(" << num(margin) << " " << num(margin) << ")\">";
  // Clusters, outer ones first (nodes are numbered outside-in within each nesting).
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    const auto& ln = lay.nodes[n];
    if (!ln.drawn || !ln.open) continue;
    s << "<g class=\"cluster st-" << x.node_status[n] << "\">" << rect(ln.cluster, "frame", 10);
    for (int child : g.nodes[n].child_scopes) {
      const Box& b = lay.bodies[child];
      if (g.nodes[n].type == "Parallel") {
        s << rect(b, "branch", 8) << "<text class=\"branch-label\" x=\"" << num(b.x + 8)
          << "\" y=\"" << num(b.y + 13) << "\">Branch " << (g.scopes[child].branch + 1)
          << "</text>";
      }
    }
    s << "</g>";
  }
  // Edges.
  std::ostringstream labels;
  for (const auto& e : lay.edges) {
    std::string cls = "edge";
    bool taken = false;
    if (e.body) {
      cls += " e-body";
      taken = x.node_status[e.to] != "notreached";
    } else if (e.edge >= 0) {
      cls += e.kind == EdgeKind::kCatch     ? " e-catch"
             : e.kind == EdgeKind::kChoice  ? " e-choice"
             : e.kind == EdgeKind::kDefault ? " e-default"
                                            : " e-next";
      taken = x.taken.count({e.scope, e.edge}) > 0;
    } else {
      cls += " e-marker";
      taken = e.from < 0 ? x.start_taken : (x.end_taken && x.node_status[e.from] != "notreached");
    }
    if (taken) cls += " taken";
    s << "<path class=\"" << cls << "\" d=\"" << e.path << "\""
      << (e.body ? "" : " marker-end=\"url(#arrow)\"") << "/>";
    if (!e.label.empty()) {
      double w = internal::text_width(e.label, 6.0) + 8;
      labels << "<g class=\"edge-label" << (e.kind == EdgeKind::kCatch ? " e-catch" : "")
             << (taken ? " taken" : "") << "\"><rect x=\"" << num(e.label_at.x - w / 2) << "\" y=\""
             << num(e.label_at.y - 8) << "\" width=\"" << num(w)
             << "\" height=\"15\" rx=\"3\"/><text x=\"" << num(e.label_at.x) << "\" y=\""
             << num(e.label_at.y + 3.5) << "\">" << html_escape(e.label) << "</text></g>";
    }
  }
  // Start and end markers.
  const Box& st = lay.start;
  s << "<circle class=\"marker start\" cx=\"" << num(st.x + st.w / 2) << "\" cy=\""
    << num(st.y + st.h / 2) << "\" r=\"" << num(st.w / 2) << "\"/>";
  if (lay.has_end) {
    const Box& en = lay.end;
    s << "<circle class=\"marker end-outer\" cx=\"" << num(en.x + en.w / 2) << "\" cy=\""
      << num(en.y + en.h / 2) << "\" r=\"" << num(en.w / 2) << "\"/><circle class=\"marker "
      << "end\" cx=\"" << num(en.x + en.w / 2) << "\" cy=\"" << num(en.y + en.h / 2) << "\" r=\""
      << num(en.w / 2 - 4) << "\"/>";
  }
  // Nodes.
  std::vector<int> entries(g.nodes.size(), 0);
  for (const auto& v : x.visits) {
    if (v.node >= 0) ++entries[g.drawn(v.node)];
  }
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    const auto& ln = lay.nodes[n];
    if (!ln.drawn) continue;
    const Box& b = ln.box;
    s << "<g class=\"node st-" << x.node_status[n] << (g.nodes[n].collapsed ? " collapsed" : "")
      << "\" data-node=\"" << n << "\" id=\"node-" << n << "\" tabindex=\"0\"><title>"
      << html_escape(g.nodes[n].name) << "</title>" << rect(b, "box", 6);
    double cx = b.x + b.w / 2;
    double y = b.y + 8 + 13;
    for (std::size_t i = 0; i < ln.lines.size(); ++i) {
      s << "<text class=\""
        << (i == 0   ? "name"
            : i == 2 ? "sub retry"
                     : "sub")
        << "\" x=\"" << num(cx) << "\" y=\"" << num(y) << "\">" << html_escape(ln.lines[i])
        << "</text>";
      y += 14;
    }
    if (entries[n] > 1) {
      s << "<text class=\"count\" x=\"" << num(b.x + b.w - 5) << "\" y=\"" << num(b.y + 12)
        << "\">x" << entries[n] << "</text>";
    }
    s << "</g>";
  }
  s << labels.str() << "</g></svg>";
  return s.str();
}

json data_of(const DiagramGraph& g, const ExecutionIndex& x, const std::string& title) {
  json nodes = json::array();
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    nodes.push_back({{"name", g.nodes[n].name},
                     {"type", g.nodes[n].type},
                     {"status", x.node_status[n]},
                     {"drawn", g.drawn(static_cast<int>(n))},
                     {"collapsed", g.nodes[n].collapsed}});
  }
  json visits = json::array();
  for (const auto& v : x.visits) {
    json its = json::array();
    for (const auto& [i, s] : v.iterations) its.push_back({i, s});
    json branches = json::array();
    for (int f : v.branch_frames) {
      const auto& fr = x.frames[f];
      std::string status = "running";
      if (!fr.visits.empty()) {
        const auto& last = x.visits[fr.visits.back()];
        status = last.status == "caught" ? "succeeded" : last.status;
        for (int vi : fr.visits) {
          if (x.visits[vi].status == "failed") status = "failed";
        }
        if (status == "retried") status = "succeeded";
      }
      branches.push_back({{"branch", fr.index + 1}, {"status", status}});
    }
    visits.push_back({{"node", v.node},
                      {"state", v.state},
                      {"type", v.type},
                      {"status", v.status},
                      {"context", x.frames[v.frame].context},
                      {"entered", v.entered},
                      {"exited", v.exited},
                      {"attempts", v.attempts},
                      {"failures", v.failures},
                      {"error", v.error},
                      {"cause", v.cause},
                      {"iterations", std::move(its)},
                      {"branches", std::move(branches)}});
  }
  json events = json::array();
  for (std::size_t i = 0; i < x.events.size(); ++i) {
    const json& e = x.events[i];
    json details = json::object();
    std::string state;
    for (auto it = e.begin(); it != e.end(); ++it) {
      const std::string& k = it.key();
      if (k.size() > 12 && k.compare(k.size() - 12, 12, "EventDetails") == 0) {
        details = *it;
        if (it->is_object() && it->contains("name") && (*it)["name"].is_string()) {
          state = (*it)["name"].get<std::string>();
        }
      }
    }
    int visit = x.event_visit[i];
    if (visit >= 0) state = x.visits[visit].state;
    events.push_back({{"id", e["id"]},
                      {"prev", e.value("previousEventId", json())},
                      {"ts", e.value("timestamp", json())},
                      {"type", e["type"]},
                      {"visit", visit},
                      {"state", state},
                      {"context", x.frames[x.event_frame[i]].context},
                      {"details", std::move(details)}});
  }
  return {{"title", title},
          {"status", x.status},
          {"error", x.error},
          {"cause", x.cause},
          {"nodes", std::move(nodes)},
          {"visits", std::move(visits)},
          {"events", std::move(events)},
          {"warnings", x.warnings}};
}

}  // namespace

Result<ExecutionPage> render_execution_page(const StateMachine& machine, const json& history,
                                            const ViewOptions& options) {
  GraphOptions gopts;
  gopts.collapse_threshold = options.collapse_threshold;
  gopts.max_label_chars = 40;
  DiagramGraph g = internal::build_graph(machine.to_json(), gopts);
  Result<ExecutionIndex> indexed = internal::index_history(g, history);
  if (!indexed.ok()) return indexed.status();
  const ExecutionIndex& x = *indexed;
  Layout lay = internal::layout_graph(g, gopts);

  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<title>"
    << html_escape(options.title) << "</title>\n<style>" << internal::kPageCss
    << "</style>\n</head>\n<body>\n<header><h1>" << html_escape(options.title)
    << "</h1><span id=\"status\" class=\"pill s-" << x.status << "\">" << x.status
    << "</span><span id=\"summary\">" << x.events.size() << " events, " << x.visits.size()
    << " state entries";
  if (!x.events.empty()) {
    h << ", "
      << html_escape(x.events.front().value("timestamp", json("")).is_string()
                         ? x.events.front()["timestamp"].get<std::string>()
                         : "")
      << " to "
      << html_escape(x.events.back().value("timestamp", json("")).is_string()
                         ? x.events.back()["timestamp"].get<std::string>()
                         : "");
  }
  h << "</span>";
  if (!x.error.empty() || !x.cause.empty()) {
    h << "<div id=\"execution-error\"><b>" << html_escape(x.error) << "</b> "
      << html_escape(x.cause) << "</div>";
  }
  h << "</header>\n";
  for (const std::string& w : x.warnings) {
    h << "<div class=\"banner\" role=\"alert\">" << html_escape(w) << "</div>\n";
  }
  h << "<noscript><div class=\"banner\">Script is off: the graph shows the path taken; turn "
       "script on to see inputs, outputs and the timeline.</div></noscript>\n"
       "<main>\n<section id=\"graph-pane\">\n<div id=\"legend\">";
  for (const char* st :
       {"succeeded", "failed", "caught", "retried", "aborted", "running", "notreached"}) {
    std::string label = std::string(st) == "notreached" ? "not reached"
                        : std::string(st) == "running"  ? "in progress"
                                                        : st;
    h << "<span class=\"legend-item\"><span class=\"swatch st-" << st << "\"></span>" << label
      << "</span>";
  }
  h << "<span class=\"legend-item\"><span class=\"line-catch\"></span>Catch</span>"
       "<span class=\"legend-item\"><span class=\"line-taken\"></span>path taken</span>"
       "</div>\n<div id=\"graph-scroll\">"
    << svg_of(g, lay, x)
    << "</div>\n</section>\n<aside id=\"panel\"><p class=\"hint\">Click a state to see each "
       "entry into it, with its input and output.</p></aside>\n</main>\n"
       "<section id=\"timeline\"><h2>Timeline</h2><table id=\"timeline-table\"><thead><tr>"
       "<th>#</th><th>Timestamp</th><th>Type</th><th>State</th><th>Where</th></tr></thead>"
       "<tbody></tbody></table></section>\n"
       "<script type=\"application/json\" id=\"stepwise-data\">"
    << script_json(data_of(g, x, options.title)) << "</script>\n<script>" << internal::kPageJs
    << "</script>\n</body>\n</html>\n";

  ExecutionPage page;
  page.html = h.str();
  page.status = x.status;
  page.warnings = x.warnings;
  return page;
}

}  // namespace stepwise
