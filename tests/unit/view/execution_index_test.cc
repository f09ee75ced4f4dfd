// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests of the execution index (src/view/execution_index.cc), which reads a history against
// the drawable graph: one entry per state entered, in the frame of its Map iteration or
// Parallel branch; each entry's attempts, error and outcome; the transitions taken; the
// execution's status; and warnings for truncated histories or unknown states. Histories come
// from the engine (on a ManualClock) or are written by hand for shapes the engine does not
// produce on demand (a failed or aborted iteration, a chain that jumps between frames).
#include "view/execution_index.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "graph/graph_model.h"
#include "stepwise/engine.h"
#include "stepwise/errors.h"
#include "stepwise/history.h"
#include "stepwise/task_executor.h"
#include "support/engine_support.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;
using testing_support::compile;

// The Task fails with Item.Bad for {"v": "bad"} and with Item.Busy for the first call on
// {"v": "busy"}; otherwise it returns its input.
class ItemExecutor final : public TaskExecutor {
 public:
  void start(const TaskRequest& req, TaskCompletion done) override {
    std::string v = req.input->value("v", "");
    if (v == "bad") {
      done.fail("Item.Bad", "bad item");
    } else if (v == "busy" && busy_calls_++ == 0) {
      done.fail("Item.Busy", "try again");
    } else if (v == "fatal") {
      done.fail("Item.Fatal", "cannot go on");
    } else {
      done.succeed(*req.input);
    }
  }

 private:
  int busy_calls_ = 0;
};

json run_history(const std::string& definition, const json& input) {
  auto machine = compile(definition);
  if (machine == nullptr) return json();
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.task_executor = std::make_shared<ItemExecutor>();
  Engine engine(std::move(options));
  auto id = engine.start(machine, input);
  EXPECT_TRUE(id.ok()) << id.status().to_string();
  if (!id.ok()) return json();
  auto result = engine.run(*id);
  EXPECT_TRUE(result.ok());
  return history_to_json(**engine.history(*id));
}

struct Indexed {
  DiagramGraph graph;
  ExecutionIndex index;

  int node(const std::string& name) const { return graph.find(name); }
  // The entries of state `name`, in history order.
  std::vector<const Visit*> visits(const std::string& name) const {
    std::vector<const Visit*> out;
    for (const Visit& v : index.visits) {
      if (v.state == name) out.push_back(&v);
    }
    return out;
  }
  int visit_index(const Visit* v) const { return static_cast<int>(v - index.visits.data()); }
  // True when the transition from `from` to `to` of kind `kind` was taken.
  bool taken(const std::string& from, const std::string& to, EdgeKind kind) const {
    int f = node(from), t = node(to);
    if (f < 0 || t < 0) return false;
    int scope = graph.nodes[f].scope;
    const auto& edges = graph.scopes[scope].edges;
    for (std::size_t e = 0; e < edges.size(); ++e) {
      if (edges[e].from == f && edges[e].to == t && edges[e].kind == kind) {
        return index.taken.count({scope, static_cast<int>(e)}) > 0;
      }
    }
    ADD_FAILURE() << "no edge " << from << " -> " << to;
    return false;
  }
};

Indexed index_of(const std::string& definition, const json& history, GraphOptions options = {}) {
  Indexed out;
  auto machine = compile(definition);
  if (machine == nullptr) return out;
  out.graph = build_graph(machine->to_json(), options);
  Result<ExecutionIndex> x = index_history(out.graph, history);
  EXPECT_TRUE(x.ok()) << x.status().to_string();
  if (x.ok()) out.index = std::move(*x);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Map iterations and Parallel branches.

constexpr const char* kMapWithCatch = R"({"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
    "ItemProcessor": {"StartAt": "Work", "States": {
      "Work": {"Type": "Task", "Resource": "arn:aws:states:::items:work",
               "Retry": [{"ErrorEquals": ["Item.Busy"], "IntervalSeconds": 1, "MaxAttempts": 1}],
               "Catch": [{"ErrorEquals": ["Item.Bad"], "ResultPath": "$.error",
                          "Next": "Recover"}],
               "Next": "Keep"},
      "Keep": {"Type": "Pass", "End": true},
      "Recover": {"Type": "Pass", "End": true}}}}}})";

