// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Interpreter throughput on the shared peer workloads (bench/workloads, copied from
// ../shared/bench/peers/workloads), reported as state transitions per second
// (`items_per_second`), counted as the peer counts them: every state entered, inside Map
// iterations and Parallel branches too, plus every retry attempt.
//
//   workload/pass_chain_100    100 Pass states with Parameters and ResultPath
//   workload/choice_loop       Pass + Choice + States.MathAdd counter, 10,000 iterations
//   workload/map_10k           inline Map over 10,000 items, Pass + Task per item
//   workload/parallel_fanout   Parallel with 8 branches of 10 Pass states
//   workload/retry_catch       a Task failing twice, Retry with IntervalSeconds 0, then success
//   no_history/<workload>      the same without history (StartOptions::record_history false)
//   handcoded/<workload>       the floor: the same data transformations written directly over
//                              nlohmann::json (see the comments on each)
//
// Each workload runs as a Standard execution with full history, on a virtual clock, with an
// in-process echo executor. Rates are per wall-clock second (`UseRealTime`), as the peer's
// harness measures them, so the two are compared like with like. The history-event limit is lifted
// for the two long workloads (AWS would stop a Standard execution at 25,000 events; the peer has no
// such limit).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <fstream>
#include <limits>
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

void run_workload(benchmark::State& state, const std::string& name, int fail_first,
                  std::int64_t transitions_per_run, bool history = true) {
  ParseResult parsed = parse_state_machine(read_workload(name + ".json"));
  if (!parsed.ok()) {
    state.SkipWithError("workload does not load");
    return;
  }
  json input = json::parse(read_workload(name + ".input.json"));
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.task_executor = std::make_shared<EchoExecutor>(fail_first);
  options.max_history_events = 1000000;
  options.max_payload_bytes = 64 * 1024 * 1024;
  Engine engine(std::move(options));
  // The peer's harness clones each execution's input before its timed region; a large input
  // (map_10k's 10,000 items) is copied here with the timer paused, as there. For small inputs
  // pausing would cost more than the copy.
  const bool clone_untimed = input.dump().size() > 4096;
  for (auto _ : state) {
    StartOptions start;
    start.record_history = history;
    json execution_input;
    if (clone_untimed) {
      state.PauseTiming();
      execution_input = input;
      state.ResumeTiming();
    } else {
      execution_input = input;
    }
    Result<ExecutionId> id = engine.start(parsed.machine(), std::move(execution_input), start);
    engine.run_all();
    // The output is taken (moved out), as the peer's harness receives it, not copied.
    Result<ExecutionResult> r = engine.take(*id);
    if (!r.ok() || r->status != ExecutionStatus::kSucceeded) {
      state.SkipWithError(("execution failed: " + (r.ok() ? r->cause.value_or("") : "")).c_str());
      return;
    }
    benchmark::DoNotOptimize(r->output);
  }
  state.SetItemsProcessed(state.iterations() * transitions_per_run);
}

void pass_chain_100(benchmark::State& s) { run_workload(s, "pass_chain_100", 0, 100); }
void choice_loop(benchmark::State& s) { run_workload(s, "choice_loop", 0, 20001); }
void map_10k(benchmark::State& s) { run_workload(s, "map_10k", 0, 20001); }
void parallel_fanout(benchmark::State& s) { run_workload(s, "parallel_fanout", 0, 81); }
void retry_catch(benchmark::State& s) { run_workload(s, "retry_catch", 2, 4); }

// Without history (Express-style: AWS offers no execution history for Express workflows).
void pass_chain_100_nohist(benchmark::State& s) {
  run_workload(s, "pass_chain_100", 0, 100, false);
}
void choice_loop_nohist(benchmark::State& s) { run_workload(s, "choice_loop", 0, 20001, false); }
void map_10k_nohist(benchmark::State& s) { run_workload(s, "map_10k", 0, 20001, false); }
void parallel_fanout_nohist(benchmark::State& s) {
  run_workload(s, "parallel_fanout", 0, 81, false);
}
void retry_catch_nohist(benchmark::State& s) { run_workload(s, "retry_catch", 2, 4, false); }

