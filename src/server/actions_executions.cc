// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Execution actions of the API server: StartExecution (with AWS's idempotency),
// StartSyncExecution, Describe/List/Stop/RedriveExecution, GetExecutionHistory,
// DescribeStateMachineForExecution, ListMapRuns and DescribeMapRun.
#include <algorithm>
#include <cstdio>
#include <random>

#include "server/api_error.h"
#include "server/server_impl.h"
#include "stepwise/mock_config.h"

namespace stepwise {

using internal::ApiError;
using internal::Arn;
using internal::epoch_seconds;
using internal::ExecutionEntry;
using internal::MachineRecord;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxInputBytes = 256 * 1024;

json parse_input(const std::string& text, std::size_t max_depth) {
  if (text.size() > kMaxInputBytes) {
    throw internal::validation_error("input",
                                     "Member must have length less than or equal to 262144");
  }
  if (internal::json_text_deeper_than(text, max_depth)) {
    throw ApiError("InvalidExecutionInput",
                   "Invalid State Machine Execution Input: 'the input is nested deeper than " +
                       std::to_string(max_depth) + " levels'");
  }
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw ApiError("InvalidExecutionInput",
                   std::string("Invalid State Machine Execution Input: '") + e.what() + "'");
  }
}

// A name for an execution started without one: a version 4 UUID, as AWS generates.
std::string generated_name(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(
      buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
      static_cast<unsigned long long>(a >> 32), static_cast<unsigned long long>((a >> 16) & 0xffff),
      static_cast<unsigned long long>(a & 0xffff), static_cast<unsigned long long>(b >> 48),
      static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

bool is_terminal(const std::string& status) { return status != "RUNNING"; }

}  // namespace

std::int64_t Server::Impl::now() const { return clock->now(); }

Server::Impl::Launch Server::Impl::resolve_start(const json& body, bool sync) {
  Launch l;
  std::string machine_arn = internal::required_string(body, "stateMachineArn");
  Arn parsed = arns.parse(machine_arn, "stateMachine");
  l.machine = parsed.name;
  l.test_case = parsed.test_case;
  l.name = internal::string_member(body, "name");
  if (l.name) internal::check_resource_name(*l.name);
  l.input_text = internal::string_member(body, "input").value_or("{}");
  l.input = parse_input(l.input_text, options.max_json_depth);

  // The definition to run: the machine's, a version's, or one an alias routes to.
  std::string definition;
  {
    std::lock_guard<std::mutex> lock(catalog.mu);
    auto it = catalog.machines.find(parsed.name);
    if (it == catalog.machines.end()) {
      throw ApiError("StateMachineDoesNotExist",
                     "State Machine Does Not Exist: '" + machine_arn + "'");
    }
    const MachineRecord& m = it->second;
    l.express = m.type == "EXPRESS";
    definition = m.definition;
    if (!parsed.qualifier.empty()) {
      std::int64_t number = 0;
      auto alias = m.aliases.find(parsed.qualifier);
      if (alias != m.aliases.end()) {
        // Route by weight with the engine's seeded source, so a run is reproducible.
        std::uint64_t roll = (options.random_seed + next_order * 2654435761u) % 100;
        std::uint64_t acc = 0;
        for (const auto& [n, w] : alias->second.routing) {
          number = n;
          acc += static_cast<std::uint64_t>(w);
          if (roll < acc) break;
        }
        l.alias_arn = arns.alias(parsed.name, parsed.qualifier);
      } else {
        char* end = nullptr;
        number = std::strtoll(parsed.qualifier.c_str(), &end, 10);
        if (*end != '\0') number = -1;
      }
      auto v = m.versions.find(number);
      if (v == m.versions.end()) {
        throw ApiError("StateMachineDoesNotExist",
                       "State Machine Does Not Exist: '" + machine_arn + "'");
      }
      definition = v->second.definition;
      l.version_arn = arns.version(parsed.name, number);
    }
    if (sync && !l.express) {
      throw ApiError("StateMachineTypeNotSupported",
                     "This operation is not supported by this type of state machine");
    }
    l.compiled = catalog.compiled(definition, l.express);
  }
  if (!l.compiled) throw ApiError("InternalServerError", "The definition no longer compiles", 500);

  if (!parsed.test_case.empty()) {
    if (!options.mock_config) {
      throw internal::validation_error("stateMachineArn",
                                       "a test case needs a mock file (--mock-config)");
    }
    std::lock_guard<std::mutex> lock(mocks_mu);
    auto key = std::make_pair(parsed.name, parsed.test_case);
    auto it = mock_executors.find(key);
    if (it == mock_executors.end()) {
      Result<std::shared_ptr<TaskExecutor>> ex =
          options.mock_config->executor(parsed.name, parsed.test_case, options.task_executor);
      if (!ex.ok()) throw internal::validation_error("stateMachineArn", ex.status().message());
      it = mock_executors.emplace(key, *ex).first;
    }
    l.mock = it->second;
  }
  return l;
}

ExecutionEntry Server::Impl::start(const json& body) {
  Launch l = resolve_start(body, /*sync=*/false);
  return loop->call([&](Engine& engine) -> ExecutionEntry {
    ExecutionEntry entry = register_execution(l.name, l.machine, l.input_text, l.express);
    if (entry.order == SIZE_MAX) return entry;  // an idempotent repeat of a running start
    if (l.mock) {
      std::lock_guard<std::mutex> mlock(mocks_mu);
      execution_mocks[entry.name] = l.mock;
    }
    StartOptions so;
    so.name = entry.name;
    so.state_machine_name = l.machine;
    so.express = l.express;
    so.record_history = !l.express;
    // Not under `index_mu`: the engine reports the start to `on_event`, which takes it.
    Result<ExecutionId> id = engine.start(l.compiled, std::move(l.input), so);
    if (!id.ok()) {
      std::lock_guard<std::mutex> lock(index_mu);
      index.erase(entry.name);
      throw ApiError("InvalidExecutionInput",
                     "Invalid State Machine Execution Input: '" + id.status().message() + "'");
    }
    {
      std::lock_guard<std::mutex> mlock(metrics.mu);
      ++metrics.started[l.machine];
    }
    if (!l.version_arn.empty() || !l.alias_arn.empty() || !l.test_case.empty()) {
      std::lock_guard<std::mutex> clock_(catalog.mu);
      catalog.save_note(entry.name, {l.version_arn, l.alias_arn, l.test_case});
    }
    return entry;
  });
}

ExecutionEntry Server::Impl::register_execution(const std::optional<std::string>& given_name,
                                                const std::string& machine,
                                                const std::string& input_text, bool express) {
  std::lock_guard<std::mutex> lock(index_mu);
  std::string name = given_name ? *given_name
                                : generated_name(options.random_seed ^ (next_order + 1) ^
                                                 static_cast<std::uint64_t>(now()));
  auto existing = index.find(name);
  if (existing != index.end()) {
    ExecutionEntry e = existing->second;
    // AWS: the same name and input while the first still runs answers like the first.
    if (e.machine == machine && e.status == "RUNNING" && e.input == input_text) {
      e.order = SIZE_MAX;
      return e;
    }
    throw ApiError("ExecutionAlreadyExists",
                   "Execution Already Exists: '" + arns.execution(machine, name) + "'");
  }
  ExecutionEntry entry;
  entry.name = name;
  entry.machine = machine;
  entry.express = express;
  entry.arn = express ? arns.prefix() + "express:" + machine + ":" + name + ":" +
                            generated_name(next_order ^ 0x5eed)
                      : arns.execution(machine, name);
  entry.start = now();
  entry.input = input_text;
  entry.order = next_order++;
  index[name] = entry;
  return entry;
}

json Server::Impl::start_execution(const json& body) {
  ExecutionEntry e = start(body);
  return {{"executionArn", e.arn}, {"startDate", epoch_seconds(e.start)}};
}

// A synchronous Express execution runs on the request's own thread, on an engine of a pool:
// no hop to the engine thread and back, and requests run in parallel. AWS keeps no record of
// it, so neither does the server (it is not listed or described afterwards).
json Server::Impl::start_sync_execution(const json& body) {
  Launch l = resolve_start(body, /*sync=*/true);
  std::string name =
      l.name ? *l.name
             : generated_name(options.random_seed ^ (request_ids.load() * 0x9e3779b97f4a7c15ULL) ^
                              static_cast<std::uint64_t>(now()));
  std::string arn = arns.prefix() + "express:" + l.machine + ":" + name + ":" +
                    generated_name(static_cast<std::uint64_t>(now()) ^ 0x5eed);
  if (l.mock) {
    std::lock_guard<std::mutex> lock(mocks_mu);
    execution_mocks[name] = l.mock;
  }
  StartOptions so;
  so.name = name;
  so.state_machine_name = l.machine;
  so.express = true;
  so.synchronous = true;
  so.record_history = false;
  std::int64_t started = now();
  std::unique_ptr<Engine> engine = take_sync_engine();
  Result<ExecutionResult> r = engine->run(l.compiled, std::move(l.input), so);
  return_sync_engine(std::move(engine));
  std::int64_t stopped = now();
  if (l.mock) {
    std::lock_guard<std::mutex> lock(mocks_mu);
    execution_mocks.erase(name);
  }
  if (!r.ok()) {
    throw ApiError("InvalidExecutionInput",
                   "Invalid State Machine Execution Input: '" + r.status().message() + "'");
  }
  std::string status(execution_status_name(r->status));
  {
    std::lock_guard<std::mutex> lock(metrics.mu);
    ++metrics.started[l.machine];
    ++metrics.ended[{l.machine, status}];
  }
  json out = {{"executionArn", arn},
              {"stateMachineArn", arns.state_machine(l.machine)},
              {"name", name},
              {"startDate", epoch_seconds(started)},
              {"stopDate", epoch_seconds(stopped)},
              {"status", status},
              {"input", l.input_text},
              {"inputDetails", {{"included", true}}},
              {"billingDetails",
               {{"billedMemoryUsedInMB", 64},
                {"billedDurationInMilliseconds",
                 std::max<std::int64_t>(100, (stopped - started) / 1'000'000)}}}};
  if (r->status == ExecutionStatus::kSucceeded) {
    out["output"] = r->output.dump();
    out["outputDetails"] = {{"included", true}};
  }
  if (r->error) out["error"] = *r->error;
  if (r->cause) out["cause"] = *r->cause;
  return out;
}

void Server::Impl::load_details(ExecutionEntry& entry) {
  if (entry.details_loaded || !options.checkpoint_store) return;
  Result<StoredExecution> stored = options.checkpoint_store->load(entry.name);
  if (!stored.ok()) return;
  for (const std::string& text : stored->history) {
    json event = json::parse(text, nullptr, false);
    if (!event.is_object()) continue;
    std::string type = event.value("type", "");
    auto details = [&](const char* key) { return event.value(key, json::object()); };
    if (type == "ExecutionStarted") {
      entry.input = details("executionStartedEventDetails").value("input", "{}");
    } else if (type == "ExecutionSucceeded") {
      entry.output = details("executionSucceededEventDetails").value("output", "null");
    } else if (type == "ExecutionFailed" || type == "ExecutionAborted" ||
               type == "ExecutionTimedOut") {
      std::string key = type == "ExecutionFailed"    ? "executionFailedEventDetails"
                        : type == "ExecutionAborted" ? "executionAbortedEventDetails"
                                                     : "executionTimedOutEventDetails";
      json d = details(key.c_str());
      if (d.contains("error")) entry.error = d["error"].get<std::string>();
      if (d.contains("cause")) entry.cause = d["cause"].get<std::string>();
    } else if (type == "ExecutionRedriven") {
      entry.output.reset();
      entry.error.reset();
      entry.cause.reset();
    }
  }
  entry.details_loaded = true;
}

ExecutionEntry Server::Impl::execution_for(const std::string& arn) {
  Arn parsed = arns.parse(arn, "execution");
  std::unique_lock<std::mutex> lock(index_mu);
  auto it = index.find(parsed.qualifier);
  if (it == index.end() || it->second.machine != parsed.name || it->second.arn != arn) {
    throw ApiError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }
  if (!it->second.details_loaded) load_details(it->second);
  return it->second;
}

json Server::Impl::describe_execution(const json& body) {
  ExecutionEntry e = execution_for(internal::required_string(body, "executionArn"));
  json out = {{"executionArn", e.arn},
              {"stateMachineArn", arns.state_machine(e.machine)},
              {"name", e.name},
              {"status", e.status},
              {"startDate", epoch_seconds(e.start)},
              {"input", e.input},
              {"inputDetails", {{"included", true}}},
              {"redriveCount", e.redrive_count}};
  if (e.stop != 0) out["stopDate"] = epoch_seconds(e.stop);
  if (e.output) {
    out["output"] = *e.output;
    out["outputDetails"] = {{"included", true}};
  }
  if (e.error) out["error"] = *e.error;
  if (e.cause) out["cause"] = *e.cause;
  if (e.redrive_date != 0) out["redriveDate"] = epoch_seconds(e.redrive_date);
  if (e.express || e.status == "RUNNING" || e.status == "SUCCEEDED") {
    out["redriveStatus"] = "NOT_REDRIVABLE";
    out["redriveStatusReason"] = e.express ? "Execution is an Express execution"
                                 : e.status == "RUNNING"
                                     ? "Execution is RUNNING and cannot be redriven"
                                     : "Execution is SUCCEEDED and cannot be redriven";
  } else {
    out["redriveStatus"] = "REDRIVABLE";
  }
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto note = catalog.notes.find(e.name);
  if (note != catalog.notes.end()) {
    if (!note->second.version_arn.empty()) {
      out["stateMachineVersionArn"] = note->second.version_arn;
    }
    if (!note->second.alias_arn.empty()) out["stateMachineAliasArn"] = note->second.alias_arn;
  }
  return out;
}

json Server::Impl::describe_state_machine_for_execution(const json& body) {
  ExecutionEntry e = execution_for(internal::required_string(body, "executionArn"));
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto it = catalog.machines.find(e.machine);
  std::string definition, role_arn, revision;
  std::int64_t updated = e.start;
  json logging = {{"level", "OFF"}, {"includeExecutionData", false}};
  json tracing = {{"enabled", false}};
  if (it != catalog.machines.end()) {
    const MachineRecord& m = it->second;
    definition = m.definition;
    role_arn = m.role_arn;
    revision = m.revision_id;
    updated = m.updated;
    logging = m.logging;
    tracing = m.tracing;
  }
  auto note = catalog.notes.find(e.name);
  if (it != catalog.machines.end() && note != catalog.notes.end() &&
      !note->second.version_arn.empty()) {
    Arn v = arns.parse(note->second.version_arn, "stateMachine");
    auto ver = it->second.versions.find(std::stoll(v.qualifier));
    if (ver != it->second.versions.end()) {
      definition = ver->second.definition;
      role_arn = ver->second.role_arn;
      revision = ver->second.revision_id;
      updated = ver->second.created;
    }
  }
  if (definition.empty() && options.checkpoint_store) {
    // The machine was deleted: the checkpoint keeps the definition the execution ran.
    Result<StoredExecution> stored = options.checkpoint_store->load(e.name);
    if (stored.ok()) definition = stored->definition;
  }
  return {{"stateMachineArn", arns.state_machine(e.machine)},
          {"name", e.machine},
          {"definition", definition},
          {"roleArn", role_arn},
          {"updateDate", epoch_seconds(updated)},
          {"loggingConfiguration", logging},
          {"tracingConfiguration", tracing},
          {"revisionId", revision}};
}

json Server::Impl::list_executions(const json& body) {
  std::optional<std::string> machine_arn = internal::string_member(body, "stateMachineArn");
  std::optional<std::string> map_run_arn = internal::string_member(body, "mapRunArn");
  if (!machine_arn && !map_run_arn) throw internal::missing_member("stateMachineArn");
  if (machine_arn && map_run_arn) {
    throw internal::validation_error("mapRunArn",
                                     "Only one of stateMachineArn and mapRunArn may be given");
  }
  std::optional<std::string> status = internal::string_member(body, "statusFilter");
  static const std::vector<std::string> kStatuses = {"RUNNING",   "SUCCEEDED", "FAILED",
                                                     "TIMED_OUT", "ABORTED",   "PENDING_REDRIVE"};
  if (status && std::find(kStatuses.begin(), kStatuses.end(), *status) == kStatuses.end()) {
    throw internal::validation_error(
        "statusFilter",
        "Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, "
        "PENDING_REDRIVE]");
  }
  std::size_t limit = internal::max_results(body, 100);
  std::string scope =
      "ListExecutions:" + machine_arn.value_or(*map_run_arn) + ":" + status.value_or("");
  std::size_t offset = internal::page_offset(body, scope);
  if (map_run_arn) {
    // Map Run children are not listed yet; the Map Run must exist.
    json run = describe_map_run({{"mapRunArn", *map_run_arn}});
    (void)run;
    return {{"executions", json::array()}};
  }
  std::string machine;
  {
    std::lock_guard<std::mutex> lock(catalog.mu);
    MachineRecord& m = machine_for(*machine_arn);
    if (m.type == "EXPRESS") {
      throw ApiError("StateMachineTypeNotSupported",
                     "This operation is not supported by this type of state machine");
    }
    machine = m.name;
  }
  std::vector<const ExecutionEntry*> matches;
  std::lock_guard<std::mutex> lock(index_mu);
  for (const auto& [name, e] : index) {
    if (e.machine == machine && !e.express && (!status || e.status == *status)) {
      matches.push_back(&e);
    }
  }
  std::sort(matches.begin(), matches.end(), [](const ExecutionEntry* a, const ExecutionEntry* b) {
    return a->order > b->order;  // newest first, as AWS lists
  });
  json items = json::array();
  for (std::size_t i = offset; i < matches.size() && items.size() < limit; ++i) {
    const ExecutionEntry& e = *matches[i];
    json item = {{"executionArn", e.arn},
                 {"stateMachineArn", arns.state_machine(e.machine)},
                 {"name", e.name},
                 {"status", e.status},
                 {"startDate", epoch_seconds(e.start)}};
    if (e.stop != 0) item["stopDate"] = epoch_seconds(e.stop);
    if (e.redrive_count != 0) {
      item["redriveCount"] = e.redrive_count;
      item["redriveDate"] = epoch_seconds(e.redrive_date);
    }
    items.push_back(std::move(item));
  }
  json out = {{"executions", items}};
  if (offset + limit < matches.size()) {
    out["nextToken"] = internal::make_page_token(scope, offset + limit);
  }
  return out;
}

json Server::Impl::stop_execution(const json& body) {
  std::string arn = internal::required_string(body, "executionArn");
  ExecutionEntry e = execution_for(arn);
  // Named variables, not a structured binding: clang 14 cannot capture those in a lambda.
  std::pair<std::string, std::string> error_cause = internal::error_and_cause(body);
  const std::string& error = error_cause.first;
  const std::string& cause = error_cause.second;
  std::int64_t stop = loop->call([&](Engine& engine) -> std::int64_t {
    std::optional<ExecutionId> id = engine.find(e.name);
    if (id) {
      Result<ExecutionStatus> s = engine.status(*id);
      if (s.ok() && *s == ExecutionStatus::kRunning) {
        Status st = engine.stop(*id, error, cause);
        if (!st.ok()) throw ApiError("InternalServerError", st.message(), 500);
        return now();
      }
    }
    std::lock_guard<std::mutex> lock(index_mu);
    return index.at(e.name).stop != 0 ? index.at(e.name).stop : now();
  });
  return {{"stopDate", epoch_seconds(stop)}};
}

json Server::Impl::redrive_execution(const json& body) {
  std::string arn = internal::required_string(body, "executionArn");
  ExecutionEntry e = execution_for(arn);
  if (e.express || !is_terminal(e.status) || e.status == "SUCCEEDED") {
    throw ApiError("ExecutionNotRedrivable",
                   "Execution " + arn + " cannot be redriven: it is " +
                       (e.express ? std::string("an Express execution") : e.status));
  }
  std::int64_t date = loop->call([&](Engine& engine) -> std::int64_t {
    Result<ExecutionId> id = engine.redrive(e.name);
    if (!id.ok()) {
      throw ApiError("ExecutionNotRedrivable",
                     "Execution " + arn + " cannot be redriven: " + id.status().message());
    }
    std::lock_guard<std::mutex> lock(index_mu);
    ExecutionEntry& entry = index.at(e.name);
    entry.status = "RUNNING";
    entry.stop = 0;
    entry.redrive_date = now();
    entry.output.reset();
    entry.error.reset();
    entry.cause.reset();
    return entry.redrive_date;
  });
  return {{"redriveDate", epoch_seconds(date)}};
}

namespace {

// One stored history event as GetExecutionHistory answers it: the timestamp in epoch
// seconds, and without `input`/`output` when execution data is not asked for.
json api_event(const std::string& text, bool include_data) {
  json event = json::parse(text);
  auto ts = event.find("timestamp");
  if (ts != event.end() && ts->is_string()) {
    std::optional<std::int64_t> ns = internal::parse_iso8601(ts->get<std::string>());
    *ts = epoch_seconds(ns.value_or(0));
  }
  if (!include_data) {
    for (auto& [key, value] : event.items()) {
      if (!value.is_object()) continue;
      for (const char* field : {"input", "output"}) {
        if (value.contains(field)) {
          value.erase(field);
          std::string details = std::string(field) + "Details";
          value[details] = {{"truncated", false}};
        }
      }
    }
  }
  return event;
}

}  // namespace

json Server::Impl::get_execution_history(const json& body) {
  std::string arn = internal::required_string(body, "executionArn");
  ExecutionEntry e = execution_for(arn);
  if (e.express) {
    throw ApiError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'");
  }
  bool reverse = internal::bool_member(body, "reverseOrder", false);
  bool include_data = internal::bool_member(body, "includeExecutionData", true);
  std::size_t limit = internal::max_results(body, 100);
  std::string scope = "GetExecutionHistory:" + arn + (reverse ? ":r" : ":f");
  std::size_t offset = internal::page_offset(body, scope);
  Result<StoredExecution> stored = options.checkpoint_store->load(e.name);
  if (!stored.ok()) {
    throw ApiError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }
  const std::vector<std::string>& history = stored->history;
  json events = json::array();
  for (std::size_t i = offset; i < history.size() && events.size() < limit; ++i) {
    std::size_t at = reverse ? history.size() - 1 - i : i;
    events.push_back(api_event(history[at], include_data));
  }
  json out = {{"events", events}};
  if (offset + limit < history.size()) {
    out["nextToken"] = internal::make_page_token(scope, offset + limit);
  }
  return out;
}

json Server::Impl::list_map_runs(const json& body) {
  std::string arn = internal::required_string(body, "executionArn");
  ExecutionEntry e = execution_for(arn);
  std::vector<MapRunDescription> runs = loop->call([&](Engine& engine) {
    std::optional<ExecutionId> id = engine.find(e.name);
    if (!id) return std::vector<MapRunDescription>();
    Result<std::vector<MapRunDescription>> r = engine.list_map_runs(*id);
    return r.ok() ? *r : std::vector<MapRunDescription>();
  });
  json items = json::array();
  for (const MapRunDescription& r : runs) {
    items.push_back({{"executionArn", r.execution_arn},
                     {"mapRunArn", r.map_run_arn},
                     {"stateMachineArn", arns.state_machine(e.machine)},
                     {"startDate", epoch_seconds(r.start_date)}});
    if (r.stop_date != 0) items.back()["stopDate"] = epoch_seconds(r.stop_date);
  }
  return {{"mapRuns", items}};
}

json Server::Impl::describe_map_run(const json& body) {
  std::string arn = internal::required_string(body, "mapRunArn");
  arns.parse(arn, "mapRun");
  Result<MapRunDescription> run =
      loop->call([&](Engine& engine) { return engine.describe_map_run(arn); });
  if (!run.ok()) throw ApiError("ResourceNotFound", "Resource not found: '" + arn + "'");
  json out = run->to_json();
  for (const char* key : {"startDate", "stopDate"}) {
    if (out.contains(key) && out[key].is_string()) {
      out[key] = epoch_seconds(internal::parse_iso8601(out[key].get<std::string>()).value_or(0));
    }
  }
  return out;
}

}  // namespace stepwise
