// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Distributed Map over local data. Measures:
// - BM_DistributedMapJsonl/<items>: <items> JSON Lines items (generated once into a temp
//   bucket) through a Distributed Map with a trivial Pass processor and a ResultWriter, on one
//   engine with history off. Reports items/s and the process's peak RSS (`peak_rss_MB`, from
//   getrusage ru_maxrss) after the run. 100,000 runs before 1,000,000 in the same process, so
//   equal peaks show that memory does not grow with the item count.
// - BM_DistributedMapCpu/<threads>: 2,000 items whose Task does ~1 ms of CPU work on a
//   ThreadPoolExecutor of 1 or 2 threads; the interpreter stays on the benchmark thread.
//   Compare items/s of /2 with /1 (target: at least 1.6x on two free cores).
#include <sys/resource.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "stepwise/local_object_store.h"
#include "stepwise/stepwise.h"

namespace stepwise {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path bench_dir() {
  static fs::path dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    fs::path base = tmp != nullptr ? tmp : "/tmp";
    fs::path d = base / ("stepwise-dmap-bench-" + std::to_string(::getpid()));
    fs::create_directories(d / "in");
    return d;
  }();
  // Registered after `dir` is constructed, so it runs before `dir` is destroyed.
  static bool cleanup = [] {
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(bench_dir(), ec);
    });
    return true;
  }();
  (void)cleanup;
  return dir;
}

// Writes `<n>.jsonl` with n small events, once.
std::string data_file(std::int64_t n) {
  std::string key = std::to_string(n) + ".jsonl";
  fs::path p = bench_dir() / "in" / key;
  if (!fs::exists(p)) {
    std::ofstream out(p);
    for (std::int64_t i = 0; i < n; ++i) {
      out << "{\"id\":" << i << ",\"device\":\"d" << (i % 97) << "\",\"value\":" << (i * 7 % 1000)
          << "}\n";
    }
  }
  return key;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

std::shared_ptr<const StateMachine> machine(const std::string& key, const std::string& state,
                                            bool writer) {
  std::string def = R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1000,
    "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL"},
                  "Parameters":{"Bucket":"in","Key":")" +
                    key + R"("}},
    "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
      "StartAt":"P","States":{"P":)" +
                    state + R"(}},)" +
                    (writer ? R"("ResultWriter":{"Resource":"arn:aws:states:::s3:putObject",
                   "Parameters":{"Bucket":"out","Prefix":"bench"},
                   "WriterConfig":{"OutputType":"JSONL","Transformation":"COMPACT"}},)"
                            : "") +
                    R"("End":true}}})";
  ParseResult parsed = parse_state_machine(def);
  if (!parsed.ok()) std::abort();
  return parsed.machine();
}

std::shared_ptr<LocalObjectStore> store() {
  auto s = std::make_shared<LocalObjectStore>();
  s->add_bucket("in", bench_dir() / "in");
  s->add_bucket("out", bench_dir() / "out");
  return s;
}

void BM_DistributedMapJsonl(benchmark::State& state) {
  std::int64_t n = state.range(0);
  std::string key = data_file(n);
  auto m = machine(key, R"({"Type":"Pass","End":true})", true);
  for (auto _ : state) {
    EngineOptions o;
    o.object_store = store();
    Engine engine(std::move(o));
    StartOptions so;
    so.record_history = false;
    ExecutionResult r = *engine.run(m, json::object(), so);
    if (r.status != ExecutionStatus::kSucceeded) state.SkipWithError(r.to_json().dump().c_str());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
BENCHMARK(BM_DistributedMapJsonl)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_DistributedMapCpu(benchmark::State& state) {
  std::string key = data_file(2000);
  auto m = machine(key, R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true})",
                   false);
  auto work = [](const json& in) {
    // ~1 ms of integer work.
    std::uint64_t h = in["id"].get<std::uint64_t>() + 1;
    for (int i = 0; i < 400000; ++i) h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    return json{{"id", in["id"]}, {"h", h & 0xffff}};
  };
  for (auto _ : state) {
    EngineOptions o;
    o.object_store = store();
    o.task_executor = std::make_shared<ThreadPoolExecutor>(state.range(0), work);
    Engine engine(std::move(o));
    StartOptions so;
    so.record_history = false;
    ExecutionResult r = *engine.run(m, json::object(), so);
    if (r.status != ExecutionStatus::kSucceeded) state.SkipWithError(r.to_json().dump().c_str());
  }
  state.SetItemsProcessed(state.iterations() * 2000);
}
BENCHMARK(BM_DistributedMapCpu)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace stepwise

BENCHMARK_MAIN();
