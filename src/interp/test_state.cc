// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The TestState API (ASL-REFERENCE.md section 18, "Related"): one state run in isolation.
// The state is put in a machine of its own whose transition targets are stub Succeed states,
// run by the interpreter with an `Inspection` attached (interp/inspection.h) that records each
// step of the I/O pipeline and stops at the Retry decision, and the response is read from the
// inspection and the history: the tested state's StateExited event gives the assigned
// variables, the next StateEntered event the transition taken.
#include "stepwise/test_state.h"

#include <cmath>
#include <regex>

#include <fmt/format.h>

#include "interp/engine_impl.h"
#include "interp/inspection.h"
#include "policy/map_tolerance.h"
#include "policy/retry.h"
#include "stepwise/parser.h"
#include "util/json_limits.h"
#include "util/timestamp.h"

namespace stepwise {

using nlohmann::json;

std::string_view test_state_status_name(TestStateStatus status) {
  switch (status) {
    case TestStateStatus::kSucceeded:
      return "SUCCEEDED";
    case TestStateStatus::kFailed:
      return "FAILED";
    case TestStateStatus::kCaughtError:
      return "CAUGHT_ERROR";
    case TestStateStatus::kRetriable:
      return "RETRIABLE";
  }
  return "UNKNOWN";
}

json TestStateResponse::to_json() const {
  json out = json::object();
  out["status"] = std::string(test_state_status_name(status));
  if (output) out["output"] = *output;
  if (error) out["error"] = *error;
  if (cause) out["cause"] = *cause;
  if (next_state) out["nextState"] = *next_state;
  if (inspection_data) out["inspectionData"] = *inspection_data;
  return out;
}

namespace {

// A member that AWS sends as JSON text ("variables": "{\"x\": 1}") or that a caller gives as a
// value.
Status read_json_member(const json& request, const char* key, std::optional<json>& out) {
  auto it = request.find(key);
  if (it == request.end() || it->is_null()) return {};
  if (!it->is_string()) {
    out = *it;
    return {};
  }
  try {
    out = json::parse(it->get<std::string>());
  } catch (const json::parse_error& e) {
    return invalid_argument_error(fmt::format("/{}: not valid JSON text: {}", key, e.what()));
  }
  return {};
}

// JSON numbers that are whole print as integers (AWS's `16`, not `16.0`).
json number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<std::int64_t>(v);
  return v;
}

// Where the tested state sits in a machine: its definition and the query language it inherits.
struct Located {
  const json* state = nullptr;
  std::optional<std::string> query_language;  // of the enclosing graph, when written
};

void find_state(const json& graph, const std::string& name,
                const std::optional<std::string>& inherited, Located& out) {
  if (out.state != nullptr || !graph.is_object()) return;
  std::optional<std::string> ql = inherited;
  if (graph.contains("QueryLanguage") && graph["QueryLanguage"].is_string()) {
    ql = graph["QueryLanguage"].get<std::string>();
  }
  auto states = graph.find("States");
  if (states == graph.end() || !states->is_object()) return;
  auto it = states->find(name);
  if (it != states->end()) {
    out.state = &*it;
    out.query_language = ql;
    return;
  }
  for (const auto& s : *states) {
    if (!s.is_object()) continue;
    for (const char* key : {"ItemProcessor", "Iterator"}) {
      if (s.contains(key)) find_state(s[key], name, ql, out);
    }
    if (s.contains("Branches") && s["Branches"].is_array()) {
      for (const auto& b : s["Branches"]) find_state(b, name, ql, out);
    }
  }
}

constexpr const char* kSelfStub = "__stepwise_next_state__";

// The tested state in a machine of its own: `state` under `name`, each transition target a
// stub Succeed state. `targets` maps stub names back to the names written in the definition.
json one_state_machine(json state, const std::string& name,
                       const std::optional<std::string>& query_language,
                       std::map<std::string, std::string>& targets) {
  auto stub = [&](json& field) {
    if (!field.is_string()) return;
    std::string target = field.get<std::string>();
    std::string stub_name = target == name ? kSelfStub : target;
    targets[stub_name] = target;
    field = stub_name;
  };
  std::string type = state.value("Type", "");
  if (state.contains("Next")) stub(state["Next"]);
  if (state.contains("Default")) stub(state["Default"]);
  for (const char* list : {"Choices", "Catch"}) {
    if (!state.contains(list) || !state[list].is_array()) continue;
    for (json& rule : state[list]) {
      if (rule.is_object() && rule.contains("Next")) stub(rule["Next"]);
    }
  }
  if (!state.contains("Next") && !state.contains("End") &&
      (type == "Task" || type == "Pass" || type == "Wait" || type == "Map" || type == "Parallel")) {
    state["End"] = true;
  }
  json machine = {{"StartAt", name}, {"States", json::object()}};
  if (query_language) machine["QueryLanguage"] = *query_language;
  machine["States"][name] = std::move(state);
  for (const auto& [stub_name, target] : targets) {
    if (stub_name != name) machine["States"][stub_name] = {{"Type", "Succeed"}};
  }
  return machine;
}

// Serves a mocked Task.
class MockedTaskExecutor final : public TaskExecutor {
 public:
  explicit MockedTaskExecutor(TestStateMock mock) : mock_(std::move(mock)) {}
  void start(const TaskRequest&, TaskCompletion completion) override {
    if (mock_.result) {
      completion.succeed(*mock_.result);
    } else {
      completion.fail(mock_.error.value_or(""), mock_.cause.value_or(""));
    }
  }