TEST(ExecutionIndexTest, EachMapIterationIsAFrameWithItsOwnEntries) {
  json history =
      run_history(kMapWithCatch, {{"items", {{{"v", "ok"}}, {{"v", "bad"}}, {{"v", "busy"}}}}});
  Indexed x = index_of(kMapWithCatch, history);
  EXPECT_EQ(x.index.status, "SUCCEEDED");
  auto each = x.visits("Each");
  ASSERT_EQ(each.size(), 1u);
  EXPECT_EQ(each[0]->frame, 0);
  EXPECT_EQ(each[0]->status, "succeeded");
  EXPECT_EQ(each[0]->iterations, (std::vector<std::pair<long long, std::string>>{
                                     {0, "succeeded"}, {1, "succeeded"}, {2, "succeeded"}}));
  auto work = x.visits("Work");
  ASSERT_EQ(work.size(), 3u);
  std::vector<long long> indices;
  for (const Visit* w : work) {
    const ViewFrame& f = x.index.frames.at(w->frame);
    SCOPED_TRACE(f.context);
    EXPECT_NE(w->frame, 0);
    EXPECT_EQ(f.parent, 0);
    EXPECT_EQ(f.owner_visit, x.visit_index(each[0]));
    EXPECT_EQ(f.context, "Each #" + std::to_string(f.index));
    EXPECT_EQ(f.visits.front(), x.visit_index(w));
    indices.push_back(f.index);
  }
  std::sort(indices.begin(), indices.end());
  EXPECT_EQ(indices, (std::vector<long long>{0, 1, 2}));
  // Root frame, plus one per iteration.
  EXPECT_EQ(x.index.frames.size(), 4u);
  EXPECT_EQ(x.index.frames[0].visits, std::vector<int>{x.visit_index(each[0])});
}

TEST(ExecutionIndexTest, EntriesCarryTheirAttemptsErrorsAndOutcome) {
  json history =
      run_history(kMapWithCatch, {{"items", {{{"v", "ok"}}, {{"v", "bad"}}, {{"v", "busy"}}}}});
  Indexed x = index_of(kMapWithCatch, history);
  struct Expected {
    const char* item;
    const char* status;
    int attempts;
    int failures;
    const char* error;
    const char* next;  // the state entered after Work in that iteration
  };
  const Expected table[] = {
      {"Each #0", "succeeded", 1, 0, "", "Keep"},
      {"Each #1", "caught", 1, 1, "Item.Bad", "Recover"},
      {"Each #2", "retried", 2, 1, "Item.Busy", "Keep"},
  };
  for (const Expected& e : table) {
    SCOPED_TRACE(e.item);
    const Visit* work = nullptr;
    for (const Visit* w : x.visits("Work")) {
      if (x.index.frames[w->frame].context == e.item) work = w;
    }
    ASSERT_NE(work, nullptr);
    EXPECT_EQ(work->status, e.status);
    EXPECT_EQ(work->attempts, e.attempts);
    EXPECT_EQ(work->failures, e.failures);
    EXPECT_EQ(work->error, e.error);
    EXPECT_GE(work->exited, work->entered);
    const ViewFrame& f = x.index.frames[work->frame];
    ASSERT_EQ(f.visits.size(), 2u);
    EXPECT_EQ(x.index.visits[f.visits[1]].state, e.next);
  }
  EXPECT_EQ(x.index.node_status[x.node("Work")], "caught");  // the strongest outcome wins
  EXPECT_EQ(x.index.node_status[x.node("Recover")], "succeeded");
  // Each event belongs to an entry in the frame of that entry.
  for (std::size_t i = 0; i < x.index.events.size(); ++i) {
    int v = x.index.event_visit[i];
    if (v >= 0) {
      EXPECT_EQ(x.index.event_frame[i], x.index.visits[v].frame) << i;
    }
  }
}

