// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The state of a `stepwise::Server` and the handlers of its actions, split by resource:
// actions_machines.cc (state machines, versions, aliases, validation, tags),
// actions_executions.cc (executions and their histories), actions_tasks.cc (callbacks and
// activities), server.cc (creation, dispatch, HTTP).
#ifndef STEPWISE_SERVER_SERVER_IMPL_H_
#define STEPWISE_SERVER_SERVER_IMPL_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/aws_names.h"
#include "server/catalog.h"
#include "server/engine_loop.h"
#include "server/server_log.h"
#include "stepwise/engine.h"
#include "stepwise/server.h"

namespace httplib {
class Server;
}

namespace stepwise {

namespace internal {

// What the server knows of one execution without asking the engine or the store.
struct ExecutionEntry {
  std::string name;
  std::string machine;  // the state machine's name
  bool express = false;
  std::string arn;  // the execution ARN
  std::string status = "RUNNING";
  std::int64_t start = 0;  // ns since the epoch
  std::int64_t stop = 0;
  std::int64_t redrive_count = 0;
  std::int64_t redrive_date = 0;
  // Loaded from the store on demand for executions found there at start-up.
  bool details_loaded = true;
  std::string input;  // JSON text
  std::optional<std::string> output;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::uint64_t order = 0;  // start order, for listing newest first
};

// Counters behind GET /metrics.
// A Prometheus histogram of seconds.
struct Histogram {
  static constexpr double kBounds[] = {0.0005, 0.001, 0.005, 0.01, 0.05, 0.1,
                                       0.5,    1,     5,     10,   60,   300};
  std::uint64_t counts[sizeof(kBounds) / sizeof(kBounds[0])] = {};  // per bucket, not cumulative
  std::uint64_t count = 0;
  double sum = 0;
  void observe(double seconds);
  // The `name_bucket`, `name_sum` and `name_count` lines.
  std::string text(const std::string& name, const std::string& help) const;
};

struct ServerMetrics {
  std::mutex mu;
  Histogram task_seconds;               // from a task's scheduling to its end
  Histogram commit_seconds;             // checkpoint store commits
  std::int64_t activities_waiting = 0;  // scheduled, not yet handed to a worker
  // When each task in flight was scheduled, by (execution, event id of its last event).
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> task_started;
  std::map<std::pair<std::string, std::string>, std::uint64_t> ended;  // (machine, status)
  std::map<std::string, std::uint64_t> started;                        // machine
  std::uint64_t transitions = 0;
  std::map<std::string, std::uint64_t> requests;  // action
  std::map<std::string, std::uint64_t> errors;    // __type
};

}  // namespace internal

struct Server::Impl {
  using json = nlohmann::json;
  using Handler = json (Impl::*)(const json&);

  explicit Impl(ServerOptions options);
  ~Impl();  // in http.cc, where httplib::Server is complete
  Status init();

  std::pair<int, json> call(const std::string& action, const json& body);
  // A raw request: the target header and the body text (http.cc).
  std::pair<int, json> handle(const std::string& target, const std::string& text);

  // --- state machines (actions_machines.cc) ---
  json create_state_machine(const json& body);
  json describe_state_machine(const json& body);
  json update_state_machine(const json& body);
  json delete_state_machine(const json& body);
  json list_state_machines(const json& body);
  json validate_state_machine_definition(const json& body);
  json publish_state_machine_version(const json& body);
  json list_state_machine_versions(const json& body);
  json create_state_machine_alias(const json& body);
  json describe_state_machine_alias(const json& body);
  json update_state_machine_alias(const json& body);
  json delete_state_machine_alias(const json& body);
  json list_state_machine_aliases(const json& body);
  json tag_resource(const json& body);
  json untag_resource(const json& body);
  json list_tags_for_resource(const json& body);
  json test_state(const json& body);

  // --- executions (actions_executions.cc) ---
  json start_execution(const json& body);
  json start_sync_execution(const json& body);
  json describe_execution(const json& body);
  json describe_state_machine_for_execution(const json& body);
  json list_executions(const json& body);
  json stop_execution(const json& body);
  json redrive_execution(const json& body);
  json get_execution_history(const json& body);
  json list_map_runs(const json& body);
  json describe_map_run(const json& body);

  // --- callbacks and activities (actions_tasks.cc) ---
  json send_task_success(const json& body);
  json send_task_failure(const json& body);
  json send_task_heartbeat(const json& body);
  json create_activity(const json& body);
  json describe_activity(const json& body);
  json list_activities(const json& body);
  json delete_activity(const json& body);
  json get_activity_task(const json& body);
  // `send` on the engine thread's engine, then on each synchronous one until one knows the
  // token.
  Status send_to_engines(const std::function<Status(Engine&)>& send);