 private:
  TestStateMock mock_;
};

// TestState has no history to point into: AWS's causes there carry no "An error occurred while
// executing the state ..." prefix.
std::string strip_cause_prefix(const std::string& cause) {
  static const std::regex prefix(
      R"(^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. )");
  return std::regex_replace(cause, prefix, "", std::regex_constants::format_first_only);
}

}  // namespace

Result<TestStateRequest> TestStateRequest::from_json(const json& request) {
  if (!request.is_object()) return invalid_argument_error("/: a TestState request is an object");
  TestStateRequest r;
  std::optional<json> v;
  if (Status s = read_json_member(request, "definition", v); !s.ok()) return s;
  if (!v) return invalid_argument_error("/definition: required");
  r.definition = std::move(*v);
  v.reset();
  if (Status s = read_json_member(request, "input", v); !s.ok()) return s;
  if (v) r.input = std::move(*v);
  v.reset();
  if (Status s = read_json_member(request, "variables", v); !s.ok()) return s;
  if (v) {
    if (!v->is_object()) return invalid_argument_error("/variables: must be a JSON object");
    r.variables = std::move(*v);
  }
  v.reset();
  if (Status s = read_json_member(request, "context", v); !s.ok()) return s;
  if (v) r.context = std::move(*v);
  if (request.contains("stateName") && request["stateName"].is_string()) {
    r.state_name = request["stateName"].get<std::string>();
  }
  if (request.contains("roleArn") && request["roleArn"].is_string()) {
    r.role_arn = request["roleArn"].get<std::string>();
  }
  std::string level = request.value("inspectionLevel", "INFO");
  if (level == "INFO") {
    r.inspection_level = InspectionLevel::kInfo;
  } else if (level == "DEBUG") {
    r.inspection_level = InspectionLevel::kDebug;
  } else if (level == "TRACE") {
    r.inspection_level = InspectionLevel::kTrace;
  } else {
    return invalid_argument_error(
        fmt::format("/inspectionLevel: \"{}\" is not INFO, DEBUG or TRACE", level));
  }
  if (request.contains("mock")) {
    const json& m = request["mock"];
    if (!m.is_object()) return invalid_argument_error("/mock: must be an object");
    TestStateMock mock;
    v.reset();
    if (Status s = read_json_member(m, "result", v); !s.ok()) {
      return invalid_argument_error("/mock" + s.message().substr(0));
    }
    mock.result = v;
    if (m.contains("errorOutput")) {
      const json& e = m["errorOutput"];
      if (!e.is_object()) return invalid_argument_error("/mock/errorOutput: must be an object");
      if (e.contains("error") && e["error"].is_string()) mock.error = e["error"].get<std::string>();
      if (e.contains("cause") && e["cause"].is_string()) mock.cause = e["cause"].get<std::string>();
    }
    if (mock.result && (mock.error || mock.cause)) {
      return invalid_argument_error("/mock: give either \"result\" or \"errorOutput\", not both");
    }
    if (!mock.result && !mock.error && !mock.cause) {
      return invalid_argument_error("/mock: needs \"result\" or \"errorOutput\"");
    }
    r.mock = std::move(mock);
  }
  if (request.contains("stateConfiguration")) {
    const json& c = request["stateConfiguration"];
    if (!c.is_object()) return invalid_argument_error("/stateConfiguration: must be an object");
    if (c.contains("retrierRetryCount")) {
      if (!c["retrierRetryCount"].is_number_integer()) {
        return invalid_argument_error("/stateConfiguration/retrierRetryCount: must be an integer");
      }
      r.retrier_retry_count = c["retrierRetryCount"].get<std::int64_t>();
    }
    if (c.contains("mapIterationFailureCount")) {
      if (!c["mapIterationFailureCount"].is_number_integer()) {
        return invalid_argument_error(
            "/stateConfiguration/mapIterationFailureCount: must be an integer");
      }
      r.map_iteration_failure_count = c["mapIterationFailureCount"].get<std::int64_t>();
    }
    if (c.contains("errorCausedByState") && c["errorCausedByState"].is_string()) {
      r.error_caused_by_state = c["errorCausedByState"].get<std::string>();
    }
    v.reset();
    if (Status s = read_json_member(c, "mapItemReaderData", v); !s.ok()) {
      return invalid_argument_error("/stateConfiguration" + s.message());
    }
    r.map_item_reader_data = v;
  }
  return r;
}

