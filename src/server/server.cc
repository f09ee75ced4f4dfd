// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `stepwise::Server`: creation (catalog, executions found in the store, resumed), the action
// table and its dispatch, the engine thread's bookkeeping (history listener, ended
// executions), and the stores a URL names. The HTTP side is in http.cc.
#include <algorithm>
#include <chrono>

#include "server/api_error.h"
#include "server/lambda_executor.h"
#include "server/server_impl.h"
#include "stepwise/mock_config.h"
#include "stepwise/sqlite/checkpoint_store.h"
#if defined(STEPWISE_SERVER_POSTGRES)
#include "stepwise/postgres/checkpoint_store.h"
#endif

namespace stepwise {

using internal::ApiError;
using internal::ExecutionEntry;
using nlohmann::json;

namespace {

// Receives the engine's history events (on the engine thread) for the server's bookkeeping.
class ServerListener final : public HistoryListener {
 public:
  explicit ServerListener(Server::Impl* impl) : impl_(impl) {}
  void on_event(const std::string& execution, const HistoryEvent& event) override {
    impl_->on_event(execution, event);
  }

 private:
  Server::Impl* impl_;
};

// The listener of the engines that run StartSyncExecution: they count transitions and wake
// activity polls; their executions are not in the index.
class SyncListener final : public HistoryListener {
 public:
  explicit SyncListener(Server::Impl* impl) : impl_(impl) {}
  void on_event(const std::string&, const HistoryEvent& event) override {
    std::string_view type = event.type;
    if (type == "ActivityScheduled") {
      {
        std::lock_guard<std::mutex> lock(impl_->activity_mu);
        ++impl_->activity_generation;
      }
      impl_->activity_cv.notify_all();
    } else if (type.size() > 12 && type.substr(type.size() - 12) == "StateEntered") {
      std::lock_guard<std::mutex> lock(impl_->metrics.mu);
      ++impl_->metrics.transitions;
    }
  }

 private:
  Server::Impl* impl_;
};

// The engine's task executor: an execution started on `<machine ARN>#<test case>` is answered
// by that test case's mocks; every other task goes to the host's executor.
class ServerExecutor final : public TaskExecutor {
 public:
  explicit ServerExecutor(Server::Impl* impl) : impl_(impl) {}

  void start(const TaskRequest& request, TaskCompletion completion) override {
    std::shared_ptr<TaskExecutor> target;
    {
      std::lock_guard<std::mutex> lock(impl_->mocks_mu);
      auto it = impl_->execution_mocks.find(std::string(request.execution_name));
      if (it != impl_->execution_mocks.end()) target = it->second;
    }
    if (!target && impl_->lambda && internal::is_lambda_resource(request.resource)) {
      target = impl_->lambda;
    }
    if (!target) target = impl_->options.task_executor;
    if (!target) {
      completion.fail("States.TaskFailed", "No task executor serves resource '" +
                                               std::string(request.resource) +
                                               "': start the server with --task, --mock-config or "
                                               "--lambda-endpoint, or use an activity");
      return;
    }
    target->start(request, std::move(completion));
  }

  void cancel(std::string_view task_token) override {
    std::vector<std::shared_ptr<TaskExecutor>> all;
    {
      std::lock_guard<std::mutex> lock(impl_->mocks_mu);
      for (const auto& [key, ex] : impl_->mock_executors) all.push_back(ex);
    }
    if (impl_->options.task_executor) all.push_back(impl_->options.task_executor);
    if (impl_->lambda) all.push_back(impl_->lambda);
    for (const auto& ex : all) ex->cancel(task_token);
  }

 private:
  Server::Impl* impl_;
};

// The checkpoint store with its commits timed for GET /metrics.
class TimedStore final : public CheckpointStore {
 public:
  TimedStore(std::shared_ptr<CheckpointStore> inner, internal::ServerMetrics* metrics)
      : inner_(std::move(inner)), metrics_(metrics) {}
  Status commit(const CheckpointBatch& batch) override {
    auto began = std::chrono::steady_clock::now();
    Status s = inner_->commit(batch);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    std::lock_guard<std::mutex> lock(metrics_->mu);
    metrics_->commit_seconds.observe(seconds);
    return s;
  }
  Result<StoredExecution> load(std::string_view name) override { return inner_->load(name); }
  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& filter) override {
    return inner_->list(filter);
  }
  Status remove(std::string_view name) override { return inner_->remove(name); }

