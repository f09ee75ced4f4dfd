// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Runs one interpreter workload a fixed number of times, as interpreter_bench does (Standard,
// ManualClock, an in-process echo executor, the output taken), so that an instruction counter
// can compare builds deterministically where wall and CPU times on a shared machine vary by
// 5-10% from run to run:
//
//   valgrind --tool=callgrind --toggle-collect='*timed_runs*' count_bench map_10k 1 3
//
// Arguments: WORKLOAD (pass_chain_100, choice_loop, map_10k, parallel_fanout, retry_catch),
// HISTORY (1: record history, 0: not), RUNS. One untimed run comes first. Not a Google
// Benchmark binary (`scripts/bench_compare --instructions` runs it).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "stepwise/stepwise.h"
#include "workload_support.h"

namespace {

using nlohmann::json;
using namespace stepwise;

using bench::EchoExecutor;
using bench::read_workload;

// The counted region (callgrind: --toggle-collect='*timed_runs*').
[[gnu::noinline]] bool timed_runs(Engine& engine,
                                  const std::shared_ptr<const StateMachine>& machine,
                                  const json& input, bool history, long runs) {
  for (long i = 0; i < runs; ++i) {
    StartOptions start;
    start.record_history = history;
    Result<ExecutionId> id = engine.start(machine, json(input), start);
    if (!id.ok()) return false;
    engine.run_all();
    Result<ExecutionResult> r = engine.take(*id);
    if (!r.ok() || r->status != ExecutionStatus::kSucceeded) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: count_bench WORKLOAD HISTORY(0|1) RUNS\n");
    return 2;
  }
  const std::string name = argv[1];
  const bool history = std::strcmp(argv[2], "0") != 0;
  const long runs = std::strtol(argv[3], nullptr, 10);
  ParseResult parsed = parse_state_machine(read_workload(name + ".json"));
  if (!parsed.ok()) {
    std::fprintf(stderr, "count_bench: workload %s does not load\n", name.c_str());
    return 1;
  }
  json input = json::parse(read_workload(name + ".input.json"));
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.task_executor = std::make_shared<EchoExecutor>(name == "retry_catch" ? 2 : 0);
  options.max_history_events = 1000000;
  options.max_payload_bytes = 64 * 1024 * 1024;
  Engine engine(std::move(options));
  if (!timed_runs(engine, parsed.machine(), input, history, 1) ||
      !timed_runs(engine, parsed.machine(), input, history, runs)) {
    std::fprintf(stderr, "count_bench: an execution failed\n");
    return 1;
  }
  return 0;
}
