// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// See execution_index.h.
#include "view/execution_index.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace stepwise::internal {
namespace {

using nlohmann::json;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

const json& details_of(const json& event) {
  static const json kEmpty = json::object();
  for (auto it = event.begin(); it != event.end(); ++it) {
    if (ends_with(it.key(), "EventDetails") && it->is_object()) return *it;
  }
  return kEmpty;
}

std::string string_of(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// Task-like events that fail an attempt.
bool is_attempt_failure(std::string_view type) {
  if (starts_with(type, "Execution") || starts_with(type, "MapIteration") ||
      starts_with(type, "MapRun")) {
    return false;
  }
  return ends_with(type, "Failed") || ends_with(type, "TimedOut");
}

bool is_attempt_start(std::string_view type) {
  return type == "TaskScheduled" || type == "LambdaFunctionScheduled" ||
         type == "ActivityScheduled";
}

bool is_attempt_success(std::string_view type) {
  return type == "TaskSucceeded" || type == "LambdaFunctionSucceeded" ||
         type == "ActivitySucceeded";
}

int rank(const std::string& status) {
  if (status == "failed") return 6;
  if (status == "caught") return 5;
  if (status == "aborted") return 4;
  if (status == "retried") return 3;
  if (status == "running") return 2;
  if (status == "succeeded") return 1;
  return 0;
}

class Indexer {
 public:
  Indexer(const DiagramGraph& g, ExecutionIndex& x) : g_(g), x_(x) {}

  void run() {
    x_.frames.push_back(ViewFrame{});
    std::unordered_map<long long, int> by_id;
    for (std::size_t i = 0; i < x_.events.size(); ++i) {
      by_id.emplace(x_.events[i]["id"].get<long long>(), static_cast<int>(i));
    }
    x_.event_visit.assign(x_.events.size(), -1);
    x_.event_frame.assign(x_.events.size(), 0);
    std::string terminal;
    for (std::size_t i = 0; i < x_.events.size(); ++i) {
      const json& e = x_.events[i];
      const std::string type = e["type"].get<std::string>();
      const json& d = details_of(e);
      int prev = -1;
      if (auto p = e.find("previousEventId"); p != e.end() && p->is_number_integer()) {
        auto it = by_id.find(p->get<long long>());
        if (it != by_id.end() && it->second < static_cast<int>(i)) prev = it->second;
      }
      int pf = prev >= 0 ? x_.event_frame[prev] : 0;
      int frame = pf;
      int visit = -1;
      if (ends_with(type, "StateEntered")) {
        visit = enter(static_cast<int>(i), type, d, prev, pf, frame);
      } else if (ends_with(type, "StateExited")) {
        visit = find_open(pf, string_of(d, "name"), "");
        if (visit >= 0) {
          x_.visits[visit].exited = static_cast<int>(i);
          close(visit);
        }
      } else if (ends_with(type, "StateAborted")) {
        visit = find_open(pf, string_of(d, "name"), "");
        if (visit >= 0) {
          x_.visits[visit].aborted = true;
          close(visit);
        }
      } else if (starts_with(type, "MapIteration")) {
        visit = find_open(pf, string_of(d, "name"), "Map");
        if (visit >= 0) iteration(visit, type, d);
      } else if (starts_with(type, "MapState") || starts_with(type, "ParallelState")) {
        visit = find_open(pf, "", starts_with(type, "Map") ? "Map" : "Parallel");
        if (visit >= 0 && ends_with(type, "Failed")) fail(visit, d);
      } else if (starts_with(type, "Execution")) {
        if (type == "ExecutionSucceeded" || type == "ExecutionFailed" ||
            type == "ExecutionTimedOut" || type == "ExecutionAborted") {
          terminal = type;
          x_.error = string_of(d, "error");
          x_.cause = string_of(d, "cause");
        }
      } else {
        visit = find_open(pf, "", "");
        if (visit >= 0) {
          Visit& v = x_.visits[visit];
          if (is_attempt_start(type)) {
            ++v.attempts;
          } else if (is_attempt_failure(type)) {
            fail(visit, d);
          } else if (is_attempt_success(type)) {
            v.last_failed = false;
          }
        }
      }
      if (visit >= 0) frame = x_.visits[visit].frame;
      x_.event_visit[i] = visit;
      x_.event_frame[i] = frame;
    }
    x_.status = terminal == "ExecutionSucceeded"  ? "SUCCEEDED"
                : terminal == "ExecutionFailed"   ? "FAILED"
                : terminal == "ExecutionTimedOut" ? "TIMED_OUT"
                : terminal == "ExecutionAborted"  ? "ABORTED"
                                                  : "INCOMPLETE";
    finish();
  }

 private:
  int enter(int i, const std::string& type, const json& d, int prev, int pf, int& frame) {
    Visit v;
    v.state = string_of(d, "name");
    v.type = type.substr(0, type.size() - std::string_view("StateEntered").size());
    v.node = g_.find(v.state);
    v.entered = i;
    frame = pf;
    if (prev >= 0) {
      const json& pe = x_.events[prev];
      std::string ptype = pe["type"].get<std::string>();
      if (ptype == "MapIterationStarted" || ptype == "ParallelStateStarted") {
        frame = open_frame(prev, ptype, v.node, pf);
      }
    }
    v.frame = frame;
    int index = static_cast<int>(x_.visits.size());
    ViewFrame& f = x_.frames[frame];
    if (f.last_visit >= 0) {
      mark_transition(x_.visits[f.last_visit], v);
    } else if (frame == 0 && v.node >= 0 && v.node == g_.scopes[0].start) {
      x_.start_taken = true;
    }
    f.open_visit = index;
    f.last_visit = index;
    f.visits.push_back(index);
    if (v.node < 0 && std::find(x_.unknown_states.begin(), x_.unknown_states.end(), v.state) ==
                          x_.unknown_states.end()) {
      x_.unknown_states.push_back(v.state);
    }
    x_.visits.push_back(std::move(v));
    return index;
  }

  // The frame of a Map iteration or Parallel branch whose first event follows `prev`.
  int open_frame(int prev, const std::string& ptype, int node, int pf) {
    if (auto it = frame_of_start_.find(prev); it != frame_of_start_.end()) return it->second;
    const json& d = details_of(x_.events[prev]);
    ViewFrame f;
    f.parent = pf;
    std::string label;
    if (ptype == "MapIterationStarted") {
      f.owner_visit = find_open(pf, string_of(d, "name"), "Map");
      auto idx = d.find("index");
      f.index = idx != d.end() && idx->is_number_integer() ? idx->get<long long>() : 0;
      std::string map = f.owner_visit >= 0 ? x_.visits[f.owner_visit].state : string_of(d, "name");
      label = map + " #" + std::to_string(f.index);
    } else {
      f.owner_visit = find_open(pf, "", "Parallel");
      if (node >= 0) f.index = g_.scopes[g_.nodes[node].scope].branch;
      std::string par = f.owner_visit >= 0 ? x_.visits[f.owner_visit].state : "Parallel";
      label = par + " branch " + std::to_string(f.index + 1);
    }
    const std::string& parent_context = x_.frames[pf].context;
    f.context = parent_context.empty() ? label : parent_context + " / " + label;
    int index = static_cast<int>(x_.frames.size());
    if (f.owner_visit >= 0 && ptype == "ParallelStateStarted") {
      x_.visits[f.owner_visit].branch_frames.push_back(index);
    }
    x_.frames.push_back(std::move(f));
    // A Map iteration starts one frame; each state entered after ParallelStateStarted starts
    // one branch.
    if (ptype == "MapIterationStarted") frame_of_start_.emplace(prev, index);
    return index;
  }

  // The nearest open entry, from frame `f` up, whose state is `name` (any when empty) and
  // whose type is `type` (any when empty).
  int find_open(int f, const std::string& name, const std::string& type) const {
    for (int k = f; k >= 0; k = x_.frames[k].parent) {
      int v = x_.frames[k].open_visit;
      if (v < 0) continue;
      const Visit& vi = x_.visits[v];
      if ((name.empty() || vi.state == name) && (type.empty() || vi.type == type)) return v;
    }
    return -1;
  }

  void close(int visit) {
    ViewFrame& f = x_.frames[x_.visits[visit].frame];
    if (f.open_visit == visit) f.open_visit = -1;
  }

  void fail(int visit, const json& d) {
    Visit& v = x_.visits[visit];
    ++v.failures;
    v.last_failed = true;
    std::string error = string_of(d, "error");
    if (!error.empty() || v.error.empty()) {
      v.error = error;
      v.cause = string_of(d, "cause");
    }
  }

  void iteration(int visit, const std::string& type, const json& d) {
    auto idx = d.find("index");
    long long index = idx != d.end() && idx->is_number_integer() ? idx->get<long long>() : -1;
    std::string status = type == "MapIterationSucceeded" ? "succeeded"
                         : type == "MapIterationFailed"  ? "failed"
                         : type == "MapIterationAborted" ? "aborted"
                                                         : "running";
    auto& its = x_.visits[visit].iterations;
    for (auto& [i, s] : its) {
      if (i == index) {
        s = status;
        return;
      }
    }
    its.emplace_back(index, status);
  }

  void mark_transition(const Visit& from, const Visit& to) {
    if (from.node < 0 || to.node < 0) return;
    int scope = g_.nodes[from.node].scope;
    if (g_.nodes[to.node].scope != scope) return;
    const auto& edges = g_.scopes[scope].edges;
    int fallback = -1;
    for (std::size_t e = 0; e < edges.size(); ++e) {
      if (edges[e].from != from.node || edges[e].to != to.node) continue;
      bool is_catch = edges[e].kind == EdgeKind::kCatch;
      if (is_catch == from.last_failed) {
        x_.taken.emplace(scope, static_cast<int>(e));
        return;
      }
      if (fallback < 0) fallback = static_cast<int>(e);
    }
    if (fallback >= 0) x_.taken.emplace(scope, fallback);
  }

  void finish() {
    bool ended = x_.status != "INCOMPLETE";
    for (Visit& v : x_.visits) {
      if (v.exited >= 0) {
        v.status = v.last_failed ? "caught" : v.failures > 0 ? "retried" : "succeeded";
      } else if (v.aborted) {
        v.status = "aborted";
      } else if (v.type == "Fail" || v.last_failed) {
        v.status = "failed";
      } else if (ended && x_.status != "SUCCEEDED") {
        // Still open when the execution failed: the state where it stopped.
        v.status = x_.status == "ABORTED" ? "aborted" : "failed";
      } else {
        v.status = "running";
      }
    }
    x_.node_status.assign(g_.nodes.size(), "notreached");
    for (const Visit& v : x_.visits) {
      if (v.node < 0) continue;
      for (int n : {v.node, g_.drawn(v.node)}) {
        if (rank(v.status) > rank(x_.node_status[n])) x_.node_status[n] = v.status;
      }
    }
    const ViewFrame& root = x_.frames[0];
    if (ended && root.last_visit >= 0) {
      int n = x_.visits[root.last_visit].node;
      x_.end_taken = n >= 0 && g_.nodes[n].terminal;
    }
    if (x_.events.empty()) {
      x_.warnings.push_back("The history holds no events.");
    } else if (x_.events.front()["type"] != "ExecutionStarted") {
      x_.warnings.push_back(
          "The history does not start with ExecutionStarted: its beginning is missing.");
    }
    if (!ended && !x_.events.empty()) {
      x_.warnings.push_back(
          "The history has no terminal event (ExecutionSucceeded, ExecutionFailed, "
          "ExecutionTimedOut or ExecutionAborted): the execution is incomplete (still running, "
          "or the history was truncated).");
    }
    if (!x_.unknown_states.empty()) {
      std::string names;
      std::size_t shown = std::min<std::size_t>(x_.unknown_states.size(), 5);
      for (std::size_t i = 0; i < shown; ++i) {
        names += (i == 0 ? "\"" : ", \"") + x_.unknown_states[i] + "\"";
      }
      if (shown < x_.unknown_states.size()) {
        names += " and " + std::to_string(x_.unknown_states.size() - shown) + " more";
      }
      x_.warnings.push_back(std::to_string(x_.unknown_states.size()) +
                            " state(s) in the history are not in the definition (" + names +
                            "): the history probably comes from another definition. Their "
                            "events appear in the timeline only.");
    }
  }

  const DiagramGraph& g_;
  ExecutionIndex& x_;
  std::unordered_map<int, int> frame_of_start_;
};

}  // namespace

Result<ExecutionIndex> index_history(const DiagramGraph& graph, const json& history) {
  const json* events = &history;
  if (history.is_object()) {
    auto it = history.find("events");
    if (it == history.end()) {
      return invalid_argument_error(
          "the history is a JSON object without \"events\"; expected {\"events\": [...]} or an "
          "array of events (GetExecutionHistory JSON, as `stepwise run --history` writes it)");
    }
    events = &*it;
  }
  if (!events->is_array()) {
    return invalid_argument_error(
        "the history is not a list of events; expected {\"events\": [...]} or an array of "
        "events (GetExecutionHistory JSON, as `stepwise run --history` writes it)");
  }
  ExecutionIndex x;
  x.events.reserve(events->size());
  for (std::size_t i = 0; i < events->size(); ++i) {
    const json& e = (*events)[i];
    std::string where = "history event " + std::to_string(i + 1);
    if (!e.is_object()) return invalid_argument_error(where + " is not a JSON object");
    auto id = e.find("id");
    if (id == e.end() || !id->is_number_integer()) {
      return invalid_argument_error(where + " has no integer \"id\"");
    }
    auto type = e.find("type");
    if (type == e.end() || !type->is_string()) {
      return invalid_argument_error(where + " (id " + id->dump() + ") has no string \"type\"");
    }
    x.events.push_back(e);
  }
  Indexer(graph, x).run();
  return x;
}

}  // namespace stepwise::internal