 private:
  std::shared_ptr<CheckpointStore> inner_;
  internal::ServerMetrics* metrics_;
};

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::string status_of_event(std::string_view type) {
  if (type == "ExecutionSucceeded") return "SUCCEEDED";
  if (type == "ExecutionFailed") return "FAILED";
  if (type == "ExecutionTimedOut") return "TIMED_OUT";
  if (type == "ExecutionAborted") return "ABORTED";
  return "";
}

}  // namespace

Server::Impl::Impl(ServerOptions opts)
    : options(std::move(opts)),
      arns(options.partition, options.region, options.account),
      clock(options.clock ? options.clock : std::make_shared<SystemClock>()),
      catalog(options.catalog_store ? options.catalog_store
                                    : internal::make_memory_catalog_store()) {
  if (!options.checkpoint_store) options.checkpoint_store = make_memory_checkpoint_store();
  options.checkpoint_store = std::make_shared<TimedStore>(options.checkpoint_store, &metrics);
  handlers = {
      {"CreateStateMachine", &Impl::create_state_machine},
      {"DescribeStateMachine", &Impl::describe_state_machine},
      {"UpdateStateMachine", &Impl::update_state_machine},
      {"DeleteStateMachine", &Impl::delete_state_machine},
      {"DeleteStateMachineVersion", &Impl::delete_state_machine},
      {"ListStateMachines", &Impl::list_state_machines},
      {"ValidateStateMachineDefinition", &Impl::validate_state_machine_definition},
      {"PublishStateMachineVersion", &Impl::publish_state_machine_version},
      {"ListStateMachineVersions", &Impl::list_state_machine_versions},
      {"CreateStateMachineAlias", &Impl::create_state_machine_alias},
      {"DescribeStateMachineAlias", &Impl::describe_state_machine_alias},
      {"UpdateStateMachineAlias", &Impl::update_state_machine_alias},
      {"DeleteStateMachineAlias", &Impl::delete_state_machine_alias},
      {"ListStateMachineAliases", &Impl::list_state_machine_aliases},
      {"TagResource", &Impl::tag_resource},
      {"UntagResource", &Impl::untag_resource},
      {"ListTagsForResource", &Impl::list_tags_for_resource},
      {"TestState", &Impl::test_state},
      {"StartExecution", &Impl::start_execution},
      {"StartSyncExecution", &Impl::start_sync_execution},
      {"DescribeExecution", &Impl::describe_execution},
      {"DescribeStateMachineForExecution", &Impl::describe_state_machine_for_execution},
      {"ListExecutions", &Impl::list_executions},
      {"StopExecution", &Impl::stop_execution},
      {"RedriveExecution", &Impl::redrive_execution},
      {"GetExecutionHistory", &Impl::get_execution_history},
      {"ListMapRuns", &Impl::list_map_runs},
      {"DescribeMapRun", &Impl::describe_map_run},
      {"SendTaskSuccess", &Impl::send_task_success},
      {"SendTaskFailure", &Impl::send_task_failure},
      {"SendTaskHeartbeat", &Impl::send_task_heartbeat},
      {"CreateActivity", &Impl::create_activity},
      {"DescribeActivity", &Impl::describe_activity},
      {"ListActivities", &Impl::list_activities},
      {"DeleteActivity", &Impl::delete_activity},
      {"GetActivityTask", &Impl::get_activity_task},
  };
}

