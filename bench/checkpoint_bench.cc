// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Checkpoint stores. Measures:
// - BM_Commit/<store>/<records>: one engine-step-sized commit (summary, one new record, one
//   history event) into an execution already holding <records> records (0 or 100k, a large
//   Map). The cost must not grow with <records>.
// - BM_Load/<store>: loading an execution of 10k records and 1k history events.
// Stores: Memory; SqliteNormal and SqliteFull (synchronous NORMAL / FULL, a file in $TMPDIR or
// /tmp; FULL pays one fsync per commit, so it measures the disk more than the store).
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <benchmark/benchmark.h>

#include "stepwise/checkpoint.h"
#if STEPWISE_BENCH_SQLITE
#include "stepwise/sqlite/checkpoint_store.h"
#endif

namespace stepwise {
namespace {

enum class Kind { kMemory, kSqliteNormal, kSqliteFull };

// A store of one kind, in a temporary directory removed afterwards.
class BenchStore {
 public:
  explicit BenchStore(Kind kind) {
    if (kind == Kind::kMemory) {
      store_ = make_memory_checkpoint_store();
      return;
    }
#if STEPWISE_BENCH_SQLITE
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp ? tmp : "/tmp") + "/stepwise-bench-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) return;
    dir_ = tmpl;
    SqliteStoreOptions options;
    options.synchronous = kind == Kind::kSqliteFull ? SqliteStoreOptions::Synchronous::kFull
                                                    : SqliteStoreOptions::Synchronous::kNormal;
    auto opened = open_sqlite_checkpoint_store(dir_ + "/bench.db", options);
    if (opened.ok()) store_ = *opened;
#endif
  }
  ~BenchStore() {
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }
  CheckpointStore* get() const { return store_.get(); }

 private:
  std::string dir_;
  std::shared_ptr<CheckpointStore> store_;
};

CheckpointBatch make_batch(std::uint64_t version) {
  CheckpointBatch b;
  b.summary.name = "map-execution";
  b.summary.state_machine_name = "Bench";
  b.summary.fingerprint = "sha256:0123456789abcdef";
  b.summary.current_state = "ProcessItems";
  b.summary.start_time = 1700000000000000000;
  b.summary.version = version;
  return b;
}

std::string record_value(std::uint64_t i) {
  return R"({"index":)" + std::to_string(i) + R"(,"output":{"status":"done","bytes":1234}})";
}

// Fills the execution with `records` records, in batches of 10k; returns the next version.
std::uint64_t preload(CheckpointStore& store, std::uint64_t records) {
  std::uint64_t version = 1;
  CheckpointBatch b = make_batch(version);
  b.definition = R"({"StartAt":"ProcessItems","States":{}})";
  for (std::uint64_t i = 0; i < records; ++i) {
    b.puts.push_back({"iteration/" + std::to_string(i), record_value(i)});
    if (b.puts.size() == 10000) {
      if (!store.commit(b).ok()) return 0;
      b = make_batch(++version);
    }
  }
  if (!store.commit(b).ok()) return 0;
  return version + 1;
}

void BM_Commit(benchmark::State& state, Kind kind) {
  BenchStore store(kind);
  if (store.get() == nullptr) {
    state.SkipWithError("cannot open the store");
    return;
  }
  const std::uint64_t records = static_cast<std::uint64_t>(state.range(0));
  std::uint64_t version = preload(*store.get(), records);
  if (version == 0) {
    state.SkipWithError("preload failed");
    return;
  }
  std::uint64_t next_record = records;
  for (auto _ : state) {
    CheckpointBatch b = make_batch(version++);
    b.puts.push_back({"iteration/" + std::to_string(next_record), record_value(next_record)});
    ++next_record;
    b.history.push_back(R"({"id":7,"type":"MapIterationSucceeded","details":{"index":1}})");
    Status s = store.get()->commit(b);
    if (!s.ok()) {
      state.SkipWithError(s.to_string().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Load(benchmark::State& state, Kind kind) {
  BenchStore store(kind);
  if (store.get() == nullptr) {
    state.SkipWithError("cannot open the store");
    return;
  }
  std::uint64_t version = preload(*store.get(), 10000);
  CheckpointBatch events = make_batch(version);
  for (int i = 0; i < 1000; ++i) {
    events.history.push_back(R"({"id":)" + std::to_string(i) +
                             R"(,"type":"TaskStateEntered","details":{"name":"ProcessItems"}})");
  }
  if (version == 0 || !store.get()->commit(events).ok()) {
    state.SkipWithError("preload failed");
    return;
  }
  for (auto _ : state) {
    Result<StoredExecution> loaded = store.get()->load("map-execution");
    if (!loaded.ok()) {
      state.SkipWithError(loaded.status().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(loaded->records.data());
  }
  state.SetItemsProcessed(state.iterations() * 10000);
}

BENCHMARK_CAPTURE(BM_Commit, Memory, Kind::kMemory)->Arg(0)->Arg(100000);
BENCHMARK_CAPTURE(BM_Load, Memory, Kind::kMemory)->Unit(benchmark::kMillisecond);
#if STEPWISE_BENCH_SQLITE
BENCHMARK_CAPTURE(BM_Commit, SqliteNormal, Kind::kSqliteNormal)->Arg(0)->Arg(100000);
BENCHMARK_CAPTURE(BM_Commit, SqliteFull, Kind::kSqliteFull)->Arg(0)->Arg(100000);
BENCHMARK_CAPTURE(BM_Load, SqliteNormal, Kind::kSqliteNormal)->Unit(benchmark::kMillisecond);
#endif

}  // namespace
}  // namespace stepwise

BENCHMARK_MAIN();