namespace internal {

bool inspect_failure(Inspection& in, const State& s, const Failure& failure,
                     std::vector<std::int64_t>& counters) {
  in.failure = failure;
  std::string_view name = failure.error_name();
  if (is_terminal_error(name)) return false;
  for (std::size_t i = 0; i < s.retry.size(); ++i) {
    const Retrier& r = s.retry[i];
    if (!error_matches(r.error_equals, name)) continue;
    in.retry_index = static_cast<int>(i);
    if (in.retrier_retry_count < r.max_attempts) {
      double delay = static_cast<double>(r.interval_seconds) *
                     std::pow(r.backoff_rate, static_cast<double>(in.retrier_retry_count));
      if (r.max_delay_seconds) delay = std::min(delay, static_cast<double>(*r.max_delay_seconds));
      in.retry_backoff_seconds = delay;
      in.retriable = true;
      return true;
    }
    break;
  }
  // No retry: the engine goes on to Catch.
  for (std::size_t i = 0; i < s.retry.size() && i < counters.size(); ++i) {
    counters[i] = s.retry[i].max_attempts;
  }
  int c = find_catcher(s.catch_rules, name);
  if (c >= 0) in.catch_index = c;
  return false;
}

void finish_mocked_children(Frame& f, Inspection& in, std::size_t item_count) {
  f.kids.mut().frames.clear();
  if (in.children_failure) {
    f.kids.mut().failure = *in.children_failure;
  } else {
    // TestState checks only the fields the state sets (UnsetTolerance::kUnlimited).
    MapTolerance tolerance;
    if (in.tolerated_failure_count) {
      tolerance.count = static_cast<std::int64_t>(*in.tolerated_failure_count);
    }
    tolerance.percentage = in.tolerated_failure_percentage;
    std::uint64_t failed =
        static_cast<std::uint64_t>(std::max<std::int64_t>(in.map_iteration_failure_count, 0));
    if (exceeds_tolerance(tolerance, failed, item_count, UnsetTolerance::kUnlimited)) {
      f.kids.mut().failure = Failure(std::string(errors::kExceedToleratedFailureThreshold),
                                     "The specified tolerated failure threshold was exceeded");
    } else {
      f.kids.mut().results = *in.children_result;
    }
  }
  f.phase = Frame::Phase::kChildrenDone;
}

}  // namespace internal