Status Server::Impl::init() {
  if (options.port < 0 || options.port > 65535) {
    return invalid_argument_error("the port must be between 0 and 65535");
  }
  if (options.threads == 0) return invalid_argument_error("the server needs at least one thread");
  log = internal::ServerLog::create(options.log_level);
  if (!log) {
    return invalid_argument_error("unknown log level '" + options.log_level +
                                  "': use off, error, warn, info or debug");
  }
  STEPWISE_RETURN_IF_ERROR(catalog.load());
  if (!options.lambda_endpoint.empty()) {
    if (options.lambda_endpoint.rfind("http://", 0) != 0 &&
        options.lambda_endpoint.rfind("https://", 0) != 0) {
      return invalid_argument_error("the Lambda endpoint must be an http:// or https:// URL");
    }
    lambda = internal::make_lambda_executor(options.lambda_endpoint, 8);
  }
  loop = std::make_unique<internal::EngineLoop>(engine_options(/*for_sync=*/false), clock);
  // Executions found in the store: listed, and resumed where they were running.
  Result<std::vector<ExecutionSummary>> stored = options.checkpoint_store->list({});
  if (!stored.ok()) return stored.status();
  std::vector<std::pair<std::int64_t, ExecutionSummary>> by_start;
  for (ExecutionSummary& s : *stored) by_start.emplace_back(s.start_time, std::move(s));
  std::sort(by_start.begin(), by_start.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [start, s] : by_start) {
    ExecutionEntry e;
    e.name = s.name;
    e.machine = s.state_machine_name;
    e.arn = arns.execution(e.machine, e.name);
    e.status = s.status == "SUSPENDED" ? "RUNNING" : s.status;
    e.start = s.start_time;
    e.stop = s.stop_time;
    e.redrive_count = s.redrive_count;
    e.details_loaded = false;
    e.order = next_order++;
    index[e.name] = e;
  }
  for (auto& [start, s] : by_start) {
    if (s.status != "RUNNING") continue;
    auto note = catalog.notes.find(s.name);
    if (note != catalog.notes.end() && !note->second.test_case.empty() && options.mock_config) {
      Result<std::shared_ptr<TaskExecutor>> ex = options.mock_config->executor(
          s.state_machine_name, note->second.test_case, options.task_executor);
      if (ex.ok()) execution_mocks[s.name] = *ex;
    }
    Result<ExecutionId> id = loop->engine().resume(s.name);
    if (!id.ok()) {
      return Status(id.status().code(),
                    "cannot resume execution '" + s.name + "': " + id.status().message());
    }
  }
  loop->set_after_step([this](Engine& engine) { after_step(engine); });
  return {};
}

EngineOptions Server::Impl::engine_options(bool for_sync) {
  EngineOptions eo;
  eo.task_executor = std::make_shared<ServerExecutor>(this);
  if (for_sync) {
    eo.clock = clock;
    eo.history_listeners.push_back(std::make_shared<SyncListener>(this));
  } else {
    eo.checkpoint_store = options.checkpoint_store;
    eo.history_listeners.push_back(std::make_shared<ServerListener>(this));
  }
  eo.random_seed = options.random_seed;
  eo.partition = options.partition;
  eo.region = options.region;
  eo.account = options.account;
  eo.role_arn = "arn:" + options.partition + ":iam::" + options.account + ":role/stepwise";
  return eo;
}

std::unique_ptr<Engine> Server::Impl::take_sync_engine() {
  {
    std::lock_guard<std::mutex> lock(sync_pool_mu);
    if (!idle_sync_engines.empty()) {
      std::unique_ptr<Engine> e = std::move(idle_sync_engines.back());
      idle_sync_engines.pop_back();
      return e;
    }
  }
  EngineOptions eo = engine_options(/*for_sync=*/true);
  eo.random_seed += 0x100000000ULL * (all_sync_engines.size() + 1);
  auto engine = std::make_unique<Engine>(std::move(eo));
  std::lock_guard<std::mutex> lock(sync_pool_mu);
  all_sync_engines.push_back(engine.get());
  return engine;
}

void Server::Impl::return_sync_engine(std::unique_ptr<Engine> engine) {
  std::lock_guard<std::mutex> lock(sync_pool_mu);
  idle_sync_engines.push_back(std::move(engine));
}