TEST(ExecutionIndexTest, TransitionsTakenAreThoseOfTheOutcome) {
  json history = run_history(kMapWithCatch, {{"items", {{{"v", "ok"}}, {{"v", "bad"}}}}});
  Indexed x = index_of(kMapWithCatch, history);
  EXPECT_TRUE(x.index.start_taken);
  EXPECT_TRUE(x.index.end_taken);
  EXPECT_TRUE(x.taken("Work", "Keep", EdgeKind::kNext));
  EXPECT_TRUE(x.taken("Work", "Recover", EdgeKind::kCatch));
  EXPECT_EQ(x.index.taken.size(), 2u);

  json only_ok = run_history(kMapWithCatch, {{"items", {{{"v", "ok"}}}}});
  Indexed y = index_of(kMapWithCatch, only_ok);
  EXPECT_TRUE(y.taken("Work", "Keep", EdgeKind::kNext));
  EXPECT_FALSE(y.taken("Work", "Recover", EdgeKind::kCatch));
  EXPECT_EQ(y.index.node_status[y.node("Recover")], "notreached");
}

constexpr const char* kChoiceAndParallel = R"({"StartAt": "Route", "States": {
  "Route": {"Type": "Choice", "Choices": [
      {"Variable": "$.fan", "BooleanEquals": true, "Next": "Fan"}],
    "Default": "Skip"},
  "Skip": {"Type": "Succeed"},
  "Fan": {"Type": "Parallel", "Next": "Done", "Branches": [
      {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "Next": "Left 2"},
                                     "Left 2": {"Type": "Pass", "End": true}}},
      {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": true}}}]},
  "Done": {"Type": "Pass", "End": true}}})";

TEST(ExecutionIndexTest, EachParallelBranchIsAFrameOfItsEntry) {
  json history = run_history(kChoiceAndParallel, {{"fan", true}});
  Indexed x = index_of(kChoiceAndParallel, history);
  auto fan = x.visits("Fan");
  ASSERT_EQ(fan.size(), 1u);
  ASSERT_EQ(fan[0]->branch_frames.size(), 2u);
  struct Expected {
    const char* first;
    long long index;
    const char* context;
    std::size_t entries;
  };
  const Expected table[] = {{"Left", 0, "Fan branch 1", 2}, {"Right", 1, "Fan branch 2", 1}};
  for (const Expected& e : table) {
    SCOPED_TRACE(e.first);
    auto v = x.visits(e.first);
    ASSERT_EQ(v.size(), 1u);
    const ViewFrame& f = x.index.frames.at(v[0]->frame);
    EXPECT_EQ(f.parent, 0);
    EXPECT_EQ(f.owner_visit, x.visit_index(fan[0]));
    EXPECT_EQ(f.index, e.index);
    EXPECT_EQ(f.context, e.context);
    EXPECT_EQ(f.visits.size(), e.entries);
    EXPECT_NE(std::find(fan[0]->branch_frames.begin(), fan[0]->branch_frames.end(), v[0]->frame),
              fan[0]->branch_frames.end());
  }
  EXPECT_TRUE(x.taken("Route", "Fan", EdgeKind::kChoice));
  EXPECT_FALSE(x.taken("Route", "Skip", EdgeKind::kDefault));
  EXPECT_TRUE(x.taken("Left", "Left 2", EdgeKind::kNext));
  EXPECT_TRUE(x.taken("Fan", "Done", EdgeKind::kNext));
  EXPECT_EQ(x.index.node_status[x.node("Skip")], "notreached");
  EXPECT_EQ(x.index.node_status[x.node("Left 2")], "succeeded");
  EXPECT_TRUE(x.index.end_taken);
}

