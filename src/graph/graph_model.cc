// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Builds the drawable graph from ASL JSON, and the short labels of Choice rules and Retry.
#include "graph/graph_model.h"

#include "stepwise/diagnostic.h"
#include "util/utf8.h"

#include <cctype>
#include <map>
#include <string_view>
#include <utility>

namespace stepwise::internal {
namespace {

using nlohmann::json;

std::string string_field(const json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// A JSON value as short text: strings quoted, everything else compact JSON.
std::string value_text(const json& v) {
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The JSONata text of "{% expr %}", trimmed; other strings unchanged.
std::string jsonata_text(const std::string& s) {
  std::string_view v = s;
  auto trim = [](std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\n' || t.front() == '\t')) {
      t.remove_prefix(1);
    }
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\t')) {
      t.remove_suffix(1);
    }
    return t;
  };
  v = trim(v);
  if (v.size() >= 4 && v.substr(0, 2) == "{%" && v.substr(v.size() - 2) == "%}") {
    return std::string(trim(v.substr(2, v.size() - 4)));
  }
  return std::string(v);
}

struct Operator {
  const char* suffix;  // after String/Numeric/Boolean/Timestamp
  const char* symbol;
};
constexpr Operator kOperators[] = {
    {"Equals", "=="},         {"LessThan", "<"},           {"GreaterThan", ">"},
    {"LessThanEquals", "<="}, {"GreaterThanEquals", ">="},
};
constexpr const char* kKinds[] = {"String", "Numeric", "Boolean", "Timestamp"};

std::string comparison_label(const json& rule) {
  std::string variable = string_field(rule, "Variable");
  for (auto it = rule.begin(); it != rule.end(); ++it) {
    const std::string& key = it.key();
    if (key == "Variable" || key == "Next" || key == "Comment" || key == "Assign" ||
        key == "Output") {
      continue;
    }
    if (key == "StringMatches") return variable + " matches " + value_text(*it);
    if (key.rfind("Is", 0) == 0 && it->is_boolean()) {
      std::string what = key.substr(2);  // Null, Present, Numeric, String, Boolean, Timestamp
      for (char& c : what) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return variable + (it->get<bool>() ? " is " : " is not ") + what;
    }
    for (const char* kind : kKinds) {
      std::string_view k = key;
      if (k.rfind(kind, 0) != 0) continue;
      k.remove_prefix(std::string_view(kind).size());
      bool path = k.size() > 4 && k.substr(k.size() - 4) == "Path";
      if (path) k.remove_suffix(4);
      for (const Operator& op : kOperators) {
        if (k == op.suffix) {
          std::string rhs = path && it->is_string() ? it->get<std::string>() : value_text(*it);
          return variable + " " + op.symbol + " " + rhs;
        }
      }
    }
  }
  return variable.empty() ? "rule" : variable;
}

std::string rule_label(const json& rule, int depth) {
  if (!rule.is_object()) return "rule";
  if (depth > 8) return "...";
  if (auto c = rule.find("Condition"); c != rule.end()) {
    return c->is_string() ? jsonata_text(c->get<std::string>()) : value_text(*c);
  }
  auto join = [&](const json& list, const char* word) {
    std::string out;
    if (!list.is_array()) return std::string("rule");
    for (const json& r : list) {
      if (!out.empty()) out += std::string(" ") + word + " ";
      bool nested = r.is_object() && (r.contains("And") || r.contains("Or"));
      std::string inner = rule_label(r, depth + 1);
      out += nested ? "(" + inner + ")" : inner;
    }
    return out;
  };
  if (auto a = rule.find("And"); a != rule.end()) return join(*a, "and");
  if (auto o = rule.find("Or"); o != rule.end()) return join(*o, "or");
  if (auto n = rule.find("Not"); n != rule.end()) return "not (" + rule_label(*n, depth + 1) + ")";
  return comparison_label(rule);
}

std::string retry_label(const json& retry) {
  if (!retry.is_array() || retry.empty()) return "";
  std::string out = "retry";
  bool first = true;
  for (const json& r : retry) {
    std::string errors;
    if (r.is_object() && r.contains("ErrorEquals") && r["ErrorEquals"].is_array()) {
      for (const json& e : r["ErrorEquals"]) {
        if (!errors.empty()) errors += ",";
        errors += e.is_string() ? e.get<std::string>() : value_text(e);
      }
    }
    long long attempts = 3;
    if (r.is_object() && r.contains("MaxAttempts") && r["MaxAttempts"].is_number_integer()) {
      attempts = r["MaxAttempts"].get<long long>();
    }
    out += first ? " " : "; ";
    out += errors + " x" + std::to_string(attempts);
    first = false;
  }
  return out;
}

std::string catch_label(const json& rule) {
  std::string out;
  if (rule.is_object() && rule.contains("ErrorEquals") && rule["ErrorEquals"].is_array()) {
    for (const json& e : rule["ErrorEquals"]) {
      if (!out.empty()) out += ", ";
      out += e.is_string() ? e.get<std::string>() : value_text(e);
    }
  }
  return out.empty() ? "catch" : out;
}

std::string detail_of(const json& state, const std::string& type) {
  if (type == "Task") {
    std::string r = string_field(state, "Resource");
    // "arn:aws:states:::lambda:invoke" -> "lambda:invoke"; keep the tail of long ARNs.
    if (r.rfind("arn:", 0) == 0) {
      auto pos = r.find(":::");
      if (pos != std::string::npos) {
        r = r.substr(pos + 3);
      } else {
        int colons = 0;
        std::size_t i = r.size();
        while (i > 0 && colons < 2) {
          if (r[--i] == ':') ++colons;
        }
        if (colons == 2) r = r.substr(i + 1);
      }
    }
    return r;
  }
  if (type == "Wait") {
    for (const char* key : {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}) {
      if (state.contains(key)) {
        const json& v = state[key];
        return std::string(key) + " " + (v.is_string() ? v.get<std::string>() : value_text(v));
      }
    }
  }
  if (type == "Fail") {
    std::string e = string_field(state, "Error");
    return e;
  }
  return "";
}

class Builder {
 public:
  explicit Builder(DiagramGraph& g) : g_(g) {}