std::vector<Engine*> Server::Impl::sync_engines() {
  std::lock_guard<std::mutex> lock(sync_pool_mu);
  return all_sync_engines;
}

void Server::Impl::count_task_event(const std::string& execution, const HistoryEvent& event) {
  std::string_view type = event.type;
  bool scheduled = ends_with(type, "Scheduled");
  bool started = ends_with(type, "Started") && type != "ExecutionStarted" &&
                 type != "MapIterationStarted" && type != "ParallelStateStarted" &&
                 type != "MapRunStarted";
  bool ended =
      ends_with(type, "Succeeded") || ends_with(type, "Failed") || ends_with(type, "TimedOut");
  if (!scheduled && !started && !ended) return;
  std::lock_guard<std::mutex> lock(metrics.mu);
  if (type == "ActivityScheduled") ++metrics.activities_waiting;
  if (type == "ActivityStarted" && metrics.activities_waiting > 0) --metrics.activities_waiting;
  auto& flight = metrics.task_started;
  if (scheduled) {
    if (flight.size() > 100000) flight.clear();  // a chain the events did not close
    flight[{execution, event.id}] = event.timestamp;
    return;
  }
  auto it = flight.find({execution, event.previous_event_id});
  if (it == flight.end()) return;
  std::int64_t began = it->second;
  flight.erase(it);
  if (started) {
    flight[{execution, event.id}] = began;
  } else {
    metrics.task_seconds.observe(static_cast<double>(event.timestamp - began) / 1e9);
  }
}

void Server::Impl::on_event(const std::string& execution, const HistoryEvent& event) {
  if (execution.rfind("arn:", 0) == 0) return;  // a Distributed Map's child
  count_task_event(execution, event);
  std::string_view type = event.type;
  if (type.size() > 12 && type.substr(type.size() - 12) == "StateEntered") {
    std::lock_guard<std::mutex> lock(metrics.mu);
    ++metrics.transitions;
  }
  if (type == "ActivityScheduled") {
    {
      std::lock_guard<std::mutex> lock(activity_mu);
      ++activity_generation;
    }
    activity_cv.notify_all();
    return;
  }
  std::string status = status_of_event(type);
  if (status.empty() && type != "ExecutionRedriven") return;
  std::lock_guard<std::mutex> lock(index_mu);
  auto it = index.find(execution);
  if (it == index.end()) return;
  ExecutionEntry& e = it->second;
  if (type == "ExecutionRedriven") {
    e.status = "RUNNING";
    e.stop = 0;
    e.redrive_count = event.details.value("redriveCount", e.redrive_count + 1);
    e.redrive_date = event.timestamp;
    return;
  }
  e.status = status;
  e.stop = event.timestamp;
  const json& d = event.details;
  if (d.contains("output") && d["output"].is_string()) e.output = d["output"].get<std::string>();
  if (d.contains("error") && d["error"].is_string()) e.error = d["error"].get<std::string>();
  if (d.contains("cause") && d["cause"].is_string()) e.cause = d["cause"].get<std::string>();
  ended.push_back(execution);
  log->info("execution_ended",
            {{"execution", e.arn}, {"status", status}, {"ms", (e.stop - e.start) / 1'000'000}});
  std::lock_guard<std::mutex> mlock(metrics.mu);
  ++metrics.ended[{e.machine, status}];
}

void Server::Impl::after_step(Engine& engine) {
  // Waiting GetActivityTask calls look again after every step: a task can be queued without
  // an ActivityScheduled event (one dispatched again when an execution resumes).
  // The generation moves at every step, so a poll that looked just before it waits no longer.
  bool pollers = false;
  {
    std::lock_guard<std::mutex> lock(activity_mu);
    ++activity_generation;
    pollers = activity_pollers != 0;
  }
  if (pollers) activity_cv.notify_all();
  for (const std::string& name : ended) {
    {
      std::lock_guard<std::mutex> lock(mocks_mu);
      execution_mocks.erase(name);
    }
    // The store keeps a Standard execution's checkpoint and history; the engine lets go of
    // it, so a long-running server holds only what runs. Executions with Map Runs stay, so
    // that DescribeMapRun can answer.
    {
      std::lock_guard<std::mutex> lock(index_mu);
      auto it = index.find(name);
      if (it != index.end() && it->second.express) {
        ended_express.push_back(name);
        if (ended_express.size() > kExpressKept) {
          index.erase(ended_express.front());
          ended_express.pop_front();
        }
      }
    }
    std::optional<ExecutionId> id = engine.find(name);
    if (!id) continue;
    Result<std::vector<MapRunDescription>> runs = engine.list_map_runs(*id);
    if (runs.ok() && !runs->empty()) continue;
    (void)engine.release(*id);
  }
  ended.clear();
}