namespace {

using internal::Inspection;

// The state under test, as the request names it.
struct TestedState {
  json state;
  std::string name;                           // the name it runs under
  std::optional<std::string> query_language;  // of the enclosing graph, when written
  std::string type;
  bool jsonata = false;
};

// Step 1, the request: the state (alone, or found in a whole machine, which must be valid as
// on AWS) and whether the mock applies to it.
Result<TestedState> read_tested_state(const TestStateRequest& request) {
  const json& def = request.definition;
  if (!def.is_object()) return invalid_argument_error("the definition must be a JSON object");
  const TestStateMock* mocked = request.mock ? &*request.mock : nullptr;
  if (Status st = internal::check_payloads_depth(
          {{"The definition", &def},
           {"The input", &request.input},
           {"The variables", &request.variables},
           {"The context", request.context ? &*request.context : nullptr},
           {"The mocked result", mocked && mocked->result ? &*mocked->result : nullptr},
           {"The item reader data",
            request.map_item_reader_data ? &*request.map_item_reader_data : nullptr}},
          internal::kDefaultMaxPayloadDepth);
      !st.ok()) {
    return st;
  }

  TestedState t;
  if (def.contains("States")) {
    if (request.state_name.empty()) {
      return invalid_argument_error(
          "the definition is a state machine: name the state to test (stateName)");
    }
    ParseResult whole = parse_state_machine(def);
    if (!whole.ok()) {
      std::string text = "the state machine definition is invalid:";
      for (const Diagnostic& d : whole.diagnostics()) text += "\n" + d.to_string();
      return invalid_argument_error(text);
    }
    Located loc;
    find_state(def, request.state_name, std::nullopt, loc);
    if (loc.state == nullptr) {
      return invalid_argument_error(
          fmt::format("no state named '{}' in the state machine", request.state_name));
    }
    t.state = *loc.state;
    t.name = request.state_name;
    t.query_language = loc.query_language;
  } else {
    t.state = def;
    t.name = request.state_name.empty() ? "StateName" : request.state_name;
  }
  t.type = t.state.value("Type", "");
  t.jsonata = t.state.contains("QueryLanguage")
                  ? t.state["QueryLanguage"] == "JSONata"
                  : t.query_language.value_or("JSONPath") == "JSONata";
  if (request.mock && t.type != "Task" && t.type != "Map" && t.type != "Parallel") {
    return invalid_argument_error(
        fmt::format("a mock applies to Task, Map and Parallel states, not to a {} state", t.type));
  }
  return t;
}

// Step 2, the one-state machine (see one_state_machine), parsed.
Result<std::shared_ptr<const StateMachine>> parse_one_state_machine(
    const TestedState& t, std::map<std::string, std::string>& targets) {
  json machine_json = one_state_machine(t.state, t.name, t.query_language, targets);
  ParseResult parsed = parse_state_machine(machine_json);
  if (!parsed.ok()) {
    std::string text = "the state definition is invalid:";
    for (const Diagnostic& d : parsed.diagnostics()) text += "\n" + d.to_string();
    return invalid_argument_error(text);
  }
  return parsed.machine();
}

// The context object as AWS's TestState builds it when the request gives none.
json default_context(const TestStateRequest& request, const TestStateOptions& options,
                     const std::string& type, std::int64_t now) {
  std::string sm_name = "TestStateMachine";
  std::string exec_name = fmt::format("test-state-{:016x}", options.random_seed ^ 0x5eed5eedULL);
  std::string stamp = internal::format_iso8601_millis(now);
  json st = {{"Name", "StateName"}, {"EnteredTime", stamp}};
  if (type == "Task" || type == "Map" || type == "Parallel") {
    st["RetryCount"] = request.retrier_retry_count;
  }
  return json{{"Execution",
               {{"Id", fmt::format("arn:{}:states:{}:{}:express:{}:{}", options.partition,
                                   options.region, options.account, sm_name, exec_name)},
                {"Input", request.input},
                {"Name", exec_name},
                {"RoleArn", request.role_arn ? json(*request.role_arn) : json(nullptr)},
                {"StartTime", stamp}}},
              {"StateMachine",
               {{"Id", fmt::format("arn:{}:states:{}:{}:stateMachine:{}", options.partition,
                                   options.region, options.account, sm_name)},
                {"Name", sm_name}}},
              {"State", std::move(st)}};
}

// Step 3, the engine options and the inspection's inputs: a mocked Task is served by the
// mock, a mocked Map or Parallel ends its children with the mock's outcome, everything else
// is served by the host's executor.
EngineOptions engine_options(const TestStateRequest& request, const TestStateOptions& options,
                             const TestedState& t, Inspection& in) {
  EngineOptions eopts;
  std::shared_ptr<Clock> clock = options.clock;
  if (!clock) clock = std::make_shared<ManualClock>(SystemClock().now());
  eopts.clock = clock;
  eopts.partition = options.partition;
  eopts.region = options.region;
  eopts.account = options.account;
  eopts.random_seed = options.random_seed;
  eopts.task_executor = options.task_executor;
  in.retrier_retry_count = request.retrier_retry_count;
  in.map_iteration_failure_count = request.map_iteration_failure_count;
  in.item_reader_data = request.map_item_reader_data;
  if (request.mock) {
    if (t.type == "Task") {
      eopts.task_executor = std::make_shared<MockedTaskExecutor>(*request.mock);
    } else if (request.mock->result) {
      in.children_result = *request.mock->result;
    } else {
      in.children_failure =
          Failure(request.mock->error.value_or(""), request.mock->cause.value_or(""));
    }
  }
  std::int64_t now = clock->now();
  in.context = request.context ? *request.context : default_context(request, options, t.type, now);
  return eopts;
}

// Step 4, the run: the machine starts with the inspection attached and the request's
// variables set, and runs until it ends.
Result<internal::Execution*> run_tested_state(internal::EngineImpl& engine,
                                              const TestStateRequest& request,
                                              std::shared_ptr<const StateMachine> machine,
                                              Inspection& in) {
  StartOptions sopts;
  sopts.name = "test-state";
  Result<ExecutionId> id = engine.start(std::move(machine), request.input, sopts);
  if (!id.ok()) return id.status();
  internal::Execution& ex = *engine.executions.get(*id);
  in.state = ex.model->root.start_at;
  ex.inspection = &in;
  for (auto it = request.variables.begin(); it != request.variables.end(); ++it) {
    ex.root->scope->set(it.key(), it.value());
  }
  while (ex.status == ExecutionStatus::kRunning) {
    StepReport r = engine.step({});
    if (ex.status != ExecutionStatus::kRunning) break;
    if (!engine.wait_for_progress(r)) {
      return internal_error("the state is blocked with nothing to wait for");
    }
  }
  return &ex;
}

// From the history: the variables the tested state assigned (its StateExited event) and the
// transition taken (the next StateEntered event, a stub named in `targets`).
json read_transition(internal::EngineImpl& engine, internal::Execution& ex, const TestedState& t,
                     const std::map<std::string, std::string>& targets, TestStateResponse& out) {
  std::int64_t exited_id = -1;
  json assigned = json::object();
  for (const HistoryEvent& e : engine.read_history(ex)) {
    if (exited_id < 0 && e.type.ends_with("StateExited") && e.details.value("name", "") == t.name) {
      exited_id = e.id;
      if (e.details.contains("assignedVariables")) {
        for (auto it = e.details["assignedVariables"].begin();
             it != e.details["assignedVariables"].end(); ++it) {
          try {
            assigned[it.key()] = json::parse(it.value().get<std::string>());
          } catch (...) {
            assigned[it.key()] = it.value();
          }
        }
      }
    } else if (exited_id >= 0 && e.type.ends_with("StateEntered")) {
      std::string stub_name = e.details.value("name", "");
      auto it = targets.find(stub_name);
      out.next_state = it != targets.end() ? it->second : stub_name;
      break;
    }
  }
  return assigned;
}

// Step 5a, the response's status, output, error and cause.
void read_outcome(const internal::Execution& ex, const TestedState& t, const Inspection& in,
                  TestStateResponse& out) {
  if (ex.status == ExecutionStatus::kSucceeded) {
    out.output = ex.output;
    if (in.catch_index) {
      out.status = TestStateStatus::kCaughtError;
      out.error = in.failure->error;
      out.cause = in.failure->cause;
    }
    return;
  }
  out.status = in.retriable ? TestStateStatus::kRetriable : TestStateStatus::kFailed;
  out.error = ex.error;
  out.cause = ex.cause;
  if (out.cause) out.cause = strip_cause_prefix(*out.cause);
  // A Map's items that are not an array: AWS names the reference path.
  if (t.type == "Map" && !t.jsonata && out.error == errors::kRuntime && out.cause &&
      out.cause->starts_with("Map state input must be an array")) {
    std::string path = t.state.value("ItemsPath", "$");
    if (path.starts_with("$$")) path = path.substr(1);
    out.cause = fmt::format("Reference path \"{}\" must point to array.", path);
  }
}

// Step 5b, inspectionData (DEBUG and TRACE levels): the I/O pipeline's steps the state type
// has, the Map's evaluated limits, the variables and the Retry/Catch decision.
json inspection_data(const TestStateRequest& request, const TestedState& t, const Inspection& in,
                     const TestStateResponse& out, const json& assigned) {
  const std::string& type = t.type;
  json data = json::object();
  data["input"] = request.input;
  auto put = [&](const char* key, const std::optional<json>& v) {
    if (v) data[key] = *v;
  };
  if (!t.jsonata) {
    if (type == "Pass") {
      if (t.state.contains("Result")) {
        put("result", in.result);
      } else {
        put("afterInputPath", in.after_input_path);
        put("afterParameters", in.after_parameters);
      }
      put("afterResultSelector", in.after_result_selector);
      put("afterResultPath", in.after_result_path);
    } else if (type == "Task") {
      put("afterInputPath", in.after_input_path);
      put("afterParameters", in.after_parameters);
      put("result", in.result);
      put("afterResultSelector", in.after_result_selector);
      put("afterResultPath", in.after_result_path);
    } else if (type == "Parallel") {
      put("afterResultSelector", in.after_result_selector);
      put("afterResultPath", in.after_result_path);
    } else if (type == "Map") {
      put("afterInputPath", in.after_input_path);
      put("afterItemsPath", in.after_items_path);
      put("afterResultSelector", in.after_result_selector);
      put("afterResultPath", in.after_result_path);
    } else {
      put("afterInputPath", in.after_input_path);
    }
  } else if (type == "Task") {
    put("afterArguments", in.after_arguments);
    put("result", in.result);
  }
  if (type == "Map") {
    if (in.max_concurrency) data["maxConcurrency"] = number(*in.max_concurrency);
    if (in.tolerated_failure_count) {
      data["toleratedFailureCount"] = number(*in.tolerated_failure_count);
    }
    if (in.tolerated_failure_percentage) {
      data["toleratedFailurePercentage"] = number(*in.tolerated_failure_percentage);
    }
  }
  json variables = request.variables;
  for (auto it = assigned.begin(); it != assigned.end(); ++it) variables[it.key()] = it.value();
  if (!variables.empty()) data["variables"] = std::move(variables);
  json details = json::object();
  if (in.retry_index) details["retryIndex"] = *in.retry_index;
  if (in.retriable && in.retry_backoff_seconds) {
    details["retryBackoffIntervalSeconds"] = number(*in.retry_backoff_seconds);
  }
  if (in.catch_index && out.status == TestStateStatus::kCaughtError) {
    details["catchIndex"] = *in.catch_index;
  }
  if (!details.empty()) data["errorDetails"] = std::move(details);
  return data;
}

}  // namespace

Result<TestStateResponse> test_state(const TestStateRequest& request,
                                     const TestStateOptions& options) {
  Result<TestedState> tested = read_tested_state(request);
  if (!tested.ok()) return tested.status();
  const TestedState& t = tested.value();
  std::map<std::string, std::string> targets;
  Result<std::shared_ptr<const StateMachine>> machine = parse_one_state_machine(t, targets);
  if (!machine.ok()) return machine.status();
  Inspection in;
  internal::EngineImpl engine(engine_options(request, options, t, in));
  Result<internal::Execution*> ex = run_tested_state(engine, request, machine.value(), in);
  if (!ex.ok()) return ex.status();
  TestStateResponse out;
  json assigned = read_transition(engine, *ex.value(), t, targets, out);
  read_outcome(*ex.value(), t, in, out);
  if (request.inspection_level != InspectionLevel::kInfo) {
    out.inspection_data = inspection_data(request, t, in, out, assigned);
  }
  return out;
}

}  // namespace stepwise