TEST(ExecutionIndexTest, ACollapsedContainerTakesTheStrongestOutcomeInside) {
  GraphOptions options;
  options.collapse_threshold = 2;
  json history = run_history(kMapWithCatch, {{"items", {{{"v", "bad"}}}}});
  Indexed x = index_of(kMapWithCatch, history, options);
  ASSERT_TRUE(x.graph.nodes[x.node("Each")].collapsed);
  EXPECT_EQ(x.index.node_status[x.node("Each")], "caught");
  EXPECT_EQ(x.index.node_status[x.node("Work")], "caught");  // hidden ones keep their own
}

// ---------------------------------------------------------------------------------------------
// Outcomes of the execution.

TEST(ExecutionIndexTest, AnUncaughtErrorFailsTheStateAndTheExecution) {
  const char* definition = R"({"StartAt": "Prepare", "States": {
    "Prepare": {"Type": "Pass", "Next": "Work"},
    "Work": {"Type": "Task", "Resource": "arn:aws:states:::items:work", "End": true}}})";
  Indexed x = index_of(definition, run_history(definition, {{"v", "fatal"}}));
  EXPECT_EQ(x.index.status, "FAILED");
  EXPECT_EQ(x.index.error, "Item.Fatal");
  EXPECT_EQ(x.index.cause, "cannot go on");
  auto work = x.visits("Work");
  ASSERT_EQ(work.size(), 1u);
  EXPECT_EQ(work[0]->status, "failed");
  EXPECT_EQ(work[0]->exited, -1);
  EXPECT_EQ(work[0]->error, "Item.Fatal");
  EXPECT_EQ(x.visits("Prepare").at(0)->status, "succeeded");
  EXPECT_TRUE(x.index.warnings.empty());
}

TEST(ExecutionIndexTest, AFailStateIsFailed) {
  const char* definition = R"({"StartAt": "Stop", "States": {
    "Stop": {"Type": "Fail", "Error": "Custom.Stop", "Cause": "stopped"}}})";
  Indexed x = index_of(definition, run_history(definition, json::object()));
  EXPECT_EQ(x.index.status, "FAILED");
  EXPECT_EQ(x.index.error, "Custom.Stop");
  EXPECT_EQ(x.visits("Stop").at(0)->status, "failed");
  EXPECT_EQ(x.visits("Stop").at(0)->type, "Fail");
}

// ---------------------------------------------------------------------------------------------
// Hand-written histories.

json event(long long id, long long previous, const std::string& type, const json& details = {},
           const std::string& details_key = "") {
  json e = {{"id", id},
            {"previousEventId", previous},
            {"type", type},
            {"timestamp", "2026-01-01T00:00:00Z"}};
  if (!details_key.empty()) e[details_key] = details;
  return e;
}
json entered(long long id, long long previous, const std::string& type, const std::string& name) {
  return event(id, previous, type + "StateEntered", {{"name", name}, {"input", "{}"}},
               "stateEnteredEventDetails");
}
json exited(long long id, long long previous, const std::string& type, const std::string& name) {
  return event(id, previous, type + "StateExited", {{"name", name}, {"output", "{}"}},
               "stateExitedEventDetails");
}
json iteration(long long id, long long previous, const std::string& what, long long index) {
  return event(id, previous, "MapIteration" + what, {{"name", "Each"}, {"index", index}},
               "mapIterationStartedEventDetails");
}

constexpr const char* kSimpleMap = R"({"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "End": true,
    "ItemProcessor": {"StartAt": "Step", "States": {"Step": {"Type": "Pass", "End": true}}}}}})";

