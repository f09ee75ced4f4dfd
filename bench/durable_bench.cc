// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Durable throughput: Standard transitions per second (`items_per_second`, counted as
// interpreter_bench counts them) of workloads run with a checkpoint store, for every store in
// one run, so that their ratios are comparable (issue 14's target: PostgreSQL at least 1/3 of
// SQLite on one node).
//
//   durable/<workload>/<store>        `run_all()`: the engine groups the commits of each round
//   per_transition/<workload>/<store> `step()` with a budget of one transition: one commit per
//                                     transition, the worst case for a store's round trips
//
// Workloads: pass_chain_100, map_10k (bench/workloads). Stores: Memory; SqliteFull and
// SqliteNormal (synchronous FULL / NORMAL, a file in $TMPDIR or /tmp); Postgres
// (synchronous_commit on) and PostgresAsync (off), on a private PostgreSQL 15 started by the
// benchmark with fsync on (tests/support/postgres_server.h), or the database of
// STEPWISE_PG_URI (each run in a fresh schema). The counter `commits` is the number of commits
// per execution.
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "stepwise/stepwise.h"
#include "workload_support.h"
#if STEPWISE_BENCH_SQLITE
#include "stepwise/sqlite/checkpoint_store.h"
#endif
#if STEPWISE_BENCH_POSTGRES
#include "stepwise/postgres/checkpoint_store.h"
#if STEPWISE_BENCH_POSTGRES_SERVER
#include "support/postgres_server.h"
#endif
#endif

namespace stepwise {
namespace {

using nlohmann::json;

enum class Kind { kMemory, kSqliteFull, kSqliteNormal, kPostgres, kPostgresAsync };

#if STEPWISE_BENCH_POSTGRES
#if STEPWISE_BENCH_POSTGRES_SERVER
std::unique_ptr<testing_support::PostgresServer>& bench_server() {
  static std::unique_ptr<testing_support::PostgresServer> server;
  return server;
}
#endif

// The database to use: STEPWISE_PG_URI, or a private server started on first use. Empty
// with `error` set when there is neither.
std::string postgres_uri(std::string& error) {
  const char* env = std::getenv("STEPWISE_PG_URI");
  if (env != nullptr && *env != '\0') return env;
#if STEPWISE_BENCH_POSTGRES_SERVER
  static bool tried = false;
  static std::string failure;
  if (!tried) {
    tried = true;
    testing_support::PostgresServerOptions options;
    options.fsync = true;  // as a production server
    auto started = testing_support::PostgresServer::start(options);
    if (started.ok()) {
      bench_server() = std::move(*started);
    } else {
      failure = started.status().to_string();
    }
  }
  if (bench_server() == nullptr) {
    error = failure;
    return "";
  }
  return bench_server()->uri();
#else
  error = "set STEPWISE_PG_URI";
  return "";
#endif
}
#endif

// Counts commits on the way to another store.
class CountingStore final : public CheckpointStore {
 public:
  explicit CountingStore(std::shared_ptr<CheckpointStore> inner) : inner_(std::move(inner)) {}
  Status commit(const CheckpointBatch& b) override {
    ++commits;
    return inner_->commit(b);
  }
  Result<StoredExecution> load(std::string_view n) override { return inner_->load(n); }
  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& f) override {
    return inner_->list(f);
  }
  Status remove(std::string_view n) override { return inner_->remove(n); }
  std::atomic<std::int64_t> commits{0};