std::pair<int, json> Server::Impl::call(const std::string& action, const json& body) {
  auto error = [&](const std::string& type, const std::string& message, int http) {
    std::lock_guard<std::mutex> lock(metrics.mu);
    ++metrics.errors[type];
    return std::make_pair(http, json{{"__type", type}, {"message", message}});
  };
  auto it = handlers.find(action);
  if (it == handlers.end()) {
    return error("UnknownOperationException",
                 action.empty() ? "Missing X-Amz-Target" : "Unknown operation " + action, 400);
  }
  {
    std::lock_guard<std::mutex> lock(metrics.mu);
    ++metrics.requests[action];
  }
  if (!body.is_object()) {
    return error("SerializationException", "The request body must be a JSON object", 400);
  }
  try {
    return {200, (this->*(it->second))(body)};
  } catch (const ApiError& e) {
    return error(e.type(), e.what(), e.http_status());
  } catch (const json::exception& e) {
    return error("SerializationException", e.what(), 400);
  } catch (const std::exception& e) {
    return error("InternalServerError", e.what(), 500);
  }
}

Server::Server() = default;
Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::create(ServerOptions options) {
  std::unique_ptr<Server> server(new Server());
  server->impl_ = std::make_unique<Impl>(std::move(options));
  STEPWISE_RETURN_IF_ERROR(server->impl_->init());
  return server;
}

std::pair<int, json> Server::call(const std::string& action, const json& body) {
  return impl_->call(action, body);
}

Result<ServerStores> make_server_store(const std::string& url) {
  ServerStores stores;
  if (url.empty() || url == "memory") {
    stores.checkpoints = make_memory_checkpoint_store();
    stores.catalog = internal::make_memory_catalog_store();
    return stores;
  }
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.empty()) return invalid_argument_error("--store sqlite:PATH needs a path");
    Result<std::shared_ptr<CheckpointStore>> checkpoints = open_sqlite_checkpoint_store(path);
    if (!checkpoints.ok()) return checkpoints.status();
    Result<std::shared_ptr<ServerCatalogStore>> catalog = internal::make_sqlite_catalog_store(path);
    if (!catalog.ok()) return catalog.status();
    stores.checkpoints = *checkpoints;
    stores.catalog = *catalog;
    return stores;
  }
  bool postgres = url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 ||
                  url.rfind("postgres:", 0) == 0;
  if (postgres) {
#if defined(STEPWISE_SERVER_POSTGRES)
    // "postgres:CONNINFO" carries a conninfo string; the URIs go to libpq as they are.
    std::string conninfo =
        url.rfind("postgres:", 0) == 0 && url.rfind("postgres://", 0) != 0 ? url.substr(9) : url;
    Result<std::shared_ptr<FleetStore>> checkpoints = make_postgres_checkpoint_store(conninfo);
    if (!checkpoints.ok()) return checkpoints.status();
    Result<std::shared_ptr<ServerCatalogStore>> catalog =
        internal::make_postgres_catalog_store(conninfo);
    if (!catalog.ok()) return catalog.status();
    stores.checkpoints = *checkpoints;
    stores.catalog = *catalog;
    return stores;
#else
    return invalid_argument_error("this build has no PostgreSQL store (libpq-dev was missing)");
#endif
  }
  return invalid_argument_error("unknown store '" + url +
                                "': use memory, sqlite:PATH or postgresql://...");
}

}  // namespace stepwise