  // Adds the scope described by `machine` ({"StartAt", "States"}); returns its index.
  int add_scope(const json& machine, const std::string& pointer, int owner, int branch) {
    int index = static_cast<int>(g_.scopes.size());
    g_.scopes.push_back(GraphScope{owner, branch, -1, {}, {}});
    if (!machine.is_object()) return index;
    auto states = machine.find("States");
    if (states == machine.end() || !states->is_object()) return index;
    std::map<std::string, int> local;
    std::vector<std::pair<int, const json*>> pending;
    for (auto it = states->begin(); it != states->end(); ++it) {
      int n = static_cast<int>(g_.nodes.size());
      GraphNode node;
      node.name = it.key();
      node.type = string_field(*it, "Type");
      if (node.type.empty()) node.type = "State";
      node.pointer = json_pointer_append(pointer + "/States", it.key());
      node.scope = index;
      node.terminal = node.type == "Succeed" || node.type == "Fail" ||
                      (it->is_object() && it->value("End", false) == true);
      if (it->is_object()) {
        node.retry = retry_label(it->value("Retry", json()));
        node.detail = detail_of(*it, node.type);
      }
      g_.nodes.push_back(std::move(node));
      g_.scopes[index].nodes.push_back(n);
      local.emplace(it.key(), n);
      pending.emplace_back(n, &*it);
    }
    std::string start = string_field(machine, "StartAt");
    if (auto s = local.find(start); s != local.end()) g_.scopes[index].start = s->second;
    for (auto& [n, state] : pending) add_edges(index, n, *state, local);
    // Child scopes after this scope's nodes, so each scope's nodes are contiguous.
    for (auto& [n, state] : pending) add_children(n, *state);
    return index;
  }

 private:
  void add_edges(int scope, int n, const json& state, const std::map<std::string, int>& local) {
    if (!state.is_object()) return;
    auto edge = [&](const json& target, EdgeKind kind, std::string label) {
      if (!target.is_string()) return;
      auto t = local.find(target.get<std::string>());
      if (t == local.end()) return;
      g_.scopes[scope].edges.push_back(GraphEdge{n, t->second, kind, std::move(label)});
    };
    if (auto it = state.find("Choices"); it != state.end() && it->is_array()) {
      for (const json& rule : *it) {
        if (rule.is_object() && rule.contains("Next")) {
          edge(rule["Next"], EdgeKind::kChoice, choice_rule_label(rule));
        }
      }
    }
    if (auto it = state.find("Default"); it != state.end())
      edge(*it, EdgeKind::kDefault, "Default");
    if (auto it = state.find("Next"); it != state.end()) edge(*it, EdgeKind::kNext, "");
    if (auto it = state.find("Catch"); it != state.end() && it->is_array()) {
      for (const json& rule : *it) {
        if (rule.is_object() && rule.contains("Next")) {
          edge(rule["Next"], EdgeKind::kCatch, catch_label(rule));
        }
      }
    }
  }

  void add_children(int n, const json& state) {
    if (!state.is_object()) return;
    std::string pointer = g_.nodes[n].pointer;
    std::size_t before = g_.nodes.size();
    if (g_.nodes[n].type == "Parallel") {
      if (auto b = state.find("Branches"); b != state.end() && b->is_array()) {
        for (std::size_t i = 0; i < b->size(); ++i) {
          int s = add_scope((*b)[i], pointer + "/Branches/" + std::to_string(i), n,
                            static_cast<int>(i));
          g_.nodes[n].child_scopes.push_back(s);
        }
      }
    } else if (g_.nodes[n].type == "Map") {
      for (const char* key : {"ItemProcessor", "Iterator"}) {
        if (auto p = state.find(key); p != state.end() && p->is_object()) {
          int s = add_scope(*p, pointer + "/" + key, n, 0);  // may reallocate g_.nodes
          g_.nodes[n].child_scopes.push_back(s);
          break;
        }
      }
    }
    g_.nodes[n].nested_states = g_.nodes.size() - before;
  }

  DiagramGraph& g_;
};

}  // namespace

int DiagramGraph::find(const std::string& name) const {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool DiagramGraph::hidden(int node) const { return drawn(node) != node; }

int DiagramGraph::drawn(int node) const {
  int result = node;
  int scope = nodes[node].scope;
  while (scope > 0) {
    int owner = scopes[scope].owner;
    if (owner < 0) break;
    if (nodes[owner].collapsed) result = owner;
    scope = nodes[owner].scope;
  }
  return result;
}

DiagramGraph build_graph(const json& definition, const GraphOptions& options) {
  DiagramGraph g;
  Builder(g).add_scope(definition, "", -1, 0);
  if (options.collapse_threshold > 0) {
    for (GraphNode& n : g.nodes) {
      n.collapsed = !n.child_scopes.empty() && n.nested_states > options.collapse_threshold;
    }
  }
  return g;
}

std::string choice_rule_label(const json& rule) { return rule_label(rule, 0); }

std::string shorten(const std::string& text, std::size_t max_chars) {
  if (max_chars == 0 || utf8::count_code_points(text) <= max_chars) return text;
  std::size_t keep = max_chars > 3 ? max_chars - 3 : max_chars;
  return text.substr(0, utf8::code_point_offset(text, keep)) + "...";
}

}  // namespace stepwise::internal