 private:
  std::shared_ptr<CheckpointStore> inner_;
};

// A fresh store of `kind`; null with `error` set when it cannot be opened.
std::shared_ptr<CheckpointStore> open_store(Kind kind, std::string& dir, std::string& error) {
  static int counter = 0;
  ++counter;
  if (kind == Kind::kMemory) return make_memory_checkpoint_store();
  if (kind == Kind::kSqliteFull || kind == Kind::kSqliteNormal) {
#if STEPWISE_BENCH_SQLITE
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp ? tmp : "/tmp") + "/stepwise-durable-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) return nullptr;
    dir = tmpl;
    SqliteStoreOptions options;
    options.synchronous = kind == Kind::kSqliteFull ? SqliteStoreOptions::Synchronous::kFull
                                                    : SqliteStoreOptions::Synchronous::kNormal;
    auto store = open_sqlite_checkpoint_store(dir + "/bench.db", options);
    if (store.ok()) return *store;
    error = store.status().to_string();
#else
    error = "built without SQLite";
#endif
    return nullptr;
  }
#if STEPWISE_BENCH_POSTGRES
  const std::string uri = postgres_uri(error);
  if (uri.empty()) return nullptr;
  PostgresStoreOptions options;
  options.schema = "bench_" + std::to_string(::getpid()) + "_" + std::to_string(counter);
  options.synchronous_commit = kind == Kind::kPostgres;
  auto store = make_postgres_checkpoint_store(uri, options);
  if (store.ok()) return *store;
  error = store.status().to_string();
#else
  error = "built without PostgreSQL";
#endif
  return nullptr;
}

void run_durable(benchmark::State& state, const std::string& workload, Kind kind,
                 std::int64_t transitions_per_run, bool per_transition) {
  ParseResult parsed = parse_state_machine(bench::read_workload(workload + ".json"));
  if (!parsed.ok()) {
    state.SkipWithError("workload does not load");
    return;
  }
  const json input = json::parse(bench::read_workload(workload + ".input.json"));
  std::string dir, error;
  std::shared_ptr<CheckpointStore> inner = open_store(kind, dir, error);
  if (inner == nullptr) {
    state.SkipWithError(("cannot open the store: " + error).c_str());
    return;
  }
  auto store = std::make_shared<CountingStore>(inner);
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.task_executor = std::make_shared<bench::EchoExecutor>(0);
  options.max_history_events = 1000000;
  options.max_payload_bytes = 64 * 1024 * 1024;
  options.checkpoint_store = store;
  Engine engine(std::move(options));
  std::int64_t runs = 0;
  for (auto _ : state) {
    StartOptions start;
    start.name = "run-" + std::to_string(runs++);
    Result<ExecutionId> id = engine.start(parsed.machine(), input, start);
    if (!id.ok()) {
      state.SkipWithError(id.status().to_string().c_str());
      break;
    }
    if (per_transition) {
      StepBudget budget;
      budget.max_transitions = 1;
      while (engine.step(budget).running > 0) {
      }
    } else {
      engine.run_all();
    }
    Result<ExecutionResult> r = engine.take(*id);
    if (!r.ok() || r->status != ExecutionStatus::kSucceeded) {
      state.SkipWithError(("execution failed: " + (r.ok() ? r->cause.value_or("") : "")).c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * transitions_per_run);
  state.counters["commits"] =
      runs == 0 ? 0.0 : static_cast<double>(store->commits.load()) / static_cast<double>(runs);
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
}

void register_all() {
  struct StoreName {
    Kind kind;
    const char* name;
  };
  const StoreName stores[] = {{Kind::kMemory, "Memory"},
                              {Kind::kSqliteFull, "SqliteFull"},
                              {Kind::kSqliteNormal, "SqliteNormal"},
                              {Kind::kPostgres, "Postgres"},
                              {Kind::kPostgresAsync, "PostgresAsync"}};
  struct Workload {
    const char* name;
    std::int64_t transitions;
  };
  for (const Workload w : {Workload{"pass_chain_100", 100}, Workload{"map_10k", 20001}}) {
    for (const StoreName& s : stores) {
      benchmark::RegisterBenchmark(
          (std::string("durable/") + w.name + "/" + s.name).c_str(),
          [w, s](benchmark::State& st) { run_durable(st, w.name, s.kind, w.transitions, false); })
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
  for (const StoreName& s : stores) {
    benchmark::RegisterBenchmark(
        (std::string("per_transition/pass_chain_100/") + s.name).c_str(),
        [s](benchmark::State& st) { run_durable(st, "pass_chain_100", s.kind, 100, true); })
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace
}  // namespace stepwise

int main(int argc, char** argv) {
  stepwise::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
#if STEPWISE_BENCH_POSTGRES && STEPWISE_BENCH_POSTGRES_SERVER
  stepwise::bench_server().reset();  // stops the private server
#endif
  return 0;
}