  // --- helpers ---
  // The machine record named by a state machine ARN (unqualified); StateMachineDoesNotExist.
  // Call with catalog.mu held.
  internal::MachineRecord& machine_for(const std::string& arn);
  // The execution entry named by an execution ARN; ExecutionDoesNotExist. Returns a copy
  // with its details loaded.
  internal::ExecutionEntry execution_for(const std::string& arn);
  // Loads input/output/error of an entry found in the store at start-up.
  void load_details(internal::ExecutionEntry& entry);
  json machine_summary(const internal::MachineRecord& m) const;
  // What a StartExecution or StartSyncExecution asks to run, checked.
  struct Launch {
    std::string machine;  // the state machine's name
    std::shared_ptr<const StateMachine> compiled;
    bool express = false;
    std::optional<std::string> name;  // as given
    std::string input_text;
    json input;
    std::string version_arn, alias_arn, test_case;
    std::shared_ptr<TaskExecutor> mock;  // the test case's executor, if any
  };
  Launch resolve_start(const json& body, bool sync);
  // Starts an execution on the engine thread; the entry is registered first.
  internal::ExecutionEntry start(const json& body);
  // The engines that run StartSyncExecution on the request's own thread (one per concurrent
  // request, reused), and every one made, for `send_task_*` and `get_activity_task`.
  std::unique_ptr<Engine> take_sync_engine();
  void return_sync_engine(std::unique_ptr<Engine> engine);
  std::vector<Engine*> sync_engines();
  EngineOptions engine_options(bool for_sync);
  // Adds the entry of a new execution to the index (ExecutionAlreadyExists for a name in
  // use); an idempotent repeat returns the running one with `order` SIZE_MAX.
  internal::ExecutionEntry register_execution(const std::optional<std::string>& given_name,
                                              const std::string& machine,
                                              const std::string& input_text, bool express);
  // Task durations and the activity backlog for GET /metrics, from the history events.
  void count_task_event(const std::string& execution, const HistoryEvent& event);
  // The history listener's work, on the engine thread.
  void on_event(const std::string& execution, const HistoryEvent& event);
  // After each step: releases the executions that ended, wakes their waiters.
  void after_step(Engine& engine);
  std::int64_t now() const;
  std::string metrics_text();

  ServerOptions options;
  internal::ArnScheme arns;
  std::shared_ptr<Clock> clock;
  internal::Catalog catalog;
  std::unique_ptr<internal::EngineLoop> loop;
  std::unordered_map<std::string, Handler> handlers;

  // Executions by name, guarded by `index_mu`.
  std::mutex index_mu;
  std::map<std::string, internal::ExecutionEntry> index;
  std::uint64_t next_order = 0;
  std::mutex sync_pool_mu;
  std::vector<std::unique_ptr<Engine>> idle_sync_engines;
  std::vector<Engine*> all_sync_engines;
  std::vector<std::string> ended;  // engine thread only: executions that ended this step
  // Ended Express executions still described (they are in no store), oldest first; at most
  // kExpressKept of them, so a server running Express workloads holds bounded memory.
  static constexpr std::size_t kExpressKept = 10000;
  std::deque<std::string> ended_express;  // engine thread only
  // Mock executors per (machine, test case), and the test case of each running execution.
  std::mutex mocks_mu;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<TaskExecutor>> mock_executors;
  std::unordered_map<std::string, std::shared_ptr<TaskExecutor>> execution_mocks;
  std::shared_ptr<TaskExecutor> lambda;  // --lambda-endpoint

  // Activity long polls wait here; bumped whenever an activity task is scheduled.
  std::mutex activity_mu;
  std::condition_variable activity_cv;
  std::uint64_t activity_generation = 0;
  std::size_t activity_pollers = 0;  // GetActivityTask calls waiting
  bool stopping = false;

  internal::ServerMetrics metrics;
  std::unique_ptr<internal::ServerLog> log;
  std::atomic<std::uint64_t> request_ids{0};

  // HTTP (server.cc).
  std::shared_ptr<httplib::Server> http;  // shared_ptr: the type is incomplete here
  std::thread http_thread;
  int bound_port = 0;
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stopped = false;
};

}  // namespace stepwise

#endif  // STEPWISE_SERVER_SERVER_IMPL_H_