TEST(ExecutionIndexTest, IterationOutcomesComeFromTheirEvents) {
  json events = json::array({
      event(1, 0, "ExecutionStarted"),
      entered(2, 1, "Map", "Each"),
      event(3, 2, "MapStateStarted"),
      iteration(4, 3, "Started", 0),
      entered(5, 4, "Pass", "Step"),
      iteration(6, 3, "Started", 1),
      entered(7, 6, "Pass", "Step"),
      iteration(8, 3, "Started", 2),
      entered(9, 8, "Pass", "Step"),
      exited(10, 5, "Pass", "Step"),
      iteration(11, 10, "Succeeded", 0),
      iteration(12, 7, "Failed", 1),
      iteration(13, 9, "Aborted", 2),
      event(14, 13, "MapStateFailed", {{"error", "States.Runtime"}, {"cause", "oops"}},
            "mapStateFailedEventDetails"),
      event(15, 14, "ExecutionFailed", {{"error", "States.Runtime"}, {"cause", "oops"}},
            "executionFailedEventDetails"),
  });
  Indexed x = index_of(kSimpleMap, json{{"events", events}});
  EXPECT_EQ(x.index.status, "FAILED");
  auto each = x.visits("Each");
  ASSERT_EQ(each.size(), 1u);
  EXPECT_EQ(each[0]->iterations, (std::vector<std::pair<long long, std::string>>{
                                     {0, "succeeded"}, {1, "failed"}, {2, "aborted"}}));
  EXPECT_EQ(each[0]->status, "failed");
  EXPECT_EQ(each[0]->error, "States.Runtime");
  auto steps = x.visits("Step");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0]->status, "succeeded");
  // Still open when the execution failed: where it stopped.
  EXPECT_EQ(steps[1]->status, "failed");
  EXPECT_EQ(steps[2]->status, "failed");
  EXPECT_EQ(x.index.frames.size(), 4u);
}

TEST(ExecutionIndexTest, EventsChainedFromInsideAnIterationReachTheMapEntry) {
  // The iteration and Map events follow events inside the iterations (as AWS's chains do):
  // they attach to the Map's entry, the nearest open entry of their frame or its ancestors.
  // The exits, out of order, close the entry of their own iteration.
  json events = json::array({
      event(1, 0, "ExecutionStarted"),
      entered(2, 1, "Map", "Each"),
      event(3, 2, "MapStateStarted"),
      iteration(4, 3, "Started", 0),
      entered(5, 4, "Pass", "Step"),
      iteration(6, 3, "Started", 1),
      entered(7, 6, "Pass", "Step"),
      exited(8, 7, "Pass", "Step"),
      exited(9, 5, "Pass", "Step"),
      iteration(10, 9, "Succeeded", 0),
      iteration(11, 8, "Succeeded", 1),
      event(12, 11, "MapStateSucceeded"),
      exited(13, 12, "Map", "Each"),
      event(14, 13, "ExecutionSucceeded", {{"output", "[]"}}, "executionSucceededEventDetails"),
  });
  Indexed x = index_of(kSimpleMap, events);  // a bare array of events
  EXPECT_EQ(x.index.status, "SUCCEEDED");
  auto each = x.visits("Each");
  ASSERT_EQ(each.size(), 1u);
  for (int position : {9, 10, 11, 12}) {
    SCOPED_TRACE(position);
    EXPECT_EQ(x.index.event_visit[position], x.visit_index(each[0]));
    EXPECT_EQ(x.index.event_frame[position], 0);
  }
  EXPECT_EQ(each[0]->exited, 12);
  EXPECT_EQ(each[0]->status, "succeeded");
  auto steps = x.visits("Step");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]->exited, 8);  // event 9
  EXPECT_EQ(steps[1]->exited, 7);  // event 8
  for (const Visit* s : steps) EXPECT_EQ(s->status, "succeeded");
  EXPECT_TRUE(x.index.end_taken);
  EXPECT_TRUE(x.index.warnings.empty());
}