// The floors: each workload's data transformations written directly over nlohmann::json, as a
// competent C++ programmer would write that workflow by hand. They do the same copies, path
// lookups, result merging and loops as the workflow, and produce the same output. They do not
// keep history, build a context object, check payload sizes, serialize anything, dispatch
// through an executor interface or keep per-execution state (frames, timers, names): that is
// what the ratio engine/floor measures.

// pass_chain_100: for each of the 100 steps, build {value, tag, step, prev} from the document
// and store it at $.last (the Parameters template, then ResultPath).
void handcoded_pass_chain_100(benchmark::State& state) {
  json input = json::parse(read_workload("pass_chain_100.input.json"));
  for (auto _ : state) {
    json doc = input;
    for (int step = 0; step < 100; ++step) {
      json params = json::object();
      params["value"] = doc["data"]["value"];
      params["tag"] = doc["data"]["tag"];
      params["step"] = step;
      params["prev"] = doc["last"]["step"];
      doc["last"] = std::move(params);
    }
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(state.iterations() * 100);
}

// choice_loop: {i: i + 1, n: n} replaces the document (Parameters without ResultPath; the
// sum is checked to stay a 32-bit integer, as States.MathAdd does), then the loop continues
// while i < n compared as numbers (the Choice rule). Does not check argument types beyond
// what nlohmann's get<> does.
void handcoded_choice_loop(benchmark::State& state) {
  json input = json::parse(read_workload("choice_loop.input.json"));
  for (auto _ : state) {
    json doc = input;
    for (;;) {
      json next = json::object();
      std::int64_t i = doc["i"].get<std::int64_t>() + 1;
      if (i > std::numeric_limits<std::int32_t>::max()) {
        state.SkipWithError("overflow");
        return;
      }
      next["i"] = i;
      next["n"] = doc["n"];
      doc = std::move(next);
      if (!(doc["i"].get<double>() < doc["n"].get<double>())) break;
    }
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(state.iterations() * 20001);
}

// A task function called through a plain (non-inlined) call, as the engine's echo executor
// is: returns its input.
[[gnu::noinline]] json echo_task(json input) { return input; }

// map_10k: for each item of $.items, the Pass builds {v: item, kind: "item"}, the Task echoes
// it, and the results, in order, go to $.results of the input. The input is copied with the
// timer paused, as in the engine's benchmark. No concurrency bookkeeping: a plain loop.
void handcoded_map_10k(benchmark::State& state) {
  json input = json::parse(read_workload("map_10k.input.json"));
  for (auto _ : state) {
    state.PauseTiming();
    json doc = input;
    state.ResumeTiming();
    const json& items = doc["items"];
    json results = json::array();
    results.get_ref<json::array_t&>().reserve(items.size());
    for (const json& item : items) {
      json shaped = json::object();
      shaped["v"] = item;
      shaped["kind"] = "item";
      results.push_back(echo_task(std::move(shaped)));
    }
    doc["results"] = std::move(results);
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(state.iterations() * 20001);
}

// parallel_fanout: 8 branches, each starting from a copy of the input and replacing it 10
// times with {x: $.x, b: branch, i: step}; the output is the array of the 8 branch results.
// Runs the branches one after the other (as the engine does on one thread).
void handcoded_parallel_fanout(benchmark::State& state) {
  json input = json::parse(read_workload("parallel_fanout.input.json"));
  for (auto _ : state) {
    json results = json::array();
    for (int b = 0; b < 8; ++b) {
      json doc = input;
      for (int i = 0; i < 10; ++i) {
        json params = json::object();
        params["x"] = doc["x"];
        params["b"] = b;
        params["i"] = i;
        doc = std::move(params);
      }
      results.push_back(std::move(doc));
    }
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(state.iterations() * 81);
}

// The outcome of one task attempt, as an error value (an exception per failed attempt would
// cost more than the rest of the workload).
struct TaskOutcome {
  bool ok = false;
  json output;
  std::string error, cause;
};

// A task that fails its first `fail_first` attempts with FlakyError, then echoes its input.
[[gnu::noinline]] TaskOutcome flaky_task(const json& input, int attempt, int fail_first) {
  if (attempt < fail_first) return {false, json(), "FlakyError", "flaky"};
  return {true, input, {}, {}};
}

// retry_catch: call the task with a copy of the document; on FlakyError retry up to 3 times
// (IntervalSeconds 0: no wait), on success store the result at $.out; a failure past the
// retries would store {Error, Cause} at $.error and "caught" at $.status (the Catch and the
// Recovered state). No backoff computation, no timers.
void handcoded_retry_catch(benchmark::State& state) {
  json input = json::parse(read_workload("retry_catch.input.json"));
  int fail_first = 2;
  benchmark::DoNotOptimize(fail_first);
  for (auto _ : state) {
    json doc = input;
    for (int attempt = 0;; ++attempt) {
      TaskOutcome r = flaky_task(doc, attempt, fail_first);
      if (r.ok) {
        doc["out"] = std::move(r.output);
        break;
      }
      if (r.error == "FlakyError" && attempt < 3) continue;
      doc["error"] = json{{"Error", std::move(r.error)}, {"Cause", std::move(r.cause)}};
      doc["status"] = "caught";
      break;
    }
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(state.iterations() * 4);
}

// One short execution (a Wait of 1 s on the virtual clock, with the machine TimeoutSeconds)
// while the engine holds `range(0)` other executions: as many finished ones retained, and as
// many running ones blocked on a one-year Wait. The cost per execution should not grow with
// either (start's name check and step's deadline bookkeeping are indexed, not scans).
void engine_with_held_executions(benchmark::State& state) {
  auto waiting = parse_state_machine(R"({"TimeoutSeconds": 600, "StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 31536000, "End": true}}})");
  auto short_run = parse_state_machine(R"({"TimeoutSeconds": 60, "StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 1, "End": true}}})");
  if (!waiting.ok() || !short_run.ok()) {
    state.SkipWithError("cannot parse the machines");
    return;
  }
  auto clock = std::make_shared<ManualClock>();
  EngineOptions options;
  options.clock = clock;
  Engine engine(std::move(options));
  const std::int64_t held = state.range(0);
  for (std::int64_t i = 0; i < held; ++i) {
    (void)engine.start(waiting.machine(), json::object());
    auto done = engine.start(short_run.machine(), json::object());
    if (done.ok()) (void)engine.run(*done);
  }
  for (auto _ : state) {
    auto id = engine.start(short_run.machine(), json::object());
    if (!id.ok()) {
      state.SkipWithError("start failed");
      return;
    }
    StepReport report = engine.step();  // enters the Wait
    if (report.next_deadline) clock->set(*report.next_deadline);
    engine.step();  // the Wait ends
    benchmark::DoNotOptimize(engine.take(*id));
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(pass_chain_100)
    ->Name("workload/pass_chain_100")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(choice_loop)->Name("workload/choice_loop")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(map_10k)->Name("workload/map_10k")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(parallel_fanout)
    ->Name("workload/parallel_fanout")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(retry_catch)->Name("workload/retry_catch")->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(pass_chain_100_nohist)
    ->Name("no_history/pass_chain_100")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(choice_loop_nohist)
    ->Name("no_history/choice_loop")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(map_10k_nohist)->Name("no_history/map_10k")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(parallel_fanout_nohist)
    ->Name("no_history/parallel_fanout")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(retry_catch_nohist)
    ->Name("no_history/retry_catch")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(handcoded_pass_chain_100)
    ->Name("handcoded/pass_chain_100")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(handcoded_choice_loop)
    ->Name("handcoded/choice_loop")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(handcoded_map_10k)
    ->Name("handcoded/map_10k")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(handcoded_parallel_fanout)
    ->Name("handcoded/parallel_fanout")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(handcoded_retry_catch)
    ->Name("handcoded/retry_catch")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(engine_with_held_executions)
    ->Name("engine/held_executions")
    ->Arg(0)
    ->Arg(10000)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