TEST(ExecutionIndexTest, ATruncatedHistoryIsIncompleteWithRunningEntries) {
  json full = run_history(kChoiceAndParallel, {{"fan", true}});
  const json& events = full["events"];
  // Keep everything up to the first entry inside the Parallel.
  json cut = json::array();
  for (const json& e : events) {
    cut.push_back(e);
    if (e["type"] == "PassStateEntered" && e["stateEnteredEventDetails"]["name"] == "Left") break;
  }
  ASSERT_LT(cut.size(), events.size());
  Indexed x = index_of(kChoiceAndParallel, cut);
  EXPECT_EQ(x.index.status, "INCOMPLETE");
  EXPECT_EQ(x.visits("Fan").at(0)->status, "running");
  EXPECT_EQ(x.visits("Left").at(0)->status, "running");
  EXPECT_EQ(x.visits("Route").at(0)->status, "succeeded");
  EXPECT_EQ(x.index.node_status[x.node("Done")], "notreached");
  EXPECT_FALSE(x.index.end_taken);
  ASSERT_EQ(x.index.warnings.size(), 1u);
  EXPECT_NE(x.index.warnings[0].find("no terminal event"), std::string::npos);

  // Without its beginning: the first event is not ExecutionStarted.
  json tail(events.begin() + 3, events.end());
  Indexed y = index_of(kChoiceAndParallel, tail);
  EXPECT_EQ(y.index.status, "SUCCEEDED");
  ASSERT_EQ(y.index.warnings.size(), 1u);
  EXPECT_EQ(y.index.warnings[0],
            "The history does not start with ExecutionStarted: its beginning is missing.");
}

TEST(ExecutionIndexTest, StatesTheDefinitionDoesNotHaveAreListedOnce) {
  json events = json::array({
      event(1, 0, "ExecutionStarted"),
      entered(2, 1, "Pass", "Ghost"),
      exited(3, 2, "Pass", "Ghost"),
      entered(4, 3, "Pass", "Ghost"),
      exited(5, 4, "Pass", "Ghost"),
      event(6, 5, "ExecutionSucceeded", {{"output", "{}"}}, "executionSucceededEventDetails"),
  });
  Indexed x = index_of(kSimpleMap, events);
  EXPECT_EQ(x.index.unknown_states, std::vector<std::string>{"Ghost"});
  ASSERT_EQ(x.visits("Ghost").size(), 2u);
  EXPECT_EQ(x.visits("Ghost")[0]->node, -1);
  EXPECT_FALSE(x.index.start_taken);
  EXPECT_FALSE(x.index.end_taken);
  ASSERT_EQ(x.index.warnings.size(), 1u);
  EXPECT_EQ(x.index.warnings[0].rfind("1 state(s) in the history are not in the definition "
                                      "(\"Ghost\")",
                                      0),
            0u)
      << x.index.warnings[0];
}

TEST(ExecutionIndexTest, MalformedHistoriesAreInvalidArguments) {
  DiagramGraph graph = build_graph(json::parse(kSimpleMap), GraphOptions{});
  const json bad[] = {json(3), json{{"event", json::array()}}, json::array({json::array()}),
                      json::array({{{"id", "1"}, {"type", "ExecutionStarted"}}}),
                      json::array({{{"id", 1}, {"type", 7}}})};
  for (const json& h : bad) {
    SCOPED_TRACE(h.dump());
    Result<ExecutionIndex> x = index_history(graph, h);
    ASSERT_FALSE(x.ok());
    EXPECT_EQ(x.status().code(), StatusCode::kInvalidArgument);
  }
  Result<ExecutionIndex> empty = index_history(graph, json{{"events", json::array()}});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->status, "INCOMPLETE");
  EXPECT_EQ(empty->warnings, std::vector<std::string>{"The history holds no events."});
  EXPECT_EQ(empty->node_status, std::vector<std::string>(graph.nodes.size(), "notreached"));
}

}  // namespace
}  // namespace stepwise::internal
